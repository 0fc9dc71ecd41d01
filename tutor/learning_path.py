"""A learner's walk through the glossary: the steps taken, and browser-like back/forward over them.

A `Step` is what the store records and the exports render; a `LearningPath` is the in-memory history the app
navigates. The store keeps every visit (it is a log); the path forgets forward history on a new visit, exactly
like a browser, because that is what "back" means to people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .schema import RELATIONS

# Ways of reaching a term that are not following a relation.
QUESTION, JUMP, PLAN, SEARCH = "question", "jump", "plan", "search"
ARRIVALS = (QUESTION, JUMP, PLAN, SEARCH)
DIRECTIONS = ("out", "in")


def utc_now() -> str:
    """The current time as ISO-8601 UTC to the second, e.g. "2025-05-01T09:30:00+00:00" (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Step:
    """One term the learner reached, and how.

    Attributes:
        term_id: The term reached.
        via: "question", "jump", "plan", "search", or the relation followed (a key of schema.RELATIONS).
        question: The question asked (via "question"), else usually None.
        from_term: The term the learner came from when following a relation.
        direction: Side of the relation seen from from_term: "out" when the glossary edge is
            from_term -> term_id, "in" when it is term_id -> from_term; None when unknown (read as "out").
        at: When, as ISO-8601 UTC.
    """

    term_id: str
    via: str
    question: str | None = None
    from_term: str | None = None
    direction: str | None = None
    at: str = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if not self.term_id:
            raise ValueError("a step needs a term id")
        if self.via not in ARRIVALS and self.via not in RELATIONS:
            raise ValueError(f"unknown way of reaching a term: {self.via!r}")
        if self.direction not in (None, *DIRECTIONS):
            raise ValueError(f"direction must be 'out', 'in' or None, not {self.direction!r}")

    @classmethod
    def asked(cls, term_id: str, question: str) -> Step:
        """The learner asked a question and the answer was about this term."""
        return cls(term_id, QUESTION, question=question)

    @classmethod
    def followed(cls, term_id: str, relation: str, from_term: str, direction: str = "out") -> Step:
        """The learner followed a typed relation from another term's page."""
        return cls(term_id, relation, from_term=from_term, direction=direction)

    @property
    def is_relation(self) -> bool:
        return self.via in RELATIONS


class LearningPath:
    """Browser-style history over steps: visit, back, forward, jump.

    Attributes:
        steps: The history, oldest first (forward entries included until the next visit drops them).
        position: Index of the current step, -1 while empty.
    """

    def __init__(self, steps: Iterable[Step] = ()):
        self.steps: list[Step] = list(steps)
        self.position = len(self.steps) - 1

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def current(self) -> Step | None:
        return self.steps[self.position] if self.steps else None

    @property
    def can_back(self) -> bool:
        return self.position > 0

    @property
    def can_forward(self) -> bool:
        return self.position < len(self.steps) - 1

    def visit(self, step: Step) -> Step:
        """Go to a new step; any forward history is dropped, like a browser after following a link."""
        del self.steps[self.position + 1:]
        self.steps.append(step)
        self.position = len(self.steps) - 1
        return step

    def back(self) -> Step | None:
        """Move one step back; stays put (and returns the current step) at the start."""
        if self.can_back:
            self.position -= 1
        return self.current

    def forward(self) -> Step | None:
        """Move one step forward; stays put at the newest step."""
        if self.can_forward:
            self.position += 1
        return self.current

    def jump(self, index: int) -> Step:
        """Go to any step in the history (negative indexes count from the end); history is kept."""
        if not -len(self.steps) <= index < len(self.steps):
            raise IndexError(f"no step {index} in a path of {len(self.steps)}")
        self.position = index % len(self.steps)
        return self.steps[self.position]
