"""Chinese input-method typos: a name typed with a wrong character that sounds the same.

Pinyin input methods make exactly this mistake: "学习律" for 学习率, "欠拟和" for 欠拟合, "彩样器" for 采样器. A window
of the question matches a name when it has the name's length, differs from it in one or two characters ("过你和": an
input method that does not know the word picks common characters), and each of those shares a toneless reading with
the name's. Candidates come from wildcard keys (the name with those characters blanked), so readings are looked up,
and pypinyin's table imported, only for a window that already matches the rest of a name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from itertools import combinations

MIN_CHARS = 3  # two-character words have too many true homophones ("现存" is not a typo of 显存)
# Wrong characters per name: two in a short name ("过你和"), one in a longer one, where a second is rarely needed and
# would multiply the wildcards to try per window.
MAX_WRONG_SHORT, SHORT = 2, 4
_BLANK = "\0"


def _is_han(text: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


class HomophoneMatcher:
    """Finds homophone typos of a fixed set of names (folded, as the question's Han characters are)."""

    def __init__(self, names: Iterable[str]):
        self.names = {n for n in names if len(n) >= MIN_CHARS and _is_han(n)}
        self.longest = max(map(len, self.names), default=0)
        self._wildcards: dict[str, list[str]] = {}
        for name in self.names:
            for blanks in _blank_sets(len(name)):
                self._wildcards.setdefault(_blanked(name, blanks), []).append(name)

    def matches(self, units: list[str]) -> list[tuple[str, int, int]]:
        """(name, start, end) for every window of Han units [start, end) that is a homophone typo of a name."""
        found = []
        for start in range(len(units)):
            for end in range(start + MIN_CHARS, min(len(units), start + self.longest) + 1):
                window = "".join(units[start:end])
                if not _is_han(window):
                    break
                found += [(name, start, end) for name in self._typo_of(window)]
        return found

    def _typo_of(self, window: str) -> list[str]:
        if window in self.names:
            return []
        return list(dict.fromkeys(
            name for blanks in _blank_sets(len(window)) for name in self._wildcards.get(_blanked(window, blanks), ())
            if all(_sounds_alike(window[i], name[i]) for i in blanks)))


def _blank_sets(size: int) -> list[tuple[int, ...]]:
    most = MAX_WRONG_SHORT if size <= SHORT else 1
    return [blanks for wrong in range(1, most + 1) for blanks in combinations(range(size), wrong)]


def _blanked(text: str, blanks: tuple[int, ...]) -> str:
    return "".join(_BLANK if i in blanks else c for i, c in enumerate(text))


def _sounds_alike(a: str, b: str) -> bool:
    return bool(_readings(a) & _readings(b))


@cache
def _readings(char: str) -> frozenset[str]:
    """Toneless pinyin readings of a character ("和" -> he, hu, huo); empty for characters pypinyin does not know."""
    marked = _pinyin_table().get(str(ord(char)), "")
    return frozenset(_toneless(r) for r in marked.split(",") if r)


@cache
def _pinyin_table() -> dict[str, str]:
    """pypinyin's character table, read from its JSON file: importing pypinyin itself also loads its phrase
    dictionaries, 55 MB for a table of 11."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pypinyin")  # finds the package without running it
    table = Path(next(iter(spec.submodule_search_locations or ()), "")) / "pinyin_dict.json" if spec else None
    if table and table.is_file():
        return json.loads(table.read_text(encoding="utf-8"))
    try:
        from pypinyin.pinyin_dict import pinyin_dict  # a layout without the JSON file
    except ImportError:  # without pypinyin, homophone typos are simply not caught
        return {}
    return {str(code): readings for code, readings in pinyin_dict.items()}


def _toneless(reading: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
