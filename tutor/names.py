"""Normalising names so that "CFG Scale", "cfg-scale", "ＣＦＧ　ｓｃａｌｅ" and "cfgscale" meet."""

from __future__ import annotations

import re
import unicodedata

# Separators people type inconsistently inside names; "+" stays ("DPM++ 2M" is not "DPM 2M").
_SEPARATORS = re.compile(r"[\s\-_./·・,，:：'\"“”‘’()（）\[\]【】]+")


def normalize_name(text: str) -> str:
    """Fold width (NFKC), case and separators: the key under which names and aliases are matched."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


_BRACKETS = re.compile(r"\s*[(（)）]\s*")
_SLASH = re.compile(r"\s*[/／]\s*")


def derived_names(name: str) -> list[str]:
    """The parts of a compound name: "低秩适应（LoRA）" -> 低秩适应, LoRA; "ESRGAN / Real-ESRGAN" -> both.

    A slash splits only alternatives of the same shape: in "Max train steps / epochs" or "ControlNet start / end" the
    word after it finishes the phrase, and "epochs" or "end" alone would name the wrong thing.
    """
    parts = []
    for piece in (p.strip() for p in _BRACKETS.split(name)):
        alternatives = _SLASH.split(piece)
        if len({len(a.split()) > 1 for a in alternatives}) == 1:
            parts += alternatives
    return [p for p in parts if len(p) > 1 and p != name.strip()]
