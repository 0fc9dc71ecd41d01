"""The learner's record: sessions survive restarts, two processes lose nothing, old files migrate, damaged files
are refused with a clear message and never touched, and what still reads can be salvaged."""

from __future__ import annotations

import json
import multiprocessing
import random
import sqlite3
from pathlib import Path

import pytest

from tutor.learning_path import LearningPath, Step
from tutor.store import SCHEMA_VERSION, Store, StoreError

from .conftest import run_cli

MINI = Path(__file__).parent / "data" / "mini.graphml"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_a_session_survives_a_restart(home: Path) -> None:
    with Store.open() as store:
        session = store.start_session("evening")
        store.record(session, Step.asked("learning-rate", "学习率太高会怎样"))
        store.record(session, Step.followed("oscillation", "causes", "learning-rate"))
        store.record(session, Step.followed("batch-size", "mitigates", "oscillation", "in"))
    assert (home / "tutor.sqlite3").is_file()
    with Store.open() as store:
        steps = store.steps(session)
        [info] = store.sessions()
        assert store.latest_session() == session
    assert [s.term_id for s in steps] == ["learning-rate", "oscillation", "batch-size"]
    assert steps[0].question == "学习率太高会怎样"
    assert (steps[2].via, steps[2].from_term, steps[2].direction) == ("mitigates", "oscillation", "in")
    assert (info.id, info.steps, info.first_question, info.title) == (session, 3, "学习率太高会怎样", "evening")


def test_latest_session_skips_an_app_opened_and_closed_without_a_question(home: Path) -> None:
    with Store.open() as store:
        used = store.start_session()
        store.record(used, Step.asked("vram", "显存是什么"))
        store.start_session()
        assert store.latest_session() == used


def test_bookmarks_and_known_terms_persist_and_can_be_undone(home: Path) -> None:
    with Store.open() as store:
        for term in ("vram", "epoch", "vram"):
            store.bookmark(term)
        store.mark_known("epoch")
        store.mark_known("overfitting")
        store.mark_known("overfitting", on=False)
        store.bookmark("epoch", on=False)
    with Store.open() as store:
        assert store.bookmarks() == ["vram"]
        assert store.known() == {"epoch"}


def test_recording_into_a_session_that_does_not_exist_is_a_clear_error(home: Path) -> None:
    with Store.open() as store, pytest.raises(StoreError, match="no session 42"):
        store.record(42, Step.asked("vram", "显存"))


def test_a_step_with_an_unknown_way_of_arriving_is_refused() -> None:
    with pytest.raises(ValueError, match="teleport"):
        Step("vram", "teleport")


def _writer(path: str, label: str, count: int, barrier) -> None:
    with Store.open(path) as store:
        session = store.start_session(label)
        barrier.wait()
        for i in range(count):
            store.record(session, Step.asked("learning-rate", f"{label} {i}"))


def test_two_processes_writing_at_once_lose_nothing(home: Path) -> None:
    path = home / "tutor.sqlite3"
    Store.open(path).close()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    writers = [context.Process(target=_writer, args=(str(path), label, 200, barrier)) for label in ("a", "b")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    assert [w.exitcode for w in writers] == [0, 0]
    with Store.open(path) as store:
        sessions = {s.title: s for s in store.sessions()}
        assert sessions["a"].steps == sessions["b"].steps == 200
        for label in ("a", "b"):
            questions = [s.question for s in store.steps(sessions[label].id)]
            assert questions == [f"{label} {i}" for i in range(200)]


V1_SCHEMA = """
    CREATE TABLE schema_version (version INTEGER NOT NULL);
    INSERT INTO schema_version VALUES (1);
    CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, title TEXT);
    CREATE TABLE steps (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id INTEGER NOT NULL REFERENCES sessions(id),
                        term_id TEXT NOT NULL, via TEXT NOT NULL, question TEXT, from_term TEXT, at TEXT NOT NULL);
    CREATE INDEX steps_by_session ON steps (session_id, id);
    INSERT INTO sessions VALUES (1, '2024-03-01T10:00:00+00:00', NULL);
    INSERT INTO steps VALUES (1, 1, 'learning-rate', 'question', '学习率是什么', NULL, '2024-03-01T10:00:05+00:00');
    INSERT INTO steps VALUES (2, 1, 'oscillation', 'causes', NULL, 'learning-rate', '2024-03-01T10:01:00+00:00');
"""


def test_a_version_1_database_is_migrated_and_keeps_its_sessions(home: Path) -> None:
    home.mkdir()
    with sqlite3.connect(home / "tutor.sqlite3") as conn:
        conn.executescript(V1_SCHEMA)
    conn.close()
    with Store.open() as store:
        steps = store.steps(1)
        assert [(s.term_id, s.via, s.direction) for s in steps] == [
            ("learning-rate", "question", None), ("oscillation", "causes", None)]
        assert store.sessions()[0].first_question == "学习率是什么"
        store.bookmark("oscillation")  # tables new in version 2 work
        store.record(1, Step.followed("underfitting", "contrasts_with", "overfitting", "out"))
    with sqlite3.connect(home / "tutor.sqlite3") as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    with Store.open() as store:
        assert store.bookmarks() == ["oscillation"]
        assert store.steps(1)[-1].direction == "out"


def test_a_database_from_a_newer_tutor_is_refused_untouched(home: Path) -> None:
    home.mkdir()
    path = home / "tutor.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript("CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version VALUES (9);")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer tutor") as raised:
        Store.open()
    assert str(path) in str(raised.value)
    assert path.read_bytes() == before


