"""Validation of a glossary: every problem, with the node or edge it is in.

Errors make a glossary unusable or ambiguous (the tutor refuses to load it); warnings are quality rules of the
bundled glossary (degree, fallback relations) that `tutor graph check --strict` also enforces.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .graphml import RawGlossary
from .names import normalize_name
from .schema import (
    ASKED_FIELDS,
    CATEGORIES,
    FACETS,
    FALLBACK_RELATION,
    LANGS,
    MAX_FALLBACK_SHARE,
    POLARITIES,
    RELATIONS,
    REQUIRED_NODE_FIELDS,
    SYMMETRIC_RELATIONS,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FACET_FIELDS = {f"{facet}_{lang}" for facet in FACETS for lang in LANGS}
_KNOWN_NODE_FIELDS = set(REQUIRED_NODE_FIELDS) | _FACET_FIELDS | set(ASKED_FIELDS)
_KNOWN_EDGE_FIELDS = {"relation", "polarity", "note_zh", "note_en"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a glossary.

    Attributes:
        severity: "error" (refused) or "warning" (quality rule).
        where: "node <id>", "edge <a> -> <b>" or "graph".
        message: What is wrong, in words a glossary author can act on.
    """

    severity: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


def check_glossary(raw: RawGlossary) -> list[Problem]:
    """Every problem in the glossary, errors first, each kind in file order."""
    problems: list[Problem] = []
    for node_id, attrs in raw.nodes.items():
        problems += _check_node(node_id, attrs)
    problems += _check_edges(raw)
    problems += _check_aliases(raw)
    problems += _check_prerequisite_cycles(raw)
    problems += _check_shape(raw)
    return sorted(problems, key=lambda p: p.severity != "error")


def parse_aliases(value: object) -> list[str] | None:
    """A JSON-array field (aliases, asked_*) as a list of strings, or None when it is not one."""
    try:
        parsed = json.loads(value) if isinstance(value, str) else None
    except json.JSONDecodeError:
        return None
    if not isinstance(parsed, list) or not all(isinstance(a, str) for a in parsed):
        return None
    return parsed


def _check_node(node_id: str, attrs: dict[str, object]) -> list[Problem]:
    where = f"node {node_id}"
    out = [Problem("error", where, f"missing field '{name}'")
           for name in REQUIRED_NODE_FIELDS if str(attrs.get(name, "")).strip() == ""]
    if not SLUG.match(node_id):
        out.append(Problem("error", where, "id must be a lowercase ASCII slug like 'learning-rate'"))
    for name in ("aliases", *ASKED_FIELDS):
        if name in attrs and parse_aliases(attrs[name]) is None:
            out.append(Problem("error", where, f"{name} is not a JSON array of strings"))
    if attrs.get("category") and attrs["category"] not in CATEGORIES:
        out.append(Problem("error", where, f"unknown category '{attrs['category']}' "
                                           f"(one of: {', '.join(CATEGORIES)})"))
    if "level" in attrs and attrs["level"] not in (1, 2, 3):
        out.append(Problem("error", where, f"level must be the integer 1, 2 or 3, not {attrs['level']!r}"))
    for facet in FACETS:
        present = [lang for lang in LANGS if str(attrs.get(f"{facet}_{lang}", "")).strip()]
        if len(present) == 1:
            missing = next(lang for lang in LANGS if lang not in present)
            out.append(Problem("error", where, f"facet '{facet}' has {present[0]} text but no {missing} text"))
    for name in sorted(set(attrs) - _KNOWN_NODE_FIELDS):
        out.append(Problem("warning", where, f"unknown field '{name}' is ignored"))
    return out


