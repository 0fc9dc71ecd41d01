"""The learning path: every step walked, how it was reached, the current one marked; pick one to jump back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...learning_path import LearningPath, Step
from ...schema import RELATIONS
from ..labels import text

if TYPE_CHECKING:
    from ...graph import TermGraph


class TrailList(OptionList):
    """Choosing a step posts TrailList.StepChosen with its index."""

    class StepChosen(Message):
        def __init__(self, index: int):
            super().__init__()
            self.index = index

    def show(self, path: LearningPath, graph: TermGraph, lang: str, known: set[str], bookmarks: set[str]) -> None:
        self.clear_options()
        self.add_options([Option(self._line(i, step, path, graph, lang, known, bookmarks), id=f"p{i}")
                          for i, step in enumerate(path.steps)])
        if path.steps:
            self.highlighted = path.position

    @staticmethod
    def _line(i: int, step: Step, path: LearningPath, graph: TermGraph, lang: str, known: set[str],
              bookmarks: set[str]) -> str:
        from rich.markup import escape

        term = graph.terms.get(step.term_id)
        name = escape(term.name(lang)) if term else step.term_id
        if step.from_term and step.via in RELATIONS:
            how = RELATIONS[step.via].text(step.direction or "out", lang)
        else:
            how = text("asked", lang) if step.via == "question" else step.via
        marks = ("★" if step.term_id in bookmarks else "") + ("✓" if step.term_id in known else "")
        current = "▶ " if i == path.position else "  "
        return f"{current}{i + 1}. {name} {marks}[dim]{escape(how)}[/dim]"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.StepChosen(int(event.option.id[1:])))
