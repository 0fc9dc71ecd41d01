"""The app's actions on the current term and the walked path: bookmark, mark known, plan, export.

A mixin of TutorApp, kept apart so that app.py stays about asking and walking. It relies on the app's `tutor`,
`path`, `store`, `known`, `bookmarks`, `lang` and `options`, and on its `_show_term`, `_visit` and `_refresh_trail`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..learning_path import LearningPath, Step
from .labels import text


class PathActions:
    """Bookmark, known, plan and export, for TutorApp."""

    path: LearningPath
    tutor: Any
    store: Any
    known: set[str]
    bookmarks: set[str]
    lang: str
    options: Any

    def _current_term(self) -> Any:
        step = self.path.current
        if step is None or self.tutor is None:
            self.notify(text("no_term", self.lang), severity="warning")
            return None
        return self.tutor.graph.terms[step.term_id]

    def action_bookmark(self) -> None:
        self._toggle_mark(self.bookmarks, "bookmarked", "unbookmarked", "bookmark")

    def action_known(self) -> None:
        self._toggle_mark(self.known, "known", "unknown", "mark_known")

    def _toggle_mark(self, marks: set[str], on_label: str, off_label: str, store_method: str) -> None:
        term = self._current_term()
        if term is None:
            return
        turned_on = term.id not in marks
        marks.symmetric_difference_update({term.id})
        if self.store is not None:
            getattr(self.store, store_method)(term.id, turned_on)
        self.notify(text(on_label if turned_on else off_label, self.lang, name=term.name(self.lang)))
        self._refresh_trail()

    def action_plan(self) -> None:
        from ..plan import study_plan
        from .screens.plan import PlanScreen

        term = self._current_term()
        if term is not None:
            plan = study_plan(self.tutor.graph, term.id, self.known)
            self.push_screen(PlanScreen(plan, self.lang), self._plan_closed)

    def _plan_closed(self, term_id: str | None) -> None:
        if term_id:
            self._show_term(term_id)
            self._visit(Step(term_id, "plan"))

    def on_plan_screen_known_toggled(self, message: Any) -> None:
        (self.known.add if message.known else self.known.discard)(message.term_id)
        if self.store is not None:
            self.store.mark_known(message.term_id, message.known)
        self._refresh_trail()

    def action_export(self) -> None:
        from .screens.export import ExportDialog

        if not self.path.steps or self.tutor is None:
            self.notify(text("export_empty", self.lang), severity="warning")
            return
        folder = self.options.export_dir or Path.cwd()
        self.push_screen(ExportDialog(self.tutor.graph, list(self.path.steps), self.lang, folder),
                         self._exported)

    def _exported(self, written: Path | None) -> None:
        if written:
            self.notify(text("exported", self.lang, path=written), timeout=8)
