"""A glossary from elsewhere is untrusted: every kind of broken or hostile file is refused with a useful reason."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tutor.check import check_glossary
from tutor.cli import main
from tutor.graph import GlossaryError, TermGraph
from tutor.graphml import GlossaryFileError, format_glossary, parse_glossary, read_glossary

from .conftest import MINI


def broken(mutate) -> str:
    raw = read_glossary(MINI)
    mutate(raw)
    return format_glossary(raw)


def messages(text: str) -> list[str]:
    return [str(p) for p in check_glossary(parse_glossary(text.encode()))]


def test_mini_glossary_is_clean():
    assert messages(MINI.read_text()) == []


@pytest.mark.parametrize("mutate, expected", [
    (lambda r: r.nodes["vram"].pop("definition_en"), r"error: node vram: missing field 'definition_en'"),
    (lambda r: r.nodes["vram"].update(aliases="[显卡内存"), r"node vram: aliases is not a JSON array"),
    (lambda r: r.nodes["vram"].update(aliases='{"a": 1}'), r"node vram: aliases is not a JSON array"),
    (lambda r: r.nodes["vram"].update(category="cooking"), r"node vram: unknown category 'cooking'"),
    (lambda r: r.nodes["vram"].update(level=7), r"node vram: level must be the integer 1, 2 or 3"),
    (lambda r: r.nodes["vram"].update(too_high_zh="爆了"), r"node vram: facet 'too_high' has zh text but no en"),
    (lambda r: r.edges.append(("vram", "epoch", {"relation": "loves"})), r"edge vram -> epoch: unknown relation"),
    (lambda r: r.edges.append(("vram", "ghost", {"relation": "causes"})),
     r"edge vram -> ghost: points to unknown term 'ghost'"),
    (lambda r: r.edges.append(("convergence", "epoch", {"relation": "prerequisite_of"})),
     r"prerequisite_of forms a cycle: (epoch -> convergence -> epoch|convergence -> epoch -> convergence)"),
    (lambda r: r.nodes["vram"].update(aliases=json.dumps(["LR"])), r"name/alias 'LR' is also used by"),
    (lambda r: r.nodes.update({"Bad Id": dict(r.nodes["vram"], aliases="[]", name_en="x", name_zh="x")}),
     r"node Bad Id: id must be a lowercase ASCII slug"),
    (lambda r: r.edges.append(("vram", "vram", {"relation": "causes"})), r"edge vram -> vram: an edge from a term"),
])
def test_each_kind_of_problem_is_reported_where_it_is(mutate, expected):
    found = messages(broken(mutate))
    assert any(re.search(expected, m) for m in found), found


def test_alias_that_differs_only_in_width_and_case_is_a_duplicate():
    found = messages(broken(lambda r: r.nodes["vram"].update(aliases=json.dumps(["ｌｒ"]))))
    assert "error: node learning-rate: name/alias 'LR' is also used by vram" in found


def test_quality_rules_are_warnings():
    found = messages(broken(lambda r: r.edges.clear()))
    assert any(m.startswith("warning: node vram: has 0 edge(s)") for m in found)
    assert any("average degree" in m for m in found)


def test_loading_a_broken_glossary_lists_every_error(tmp_path: Path):
    path = tmp_path / "bad.graphml"
    path.write_text(broken(lambda r: (r.nodes["vram"].pop("name_zh"), r.nodes["epoch"].update(level=9))))
    with pytest.raises(GlossaryError) as caught:
        TermGraph.load(path)
    assert "missing field 'name_zh'" in str(caught.value) and "node epoch" in str(caught.value)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="a"><data key="d">&lol9;</data></node>
</graph></graphml>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE g [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="a"><data key="d">&xxe;</data></node>
</graph></graphml>"""


@pytest.mark.parametrize("payload, reason", [
    (BOMB, "refused unsafe XML"),
    (EXTERNAL, "refused unsafe XML"),
    ("<graphml><graph><node id='a'>", "not well-formed XML"),
    ("", "not well-formed XML"),
    ("<html><body>hi</body></html>", "root element is <html>"),
    ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="a"><data key="d">'
     + "x" * 30_000 + "</data></node></graph></graphml>", "has 30000 characters"),
])
def test_hostile_or_malformed_files_are_refused_fast(payload: str, reason: str):
    start = time.perf_counter()
    with pytest.raises(GlossaryFileError, match=reason):
        parse_glossary(payload.encode())
    assert time.perf_counter() - start < 1.0  # refused before anything is expanded


def test_graph_check_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    bad = tmp_path / "bad.graphml"
    bad.write_text(broken(lambda r: r.edges.append(("vram", "ghost", {"relation": "causes"}))))
    assert main(["graph", "check", "--graph", str(bad)]) == 1
    assert "points to unknown term 'ghost'" in capsys.readouterr().out
    assert main(["graph", "check", "--graph", str(MINI), "--strict"]) == 0
    bomb = tmp_path / "bomb.graphml"
    bomb.write_text(BOMB)
    assert main(["--graph", str(bomb), "graph", "check"]) == 2
    assert "refused unsafe XML" in capsys.readouterr().err
    assert main(["graph", "check", "--graph", str(tmp_path / "missing.graphml")]) == 2
    assert "cannot read" in capsys.readouterr().err
