"""Related terms, grouped by relation and labelled in the UI language, each with its note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..labels import text

if TYPE_CHECKING:
    from ...graph import Neighbour, Term


@dataclass(frozen=True)
class Suggestion:
    """A term offered to the learner and how it relates to the current one (relation None: a search result)."""

    term: Term
    relation: str | None = None
    direction: str | None = None
    note: str = ""


class RelatedList(OptionList):
    """Choosing an entry posts RelatedList.TermChosen."""

    class TermChosen(Message):
        """The learner picked a related term."""

        def __init__(self, suggestion: Suggestion):
            super().__init__()
            self.suggestion = suggestion

    def __init__(self, **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.suggestions: list[Suggestion] = []

    def show_neighbours(self, neighbours: list[Neighbour], lang: str) -> None:
        groups: dict[str, list[Neighbour]] = {}
        for neighbour in neighbours:
            groups.setdefault(neighbour.label(lang), []).append(neighbour)
        self._fill([(label, [Suggestion(n.term, n.relation, n.direction, n.note(lang)) for n in members])
                    for label, members in groups.items()], lang)

    def show_nearest(self, terms: list[Term], lang: str) -> None:
        self._fill([(text("nearest", lang), [Suggestion(t) for t in terms])], lang)

    def _fill(self, groups: list[tuple[str, list[Suggestion]]], lang: str) -> None:
        self.clear_options()
        self.suggestions = []
        options: list[Option] = []
        for label, members in groups:
            options.append(Option(f"[b]{label}[/b]", disabled=True))
            for suggestion in members:
                note = f"\n    [dim]{_escape(suggestion.note)}[/dim]" if suggestion.note else ""
                options.append(Option(f"  {_escape(suggestion.term.name(lang))}{note}",
                                      id=f"s{len(self.suggestions)}"))
                self.suggestions.append(suggestion)
        self.add_options(options)
        if self.suggestions:
            self.highlighted = 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id.startswith("s"):
            self.post_message(self.TermChosen(self.suggestions[int(event.option.id[1:])]))


def _escape(value: str) -> str:
    from rich.markup import escape

    return escape(value)
