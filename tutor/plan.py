"""Study plans: what to learn, in which order, to reach a term ("I want to understand LoRA: what comes first?").

A plan is every transitive prerequisite of the target (prerequisite_of edges) with each term after the terms it
needs, then the target itself. Terms the learner marked as known stay in the plan, ticked, so the checklist
still shows the whole way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .graph import Term, TermGraph


class PlanError(Exception):
    """The target is not a term of the glossary; the message suggests close names."""


@dataclass(frozen=True)
class PlanStep:
    """One term to learn.

    Attributes:
        term: The term.
        level: Its difficulty in the glossary, 1 (day one) to 3 (advanced).
        known: True when the learner already marked it as known (shown ticked, nothing to do).
    """

    term: Term
    level: int
    known: bool

    def to_json(self) -> dict[str, Any]:
        return {"term": self.term.brief(), "level": self.level, "known": self.known}


@dataclass(frozen=True)
class Plan:
    """The way to a target term; steps are in study order and the target is the last one."""

    target: Term
    steps: list[PlanStep]

    @property
    def to_learn(self) -> list[PlanStep]:
        return [s for s in self.steps if not s.known]

    def to_json(self) -> dict[str, Any]:
        """The contract of `tutor plan --json`."""
        return {"target": self.target.brief(), "steps": [s.to_json() for s in self.steps]}


def study_plan(graph: TermGraph, target: str, known: set[str] | frozenset[str] = frozenset()) -> Plan:
    """Plan the way to `target` (an id, name or alias); raise PlanError when no term goes by that name."""
    term = graph.find(target) if target.strip() else None
    if term is None:
        raise PlanError(_not_found(graph, target))
    order = [*graph.prerequisites(term.id), term]
    return Plan(term, [PlanStep(t, t.level, t.id in known) for t in order])


def _not_found(graph: TermGraph, target: str) -> str:
    import difflib

    from .names import normalize_name

    if not target.strip():
        return "no target given: name the term to reach, e.g. tutor plan LoRA"
    names = {normalize_name(name): term for term in graph.terms.values() for name in term.all_names}
    close = difflib.get_close_matches(normalize_name(target), list(names), n=8, cutoff=0.6)
    suggestions = list(dict.fromkeys(f"{names[n].name_en} ({names[n].name_zh})" for n in close))[:3]
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else \
        "; try `tutor ask` to search the glossary for it"
    return f"no term called '{target.strip()}' in the glossary{hint}"
