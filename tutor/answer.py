"""Question -> Answer: retrieval, intent and conversation turned into the reply a patient expert would give.

`ask()` is the one function behind `tutor ask`, `tutor chat` and the app.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .compose import compose_answer, compose_not_covered
from .conversation import Conversation, resolve_focus
from .graph import Neighbour, Term, TermGraph
from .intent import detect_intent, question_lang
from .lexical import MAX_QUERY_CHARS
from .search import Hit, Retrieval, Retriever

# Calibrated on tests/data/eval_questions.jsonl (see `tutor eval`): below this the answer says it is not covered.
CONFIDENCE_THRESHOLD = 0.5


class EmptyQuestion(ValueError):
    """The question has nothing to search for."""


@dataclass(frozen=True)
class Answer:
    """The reply to one question.

    Attributes:
        question: The question as asked.
        lang: "zh" or "en": the language the answer is written in.
        confident: False when the glossary does not cover the question; text then says so.
        confidence: 0..1, calibrated so that 0.5 separates covered from not covered.
        term: The focus term (None when not confident).
        facet: The facet answered ("too_high", "definition", "compare", ...), None when not confident.
        text: The answer, as Markdown.
        results: Ranked terms with their best passage.
        related: Typed neighbours of the focus term.
        other: The second term of a comparison or relation question.
    """

    question: str
    lang: str
    confident: bool
    confidence: float
    term: Term | None
    facet: str | None
    text: str
    results: list[Hit] = field(default_factory=list)
    related: list[Neighbour] = field(default_factory=list)
    other: Term | None = None

    def to_json(self) -> dict[str, Any]:
        """The stable JSON contract of `tutor ask --json` (documented in the README)."""
        return {
            "question": self.question,
            "lang": self.lang,
            "confident": self.confident,
            "confidence": round(self.confidence, 3),
            "term": self.term.brief() if self.term else None,
            "facet": self.facet,
            "answer": self.text,
            "results": [{"term": h.term.brief(), "facet": h.facet, "score": round(h.score, 4),
                         "passage": h.passage} for h in self.results],
            "related": [{"relation": n.relation, "direction": n.direction, "label": n.label(self.lang),
                         "note": n.note(self.lang), "term": n.term.brief()} for n in self.related],
            "other": self.other.brief() if self.other else None,
        }


def ask(retriever: Retriever, question: str, conversation: Conversation | None = None) -> Answer:
    """Answer one question; with a conversation, follow-ups resolve against its focus term and it moves on."""
    text = clean_question(question)
    lang = question_lang(text)
    intent = detect_intent(text)
    found = retriever.search(text, intent=intent, around=conversation.focus if conversation else None)
    confidence = score_confidence(found)
    focus = resolve_focus(retriever.graph, text, found, intent, conversation, confidence >= CONFIDENCE_THRESHOLD)
    if focus.from_context:
        confidence = 0.99
    if confidence < CONFIDENCE_THRESHOLD or focus.term is None:
        return Answer(question, lang, False, confidence, None, None,
                      compose_not_covered(found.hits[:3], lang), found.hits)
    graph: TermGraph = retriever.graph
    text_md = compose_answer(graph, focus.term, focus.facet, lang, focus.other)
    answer = Answer(question, lang, True, confidence, focus.term, focus.facet, text_md,
                    _ranked(found, focus.term, focus.facet), graph.neighbours(focus.term.id), focus.other)
    if conversation is not None:
        conversation.remember(answer.term.id if answer.term else None, focus.facet)
    return answer


def explain_term(graph: TermGraph, term: Term, lang: str) -> Answer:
    """A term's page, as shown when the learner follows a related term (no question asked)."""
    return Answer(term.name(lang), lang, True, 1.0, term, "definition",
                  compose_answer(graph, term, "definition", lang, None), [], graph.neighbours(term.id))


def clean_question(question: str) -> str:
    """Strip, drop control characters, cut to a sane length; raise EmptyQuestion if nothing is left."""
    text = "".join(c if c.isprintable() else " " for c in question[:MAX_QUERY_CHARS]).strip()
    if not any(c.isalnum() for c in text):
        raise EmptyQuestion("the question is empty: type what you want to know, e.g. 学习率太高会怎样")
    return text


def score_confidence(found: Retrieval) -> float:
    """How sure retrieval is that the top term answers the question (0..1; 0.5 is the threshold).

    A name or alias of the top term in the question settles it, as does naming kinds of it ("Adam、Lion 这类叫什么"
    -> optimizer). Otherwise a logistic over the dense similarity of the best passage, the BM25 score (log) and
    whether BM25 and dense agree on the top term, fitted with class
    balancing on the dev set's in-scope vs out-of-scope questions (2-fold: 100% of out-of-scope flagged, 1.2% of
    in-scope wrongly flagged; `tutor eval` prints the rates on the whole set). Refit it after large changes to the
    glossary's passages: more passages raise the best similarity an unrelated question can reach.
    """
    if not found.hits:
        return 0.0
    top = found.hits[0].term.id
    if any(link.term_id == top and link.exact for link in found.links):
        return 0.97
    if top == found.kind or any(link.term_id == top for link in found.links):
        return 0.85
    z = 19.2 * found.dense_top + 2.58 * math.log1p(found.lexical_top) + 0.3 * found.agree - 17.38
    return 1 / (1 + math.exp(-z))


def _ranked(found: Retrieval, focus: Term, facet: str) -> list[Hit]:
    """The focus term first (a follow-up may resolve to a term retrieval ranked lower or not at all)."""
    first = [h for h in found.hits if h.term is focus]
    if not first:
        text = focus.text(facet, "zh") or focus.text("definition", "zh") or ""
        first = [Hit(focus, found.hits[0].score if found.hits else 1.0, facet, text)]
    return first + [h for h in found.hits if h.term is not focus]
