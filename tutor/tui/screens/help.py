"""F1: every binding of the app and the main screen, described in the UI language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

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
        from rich.markup import escape

        keys: dict[str, list[str]] = {}  # one line per action, all its keys together ("alt+← / ^o")
        first: dict[str, Binding] = {}
        for binding in self.bindings_shown:
            keys.setdefault(binding.action, []).append(self.app.get_key_display(binding))
            first.setdefault(binding.action, binding)
        rows = [(" / ".join(k), self._describe(first[action])) for action, k in keys.items()]
        rows += [(k, zh if self.lang == "zh" else en) for k, zh, en in EXTRA]
        lines = [f"[b]{escape(k):<18}[/b] {escape(d)}" for k, d in rows]
        with Vertical(id="help-box"):
            yield Static(f"[b]{text('help_title', self.lang)}[/b]\n\n" + "\n".join(lines), id="help-keys")
            yield Static(text("help_close", self.lang), classes="hint")

    def _describe(self, binding: Binding) -> str:
        action = binding.action.split("(")[0]
        return HELP_ZH.get(action, binding.description) if self.lang == "zh" else binding.description
