"""Study plans: every prerequisite, each after what it needs, the target last, known terms ticked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.graph import TermGraph
from tutor.graphml import RawGlossary
from tutor.plan import PlanError, study_plan
from tutor.store import Store

from .conftest import run_cli

MINI = Path(__file__).parent / "data" / "mini.graphml"


@pytest.fixture(scope="module")
def mini() -> TermGraph:
    return TermGraph.load(MINI)


def _node(name: str, level: int) -> dict[str, object]:
    return {"name_en": name.title(), "name_zh": f"词{name}", "aliases": "[]", "category": "training",
            "level": level, "definition_zh": f"{name} 的定义。", "definition_en": f"What {name} is."}


@pytest.fixture(scope="module")
def ladder() -> TermGraph:
    """lora needs finetuning and rank; finetuning needs training; rank needs matrix; training needs gradient,
    which needs matrix too: a diamond, so order matters, not just membership."""
    levels = {"gradient": 1, "matrix": 1, "training": 1, "rank": 2, "finetuning": 2, "lora": 3, "noise": 1}
    needs = [("gradient", "training"), ("matrix", "gradient"), ("matrix", "rank"), ("training", "finetuning"),
             ("finetuning", "lora"), ("rank", "lora"), ("noise", "gradient")]
    raw = RawGlossary({n: _node(n, lv) for n, lv in levels.items()},
                      [(a, b, {"relation": "prerequisite_of"}) for a, b in needs])
    return TermGraph(raw, "<ladder>")


def test_a_term_comes_after_everything_it_needs_and_the_target_is_last(ladder: TermGraph) -> None:
    plan = study_plan(ladder, "lora", set())
    order = [s.term.id for s in plan.steps]
    assert sorted(order) == ["finetuning", "gradient", "lora", "matrix", "noise", "rank", "training"]
    assert order[-1] == "lora" and plan.target.id == "lora"
    for before, after in [("matrix", "gradient"), ("noise", "gradient"), ("gradient", "training"),
                          ("matrix", "rank"), ("training", "finetuning")]:
        assert order.index(before) < order.index(after), (before, after)
    assert [s.level for s in plan.steps] == [ladder.terms[t].level for t in order]


def test_only_what_the_target_needs_is_in_the_plan(ladder: TermGraph) -> None:
    assert [s.term.id for s in study_plan(ladder, "rank", set()).steps] == ["matrix", "rank"]


def test_known_terms_stay_in_the_plan_ticked(ladder: TermGraph) -> None:
    plan = study_plan(ladder, "training", {"matrix", "unrelated"})
    assert [(s.term.id, s.known) for s in plan.steps] == [
        ("matrix", True), ("noise", False), ("gradient", False), ("training", False)]
    assert [s.term.id for s in plan.to_learn] == ["noise", "gradient", "training"]


def test_the_mini_glossary_plan_by_id_name_and_alias(mini: TermGraph) -> None:
    for target in ("convergence", "Convergence", "收敛", "converge"):
        plan = study_plan(mini, target, set())
        assert [(s.term.id, s.level) for s in plan.steps] == [("epoch", 1), ("convergence", 2)]
    assert [s.term.id for s in study_plan(mini, "LR", set()).steps] == ["learning-rate"]


def test_json_names_the_target_and_each_step(mini: TermGraph) -> None:
    data = study_plan(mini, "收敛", {"epoch"}).to_json()
    assert data["target"] == {"id": "convergence", "name_en": "Convergence", "name_zh": "收敛",
                              "aliases": ["converge"]}
    assert [(s["term"]["id"], s["level"], s["known"]) for s in data["steps"]] == [
        ("epoch", 1, True), ("convergence", 2, False)]


def test_an_unknown_target_suggests_close_names(mini: TermGraph) -> None:
    with pytest.raises(PlanError, match=r"no term called 'Convergance'.*Convergence \(收敛\)"):
        study_plan(mini, "Convergance", set())
    with pytest.raises(PlanError, match="tutor ask"):
        study_plan(mini, "quantum chromodynamics", set())
    with pytest.raises(PlanError, match="no target given"):
        study_plan(mini, "  ", set())


def test_plan_command_ticks_what_the_learner_marked_known(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path))
    assert run_cli("plan", "收敛") == 0
    out = capsys.readouterr().out
    assert "[ ] 轮次 · Epoch" in out and "收敛 · Convergence  (level 2)  ← target" in out
    assert not (tmp_path / "tutor.sqlite3").exists()  # planning records nothing
    with Store.open() as store:
        store.mark_known("epoch")
    assert run_cli("plan", "Convergence", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [(s["term"]["id"], s["known"]) for s in data["steps"]] == [("epoch", True), ("convergence", False)]
    assert run_cli("plan", "loss", "oscillation") == 0  # a name with a space needs no quotes
    assert "has no prerequisites" in capsys.readouterr().out
