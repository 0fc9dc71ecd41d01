"""Chinese input-method typos: a name typed with characters that sound the same still finds its term."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tutor import homophones
from tutor.homophones import HomophoneMatcher

NAMES = ["学习率", "过拟合", "欠拟合", "重绘幅度", "负面提示词", "显存"]


@pytest.fixture(scope="module")
def matcher() -> HomophoneMatcher:
    return HomophoneMatcher(NAMES)


@pytest.mark.parametrize("typed, meant", [
    ("学习律太高", "学习率"),  # one wrong character
    ("丹好像过你和了", "过拟合"),  # two wrong characters in a short name
    ("重回幅度设多少", "重绘幅度"),
    ("负面提示次要写哪些", "负面提示词"),
])
def test_a_homophone_typo_finds_the_name(matcher, typed: str, meant: str):
    assert [name for name, _, _ in matcher.matches(list(typed))] == [meant]


@pytest.mark.parametrize("text", [
    "过拟合怎么办",  # spelled right: an exact match, not a typo
    "欠拟合和过拟合",  # 欠 and 过 do not sound alike
    "现存的问题",  # two-character names are not guessed: too many true homophones
    "负面提示很重要",  # a different character count is not a typo of the name
])
def test_no_typo_is_invented(matcher, text: str):
    assert matcher.matches(list(text)) == []


def test_without_pypinyin_typos_are_missed_not_fatal(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.setitem(sys.modules, "pypinyin", None)  # "import pypinyin" now fails
    homophones._pinyin_table.cache_clear()
    homophones._readings.cache_clear()
    try:
        assert HomophoneMatcher(["学习率"]).matches(list("学习律")) == []
    finally:
        homophones._pinyin_table.cache_clear()
        homophones._readings.cache_clear()
