"""Safe reading and deterministic writing of glossary GraphML.

A glossary file may come from anyone, so it is parsed with defusedxml: a DTD (the vehicle of entity bombs and
external entities) is refused before anything is expanded, and sizes are capped. Writing is ours, so it is
deterministic and diff-friendly: nodes sorted by id, fields in schema order, edges sorted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .schema import ASKED_FIELDS, FACETS, LANGS, REQUIRED_NODE_FIELDS

NS = "http://graphml.graphdrawing.org/xmlns"
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_VALUE_CHARS = 20_000

NODE_FIELD_ORDER = REQUIRED_NODE_FIELDS + tuple(
    f"{facet}_{lang}" for facet in FACETS if facet != "definition" for lang in LANGS
) + ASKED_FIELDS
EDGE_FIELD_ORDER = ("relation", "polarity", "note_zh", "note_en")
_TYPES = {"int": int, "long": int, "double": float, "float": float, "boolean": lambda s: s.lower() == "true"}


class GlossaryFileError(Exception):
    """The file cannot be read as GraphML at all (missing, too big, not XML, hostile)."""


@dataclass
class RawGlossary:
    """GraphML content before validation: what the file says, nothing assumed.

    Attributes:
        nodes: Node id -> attribute dict, in file order.
        edges: (source, target, attributes) triples, in file order.
    """

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def read_glossary(path: str | os.PathLike[str]) -> RawGlossary:
    """Parse a GraphML file safely; raise GlossaryFileError with a readable reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise GlossaryFileError(f"{path}: {size} bytes is larger than the {MAX_FILE_BYTES} byte limit")
        with open(path, "rb") as handle:
            return _stream(handle, str(path))
    except OSError as exc:
        raise GlossaryFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def parse_glossary(data: bytes, origin: str = "<glossary>") -> RawGlossary:
    """Parse GraphML bytes; DTDs, entities and external references are refused, never expanded."""
    import io

    return _stream(io.BytesIO(data), origin)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _stream(source: Any, origin: str) -> RawGlossary:
    """Read nodes and edges as they stream past, freeing each element once read: a 100k-term glossary stays
    within a few hundred MB instead of holding the whole XML tree."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    keys: dict[str, tuple[str, Any]] = {}
    raw, graphs, seen_root = RawGlossary(), 0, False
    try:
        for event, el in SafeET.iterparse(source, events=("start", "end"), forbid_dtd=True):
            kind = _local(el.tag)
            if event == "start":
                if not seen_root and kind != "graphml":
                    raise GlossaryFileError(f"{origin}: root element is <{kind}>, expected <graphml>")
                seen_root, graphs = True, graphs + (kind == "graph")
            elif kind == "key":
                keys[el.get("id", "")] = (el.get("attr.name") or el.get("id", ""), _TYPES.get(el.get("attr.type", "")))
            elif kind in ("node", "edge"):
                _collect(raw, kind, el, keys, origin)
                el.clear()
    except DefusedXmlException as exc:
        raise GlossaryFileError(f"{origin}: refused unsafe XML ({type(exc).__name__}: DTDs and entities "
                                "are not allowed in a glossary)") from exc
    except GlossaryFileError:
        raise
    except Exception as exc:  # ParseError and friends: report, don't trace
        raise GlossaryFileError(f"{origin}: not well-formed XML ({exc})") from exc
    if graphs != 1:
        raise GlossaryFileError(f"{origin}: expected exactly one <graph>, found {graphs}")
    return raw


def _collect(raw: RawGlossary, kind: str, el: Any, keys: dict[str, tuple[str, Any]], origin: str) -> None:
    if kind == "node":
        node_id = el.get("id")
        if not node_id:
            raise GlossaryFileError(f"{origin}: a <node> has no id")
        raw.nodes[node_id] = _data(el, keys, f"{origin}: node {node_id}")
    else:
        source, target = el.get("source", ""), el.get("target", "")
        raw.edges.append((source, target, _data(el, keys, f"{origin}: edge {source} -> {target}")))


def _data(el: Any, keys: dict[str, tuple[str, Any]], where: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in el:
        if _local(item.tag) != "data":
            continue
        name, convert = keys.get(item.get("key", ""), (item.get("key", ""), None))
        text = item.text or ""
        if len(text) > MAX_VALUE_CHARS:
            raise GlossaryFileError(f"{where}: field '{name}' has {len(text)} characters "
                                    f"(limit {MAX_VALUE_CHARS})")
        try:
            values[name] = convert(text) if convert else text
        except ValueError as exc:
            raise GlossaryFileError(f"{where}: field '{name}' is not a valid {convert.__name__}") from exc
    return values


def write_glossary(raw: RawGlossary, path: str | os.PathLike[str]) -> None:
    """Write GraphML deterministically and atomically (a crash leaves the old file whole)."""
    from .atomic import atomic_write_text

    atomic_write_text(Path(path), format_glossary(raw))


def format_glossary(raw: RawGlossary) -> str:
    node_fields = _ordered({k for attrs in raw.nodes.values() for k in attrs}, NODE_FIELD_ORDER)
    edge_fields = _ordered({k for _, _, attrs in raw.edges for k in attrs}, EDGE_FIELD_ORDER)
    lines = ["<?xml version='1.0' encoding='utf-8'?>",
             f'<graphml xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             f'xsi:schemaLocation="{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    for name in node_fields:
        kind = "int" if name == "level" else "string"
        lines.append(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>')
    for name in edge_fields:
        lines.append(f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="string"/>')
    lines.append('  <graph id="terms" edgedefault="directed">')
    for node_id in sorted(raw.nodes):
        lines.append(f"    <node id={quoteattr(node_id)}>")
        lines += _data_lines(raw.nodes[node_id], node_fields, "")
        lines.append("    </node>")
    for source, target, attrs in sorted(raw.edges, key=lambda e: (e[0], e[2].get("relation", ""), e[1])):
        lines.append(f"    <edge source={quoteattr(source)} target={quoteattr(target)}>")
        lines += _data_lines(attrs, edge_fields, "e_")
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)


def _ordered(names: set[str], preferred: tuple[str, ...]) -> list[str]:
    return [n for n in preferred if n in names] + sorted(names - set(preferred))


def _data_lines(attrs: dict[str, Any], fields: list[str], prefix: str) -> list[str]:
    return [f'      <data key="{prefix}{name}">{escape(str(attrs[name]))}</data>'
            for name in fields if name in attrs and attrs[name] != ""]
