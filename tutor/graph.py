"""The glossary as a typed knowledge graph: terms, their relations, lookups and paths. No UI, no ML."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx

from .check import Problem, check_glossary, parse_aliases
from .graphml import RawGlossary, read_glossary
from .names import normalize_name
from .schema import ASKED_FIELDS, FACETS, RELATIONS, SYMMETRIC_RELATIONS

_RELATION_ORDER = {name: i for i, name in enumerate(
    ("prerequisite_of", "causes", "mitigates", "affects", "parameter_of", "contrasts_with", "is_a", "part_of",
     "used_in", "measured_by", "related_to"))}


class GlossaryError(Exception):
    """The glossary was refused; `problems` says why (every error found)."""

    def __init__(self, origin: str, problems: list[Problem]):
        self.origin = origin
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:10])
        more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
        super().__init__(f"{origin}: the glossary has {len(problems)} error(s):\n{shown}{more}")


@dataclass(frozen=True, eq=False)
class Term:
    """One glossary entry. Terms are unique per graph, so identity is equality.

    Attributes:
        id: Stable ASCII slug, e.g. "learning-rate".
        name_en: Usual English name.
        name_zh: Usual Chinese name.
        aliases: Every other name a learner may type (abbreviations, UI labels, slang).
        category: One of schema.CATEGORIES.
        level: 1 (day one) to 3 (advanced).
        texts: "<facet>_<lang>" -> authored text, only the facets this term has.
        asked: lang -> ways learners ask about the term without naming it (search only).
    """

    id: str
    name_en: str
    name_zh: str
    aliases: tuple[str, ...]
    category: str
    level: int
    texts: Mapping[str, str]
    asked: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def text(self, facet: str, lang: str) -> str | None:
        return self.texts.get(f"{facet}_{lang}")

    @property
    def facets(self) -> tuple[str, ...]:
        return tuple(f for f in FACETS if f"{f}_en" in self.texts)

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name_en, self.name_zh, *self.aliases)

    def brief(self) -> dict[str, Any]:
        """The identity of a term as scripts see it in JSON output and exports."""
        return {"id": self.id, "name_en": self.name_en, "name_zh": self.name_zh, "aliases": list(self.aliases)}


@dataclass(frozen=True)
class Neighbour:
    """A term linked to the focus term, seen from the focus term.

    Attributes:
        term: The other term.
        relation: Relation name (schema.RELATIONS).
        direction: "out" when the edge goes focus -> term, "in" when term -> focus.
        note_zh: Why the link exists, in Chinese ("" when the edge has no note).
        note_en: Why the link exists, in English.
        polarity: "+", "-" or "~" for 'affects' edges, else None.
    """

    term: Term
    relation: str
    direction: str
    note_zh: str = ""
    note_en: str = ""
    polarity: str | None = None

    def label(self, lang: str) -> str:
        return RELATIONS[self.relation].text(self.direction, lang)

    def note(self, lang: str) -> str:
        return self.note_zh if lang == "zh" else self.note_en


class TermGraph:
    """A validated glossary: terms by id, lookups by any name, typed neighbours and paths."""

    def __init__(self, raw: RawGlossary, origin: str = "<glossary>", content_hash: str = ""):
        errors = [p for p in check_glossary(raw) if p.severity == "error"]
        if errors:
            raise GlossaryError(origin, errors)
        self.origin = origin
        self.content_hash = content_hash
        self.terms: dict[str, Term] = {node_id: _term(node_id, attrs) for node_id, attrs in raw.nodes.items()}
        self.graph = nx.MultiDiGraph()
        self.graph.add_nodes_from(self.terms)
        for source, target, attrs in raw.edges:
            self.graph.add_edge(source, target, **attrs)
        self._by_name = {normalize_name(name): term.id for term in self.terms.values()
                         for name in (*term.all_names, term.id)}

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TermGraph:
        """Read, validate and index a GraphML glossary; raises GlossaryFileError or GlossaryError."""
        path = Path(path)
        raw = read_glossary(path)
        return cls(raw, str(path), hashlib.sha256(path.read_bytes()).hexdigest())

    def __len__(self) -> int:
        return len(self.terms)

    def find(self, name: str) -> Term | None:
        """The term with this id, name or alias (case-, width- and separator-insensitive)."""
        term_id = self._by_name.get(normalize_name(name))
        return self.terms[term_id] if term_id else None

    @property
    def name_index(self) -> Mapping[str, str]:
        """Normalised name/alias -> term id, for the alias linker."""
        return self._by_name

    def neighbours(self, term_id: str) -> list[Neighbour]:
        """Typed neighbours in both directions, most instructive relations first."""
        found = [self._neighbour(t, "out", d) for _, t, d in self.graph.out_edges(term_id, data=True)]
        found += [self._neighbour(s, "in", d) for s, _, d in self.graph.in_edges(term_id, data=True)]
        return sorted(found, key=lambda n: (_RELATION_ORDER.get(n.relation, 99), n.direction, n.term.id))

    def _neighbour(self, other: str, direction: str, data: dict[str, Any]) -> Neighbour:
        relation = data["relation"]
        return Neighbour(self.terms[other], relation, "out" if relation in SYMMETRIC_RELATIONS else direction,
                         data.get("note_zh", ""), data.get("note_en", ""), data.get("polarity"))

    @cached_property
    def _prerequisites(self) -> nx.DiGraph:
        edges = ((s, t) for s, t, r in self.graph.edges(data="relation") if r == "prerequisite_of")
        prereq = nx.DiGraph(edges)
        prereq.add_nodes_from(self.terms)
        return prereq

    def prerequisites(self, term_id: str) -> list[Term]:
        """All transitive prerequisites of a term, each after what it needs (basics first, level breaks ties)."""
        needed = nx.ancestors(self._prerequisites, term_id)
        order = nx.lexicographical_topological_sort(
            self._prerequisites.subgraph(needed), key=lambda n: (self.terms[n].level, n))
        return [self.terms[n] for n in order]

    def kinds(self, term_id: str) -> dict[str, int]:
        """What a term is a kind of, transitively, with the number of is_a steps (Euler a: ancestral sampler 1,
        sampler 2)."""
        found: dict[str, int] = {}
        frontier, depth = [term_id], 0
        while frontier:
            depth += 1
            frontier = [t for s in frontier for _, t, r in self.graph.out_edges(s, data="relation")
                        if r == "is_a" and t not in found and t != term_id]
            found.update((t, depth) for t in frontier if t not in found)
        return found

    def path(self, source: str, target: str) -> list[Term]:
        """The shortest chain of related terms between two terms (any relation, either direction)."""
        try:
            ids = nx.shortest_path(self.graph.to_undirected(as_view=True), source, target)
        except nx.NetworkXNoPath:
            return []
        return [self.terms[n] for n in ids]


def _term(node_id: str, attrs: dict[str, Any]) -> Term:
    texts = {k: str(v).strip() for k, v in attrs.items()
             if k.rsplit("_", 1)[0] in FACETS and k.endswith(("_zh", "_en")) and str(v).strip()}
    return Term(
        id=node_id,
        name_en=str(attrs["name_en"]).strip(),
        name_zh=str(attrs["name_zh"]).strip(),
        aliases=tuple(a.strip() for a in parse_aliases(attrs["aliases"]) or [] if a.strip()),
        category=str(attrs["category"]),
        level=int(attrs["level"]),
        texts=texts,
        asked={name[-2:]: tuple(parse_aliases(attrs[name]) or []) for name in ASKED_FIELDS if name in attrs},
    )


def glossary_stats(graph: TermGraph) -> dict[str, Any]:
    """Counts a reviewer wants: terms, edges per relation, facets filled, categories, levels."""
    from collections import Counter

    edges = Counter(r for _, _, r in graph.graph.edges(data="relation"))
    facets = Counter(f for t in graph.terms.values() for f in t.facets)
    n_terms, n_edges = len(graph.terms), graph.graph.number_of_edges()
    return {
        "terms": n_terms,
        "edges": n_edges,
        "average_degree": round(2 * n_edges / n_terms, 2) if n_terms else 0.0,
        "aliases": sum(len(t.aliases) for t in graph.terms.values()),
        "edges_by_relation": dict(sorted(edges.items(), key=lambda kv: -kv[1])),
        "facets_filled": {f: facets[f] for f in FACETS},
        "categories": dict(Counter(t.category for t in graph.terms.values()).most_common()),
        "levels": dict(sorted(Counter(t.level for t in graph.terms.values()).items())),
    }
