"""Hybrid retrieval: name/alias linking, BM25 and dense search, fused by weighted reciprocal-rank votes.

A name in the question is strong evidence, but not all names are equal: "训练" or "prompt" appear in half the
glossary and are usually context ("炼丹老是过拟合咋整" is about overfitting), while "Prodigy" or "重绘幅度" name
the subject. So each link is weighted by its specificity (the IDF of its rarest token in the passages), and a
question that asks for a name ("...是哪个参数管的", "what is it called") trusts links less.

Links also catch typos (edit distance for Latin names, same-sounding characters for Chinese ones), plurals, and
words of a neighbour's name next to a term; lexical and dense search run on the question with its typos corrected
and its setting ("in stable diffusion") dropped. After fusion, knob questions prefer terms that have the asked facet
and a kind named beside one of its instances gives way to the instance.

Each component alone is exposed too (`rank(question, component)`), so `tutor eval` can show what fusion buys.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .embedding import Embedder
from .graph import Term, TermGraph
from .homophones import HomophoneMatcher
from .index import SearchIndex
from .intent import Intent, detect_intent
from .lexical import STOPWORDS, fold
from .names import derived_names, normalize_name
from .schema import FACETS

COMPONENTS = ("alias", "lexical", "dense")
# Weighted reciprocal-rank fusion over passages (not terms). The constants were chosen on the dev question set
# with a coarse grid (alias 1-3, K 2-30, coverage 0.15-0.4), checked on both halves of it to avoid fitting noise.
WEIGHTS = {"alias": 3.0, "lexical": 1.0, "dense": 1.0}
RRF_K = 5
MAX_VOTES = 3  # per term and component, so that a term with many passages cannot win on volume alone
DEPTH = 40  # passages fetched per search component
NAMING_ALIAS_FACTOR = 0.3  # "what is it called": the names in such a question are context, not the answer
SUBJECT_COVERAGE = 0.4
# "给太少会怎样", "调哪个数": the question is about a knob, so a term without the asked facet (too_high/too_low) is
# rarely what was meant ("hires fix 的 denoising 给太低会怎样" asks about denoising strength, not denoising).
KNOB_FACETS = frozenset({"too_high", "too_low"})
MISSING_FACET_FACTOR = 0.5
# A word of a neighbour's name links it only if few passages use the word: "cosine" (60 of 11,846 passages) names
# the cosine schedule next to "lr scheduler", but "images" (469) or "model" (816) name nothing. Results are flat
# for cut-offs from 30 to 150 passages on both question sets.
RARE_WORD_SHARE = 0.01
_MEMBER_RELATIONS = frozenset({"is_a", "parameter_of", "part_of"})
# A name right after "in"/"for"/"在" is the setting of the question, not its subject ("conditioning in diffusion
# models", "信噪比在扩散模型里是什么"), and so is a name before "里的"/"中的" ("提示词里的 AND").
_CONTEXT_MARKERS = frozenset({"in", "for", "during", "inside", "within", "在"})
_SETTING_AFTER = ("里的", "中的", "里面")
CONTEXT_FACTOR = 0.3  # what a setting's vote (or a kind named beside its instance) is multiplied by

_UNITS = re.compile(r"[a-z0-9\u0370-\u03ff][a-z0-9+#\u0370-\u03ff]*|[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Link:
    """A name or alias found in the question: units [start, end) of the folded question.

    Attributes:
        term_id: The term named.
        start: First unit (Latin word or Han character) of the match.
        end: One past the last unit.
        exact: False for a typo-tolerant match.
        specificity: 0..1; low for names that appear all over the glossary ("训练", "prompt").
        coverage: 0..1, the share of the question's content words that the name fills.
        context: The name follows "in"/"for"/"在" or comes before "里的": it sets the scene rather than being asked
            about.
    """

    term_id: str
    start: int
    end: int
    exact: bool
    specificity: float = 1.0
    coverage: float = 1.0
    context: bool = False

    @property
    def is_subject(self) -> bool:
        """Whether the question is plausibly about this name (not just mentioning it in passing)."""
        return not self.context and max(self.specificity, self.coverage) >= 0.5


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
    facets: dict[str, str] = field(default_factory=dict)  # term id -> facet of its best answer passage
    kind: str | None = None  # what the named terms are all kinds of, when the question asks for that name


class Retriever:
    """Searches one glossary with one index and one embedder."""

    def __init__(self, graph: TermGraph, index: SearchIndex, embedder: Embedder):
        self.graph, self.index, self.embedder = graph, index, embedder
        self._names = _name_index(graph)
        self._max_units = max((len(_UNITS.findall(key)) for key in self._names), default=1)
        self._homophones = HomophoneMatcher(self._names)
        self._name_words = _rare_name_words(graph)
        self._fuzzy_blocks: dict[tuple[str, int], list[str]] = {}
        for key in self._names:
            if key.isascii() and len(key) >= 3:
                self._fuzzy_blocks.setdefault((key[0], len(key)), []).append(key)

    def link(self, question: str, around: str | None = None) -> list[Link]:
        """Names and aliases in the question, in question order; the longest wins where two overlap. `around` is the
        term the conversation is on: its neighbours may then be named by a word of their name alone."""
        units = _UNITS.findall(fold(question))
        found = self._exact_links(units) + self._fuzzy_links(units) + [
            Link(self._names[name], start, end, False) for name, start, end in self._homophones.matches(units)]
        found += self._neighbour_word_links(units, {link.term_id for link in found} | ({around} if around else set()))
        links = _longest_only(found)
        scene = {i for link in links if _is_context(link, units) for i in range(link.start, link.end)}
        # The share of the question a name fills is counted without the scene: in "what is the VAE for in stable
        # diffusion" the VAE is the whole question.
        content_chars = max(1, sum(len(u) for i, u in enumerate(units) if u not in STOPWORDS and i not in scene))
        return [self._weighed(link, units, content_chars) for link in links]

    def _exact_links(self, units: list[str]) -> list[Link]:
        found = []
        for start in range(len(units)):
            for end in range(min(len(units), start + self._max_units), start, -1):
                key = "".join(units[start:end])
                term_id = self._names.get(key) or _plural_of(key, self._names)
                if term_id and len(key) > 1 and not (end - start == 1 and key in STOPWORDS):
                    found.append(Link(term_id, start, end, True))
                    break
        return found

    def _fuzzy_links(self, units: list[str]) -> list[Link]:
        """Typos in Latin names ("learnign rate", "bacth size", "lycrois"): 1-3 consecutive Latin words, one of them
        unknown to the glossary, within a small optimal-string-alignment distance of a name (a swap counts once)."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        out = []
        for start in range(len(units)):
            for end in range(start + 1, min(len(units), start + 3) + 1):
                window = units[start:end]
                key = "".join(window)
                if not key.isascii() or key in self._names or len(key) < 3:
                    continue
                edges = (window[0], window[-1])
                if any(u in STOPWORDS or len(u) < 2 for u in edges) or all(self.index.bm25.df(u) for u in window):
                    continue  # only a window with an unknown word can hold a typo ("nan", "samples" are words)
                allowed = _typo_budget(key)
                match = process.extractOne(key, self._fuzzy_candidates(key, allowed), scorer=OSA.distance,
                                           score_cutoff=allowed)
                if match and (len(key) > 5 or sorted(key) == sorted(match[0])):  # short: only swapped letters
                    out.append(Link(self._names[match[0]], start, end, False))
        return out

    def _neighbour_word_links(self, units: list[str], anchors: set[str]) -> list[Link]:
        """Next to a term, a rare word of the name of one of its kinds, parameters or parts names that one: "lr
        scheduler 选 cosine 还是 constant", or after ControlNet, "那 starting step 是什么". Of two sharing the word,
        the one whose name it fills more wins (cosine: "Cosine schedule" over "Cosine with restarts")."""
        best: dict[str, tuple[float, str]] = {}
        for anchor in anchors:
            own = self._name_words.get(anchor, {})
            for neighbour in self.graph.neighbours(anchor):
                if neighbour.relation not in _MEMBER_RELATIONS or neighbour.direction != "in":
                    continue
                for word, fill in self._name_words.get(neighbour.term.id, {}).items():
                    if word not in own and fill > best.get(word, (0.0, ""))[0]:
                        best[word] = (fill, neighbour.term.id)
        return [Link(best[unit][1], i, i + 1, False) for i, unit in enumerate(units)
                if unit in best and self.index.bm25.df(unit) <= RARE_WORD_SHARE * self.index.bm25.n_docs]

    def _fuzzy_candidates(self, key: str, allowed: int) -> list[str]:
        """Names of about the same length that start with the key's first or second letter (a typo rarely
        changes both): a few hundred candidates instead of every name, even in a 100k-term glossary."""
        return [name for first in {key[0], key[1]} for size in range(len(key) - allowed, len(key) + allowed + 1)
                for name in self._fuzzy_blocks.get((first, size), ())]

    def _weighed(self, link: Link, units: list[str], content_chars: int) -> Link:
        matched = units[link.start:link.end]
        coverage = min(1.0, sum(len(u) for u in matched) / content_chars)
        return Link(link.term_id, link.start, link.end, link.exact, self._specificity(matched), coverage,
                    _is_context(link, units))

    def _specificity(self, matched: list[str]) -> float:
        """IDF of the rarest token of the words the question used, scaled to 0..1 (1: in no passage)."""
        n_docs = max(self.index.bm25.n_docs, 2)
        tokens = self.index.segmenter.tokens(_surface(matched))
        rarest = min((self.index.bm25.df(tok) for tok in tokens), default=0)
        return max(0.0, min(1.0, math.log(n_docs / (1 + rarest)) / math.log(n_docs)))

    def rank(self, question: str, component: str) -> list[str]:
        """Term ids ranked by one component alone."""
        if component == "alias":
            return _unique(link.term_id for link in sorted(self.link(question), key=lambda x: -x.specificity))
        results = self._dense(question) if component == "dense" else self.index.lexical(question, DEPTH)
        return self._terms(results, {})

    def _dense(self, question: str) -> list[tuple[int, float]]:
        vector = self.embedder.encode([question])[0]
        return self.index.dense(vector, DEPTH)

    def search(self, question: str, k: int = 10, intent: Intent | None = None, around: str | None = None) -> Retrieval:
        intent = intent or detect_intent(question)
        links = self.link(question, around)
        text = self._searched_text(question, links)
        dense = self._dense(text)
        lexical = self.index.lexical(text, DEPTH)
        fused: dict[str, float] = {}
        best: dict[str, int] = {}
        alias_weight = WEIGHTS["alias"] * (NAMING_ALIAS_FACTOR if intent.naming else 1.0)
        for rank, link in enumerate(links):  # in question order: "X 在 Y 里是什么" is about X
            subject = max(link.specificity, link.coverage)  # "what is LoRA": a common name, the whole question
            bonus = alias_weight * (0.5 + 0.5 * subject) * (1.0 if link.exact else 0.8) \
                * min(1.0, link.coverage / SUBJECT_COVERAGE) * (CONTEXT_FACTOR if link.context else 1.0)
            fused[link.term_id] = max(fused.get(link.term_id, 0.0), bonus / (RRF_K + rank + 1))
        kind = self._shared_kind(links) if intent.naming else None
        if kind:  # "Adam、Lion 这类叫什么": the answer is what they are both kinds of
            fused[kind] = fused.get(kind, 0.0) + WEIGHTS["alias"] / (RRF_K + 1)
        rankings = {"dense": self._terms(dense, best), "lexical": self._terms(lexical, best)}
        for component, results in (("dense", dense), ("lexical", lexical)):
            votes: dict[str, int] = {}
            for rank, (i, _) in enumerate(results):  # passages vote: a term matched several ways ranks higher
                term_id = self.index.passages[i].term_id
                votes[term_id] = votes.get(term_id, 0) + 1
                if votes[term_id] <= MAX_VOTES:
                    fused[term_id] = fused.get(term_id, 0.0) + WEIGHTS[component] / (RRF_K + rank + 1)
        self._reweigh(fused, links, kind, intent)
        ordered = sorted(fused, key=lambda t: -fused[t])[:k]
        hits = [self._hit(t, fused[t], best.get(t)) for t in ordered]
        return Retrieval(hits, links, dense[0][1] if dense else 0.0, _second_term_score(dense, self.index),
                         lexical[0][1] if lexical else 0.0,
                         bool(rankings["dense"] and rankings["lexical"]
                              and rankings["dense"][0] == rankings["lexical"][0]),
                         self._answer_facets(dense + lexical), kind)

    def _reweigh(self, fused: dict[str, float], links: list[Link], kind: str | None, intent: Intent) -> None:
        """Fused scores, corrected for what the question's wording says about its subject."""
        named = {x.term_id for x in links}
        for term_id in {k for t in named for k in self.graph.kinds(t)} & (named - {kind}):
            fused[term_id] *= CONTEXT_FACTOR  # "optimizer 用 prodigy": the kind sets the scene, the instance is asked
        for term_id in {x.term_id for x in links if x.context} - {x.term_id for x in links if not x.context}:
            fused[term_id] *= CONTEXT_FACTOR  # "a sampler in stable diffusion" is about the sampler
        wanted = _knob_facets(intent)
        for term_id in fused if wanted else ():
            if wanted.isdisjoint(self.graph.terms[term_id].facets):
                fused[term_id] *= MISSING_FACET_FACTOR

    def _shared_kind(self, links: list[Link]) -> str | None:
        """The nearest term that two or more named terms are kinds of (Adam, Lion -> optimizer), if any."""
        named = list(dict.fromkeys(link.term_id for link in links))
        if len(named) < 2:
            return None
        kinds = [self.graph.kinds(t) for t in named]
        shared = set.intersection(*(set(k) for k in kinds))
        return min(shared, key=lambda t: (sum(k[t] for k in kinds), t), default=None)

    def _searched_text(self, question: str, links: list[Link]) -> str:
        """What the lexical and dense searches see: the question with its typos replaced by the names meant
        ("欠拟和怎么办" -> "欠拟合怎么办") and its context names dropped ("what's a sampler in stable diffusion" must
        not match every passage about Stable Diffusion); the question itself when it has neither."""
        edits = [link for link in links if not link.exact or link.context]
        if not edits:
            return question
        units = _UNITS.findall(fold(question))
        for link in reversed(edits):
            term = self.graph.terms[link.term_id]
            name = term.name_zh if _HAN_UNIT.match(units[link.start]) else term.name_en
            units[link.start:link.end] = [] if link.context else [name]
        return _surface(units) or question

    def _answer_facets(self, results: list[tuple[int, float]]) -> dict[str, str]:
        """For each term, the facet of its best-ranked passage that is answer text (not names or phrasings)."""
        facets: dict[str, str] = {}
        for i, _ in results:
            passage = self.index.passages[i]
            if passage.facet in FACETS:
                facets.setdefault(passage.term_id, passage.facet)
        return facets

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


