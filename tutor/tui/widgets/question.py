"""The question box: term-name completion as you type, and ↑/↓ through earlier questions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

_HAN = re.compile(r"[\u3400-\u9fff]")


class TermSuggester(Suggester):
    """Completes the end of the question with a term name or alias (accept with → or End)."""

    def __init__(self, names: Iterable[str]):
        super().__init__(use_cache=True, case_sensitive=False)
        # Shorter names first: "LoRA" before "LoRA extraction" when both fit what was typed.
        self.names = sorted({n for n in names if len(n) > 1}, key=lambda n: (len(n), n))
        self._folded = [n.casefold() for n in self.names]

    async def get_suggestion(self, value: str) -> str | None:
        for size in range(min(len(value), 16), 0, -1):
            fragment = value[-size:]
            if fragment[0].isspace() or (size < 2 and not _HAN.match(fragment)):
                continue
            if size < len(value) and not _starts_word(value, len(value) - size):
                continue
            for name, folded in zip(self.names, self._folded, strict=True):
                if len(name) > size and folded.startswith(fragment.casefold()):
                    return value + name[size:]
        return None


def _starts_word(value: str, start: int) -> bool:
    """A Latin fragment must start a word ("lo" in "my lo", not in "hello"); Han has no word breaks."""
    return bool(_HAN.match(value[start])) or not value[start - 1].isalnum()


class QuestionInput(Input):
    """An Input that remembers what was asked; ↑/↓ walk the history like a shell."""

    BINDINGS = [
        Binding("up", "history(-1)", "Earlier question", show=False),
        Binding("down", "history(1)", "Later question", show=False),
    ]

    def __init__(self, **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.history: list[str] = []
        self._cursor = 0

    def remember(self, question: str) -> None:
        if question and (not self.history or self.history[-1] != question):
            self.history.append(question)
        self._cursor = len(self.history)

    def action_history(self, delta: int) -> None:
        if not self.history:
            return
        self._cursor = max(0, min(len(self.history), self._cursor + delta))
        self.value = self.history[self._cursor] if self._cursor < len(self.history) else ""
        self.cursor_position = len(self.value)
