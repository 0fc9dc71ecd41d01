"""Retrieval, intent and follow-ups on the mini glossary: what a learner sees in the answer."""

from __future__ import annotations

import pytest

from tutor.answer import EmptyQuestion
from tutor.conversation import Conversation
from tutor.intent import detect_intent, question_lang


@pytest.mark.parametrize("question, facet", [
    ("学习率太高会怎样", "too_high"),
    ("CFG scale 调太大会怎样", "too_high"),
    ("what happens if the learning rate is too high", "too_high"),
    ("那太低呢", "too_low"),
    ("lora 的 rank 设多少合适", "how_to_set"),
    ("how should I set batch size", "how_to_set"),
    ("xformers 怎么开", "how_to_set"),
    ("过拟合是什么", "definition"),
    ("what is a VAE", "definition"),
    ("举个例子", "example"),
    ("why does my loss keep bouncing", None),
])
def test_intent_facets(question: str, facet: str | None):
    assert detect_intent(question).facet == facet


def test_intent_compare_and_followup():
    assert detect_intent("batch size 和 batch count 有什么区别").compare
    assert detect_intent("overfitting vs underfitting").compare
    assert detect_intent("那太低呢").followup and detect_intent("what about too low?").followup
    assert detect_intent("和显存有什么关系").relation
    assert question_lang("CFG 是什么") == "zh" and question_lang("what is CFG") == "en"


def test_alias_linking_is_case_width_and_typo_tolerant(mini_tutor):
    link = lambda q: [found.term_id for found in mini_tutor.retriever.link(q)]  # noqa: E731
    assert link("ＬＲ 太高") == ["learning-rate"]
    assert link("Learning Rate too high") == ["learning-rate"]
    assert link("learnign rate too high") == ["learning-rate"]
    assert link("炸炉了怎么办") == ["overfitting"]
    assert link("what is its meaning") == []  # English words are not names
    assert link("learning rates for two epochs") == ["learning-rate", "epoch"]  # plurals


def test_chinese_question_gets_the_chinese_facet(mini_tutor):
    answer = mini_tutor.ask("学习率太高会怎样")
    assert answer.confident and answer.term.id == "learning-rate" and answer.facet == "too_high"
    assert "震荡" in answer.text and answer.lang == "zh"
    labels = {(n.relation, n.term.id) for n in answer.related}
    assert ("causes", "oscillation") in labels


def test_english_question_gets_english(mini_tutor):
    answer = mini_tutor.ask("what happens when the learning rate is too low")
    assert answer.term.id == "learning-rate" and answer.facet == "too_low" and "nothing is learned" in answer.text


def test_followups_resolve_against_the_focus_term(mini_tutor):
    chat = Conversation()
    assert mini_tutor.ask("学习率太高会怎样", chat).facet == "too_high"
    second = mini_tutor.ask("那太低呢", chat)
    assert second.term.id == "learning-rate" and second.facet == "too_low"
    assert mini_tutor.ask("batch size 是什么", chat).term.id == "batch-size"
    relation = mini_tutor.ask("和显存有什么关系", chat)
    assert relation.term.id == "batch-size" and relation.other.id == "vram"
    assert "越大越吃显存" in relation.text


def test_comparison_names_both_terms(mini_tutor):
    answer = mini_tutor.ask("过拟合和欠拟合有什么区别")
    assert answer.facet == "compare" and answer.term.id == "overfitting" and answer.other.id == "underfitting"
    assert "欠拟合" in answer.text and "过拟合" in answer.text


def test_out_of_scope_is_not_guessed(mini_tutor):
    answer = mini_tutor.ask("红烧肉怎么做才好吃")
    assert not answer.confident and answer.term is None
    assert "没有" in answer.text


@pytest.mark.parametrize("question", ["", "   ", "\n\t", "？？？", "\x00\x1b\x07"])
def test_empty_questions_are_refused(mini_tutor, question: str):
    with pytest.raises(EmptyQuestion):
        mini_tutor.ask(question)


def test_json_contract(mini_tutor):
    data = mini_tutor.ask("学习率太高会怎样").to_json()
    assert {"question", "confident", "answer", "term", "results", "related"} <= set(data)
    assert data["term"] == {"id": "learning-rate", "name_en": "Learning rate", "name_zh": "学习率",
                            "aliases": ["LR", "lr", "步长"]}
    first = data["results"][0]
    assert first["term"]["id"] == "learning-rate" and {"facet", "score", "passage"} <= set(first)
    assert any(r["relation"] == "causes" and r["direction"] == "out" and r["term"]["id"] == "oscillation"
               for r in data["related"])


def test_a_homophone_typo_is_answered_as_the_name_meant(mini_tutor):
    answer = mini_tutor.ask("学习律太高会怎样")
    assert answer.confident and answer.term.id == "learning-rate" and answer.facet == "too_high"