def _name_index(graph: TermGraph) -> dict[str, str]:
    """Every name and alias, plus the parts of names like "低秩适应（LoRA）" or "ESRGAN / Real-ESRGAN" that no
    other term claims."""
    names = dict(graph.name_index)
    for term in graph.terms.values():
        for name in (term.name_en, term.name_zh):
            for part in derived_names(name):
                names.setdefault(normalize_name(part), term.id)
    return names


def _rare_name_words(graph: TermGraph, min_letters: int = 5, max_terms: int = 3) -> dict[str, dict[str, float]]:
    """For each term, the Latin words of its names that few terms' names use, each with the largest share of a name
    it fills ("cosine" fills 6/15 of "cosine schedule")."""
    words: dict[str, dict[str, float]] = {}
    for term in graph.terms.values():
        for name in term.all_names:
            folded = fold(name)
            for word in re.findall(r"[a-z]+", folded):
                if len(word) >= min_letters and word not in STOPWORDS:
                    fill = len(word) / len(folded)
                    words.setdefault(term.id, {})[word] = max(fill, words.get(term.id, {}).get(word, 0.0))
    users: dict[str, int] = {}
    for term_words in words.values():
        for word in term_words:
            users[word] = users.get(word, 0) + 1
    return {t: {w: f for w, f in ws.items() if users[w] <= max_terms} for t, ws in words.items()}


