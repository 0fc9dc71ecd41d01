"""A learning path written out in the formats learners already use: Markdown notes, JSON, GraphML, Anki decks.

`write_export()` is the one entry point, shared by `tutor export` and the app. Every format is written atomically
and an existing file is only replaced when asked to.

JSON schema (version 1)::

    {"format": "tutor-path", "version": 1, "title": str, "exported": ISO-8601 UTC,
     "steps": [{"term": {"id", "name_en", "name_zh", "aliases"}, "via": "question" | "jump" | "plan" |
                "search" | <relation>, "question": str | null, "from_term": term id | null,
                "direction": "out" | "in" | null, "at": ISO-8601 UTC}]}

A term no longer in the glossary keeps its id, with null names (Markdown shows the id; GraphML and Anki leave
it out).
"""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

from .graph import Term, TermGraph
from .learning_path import QUESTION, Step, utc_now
from .schema import RELATIONS

FORMATS = ("markdown", "json", "graphml", "anki")
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".graphml": "graphml", ".apkg": "anki"}
DEFAULT_TITLE = "学习路径 · Learning path"
_ARRIVALS = {"question": ("提问", "asked"), "jump": ("跳转", "jumped"), "plan": ("学习计划", "study plan"),
             "search": ("搜索", "search")}


class ExportError(Exception):
    """The export cannot be written; the message says why, in one line."""


def format_for(path: str | Path) -> str | None:
    """The format a file name implies ("notes.md" -> "markdown"), None when its suffix says nothing."""
    return SUFFIXES.get(Path(path).suffix.lower())


