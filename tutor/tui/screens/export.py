"""The export dialog: format and file path, then the same `write_export` the CLI uses.

A failure (existing file, unwritable folder) is shown inside the dialog, which stays open with what was typed:
nothing is lost, the learner fixes the path and tries again.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ...export import FORMATS, ExportError, write_export
from ...graph import TermGraph
from ...learning_path import Step
from ..labels import text

SUFFIX = {"markdown": ".md", "json": ".json", "graphml": ".graphml", "anki": ".apkg"}


class ExportDialog(ModalScreen[Path | None]):
    """Dismisses with the written path, or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", show=False)]

    def __init__(self, graph: TermGraph, steps: list[Step], lang: str, folder: Path):
        super().__init__()
        self.graph, self.steps, self.lang, self.folder = graph, steps, lang, folder

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(f"[b]{text('export_title', self.lang)}[/b]")
            yield Label(text("export_format", self.lang))
            yield Select([(f, f) for f in FORMATS], value="markdown", allow_blank=False, id="format")
            yield Label(text("export_path", self.lang))
            yield Input(str(self.folder / "tutor-path.md"), id="path")
            yield Checkbox(text("export_force", self.lang), id="force")
            yield Static("", id="export-error", classes="error")
            with Horizontal(id="export-buttons"):
                yield Button(text("export_ok", self.lang), variant="primary", id="do-export")
                yield Button(text("cancel", self.lang), id="cancel")

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        current = Path(path.value)
        if current.suffix in SUFFIX.values():
            path.value = str(current.with_suffix(SUFFIX[str(event.value)]))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#do-export")
    @on(Input.Submitted, "#path")
    def _export(self) -> None:
        error = self.query_one("#export-error", Static)
        try:
            written = write_export(self.graph, self.steps, str(self.query_one("#format", Select).value),
                                   Path(self.query_one("#path", Input).value).expanduser(),
                                   force=self.query_one("#force", Checkbox).value)
        except ExportError as exc:
            error.update(str(exc))
            return
        self.dismiss(written)
