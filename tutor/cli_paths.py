"""Commands over the learner's record: `tutor sessions`, `tutor export`, `tutor plan`.

Wired into the parser by cli.py (`cli_paths.add_commands(sub)`); like cli.py, nothing here is business logic.
Failures raise UsageError, StoreError, ExportError or PlanError, which cli.main prints as one line (exit 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable


def add_commands(sub: argparse._SubParsersAction) -> None:
    from .export import FORMATS

    sessions = _command(sub, "sessions", _sessions, "list recorded learning sessions (id, start, steps, "
                        "first question)")
    sessions.add_argument("--json", action="store_true", help="print one JSON array")
    export = _command(sub, "export", _export, "export a session as Markdown, JSON, GraphML or an Anki deck")
    export.add_argument("session", nargs="?", type=int, metavar="SESSION",
                        help="session id from `tutor sessions` (default: the latest session with steps)")
    export.add_argument("--format", "-f", choices=FORMATS, help="output format (default: from the file suffix: "
                        ".md, .json, .graphml, .apkg)")
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    plan = _command(sub, "plan", _plan, "a study plan: what to learn first to reach TARGET, in order")
    plan.add_argument("target", nargs="+", metavar="TARGET", help="term id, name or alias, e.g. 过拟合")
    plan.add_argument("--json", action="store_true", help="print one JSON object")


def _command(sub: argparse._SubParsersAction, name: str, run: Callable[[argparse.Namespace], int],
             help: str) -> argparse.ArgumentParser:
    cmd = sub.add_parser(name, help=help, description=help)
    cmd.set_defaults(run=run)
    return cmd


def _reading_store():  # -> Store | None; None when nothing was ever recorded
    """The store for reading; a damaged file is salvaged read-only, with a warning, rather than refused."""
    from .locations import database_path
    from .store import Store, StoreError

    if not database_path().exists():
        return None
    try:
        return Store.open()
    except StoreError as exc:
        if not exc.salvageable:
            raise
        print(f"tutor: warning: {exc}\ntutor: showing what could still be read", file=sys.stderr)
        return Store.open(read_only=True)


def _sessions(args: argparse.Namespace) -> int:
    store = _reading_store()
    found = [] if store is None else store.sessions()
    if store is not None:
        store.close()
    if args.json:
        print(json.dumps([s.to_json() for s in found], ensure_ascii=False))
        return 0
    if not found:
        print("no sessions yet: the app and `tutor chat` record one each time you use them")
        return 0
    print(f"{'id':>4}  {'started':<23} {'steps':>5}  first question")
    for s in found:
        started = s.started.replace("T", " ").replace("+00:00", " UTC") or "?"
        question = " ".join((s.first_question or s.title or "—").split())
        print(f"{s.id:>4}  {started:<23} {s.steps:>5}  {question[:70]}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from .cli import UsageError
    from .export import format_for, write_export
    from .graph import TermGraph
    from .locations import graph_path

    fmt = args.format or format_for(args.output)
    if fmt is None:
        raise UsageError(f"cannot tell the format from '{args.output}': add --format markdown|json|graphml|anki")
    store = _reading_store()
    if store is None:
        raise UsageError("no sessions to export yet: the app and `tutor chat` record them as you learn")
    try:
        sessions = {s.id: s for s in store.sessions()}
        session_id = args.session if args.session is not None else store.latest_session()
        if session_id is None:
            raise UsageError("no session has any steps yet: ask a question in the app or `tutor chat` first")
        if session_id not in sessions:
            raise UsageError(f"no session {session_id}: `tutor sessions` lists them")
        steps = store.steps(session_id)
    finally:
        store.close()
    info = sessions[session_id]
    title = info.title or f"学习路径 · Learning path #{session_id}"
    graph = TermGraph.load(graph_path(args.graph))
    written = write_export(graph, steps, fmt, args.output, force=args.force, title=title)
    terms = len({s.term_id for s in steps})
    print(f"{written}: session {session_id}, {len(steps)} steps, {terms} terms ({fmt})")
    return 0


def _plan(args: argparse.Namespace) -> int:
    from .graph import TermGraph
    from .locations import graph_path
    from .plan import study_plan
    from .store import StoreError

    graph = TermGraph.load(graph_path(args.graph))
    try:
        store = _reading_store()
        known = set() if store is None else store.known()
        if store is not None:
            store.close()
    except StoreError as exc:  # known terms only tick boxes: a plan is still worth showing
        print(f"tutor: warning: known terms unavailable: {exc}", file=sys.stderr)
        known = set()
    plan = study_plan(graph, " ".join(args.target), known)
    if args.json:
        print(json.dumps(plan.to_json(), ensure_ascii=False))
        return 0
    target = plan.target
    todo = len(plan.to_learn)
    print(f"Study plan for {target.name_zh} · {target.name_en}: {len(plan.steps)} steps, {todo} to learn")
    for number, step in enumerate(plan.steps, 1):
        box = "[x]" if step.known else "[ ]"
        note = "  (already known)" if step.known else ""
        mark = "  ← target" if step.term is target else ""
        print(f"{number:>3}. {box} {step.term.name_zh} · {step.term.name_en}  (level {step.level}){note}{mark}")
    if len(plan.steps) == 1:
        print(f"{target.name_en} has no prerequisites in the glossary: start right there")
    return 0