def write_export(graph: TermGraph, steps: list[Step], fmt: str, out: str | Path, force: bool = False,
                 title: str | None = None) -> Path:
    """Render the steps in `fmt` and write them atomically to `out`; return the path written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format '{fmt}': use one of {', '.join(FORMATS)}")
    if not str(out).strip():
        raise ExportError("no output file given: name the file to write, e.g. -o path.md")
    if not steps:
        raise ExportError("nothing to export: the session has no steps yet")
    out = Path(out).expanduser()
    if out.is_dir():
        raise ExportError(f"{out} is a folder: give a file name to write, e.g. {out / 'path'}{_suffix(fmt)}")
    if out.exists() and not force:
        raise ExportError(f"{out} already exists: use --force to overwrite it, or choose another name")
    render = {"markdown": render_markdown, "json": render_json, "graphml": render_graphml, "anki": render_anki}
    data = render[fmt](graph, steps, title or DEFAULT_TITLE)
    from .atomic import atomic_write_bytes

    try:
        atomic_write_bytes(out, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return out


def _suffix(fmt: str) -> str:
    return next(s for s, f in SUFFIXES.items() if f == fmt)


def _term(graph: TermGraph, term_id: str | None) -> Term | None:
    return graph.terms.get(term_id) if term_id else None


def _names(graph: TermGraph, term_id: str) -> str:
    term = _term(graph, term_id)
    return f"{term.name_zh} · {term.name_en}" if term else term_id


def _relation_label(step: Step) -> tuple[str, str]:
    label = RELATIONS[step.via]
    direction = step.direction or "out"
    return label.text(direction, "zh"), label.text(direction, "en")


def _walked(steps: list[Step]) -> list[tuple[str, Step]]:
    """Each step after the first with the term it was reached from: from_term if known, else the step before."""
    return [(step.from_term or prev.term_id, step) for prev, step in pairwise(steps)]


# -- Markdown ---------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~$=!])")
_MD_LINE_START = re.compile(r"^(\s*)([-+>:]|\d+[.)])")
_MERMAID_CODES = {"#": "#35;", '"': "#quot;", "&": "#amp;", "<": "#lt;", ">": "#gt;", "`": "#96;", ";": "#59;",
                  "|": "#124;", "\\": "#92;"}
_MERMAID_SPECIAL = re.compile("|".join(re.escape(c) for c in _MERMAID_CODES))


def md_text(text: str) -> str:
    """Plain text made inert in Markdown (GitHub, Obsidian): one line, no emphasis, links, HTML or math."""
    text = " ".join(text.split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def mermaid_text(text: str, limit: int = 60) -> str:
    """Text for a quoted Mermaid label: entity codes for everything its parser or HTML would read."""
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return _MERMAID_SPECIAL.sub(lambda m: _MERMAID_CODES[m.group()], text)


def _how(graph: TermGraph, step: Step) -> str:
    if step.via == QUESTION:
        return f"提问 Asked: “{md_text(step.question or '')}”"
    if step.is_relation:
        zh, en = _relation_label(step)
        came_from = md_text(_names(graph, step.from_term)) if step.from_term else "?"
        return f"—{md_text(zh)} / {md_text(en)}→ from {came_from}"
    zh, en = _ARRIVALS[step.via]
    return f"{zh} / {en.capitalize()}"


def render_mermaid(graph: TermGraph, steps: list[Step]) -> list[str]:
    """A flowchart of the path: one node per term, one arrow per step (dashed when no relation was followed)."""
    nodes: dict[str, str] = {}
    for term_id in (t for step in steps for t in (step.from_term, step.term_id) if t):
        nodes.setdefault(term_id, f"n{len(nodes) + 1}")
    lines = ["```mermaid", "flowchart LR"]
    lines += [f'    {node}["{mermaid_text(_names(graph, term_id))}"]' for term_id, node in nodes.items()]
    for source, step in _walked(steps):
        if step.is_relation:
            label, arrow = " / ".join(_relation_label(step)), "-->"
        else:
            label, arrow = " / ".join(_ARRIVALS[step.via]), "-.->"
            label += f": {step.question}" if step.question else ""
        lines.append(f'    {nodes[source]} {arrow}|"{mermaid_text(label)}"| {nodes[step.term_id]}')
    return lines + ["```"]


def render_markdown(graph: TermGraph, steps: list[Step], title: str) -> str:
    started = steps[0].at.replace("T", " ").replace("+00:00", " UTC")
    terms = len({s.term_id for s in steps})
    lines = [f"# {md_text(title)}", "", f"*{md_text(started)} · {len(steps)} steps · {terms} terms · "
             f"exported {md_text(utc_now().replace('T', ' ').replace('+00:00', ' UTC'))}*", ""]
    lines += render_mermaid(graph, steps)
    for number, step in enumerate(steps, 1):
        term = _term(graph, step.term_id)
        lines += ["", f"## {number}. {md_text(_names(graph, step.term_id))}", "", f"*{_how(graph, step)}*", ""]
        if term is None:
            lines.append(f"> (`{md_text(step.term_id)}` is no longer in the glossary)")
            continue
        lines += [f"> {md_text(term.text('definition', 'zh') or '')}", ">",
                  f"> {md_text(term.text('definition', 'en') or '')}"]
    return "\n".join(lines) + "\n"


# -- JSON -------------------------------------------------------------------------------------------------------

def _brief(graph: TermGraph, term_id: str) -> dict[str, Any]:
    term = _term(graph, term_id)
    return term.brief() if term else {"id": term_id, "name_en": None, "name_zh": None, "aliases": []}


def render_json(graph: TermGraph, steps: list[Step], title: str) -> str:
    document = {
        "format": "tutor-path", "version": 1, "title": title, "exported": utc_now(),
        "steps": [{"term": _brief(graph, s.term_id), "via": s.via, "question": s.question,
                   "from_term": s.from_term, "direction": s.direction, "at": s.at} for s in steps],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


# -- GraphML ----------------------------------------------------------------------------------------------------

_NODE_KEYS = (("name_en", "string"), ("name_zh", "string"), ("category", "string"), ("level", "int"),
              ("definition_zh", "string"), ("definition_en", "string"), ("first_step", "int"))
_EDGE_KEYS = (("relation", "string"), ("polarity", "string"), ("note_zh", "string"), ("note_en", "string"),
              ("walked", "boolean"), ("order", "int"), ("via", "string"), ("direction", "string"),
              ("question", "string"))
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(value: Any) -> str:
    from xml.sax.saxutils import escape

    text = str(value).lower() if isinstance(value, bool) else str(value)
    return escape(_XML_INVALID.sub(" ", text), {'"': "&quot;"})


def _element(tag: str, attrs: dict[str, str], data: dict[str, Any], prefix: str) -> list[str]:
    opening = " ".join(f'{k}="{_xml(v)}"' for k, v in attrs.items())
    body = [f'      <data key="{prefix}{k}">{_xml(v)}</data>' for k, v in data.items() if v not in (None, "")]
    return [f"    <{tag} {opening}>", *body, f"    </{tag}>"]


def render_graphml(graph: TermGraph, steps: list[Step], title: str) -> str:
    """The path's terms, the glossary's typed edges among them (walked=false) and the steps taken.

    A step taken is an edge from the term the learner came from to the term reached, with relation "walked",
    walked=true, order (the number of the step it led to), via (the relation followed, or "question", ...),
    and the question asked, so Gephi or yEd can colour the walk apart from the glossary's own edges.
    """
    first: dict[str, int] = {}
    for number, step in enumerate(steps, 1):
        for term_id in (step.from_term, step.term_id):
            if term_id in graph.terms:
                first.setdefault(term_id, number)
    lines = ["<?xml version='1.0' encoding='utf-8'?>", '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
             '  <key id="g_title" for="graph" attr.name="title" attr.type="string"/>']
    lines += [f'  <key id="{n}" for="node" attr.name="{n}" attr.type="{t}"/>' for n, t in _NODE_KEYS]
    lines += [f'  <key id="e_{n}" for="edge" attr.name="{n}" attr.type="{t}"/>' for n, t in _EDGE_KEYS]
    lines += ['  <graph id="path" edgedefault="directed">', f'    <data key="g_title">{_xml(title)}</data>']
    for term_id, number in first.items():
        term = graph.terms[term_id]
        lines += _element("node", {"id": term_id}, {
            "name_en": term.name_en, "name_zh": term.name_zh, "category": term.category, "level": term.level,
            "definition_zh": term.text("definition", "zh"), "definition_en": term.text("definition", "en"),
            "first_step": number}, "")
    for source, target, data in sorted(graph.graph.subgraph(first).edges(data=True),
                                       key=lambda e: (e[0], e[2]["relation"], e[1])):
        lines += _element("edge", {"source": source, "target": target}, {**data, "walked": False}, "e_")
    for number, (source, step) in enumerate(_walked(steps), 2):
        if source in first and step.term_id in first:
            lines += _element("edge", {"source": source, "target": step.term_id}, {
                "relation": "walked", "walked": True, "order": number, "via": step.via,
                "direction": step.direction, "question": step.question}, "e_")
    return "\n".join(lines + ["  </graph>", "</graphml>", ""])


# -- Anki -------------------------------------------------------------------------------------------------------

ANKI_MODEL_ID = 1_734_019_201  # fixed forever: re-imports update the same cards instead of duplicating them
_CARD_CSS = ".card { font-family: sans-serif; font-size: 22px; text-align: center; }\n.en { color: #666; }"


def _anki_id(text: str) -> int:
    import hashlib

    return (1 << 30) + int(hashlib.sha256(text.encode()).hexdigest(), 16) % (1 << 30)


def render_anki(graph: TermGraph, steps: list[Step], title: str) -> bytes:
    """An .apkg: one note per distinct term (front: 中文 + English name; back: both definitions)."""
    import html
    import io
    import itertools
    import sqlite3
    import tempfile
    import time
    import zipfile

    import genanki

    model = genanki.Model(
        ANKI_MODEL_ID, "Tutor term (zh/en)",
        fields=[{"name": n} for n in ("NameZh", "NameEn", "DefinitionZh", "DefinitionEn", "Aliases", "TermId")],
        templates=[{"name": "Term", "qfmt": '<div class="zh">{{NameZh}}</div><div class="en">{{NameEn}}</div>',
                    "afmt": '{{FrontSide}}<hr id="answer"><div class="zh">{{DefinitionZh}}</div>'
                            '<div class="en">{{DefinitionEn}}</div><div class="en">{{Aliases}}</div>'}],
        css=_CARD_CSS)
    deck = genanki.Deck(_anki_id(f"tutor deck {title}"), title)
    for term_id in dict.fromkeys(s.term_id for s in steps if s.term_id in graph.terms):
        term = graph.terms[term_id]
        fields = [term.name_zh, term.name_en, term.text("definition", "zh") or "",
                  term.text("definition", "en") or "", ", ".join(term.aliases), term.id]
        deck.add_note(genanki.Note(model, [html.escape(f, quote=False) for f in fields], tags=["tutor", term.category],
                                   guid=genanki.guid_for("tutor-term", term.id)))
    if not deck.notes:
        raise ExportError("nothing to export to Anki: none of the path's terms is in this glossary")
    now = time.time()
    with tempfile.TemporaryDirectory() as folder:
        collection = Path(folder) / "collection.anki2"
        with sqlite3.connect(collection) as conn:
            genanki.Package(deck).write_to_db(conn.cursor(), now, itertools.count(int(now * 1000)))
        conn.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            package.write(collection, "collection.anki2")
            package.writestr("media", "{}")
    return buffer.getvalue()