def _check_edges(raw: RawGlossary) -> list[Problem]:
    out: list[Problem] = []
    seen: set[tuple[str, str, str]] = set()
    for source, target, attrs in raw.edges:
        where = f"edge {source} -> {target}"
        relation = str(attrs.get("relation", ""))
        for end in (source, target):
            if end not in raw.nodes:
                out.append(Problem("error", where, f"points to unknown term '{end}'"))
        if source == target:
            out.append(Problem("error", where, "an edge from a term to itself"))
        if relation not in RELATIONS:
            out.append(Problem("error", where, f"unknown relation '{relation}' "
                                               f"(one of: {', '.join(RELATIONS)})"))
        key = (min(source, target), max(source, target), relation) if relation in SYMMETRIC_RELATIONS \
            else (source, target, relation)
        if key in seen:
            out.append(Problem("error", where, f"duplicate '{relation}' edge"))
        seen.add(key)
        polarity = attrs.get("polarity")
        if polarity is not None and polarity not in POLARITIES:
            out.append(Problem("error", where, f"polarity must be one of {' '.join(POLARITIES)}"))
        if relation == "affects" and polarity is None:
            out.append(Problem("warning", where, "an 'affects' edge should say its polarity (+, - or ~)"))
        if bool(attrs.get("note_zh")) != bool(attrs.get("note_en")):
            out.append(Problem("warning", where, "note given in one language only"))
        for name in sorted(set(attrs) - _KNOWN_EDGE_FIELDS):
            out.append(Problem("warning", where, f"unknown field '{name}' is ignored"))
    return out


def _check_aliases(raw: RawGlossary) -> list[Problem]:
    """A name or alias that leads to two terms makes lookups ambiguous."""
    owners: dict[str, set[str]] = defaultdict(set)
    spelled: dict[str, str] = {}
    for node_id, attrs in raw.nodes.items():
        names = [str(attrs.get("name_en", "")), str(attrs.get("name_zh", "")), node_id]
        names += parse_aliases(attrs.get("aliases", "[]")) or []
        for name in names:
            key = normalize_name(name)
            if key:
                owners[key].add(node_id)
                spelled.setdefault(key, name)
    return [Problem("error", f"node {min(ids)}",
                    f"name/alias '{spelled[key]}' is also used by {', '.join(sorted(ids - {min(ids)}))}")
            for key, ids in owners.items() if len(ids) > 1]


def _check_prerequisite_cycles(raw: RawGlossary) -> list[Problem]:
    """Every cycle (up to 20) in prerequisite_of; the stdlib's topological sort answers the common case fast."""
    from graphlib import CycleError, TopologicalSorter

    needs: dict[str, set[str]] = {}
    for s, t, a in raw.edges:
        if a.get("relation") == "prerequisite_of":
            needs.setdefault(t, set()).add(s)
    try:
        TopologicalSorter(needs).prepare()
        return []
    except CycleError:
        pass
    import networkx as nx

    prereq = nx.DiGraph((s, t) for s, t, a in raw.edges if a.get("relation") == "prerequisite_of")
    out = []
    for cycle in nx.simple_cycles(prereq):
        path = " -> ".join([*cycle, cycle[0]])
        out.append(Problem("error", f"edge {cycle[0]} -> {cycle[1 % len(cycle)]}",
                           f"prerequisite_of forms a cycle: {path}"))
        if len(out) >= 20:  # a hostile file can hold exponentially many cycles
            break
    return out


def _check_shape(raw: RawGlossary) -> list[Problem]:
    if not raw.nodes:
        return [Problem("error", "graph", "the glossary has no terms")]
    degree: Counter[str] = Counter()
    for source, target, _ in raw.edges:
        degree[source] += 1
        degree[target] += 1
    out = [Problem("warning", f"node {n}", f"has {degree[n]} edge(s); every term needs at least 2")
           for n in raw.nodes if degree[n] < 2]
    average = 2 * len(raw.edges) / len(raw.nodes)
    if average < 3:
        out.append(Problem("warning", "graph", f"average degree is {average:.2f}; aim for at least 3"))
    fallback = sum(1 for _, _, a in raw.edges if a.get("relation") == FALLBACK_RELATION)
    if raw.edges and fallback / len(raw.edges) > MAX_FALLBACK_SHARE:
        out.append(Problem("warning", "graph", f"{fallback} of {len(raw.edges)} edges are '{FALLBACK_RELATION}' "
                                               f"(at most {MAX_FALLBACK_SHARE:.0%}); use a typed relation"))
    return out
