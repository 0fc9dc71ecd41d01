"""The study plan for a term as a checklist: prerequisites in order, known ones checked."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from ...plan import Plan
from ..labels import text


class PlanScreen(ModalScreen[str | None]):
    """Dismisses with a term id to open (O), or None (escape). Checking a box (space) posts KnownToggled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", show=False),
                Binding("o", "open_term", "Open term", show=False)]

    class KnownToggled(Message):
        def __init__(self, term_id: str, known: bool):
            super().__init__()
            self.term_id, self.known = term_id, known

    def __init__(self, plan: Plan, lang: str):
        super().__init__()
        self.plan, self.lang = plan, lang

    def compose(self) -> ComposeResult:
        name = self.plan.target.name(self.lang)
        with Vertical(id="plan-box"):
            yield Label(f"[b]{text('plan_title', self.lang, name=name)}[/b]")
            if len(self.plan.steps) <= 1:
                yield Static(text("plan_nothing", self.lang, name=name))
            yield SelectionList[str](*[
                Selection(f"{i + 1}. {step.term.name(self.lang)}  ({text('level', self.lang)} {step.level})",
                          step.term.id, step.known) for i, step in enumerate(self.plan.steps)], id="plan-list")
            yield Static(text("plan_hint", self.lang), classes="hint")

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        term_id = str(event.selection.value)
        self.app.post_message(self.KnownToggled(term_id, term_id in event.selection_list.selected))

    def action_open_term(self) -> None:
        listing = self.query_one("#plan-list", SelectionList)
        if listing.highlighted is not None:
            self.dismiss(str(listing.get_option_at_index(listing.highlighted).value))
