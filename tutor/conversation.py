"""Follow-ups: which term a question is about, given the conversation so far.

"学习率太高会怎样" -> "那太低呢" stays on learning rate (too_low); "batch size 是什么" -> "和显存有什么关系" stays on
batch size and brings VRAM in as the other term; "那 CFG 呢" moves to CFG and keeps the facet asked before.

A follow-up may also move to a neighbour of the previous term: one it describes in words of its own ("局部重绘" ->
"那个模糊要调多大": mask blur), or the parameter that has the facet asked ("LoRA" -> "what if it's too strong": LoRA
weight). And a parameter the previous term inherits from its kind is answered the term's way ("Prodigy 是什么" ->
"学习率要怎么填": Prodigy's own how-to-set, which says 1.0).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .graph import Term, TermGraph
from .intent import Intent
from .search import Retrieval

_SHORT_FOLLOWUP_CHARS = 12
NEARBY_HITS = 3  # how deep a follow-up looks for a neighbour of the previous term


@dataclass
class Conversation:
    """What the learner is talking about.

    Attributes:
        focus: Id of the term of the last confident answer.
        facet: The facet that answer gave.
        turns: Number of questions answered so far.
        history: Ids of the terms answered, in order (what the conversation walked through).
    """

    focus: str | None = None
    facet: str | None = None
    turns: int = 0
    history: list[str] = field(default_factory=list)

    def remember(self, term_id: str | None, facet: str | None) -> None:
        self.focus, self.facet = term_id, facet
        self.turns += 1
        if term_id:
            self.history.append(term_id)


@dataclass(frozen=True)
class Focus:
    """The resolved subject of a question.

    Attributes:
        term: The term to answer about (None: retrieval found nothing).
        facet: The facet to answer with.
        other: A second term (comparison or relation).
        from_context: The term came from the conversation, not from this question's words.
    """

    term: Term | None
    facet: str
    other: Term | None = None
    from_context: bool = False


def resolve_focus(graph: TermGraph, question: str, found: Retrieval, intent: Intent,
                  conversation: Conversation | None, confident: bool = True) -> Focus:
    """The term (and facet, and second term) a question is about, given what was said before."""
    linked = list(dict.fromkeys(link.term_id for link in found.links if link.is_subject))
    previous = graph.terms.get(conversation.focus) if conversation and conversation.focus else None
    if previous and len(linked) == 1 and intent.facet in previous.facets and _inherits(graph, previous, linked[0]):
        return Focus(previous, intent.facet, from_context=True)  # "Prodigy 是什么" -> "学习率要怎么填"
    if previous and _leans_on_previous(question, found, intent, linked, confident):
        other = graph.terms[linked[0]] if linked and linked[0] != previous.id else None
        if intent.compare and other:
            return Focus(previous, "compare", other, from_context=True)
        wanted = intent.facet or "definition"
        term = _nearby(graph, previous, found) if intent.topical and not intent.refers else previous
        if wanted not in term.facets:
            term = _parameter_with(graph, term, wanted, found) or term
        return Focus(term, _facet(term, wanted), other, from_context=True)
    if not found.hits:
        return Focus(None, "definition")
    top = found.hits[0].term
    pair = _compared(graph, found) if intent.compare else None
    if pair and top in pair:  # "对比好几个 CFG 和步数组合的效果" is about the X/Y/Z plot, not CFG vs steps
        return Focus(pair[0], "compare", pair[1])
    if intent.followup and conversation and conversation.facet and not intent.facet:
        return Focus(top, _facet(top, conversation.facet))  # "那 CFG 呢": same question, new term
    return Focus(top, _facet(top, intent.facet or _best_facet(found, top)))


def _compared(graph: TermGraph, found: Retrieval) -> tuple[Term, Term] | None:
    """The two most specific terms the question names, in the order it names them."""
    by_specificity = sorted({link.term_id: link for link in found.links}.values(), key=lambda x: -x.specificity)
    if len(by_specificity) < 2:
        return None
    first, second = sorted(by_specificity[:2], key=lambda link: link.start)
    return graph.terms[first.term_id], graph.terms[second.term_id]


def _leans_on_previous(question: str, found: Retrieval, intent: Intent, linked: list[str], confident: bool) -> bool:
    """True when the question only makes sense about the previous term.

    A question that names no specific term leans on the previous one when it refers back ("它", "it"), continues
    ("那太低呢"), or is short and retrieval has no clear subject of its own. One that names a term still leans back
    when it points at the previous term ("它和显存有什么关系", "SDXL 也要调这个吗").
    """
    if not linked:
        short = len(question) <= _SHORT_FOLLOWUP_CHARS or len(question.split()) <= 8 and question.isascii()
        asks = intent.facet is not None or intent.compare
        return intent.followup or (short and (asks or not (found.agree and confident)))
    return len(linked) == 1 and (intent.refers or (intent.followup and (intent.relation or intent.compare)))


def _inherits(graph: TermGraph, term: Term, parameter_id: str) -> bool:
    """Whether a parameter belongs to what the term is a kind of (the learning rate is a parameter of optimizers, and
    Prodigy is one): asked right after the term, "how to set it" is answered by the term's own facet, which says how
    to set that parameter for it (Prodigy: 1.0), not by the parameter's general advice."""
    kinds = graph.kinds(term.id)
    return any(n.relation == "parameter_of" and n.direction == "out" and n.term.id in kinds
               for n in graph.neighbours(parameter_id))


def _nearby(graph: TermGraph, previous: Term, found: Retrieval) -> Term:
    """The term a follow-up with words of its own is about: the previous term if retrieval ranks it near the top,
    else the best-ranked of its neighbours there ("局部重绘" -> "那个模糊要调多大" is about mask blur), else still
    the previous term."""
    top = [hit.term for hit in found.hits[:NEARBY_HITS]]
    if previous in top:
        return previous
    near = {n.term.id for n in graph.neighbours(previous.id)}
    return next((term for term in top if term.id in near), previous)


def _parameter_with(graph: TermGraph, term: Term, facet: str, found: Retrieval) -> Term | None:
    """The parameter of a term that answers a facet the term itself lacks ("LoRA" -> "what if it's too strong" is
    about the LoRA weight): the best-ranked of its parameters that have the facet, or None."""
    candidates = {n.term.id for n in graph.neighbours(term.id)
                  if n.relation == "parameter_of" and n.direction == "in" and facet in n.term.facets}
    return next((hit.term for hit in found.hits if hit.term.id in candidates), None)


def _facet(term: Term, wanted: str) -> str:
    """The wanted facet if the term has it ("compare" is composed, not authored), else its definition."""
    return wanted if wanted == "compare" or wanted in term.facets else "definition"


def _best_facet(found: Retrieval, term: Term) -> str:
    """With no explicit intent, answer with the facet whose passage matched best (a symptom -> too_high)."""
    return found.facets.get(term.id, "definition")
