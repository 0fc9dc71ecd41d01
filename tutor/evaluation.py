"""Scoring retrieval and answers on a question set (tests/data/eval_questions.jsonl).

For each category: top-1, top-3 and MRR of every component alone (alias, lexical, dense), of their fusion, and
of the final answer (intent, follow-ups and the confidence threshold included). Out-of-scope questions count as
right when the answer is flagged not confident; in-scope answers that are flagged count as misses.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from .conversation import Conversation
from .locations import PROJECT_ROOT
from .search import COMPONENTS

DEFAULT_QUESTIONS = PROJECT_ROOT / "tests" / "data" / "eval_questions.jsonl"
# Written later, by a writer who saw only the term names, to check that what works on the dev set generalises.
HELDOUT_QUESTIONS = PROJECT_ROOT / "tests" / "data" / "heldout_questions.jsonl"
SYSTEMS = (*COMPONENTS, "fusion", "answer")


def load_questions(path: str | Path | None = None) -> list[dict[str, Any]]:
    with open(path or DEFAULT_QUESTIONS, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _reciprocal_rank(ranked: list[str], expected: list[str]) -> float:
    return next((1 / (i + 1) for i, term_id in enumerate(ranked) if term_id in expected), 0.0)


def evaluate(tutor: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-category scores; see the module docstring for what each number means."""
    rr: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    flagged: dict[str, list[bool]] = defaultdict(list)
    misses: list[dict[str, Any]] = []
    for item in items:
        turns = item.get("turns") or [item]
        conversation = Conversation() if "turns" in item else None
        for turn in turns:
            category = item["category"]
            answer = tutor.ask(turn["question"], conversation)
            flagged[category].append(not answer.confident)
            if not turn["expected"]:
                continue
            ranked = [h.term.id for h in answer.results] if answer.confident else []
            rr[category]["answer"].append(_reciprocal_rank(ranked, turn["expected"]))
            if conversation is None:
                for component in COMPONENTS:
                    rr[category][component].append(
                        _reciprocal_rank(tutor.retriever.rank(turn["question"], component), turn["expected"]))
                hits = tutor.retriever.search(turn["question"]).hits
                rr[category]["fusion"].append(_reciprocal_rank([h.term.id for h in hits], turn["expected"]))
            if rr[category]["answer"][-1] != 1.0:
                misses.append({"question": turn["question"], "expected": turn["expected"],
                               "got": answer.term.id if answer.term else None, "confident": answer.confident})
    return _summarise(rr, flagged, misses)


def _summarise(rr: dict[str, dict[str, list[float]]], flagged: dict[str, list[bool]],
               misses: list[dict[str, Any]]) -> dict[str, Any]:
    def scores(values: list[float]) -> dict[str, float]:
        n = len(values) or 1
        return {"n": len(values), "top1": sum(v == 1.0 for v in values) / n,
                "top3": sum(v >= 1 / 3 for v in values) / n, "mrr": sum(values) / n}

    categories = {c: {s: scores(v[s]) for s in SYSTEMS if s in v} for c, v in sorted(rr.items())}
    pooled: dict[str, list[float]] = defaultdict(list)
    for by_system in rr.values():
        for system, values in by_system.items():
            pooled[system] += values
    in_scope = [f for c, v in flagged.items() if c != "out_of_scope" for f in v]
    out_scope = flagged.get("out_of_scope", [])
    return {
        "categories": categories,
        "all": {s: scores(pooled[s]) for s in SYSTEMS if s in pooled},
        "out_of_scope_flagged": sum(out_scope) / len(out_scope) if out_scope else None,
        "in_scope_not_confident": sum(in_scope) / len(in_scope) if in_scope else None,
        "misses": misses,
    }


def format_report(report: dict[str, Any], show_misses: int = 15) -> str:
    lines = [f"{'category':<15} {'system':<8} {'n':>4} {'top1':>6} {'top3':>6} {'mrr':>6}"]
    for category, systems in [*report["categories"].items(), ("ALL", report["all"])]:
        for system, s in systems.items():
            lines.append(f"{category:<15} {system:<8} {s['n']:>4} {s['top1']:>6.3f} {s['top3']:>6.3f} {s['mrr']:>6.3f}")
    if report["out_of_scope_flagged"] is not None:
        lines.append(f"out-of-scope flagged as not covered: {report['out_of_scope_flagged']:.3f}")
    if report["in_scope_not_confident"] is not None:
        lines.append(f"in-scope wrongly flagged not confident: {report['in_scope_not_confident']:.3f}")
    for miss in report["misses"][:show_misses]:
        lines.append(f"  miss: {miss['question']!r} expected {miss['expected']} got {miss['got']}"
                     f"{'' if miss['confident'] else ' (not confident)'}")
    return "\n".join(lines)