def _is_context(link: Link, units: list[str]) -> bool:
    """A name after "in"/"在" ("in stable diffusion", "在扩散模型里") or before "里的" ("提示词里的 AND")."""
    before = units[max(0, link.start - 2):link.start]
    after = "".join(units[link.end:link.end + 2])
    return bool(_CONTEXT_MARKERS & set(before)) or (after in _SETTING_AFTER and link.end + 2 < len(units))


def _plural_of(key: str, names: dict[str, str]) -> str | None:
    """The term a Latin plural names ("samplers", "embeddings", "sampling methods"), if its singular is a name."""
    if len(key) > 3 and key.endswith("s") and key.isascii():
        return names.get(key[:-1])
    return None


def _surface(units: list[str]) -> str:
    """Units back to text: Latin words spaced, Han characters joined ("lora 权重")."""
    return "".join(u if _HAN_UNIT.match(u) else f" {u} " for u in units).strip()


_HAN_UNIT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _knob_facets(intent: Intent) -> frozenset[str]:
    """The facets a knob question needs its term to have (none when it is not about a knob)."""
    if intent.facet in KNOB_FACETS:
        return frozenset({intent.facet})
    return KNOB_FACETS if intent.knob else frozenset()


def _typo_budget(key: str) -> int:
    return 1 if len(key) < 8 else 2


def _second_term_score(dense: list[tuple[int, float]], index: SearchIndex) -> float:
    """Dense score of the best passage of the second-best term (the margin says how sure dense is)."""
    if not dense:
        return 0.0
    first = index.passages[dense[0][0]].term_id
    return next((s for i, s in dense if index.passages[i].term_id != first), 0.0)


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _longest_only(links: list[Link]) -> list[Link]:
    """Drop links inside a longer link (exact beats typo at equal length); keep question order."""
    def beats(b: Link, a: Link) -> bool:
        longer = (b.end - b.start) > (a.end - a.start)
        return b is not a and b.start <= a.start and a.end <= b.end and (longer or (b.exact and not a.exact))

    keep = [a for a in links if not any(beats(b, a) for b in links)]
    return sorted(keep, key=lambda link: link.start)