def test_random_bytes_are_refused_with_the_file_named_and_left_untouched(home: Path) -> None:
    home.mkdir()
    path = home / "tutor.sqlite3"
    junk = random.Random(5).randbytes(20_000)
    path.write_bytes(junk)
    with pytest.raises(StoreError) as raised:
        Store.open()
    message = str(raised.value)
    assert str(path) in message and "move it aside" in message
    assert path.read_bytes() == junk
    assert sorted(p.name for p in home.iterdir()) == ["tutor.sqlite3"]
    with pytest.raises(StoreError):
        Store.open(read_only=True)
    assert path.read_bytes() == junk


def test_a_damaged_database_is_refused_but_what_still_reads_is_salvaged(home: Path) -> None:
    with Store.open() as store:
        session = store.start_session("long evening")
        for i in range(600):
            store.record(session, Step.asked("learning-rate", f"question {i:04d} " + "padding " * 12))
    path = home / "tutor.sqlite3"
    data = bytearray(path.read_bytes())
    page = data.index(b"question 0300") // 4096
    data[page * 4096:page * 4096 + 8] = b"\xff" * 8  # wreck the header of one page of steps
    path.write_bytes(bytes(data))

    with pytest.raises(StoreError, match="damaged") as raised:
        Store.open()
    assert raised.value.salvageable
    with Store.open(read_only=True) as salvage:
        steps = salvage.steps(session)
        [info] = salvage.sessions()
        with pytest.raises(StoreError, match="read-only"):
            salvage.start_session()
    questions = [s.question for s in steps]
    assert 500 < len(steps) < 600 and info.steps == len(steps) and info.title == "long evening"
    assert questions[0].startswith("question 0000") and questions[-1].startswith("question 0599")
    assert questions == sorted(questions)
    assert path.read_bytes() == bytes(data)


def test_sessions_command_lists_sessions_and_salvages_a_damaged_file(home: Path, capsys) -> None:
    assert run_cli("sessions") == 0
    assert "no sessions yet" in capsys.readouterr().out
    with Store.open() as store:
        session = store.start_session()
        store.record(session, Step.asked("vram", "显存不够怎么办"))
        store.record(session, Step.followed("batch-size", "affects", "vram", "in"))
    assert run_cli("sessions") == 0
    out = capsys.readouterr().out
    assert "显存不够怎么办" in out and f"{session:>4}" in out
    assert run_cli("sessions", "--json") == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["id"] == session and listed["steps"] == 2 and listed["first_question"] == "显存不够怎么办"


def test_a_data_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("TUTOR_HOME", str(blocker / "home"))
    with pytest.raises(StoreError, match="TUTOR_HOME"):
        Store.open()


def test_learning_path_back_forward_and_a_new_visit_drops_forward_history() -> None:
    path = LearningPath()
    assert path.current is None and path.back() is None
    a, b, c, d = (Step.asked(t, t) for t in ("vram", "epoch", "overfitting", "underfitting"))
    for step in (a, b, c):
        path.visit(step)
    assert path.back() is b and path.back() is a and path.back() is a
    assert path.forward() is b
    path.visit(d)
    assert path.steps == [a, b, d] and path.current is d and not path.can_forward
    assert path.jump(0) is a and path.can_forward and path.jump(-1) is d
    with pytest.raises(IndexError):
        path.jump(3)
