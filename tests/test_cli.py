"""The CLI contract that scripts rely on, run as a user runs it: a new process, offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import MINI


def tutor(*args: str, stdin: str = "", index: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([sys.executable, "-m", "tutor.cli", "--graph", str(MINI), "--index", index, *args],
                          input=stdin, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def index(mini_index) -> str:
    return str(mini_index)


def test_ask_prints_a_readable_answer(index: str):
    done = tutor("ask", "学习率太高会怎样", index=index)
    assert done.returncode == 0, done.stderr
    assert "学习率 · Learning rate" in done.stdout and "震荡" in done.stdout
    assert "导致: 损失震荡" in done.stdout  # related terms with their relation label
    assert "Traceback" not in done.stderr


def test_ask_json_is_one_object(index: str):
    done = tutor("ask", "--json", "what is overfitting", index=index)
    data = json.loads(done.stdout)
    assert data["confident"] is True and data["term"]["id"] == "overfitting"
    assert data["results"][0]["term"]["name_zh"] == "过拟合"


def test_ask_json_reads_json_lines_from_stdin_in_order(index: str):
    done = tutor("ask", "--json", stdin="学习率太高会怎样\n那太低呢\nwhat is VRAM\n", index=index)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["question"] for r in rows] == ["学习率太高会怎样", "那太低呢", "what is VRAM"]
    assert rows[2]["term"]["id"] == "vram"


def test_chat_resolves_follow_ups(index: str):
    done = tutor("chat", "--json", stdin="学习率太高会怎样\n那太低呢\n", index=index)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows[1]["term"]["id"] == "learning-rate" and rows[1]["facet"] == "too_low"


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_is_a_clear_error(index: str, question: str):
    done = tutor("ask", question, index=index)
    assert done.returncode == 2 and "question is empty" in done.stderr and "Traceback" not in done.stderr


def test_a_bad_line_in_a_batch_does_not_stop_the_rest(index: str):
    done = tutor("ask", "--json", stdin="学习率太高会怎样\n   \nwhat is VRAM\n", index=index)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 3 and "error" in rows[1] and rows[2]["term"]["id"] == "vram"
    assert done.returncode == 1


def test_huge_junk_input_answers_quickly(index: str):
    junk = "的" * 100_000 + "🤖" * 1000 + "\u202e" + "'; DROP TABLE sessions; --"
    done = tutor("ask", "--json", stdin=junk + "\n", index=index)
    assert done.returncode == 0 and json.loads(done.stdout)["confident"] is False


def test_chat_is_recorded_as_a_session_and_exported(index: str, tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path))
    tutor("chat", "--json", stdin="学习率太高会怎样\n那太低呢\n", index=index)
    listed = json.loads(tutor("sessions", "--json", index=index).stdout)
    assert listed[0]["steps"] == 2 and listed[0]["first_question"] == "学习率太高会怎样"
    out = tmp_path / "path.md"
    done = tutor("export", "--format", "markdown", "-o", str(out), index=index)
    assert done.returncode == 0, done.stderr
    assert "```mermaid" in out.read_text() and "学习率" in out.read_text()
    again = tutor("export", "--format", "markdown", "-o", str(out), index=index)
    assert again.returncode == 2 and "--force" in again.stderr and "Traceback" not in again.stderr
