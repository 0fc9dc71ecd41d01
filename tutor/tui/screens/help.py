"""F1: every binding of the app and the main screen, described in the UI language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from ..labels import text

# Descriptions in Chinese, keyed by action; English comes from each Binding's own description.
HELP_ZH = {
    "help": "打开/关闭本帮助", "export": "导出学习路径（Markdown / JSON / GraphML / Anki）",
    "back": "后退到上一个词条", "forward": "前进到下一个词条", "bookmark": "收藏/取消收藏当前词条",
    "known": "标记/取消标记当前词条为已掌握", "plan": "规划通往当前词条的学习路线",
    "toggle_language": "切换界面语言（中文/English）", "toggle_theme": "切换深色/浅色主题",
    "focus_question": "回到提问框", "command_palette": "命令面板：列出所有操作", "quit": "退出",
}
EXTRA = [("↑ / ↓", "翻看之前问过的问题（在提问框里）", "Earlier / later questions (in the question box)"),
         ("→ / End", "接受输入时的词条补全", "Accept the term completion while typing"),
         ("Tab / Shift+Tab", "在提问框、回答、相关词条、学习路径之间切换",
          "Move between question, answer, related, path"),
         ("Enter / 鼠标点击", "打开选中的相关词条或路径中的某一步", "Open the highlighted related term or path step")]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1", "dismiss", "Close", show=False)]

    def __init__(self, bindings: list[Binding], lang: str):
        super().__init__()
        self.bindings_shown, self.lang = bindings, lang

    def compose(self) -> ComposeResult:
        rows = [f"| `{self.app.get_key_display(b)}` | {self._describe(b)} |" for b in self.bindings_shown]
        rows += [f"| `{keys}` | {zh if self.lang == 'zh' else en} |" for keys, zh, en in EXTRA]
        table = "| key | action |\n|---|---|\n" + "\n".join(rows)
        with Vertical(id="help-box"):
            yield Markdown(f"## {text('help_title', self.lang)}\n\n{table}")
            yield Static(text("help_close", self.lang), classes="hint")

    def _describe(self, binding: Binding) -> str:
        action = binding.action.split("(")[0]
        return HELP_ZH.get(action, binding.description) if self.lang == "zh" else binding.description
