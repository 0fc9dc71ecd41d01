"""Hybrid retrieval: name/alias linking, BM25 and dense search, each ranking terms, fused by weighted RRF.

Each component alone is exposed too (`rank(question, component)`), so `tutor eval` can show what fusion buys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .embedding import Embedder
from .graph import Term, TermGraph
from .index import SearchIndex
from .lexical import _STOP, fold

COMPONENTS = ("alias", "lexical", "dense")
# Reciprocal-rank fusion: a linked name is near-certain, the two searches vote on the rest.
WEIGHTS = {"alias": 2.0, "lexical": 1.0, "dense": 1.0}
RRF_K = 5
DEPTH = 40  # passages fetched per search component

_UNITS = re.compile(r"[a-z0-9\u0370-\u03ff][a-z0-9+#\u0370-\u03ff]*|[\u3400-\u9fff\uf900-\ufaff]")
_FUZZY_MIN_CHARS = 6
_FUZZY_MIN_SCORE = 90


@dataclass(frozen=True)
class Link:
    """A name or alias found in the question: units [start, end) of the folded question."""

    term_id: str
    start: int
    end: int
    exact: bool


@dataclass(frozen=True)
class Hit:
    """A ranked term with the passage that matched it best.

    Attributes:
        term: The term.
        score: Fused score (higher is better; comparable within one question only).
        facet: Facet of the best passage ("names" when only its names matched).
        passage: Text of the best passage.
    """

    term: Term
    score: float
    facet: str
    passage: str


@dataclass(frozen=True)
class Retrieval:
    """Everything one search found, with the raw signals that confidence is computed from."""

    hits: list[Hit]
    links: list[Link]
    dense_top: float
    dense_second: float
    lexical_top: float
    agree: bool


class Retriever:
    """Searches one glossary with one index and one embedder."""

    def __init__(self, graph: TermGraph, index: SearchIndex, embedder: Embedder):
        self.graph, self.index, self.embedder = graph, index, embedder
        names = graph.name_index
        self._names = names
        self._max_units = max((len(_UNITS.findall(key)) for key in names), default=1)
        self._latin_keys = [k for k in names if k.isascii() and len(k) >= _FUZZY_MIN_CHARS]

    def link(self, question: str) -> list[Link]:
        """Names and aliases in the question; the longest wins where two overlap (U-Net 学习率 over 学习率)."""
        units = _UNITS.findall(fold(question))
        found: list[Link] = []
        for start in range(len(units)):
            for end in range(min(len(units), start + self._max_units), start, -1):
                key = "".join(units[start:end])
                term_id = self._names.get(key)
                if term_id and len(key) > 1 and not (end - start == 1 and key in _STOP):
                    found.append(Link(term_id, start, end, True))
                    break
        found += self._fuzzy_links(units, found)
        return _longest_only(found)

    def _fuzzy_links(self, units: list[str], exact: list[Link]) -> list[Link]:
        """Typos in Latin names ("learnign rate"): close matches of 1-3 consecutive Latin words."""
        from rapidfuzz import fuzz, process

        covered = {i for link in exact for i in range(link.start, link.end)}
        out = []
        for start in range(len(units)):
            for end in range(start + 1, min(len(units), start + 3) + 1):
                window = units[start:end]
                key = "".join(window)
                if (covered & set(range(start, end)) or not key.isascii() or len(key) < _FUZZY_MIN_CHARS
                        or any(len(u) < 2 for u in window)):
                    continue
                match = process.extractOne(key, self._latin_keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN_SCORE)
                if match:
                    out.append(Link(self._names[match[0]], start, end, False))
        return out

    def rank(self, question: str, component: str) -> list[str]:
        """Term ids ranked by one component alone."""
        if component == "alias":
            return _unique(link.term_id for link in self.link(question))
        results = self._dense(question) if component == "dense" else self.index.lexical(question, DEPTH)
        return _unique(self.index.passages[i].term_id for i, _ in results)

    def _dense(self, question: str) -> list[tuple[int, float]]:
        vector = self.embedder.encode([question])[0]
        return self.index.dense(vector, DEPTH)

    def search(self, question: str, k: int = 10) -> Retrieval:
        links = self.link(question)
        dense = self._dense(question)
        lexical = self.index.lexical(question, DEPTH)
        fused: dict[str, float] = {}
        best: dict[str, int] = {}
        rankings = {"alias": _unique(link.term_id for link in links),
                    "dense": self._terms(dense, best), "lexical": self._terms(lexical, best)}
        for component, ranked in rankings.items():
            for rank, term_id in enumerate(ranked):
                fused[term_id] = fused.get(term_id, 0.0) + WEIGHTS[component] / (RRF_K + rank + 1)
        ordered = sorted(fused, key=lambda t: -fused[t])[:k]
        hits = [self._hit(t, fused[t], best.get(t)) for t in ordered]
        return Retrieval(hits, links, dense[0][1] if dense else 0.0, _second_term_score(dense, self.index),
                         lexical[0][1] if lexical else 0.0,
                         bool(rankings["dense"] and rankings["lexical"]
                              and rankings["dense"][0] == rankings["lexical"][0]))

    def _terms(self, results: list[tuple[int, float]], best: dict[str, int]) -> list[str]:
        """Term ids in rank order; remembers each term's best passage (first seen across components)."""
        for i, _ in results:
            best.setdefault(self.index.passages[i].term_id, i)
        return _unique(self.index.passages[i].term_id for i, _ in results)

    def _hit(self, term_id: str, score: float, passage: int | None) -> Hit:
        term = self.graph.terms[term_id]
        if passage is None:
            return Hit(term, score, "definition", term.text("definition", "en") or "")
        found = self.index.passages[passage]
        return Hit(term, score, found.facet, found.text)


def _second_term_score(dense: list[tuple[int, float]], index: SearchIndex) -> float:
    """Dense score of the best passage of the second-best term (the margin says how sure dense is)."""
    if not dense:
        return 0.0
    first = index.passages[dense[0][0]].term_id
    return next((s for i, s in dense if index.passages[i].term_id != first), 0.0)


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _longest_only(links: list[Link]) -> list[Link]:
    """Drop links inside a longer link; keep the rest in the order the question names them."""
    keep = [a for a in links if not any(b is not a and b.start <= a.start and a.end <= b.end
                                        and (b.end - b.start) > (a.end - a.start) for b in links)]
    return sorted(keep, key=lambda link: link.start)
