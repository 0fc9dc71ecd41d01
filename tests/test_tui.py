"""The learner's whole story in the app, driven by Pilot: ask, read, follow, go back, export; plus snapshots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.store import Store
from tutor.tui.app import TutorApp, make_app

from .conftest import MINI

SIZE = (100, 30)


@pytest.fixture()
def app(mini_index: Path, tmp_path: Path) -> TutorApp:
    return make_app(str(MINI), str(mini_index), store=Store.open(tmp_path / "db.sqlite3"), export_dir=tmp_path)


async def wait_for(pilot, condition, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app did not get there in time")


async def ask(pilot, app: TutorApp, question: str) -> None:
    before = len(app.path.steps)
    app.query_one("#question").focus()
    await pilot.press(*question, "enter")
    await wait_for(pilot, lambda: len(app.path.steps) > before or "没有" in app.query_one("#answer").source)


async def test_ask_follow_back_and_export(app: TutorApp, tmp_path: Path):
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.tutor is not None)
        await ask(pilot, app, "学习率太高会怎样")
        answer = app.query_one("#answer").source
        assert "学习率 · Learning rate" in answer and "设得太高会怎样" in answer
        related = app.query_one("#related")
        assert [s.term.id for s in related.suggestions][:1] == ["oscillation"]

        related.focus()
        await pilot.press("enter")  # follow the highlighted related term (learning rate —causes→ oscillation)
        assert [(s.term_id, s.via) for s in app.path.steps] == [("learning-rate", "question"),
                                                                 ("oscillation", "causes")]
        assert "损失震荡" in app.query_one("#answer").source

        await pilot.press("alt+left")  # back
        assert app.path.position == 0 and "学习率" in app.query_one("#answer").source
        await pilot.press("alt+right")  # forward
        assert app.path.position == 1

        await pilot.press("ctrl+s")
        await pilot.pause()
        target = tmp_path / "path.json"
        dialog = app.screen
        dialog.query_one("#format").value = "json"
        dialog.query_one("#path").value = str(target)
        await pilot.click("#do-export")
        await pilot.pause()
        data = json.loads(target.read_text())
        assert [s["term"]["id"] for s in data["steps"]] == ["learning-rate", "oscillation"]
        assert data["steps"][0]["question"] == "学习率太高会怎样"


async def test_export_failure_keeps_the_dialog_and_the_path(app: TutorApp, tmp_path: Path):
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.tutor is not None)
        await ask(pilot, app, "what is VRAM")
        existing = tmp_path / "taken.md"
        existing.write_text("my notes")
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#path").value = str(existing)
        await pilot.click("#do-export")
        await pilot.pause()
        assert "exists" in str(app.screen.query_one("#export-error").render()).lower()
        assert existing.read_text() == "my notes" and len(app.path.steps) == 1


async def test_empty_question_shows_a_hint(app: TutorApp):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert "先输入一个问题" in str(app.query_one("#hint").render())
        assert app.path.steps == []


async def test_question_before_loading_is_answered(app: TutorApp):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"过拟合是什么", "enter")  # typed at once, possibly before the index is loaded
        await wait_for(pilot, lambda: bool(app.path.steps))
        assert app.path.steps[0].term_id == "overfitting"


async def test_follow_ups_and_language_toggle(app: TutorApp):
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.tutor is not None)
        await ask(pilot, app, "学习率太高会怎样")
        await ask(pilot, app, "那太低呢")
        assert "设得太低会怎样" in app.query_one("#answer").source
        await pilot.press("f2")
        assert app.query_one("#related").border_title == "Related terms"
        assert "Learning rate" in app.query_one("#answer").source.splitlines()[0]


async def test_sessions_survive_the_app(app: TutorApp, tmp_path: Path):
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.tutor is not None)
        await ask(pilot, app, "epoch 是什么")
        await pilot.press("ctrl+b")
    store = Store.open(tmp_path / "db.sqlite3")
    assert [s.term_id for s in store.steps(store.latest_session())] == ["epoch"]
    assert store.bookmarks() == ["epoch"]


async def test_a_broken_glossary_is_shown_not_raised(tmp_path: Path):
    bad = tmp_path / "bad.graphml"
    bad.write_text("<graphml><graph><node id='a'>")
    app = make_app(str(bad), str(tmp_path / "index"), store=Store.open(tmp_path / "db.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "not well-formed" in app.query_one("#answer").source)


def test_snapshot_main_screen_with_an_answer(snap_compare, app: TutorApp):
    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.tutor is not None)
        await ask(pilot, app, "学习率太高会怎样")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_help(snap_compare, app: TutorApp):
    assert snap_compare(app, terminal_size=SIZE, press=["f1"])


def test_snapshot_export_dialog(snap_compare, app: TutorApp):
    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.tutor is not None)
        await ask(pilot, app, "what is VRAM")
        await pilot.press("ctrl+s")
        app.screen.query_one("#path").value = "/home/learner/tutor-path.md"

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_the_mouse_follows_a_related_term_and_jumps_back(app: TutorApp):
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.tutor is not None)
        await ask(pilot, app, "学习率太高会怎样")
        first = app.query_one("#related").suggestions[0].term.id
        await pilot.click("#related", offset=(6, 2))  # border, group label, then the first related term
        await pilot.pause()
        assert [s.term_id for s in app.path.steps] == ["learning-rate", first]
        await pilot.click("#trail", offset=(6, 1))  # the first step of the path
        await pilot.pause()
        assert app.path.position == 0 and "学习率" in app.query_one("#answer").source


async def test_plan_checklist_marks_known_and_opens_a_step(app: TutorApp, tmp_path: Path):
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.tutor is not None)
        await ask(pilot, app, "what is convergence")
        await pilot.press("ctrl+r")
        await pilot.pause()
        listing = app.screen.query_one("#plan-list")
        assert [listing.get_option_at_index(i).value for i in range(listing.option_count)] == ["epoch",
                                                                                              "convergence"]
        listing.focus()
        await pilot.press("space")  # tick "epoch" as known
        await pilot.pause()
        assert "epoch" in app.known
        await pilot.press("o")  # open the highlighted step
        await pilot.pause()
        assert app.path.current.term_id == "epoch" and app.path.current.via == "plan"
    assert "epoch" in Store.open(tmp_path / "db.sqlite3").known()


@pytest.mark.parametrize("typed, completed", [
    ("我想问学习", "我想问学习率"), ("what is Lo", "what is LoRA"), ("hello", None), ("", None),
])
async def test_term_names_complete_as_you_type(typed: str, completed: str | None):
    from tutor.tui.widgets.question import TermSuggester

    suggester = TermSuggester(["学习率", "LoRA", "LoRA extraction", "Learning rate"])
    assert await suggester.get_suggestion(typed) == completed


async def test_up_and_down_recall_earlier_questions(app: TutorApp):
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.tutor is not None)
        await ask(pilot, app, "什么是过拟合")
        await ask(pilot, app, "epoch 是什么")
        await pilot.press("up")
        assert app.query_one("#question").value == "epoch 是什么"
        await pilot.press("up")
        assert app.query_one("#question").value == "什么是过拟合"
        await pilot.press("down", "down")
        assert app.query_one("#question").value == ""
