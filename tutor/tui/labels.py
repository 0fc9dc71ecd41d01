"""Every string the app shows, in both UI languages. `text(key, lang)` picks one."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "title": ("术语导师", "Term Tutor"),
    "placeholder": ("问点什么，比如：学习率太高会怎样 / CFG 是什么（↑↓ 翻看历史）",
                    "Ask anything, e.g. what does CFG scale do? (↑↓ for history)"),
    "empty_hint": ("先输入一个问题再回车，比如：学习率太高会怎样", "Type a question first, e.g. what is a LoRA?"),
    "loading": ("正在加载词库和索引…", "Loading the glossary and index…"),
    "loading_queued": ("正在加载，加载完马上回答：", "Still loading; will answer as soon as ready: "),
    "ready": ("{terms} 个词条 · 就绪", "{terms} terms · ready"),
    "thinking": ("思考中…", "Thinking…"),
    "related": ("相关词条", "Related terms"),
    "nearest": ("最接近的词条", "Nearest terms"),
    "trail": ("学习路径", "Learning path"),
    "welcome": ("## 欢迎\n\n在上面输入问题，中文、英文或混着写都行。\n\n右侧会列出相关词条（标明关系），"
                "选中即可继续学；走过的路会记在右下角，可以随时跳回去、导出。\n\n按 **F1** 查看全部快捷键。",
                "## Welcome\n\nType a question above, in Chinese, English or both.\n\nRelated terms appear on the "
                "right, labelled with how they connect; pick one to keep learning. Your path is kept at the "
                "bottom right: jump back to any step, or export it.\n\nPress **F1** for every key."),
    "asked": ("问", "asked"),
    "bookmarked": ("已收藏：{name}", "Bookmarked: {name}"),
    "unbookmarked": ("已取消收藏：{name}", "Bookmark removed: {name}"),
    "known": ("已标记为掌握：{name}", "Marked as known: {name}"),
    "unknown": ("已取消掌握标记：{name}", "No longer marked known: {name}"),
    "no_term": ("还没有当前词条：先问一个问题", "No current term yet: ask a question first"),
    "store_failed": ("学习记录无法保存（{reason}），本次只保存在内存中", "Sessions cannot be saved ({reason}); "
                     "this session is kept in memory only"),
    "load_failed": ("无法打开词库", "Cannot open the glossary"),
    "export_title": ("导出学习路径", "Export the learning path"),
    "export_format": ("格式", "Format"),
    "export_path": ("文件路径", "File path"),
    "export_force": ("覆盖已存在的文件", "Overwrite an existing file"),
    "export_ok": ("导出", "Export"),
    "cancel": ("取消", "Cancel"),
    "exported": ("已导出到 {path}", "Exported to {path}"),
    "export_empty": ("路径还是空的：先问个问题或选一个词条", "The path is empty: ask a question or pick a term first"),
    "help_title": ("快捷键", "Keys"),
    "help_close": ("按 Esc 或 F1 关闭", "Press Esc or F1 to close"),
    "plan_title": ("学习计划：{name}", "Study plan: {name}"),
    "plan_hint": ("按顺序学；空格勾选表示已掌握，O 打开词条，Esc 关闭",
                  "Learn in order; space ticks a term as known, O opens it, Esc closes"),
    "plan_nothing": ("{name} 没有前置知识，可以直接学", "{name} has no prerequisites: learn it directly"),
    "level": ("难度", "level"),
}


def text(key: str, lang: str, **values: object) -> str:
    zh, en = LABELS[key]
    return (zh if lang == "zh" else en).format(**values)
