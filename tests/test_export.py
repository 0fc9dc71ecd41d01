"""Exports: each format is parsed back and checked for what a learner would look for in it."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from itertools import pairwise
from pathlib import Path

import networkx as nx
import pytest

from tutor.export import ANKI_MODEL_ID, FORMATS, ExportError, write_export
from tutor.graph import TermGraph
from tutor.learning_path import Step
from tutor.store import Store

from .conftest import run_cli

MINI = Path(__file__).parent / "data" / "mini.graphml"

HOSTILE = ("为什么 **loss** 会 <script>alert(1)</script> `x` ```\n# 标题\n- [link](javascript:alert(1)) "
           "a[\"b\"]-->c; %% | ~~del~~ $x$ & &amp; \x07")


@pytest.fixture(scope="module")
def graph() -> TermGraph:
    return TermGraph.load(MINI)


@pytest.fixture
def steps() -> list[Step]:
    return [Step.asked("learning-rate", "学习率太高会怎样"),
            Step.followed("oscillation", "causes", "learning-rate"),
            Step.followed("batch-size", "mitigates", "oscillation", "in"),
            Step("vram", "jump"),
            Step.asked("learning-rate", HOSTILE)]


def _plain(inline) -> str:
    """What a reader sees of an inline Markdown token: its text, escapes and entities resolved."""
    return "".join(c.content for c in inline.children if c.type in ("text", "text_special"))


def test_formats_are_the_four_the_cli_offers() -> None:
    assert FORMATS == ("markdown", "json", "graphml", "anki")


def test_markdown_renders_the_path_with_a_mermaid_diagram_and_an_inert_question(graph, steps, tmp_path) -> None:
    from markdown_it import MarkdownIt

    out = write_export(graph, steps, "markdown", tmp_path / "path.md", title="我的 <b>路径</b>")
    text = out.read_text(encoding="utf-8")
    markdown = MarkdownIt("commonmark").enable(["strikethrough", "table"])  # GitHub's extras too
    tokens = markdown.parse(text)
    fences = [t for t in tokens if t.type == "fence"]
    assert [f.info for f in fences] == ["mermaid"]
    mermaid = fences[0].content
    assert mermaid.startswith("flowchart LR") and mermaid.count("-->|") == 2 and mermaid.count("-.->|") == 2
    assert '"导致 / causes"' in mermaid and "```" not in mermaid and "<script>" not in mermaid
    assert len(mermaid.splitlines()) == 1 + 4 + 4  # 4 terms, 4 arrows: the question's newlines stay inside
    arrow = mermaid.splitlines()[-1].strip()
    assert arrow.startswith('n4 -.->|"提问 / asked: 为什么 **loss** 会 #lt;script#gt;alert(1)#lt;/script#gt; #96;x')
    label = re.sub(r"#\w+;", "", arrow[arrow.index('|"') + 2:arrow.rindex('"|')])  # entity codes aside,
    assert arrow.endswith('…"| n1') and not set('"|<>`;#').intersection(label)  # nothing Mermaid would parse
    html = markdown.render(text)
    for tag in ("<script>", "<b>", "<strong>", "<code>", "<a ", "<s>", "<ul>", "<table>"):
        assert tag not in html, tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as the learner typed it
    headings = [_plain(nxt) for t, nxt in pairwise(tokens) if t.type == "heading_open"]
    assert headings == ["我的 <b>路径</b>", "1. 学习率 · Learning rate", "2. 损失震荡 · Loss oscillation",
                        "3. 批次大小 · Batch size", "4. 显存 · VRAM", "5. 学习率 · Learning rate"]
    asked = [_plain(t) for t in tokens if t.type == "inline" and "Asked" in t.content][-1]
    assert " ".join(HOSTILE.replace("\x07", " ").split()) in asked  # every character typed, as text
    assert "—导致 / causes→ from 学习率 · Learning rate" in text
    assert "—缓解手段 / mitigated by→ from 损失震荡 · Loss oscillation" in text
    assert "每次更新参数时迈出的步子有多大。" in text and "How big a step each update takes." in text


def test_json_follows_the_documented_schema_and_keeps_the_question_verbatim(graph, steps, tmp_path) -> None:
    data = json.loads(write_export(graph, steps, "json", tmp_path / "path.json", title="t").read_text("utf-8"))
    assert (data["format"], data["version"], data["title"]) == ("tutor-path", 1, "t")
    assert data["exported"].endswith("+00:00")
    first, second = data["steps"][:2]
    assert first["term"] == {"id": "learning-rate", "name_en": "Learning rate", "name_zh": "学习率",
                             "aliases": ["LR", "lr", "步长"]}
    assert (first["via"], data["steps"][-1]["question"]) == ("question", HOSTILE)
    assert (second["via"], second["from_term"], second["direction"]) == ("causes", "learning-rate", "out")
    assert [s["term"]["id"] for s in data["steps"]] == [s.term_id for s in steps]
    assert all(set(s) == {"term", "via", "question", "from_term", "direction", "at"} for s in data["steps"])


def test_graphml_loads_in_networkx_with_typed_and_walked_edges(graph, steps, tmp_path) -> None:
    loaded = nx.read_graphml(write_export(graph, steps, "graphml", tmp_path / "path.graphml"))
    assert set(loaded.nodes) == {"learning-rate", "oscillation", "batch-size", "vram"}
    assert loaded.nodes["vram"]["name_zh"] == "显存" and loaded.nodes["vram"]["level"] == 1
    assert loaded.nodes["oscillation"]["definition_en"] == "The loss jumps up and down instead of settling."
    typed = {(s, t, d["relation"]) for s, t, d in loaded.edges(data=True) if not d["walked"]}
    assert typed == {("learning-rate", "oscillation", "causes"), ("batch-size", "oscillation", "mitigates"),
                     ("batch-size", "vram", "affects")}
    walked = sorted((d["order"], s, t, d["via"]) for s, t, d in loaded.edges(data=True) if d["walked"])
    assert walked == [(2, "learning-rate", "oscillation", "causes"), (3, "oscillation", "batch-size", "mitigates"),
                      (4, "batch-size", "vram", "jump"), (5, "vram", "learning-rate", "question")]


def test_anki_package_has_one_note_per_term_with_stable_ids(graph, steps, tmp_path) -> None:
    first = write_export(graph, steps, "anki", tmp_path / "a.apkg")
    again = write_export(graph, steps[1:], "anki", tmp_path / "b.apkg")

    def notes(path: Path) -> tuple[dict[str, list[str]], str]:
        with zipfile.ZipFile(path) as package:
            assert "collection.anki2" in package.namelist()
            (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
        conn = sqlite3.connect(tmp_path / "collection.anki2")
        found = {flds.split("\x1f")[-1]: [guid, *flds.split("\x1f")[:4]]
                 for guid, flds in conn.execute("SELECT guid, flds FROM notes")}
        models = conn.execute("SELECT models FROM col").fetchone()[0]
        conn.close()
        return found, models

    found, models = notes(first)
    assert sorted(found) == ["batch-size", "learning-rate", "oscillation", "vram"]
    assert found["learning-rate"][1:] == ["学习率", "Learning rate", "每次更新参数时迈出的步子有多大。",
                                          "How big a step each update takes."]
    assert str(ANKI_MODEL_ID) in json.loads(models)
    found_again, _ = notes(again)
    assert found_again["vram"][0] == found["vram"][0]  # same guid: re-importing updates the card


def test_an_existing_file_is_kept_unless_forced(graph, steps, tmp_path) -> None:
    out = tmp_path / "notes.md"
    out.write_text("my own notes")
    with pytest.raises(ExportError, match="already exists.*--force"):
        write_export(graph, steps, "markdown", out)
    assert out.read_text() == "my own notes"
    write_export(graph, steps, "markdown", out, force=True)
    assert "```mermaid" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unwritable_path_is_a_clear_error_and_leaves_nothing(graph, steps, tmp_path, fmt) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot write .*a-file"):
        write_export(graph, steps, fmt, blocker / "out.file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.parametrize(("fmt", "out", "message"), [
    ("pdf", "x.pdf", "unknown export format 'pdf'"),
    ("markdown", "", "no output file given"),
    ("markdown", ".", "is a folder"),
])
def test_bad_requests_are_explained(graph, steps, fmt, out, message, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportError, match=message):
        write_export(graph, steps, fmt, out)


def test_an_empty_session_is_not_exported(graph, tmp_path) -> None:
    with pytest.raises(ExportError, match="no steps"):
        write_export(graph, [], "json", tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


def test_a_term_gone_from_the_glossary_still_shows_in_notes_and_json(graph, tmp_path) -> None:
    steps = [Step.asked("retired-term", "旧词"), Step.followed("vram", "related_to", "retired-term")]
    text = write_export(graph, steps, "markdown", tmp_path / "x.md").read_text("utf-8")
    assert "retired-term" in text and "no longer in the glossary" in text
    data = json.loads(write_export(graph, steps, "json", tmp_path / "x.json").read_text("utf-8"))
    assert data["steps"][0]["term"] == {"id": "retired-term", "name_en": None, "name_zh": None, "aliases": []}
    assert list(nx.read_graphml(write_export(graph, steps, "graphml", tmp_path / "x.graphml")).nodes) == ["vram"]


def test_export_command_writes_the_latest_session_in_the_format_its_suffix_names(tmp_path, monkeypatch,
                                                                                  capsys) -> None:
    from tutor.cli import UsageError

    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    with Store.open() as store:
        old = store.start_session()
        store.record(old, Step.asked("epoch", "epoch 是什么"))
        latest = store.start_session()
        store.record(latest, Step.asked("vram", "显存是什么"))
        store.start_session()  # opened and closed without a question
    out = tmp_path / "latest.json"
    assert run_cli("export", "-o", str(out)) == 0
    assert [s["term"]["id"] for s in json.loads(out.read_text("utf-8"))["steps"]] == ["vram"]
    assert f"session {latest}" in capsys.readouterr().out
    with pytest.raises(ExportError, match="already exists"):
        run_cli("export", str(old), "-o", str(out))
    assert run_cli("export", str(old), "-o", str(out), "--force") == 0
    assert json.loads(out.read_text("utf-8"))["steps"][0]["question"] == "epoch 是什么"
    assert run_cli("export", str(old), "--format", "markdown", "-o", str(tmp_path / "notes.txt")) == 0
    assert "```mermaid" in (tmp_path / "notes.txt").read_text("utf-8")
    with pytest.raises(UsageError, match="no session 99"):
        run_cli("export", "99", "-o", str(tmp_path / "y.md"))
    with pytest.raises(UsageError, match="--format"):
        run_cli("export", "-o", str(tmp_path / "y.txt"))
