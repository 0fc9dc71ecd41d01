"""Writing the answer text (Markdown) from the authored facets: the asked facet first, then the definition."""

from __future__ import annotations

from .graph import Term, TermGraph
from .schema import FACET_TITLES
from .search import Hit

_NOT_COVERED = {
    "zh": "词库里没有能回答这个问题的词条，我不想乱猜。",
    "en": "The glossary does not cover this question, and I would rather not guess.",
}
_NEAREST = {"zh": "最接近的词条：", "en": "Nearest terms: "}


def title(term: Term, lang: str) -> str:
    first, second = (term.name_zh, term.name_en) if lang == "zh" else (term.name_en, term.name_zh)
    return f"{first} · {second}" if first != second else first


def compose_answer(graph: TermGraph, term: Term, facet: str, lang: str, other: Term | None) -> str:
    parts = [f"## {title(term, lang)}"]
    if facet == "compare" and other is not None:
        parts += _comparison(graph, term, other, lang)
    else:
        parts.append(_section(term, facet, lang))
        if other is not None:
            parts.append(_link_between(graph, term, other, lang))
        if facet != "definition":
            parts.append(_section(term, "definition", lang))
    return "\n\n".join(p for p in parts if p)


def _sep(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _section(term: Term, facet: str, lang: str) -> str:
    text = term.text(facet, lang)
    if not text:
        return ""
    return f"**{FACET_TITLES[facet][0 if lang == 'zh' else 1]}**{_sep(lang)}{text}"


def _comparison(graph: TermGraph, a: Term, b: Term, lang: str) -> list[str]:
    return [f"**{a.name(lang)}**{_sep(lang)}{a.text('definition', lang)}",
            f"**{b.name(lang)}**{_sep(lang)}{b.text('definition', lang)}",
            _link_between(graph, a, b, lang)]


def _link_between(graph: TermGraph, a: Term, b: Term, lang: str) -> str:
    """How two terms connect: the direct edge and its note, else the shortest chain through the glossary."""
    heading = f"**{'两者的关系' if lang == 'zh' else 'How they connect'}**{_sep(lang)}"
    for neighbour in graph.neighbours(a.id):
        if neighbour.term is b:
            note = neighbour.note(lang)
            note = (f"（{note}）" if lang == "zh" else f" ({note})") if note else ""
            return f"{heading}{a.name(lang)} —{neighbour.label(lang)}→ {b.name(lang)}{note}"
    chain = graph.path(a.id, b.id)
    return heading + " → ".join(t.name(lang) for t in chain) if len(chain) > 2 else ""


def compose_not_covered(nearest: list[Hit], lang: str) -> str:
    names = ("、" if lang == "zh" else ", ").join(hit.term.name(lang) for hit in nearest)
    return _NOT_COVERED[lang] + (f"\n\n{_NEAREST[lang]}{names}" if names else "")

