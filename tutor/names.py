"""Normalising names so that "CFG Scale", "cfg-scale", "ＣＦＧ　ｓｃａｌｅ" and "cfgscale" meet."""

from __future__ import annotations

import re
import unicodedata

# Separators people type inconsistently inside names; "+" stays ("DPM++ 2M" is not "DPM 2M").
_SEPARATORS = re.compile(r"[\s\-_./·・,，:：'\"“”‘’()（）\[\]【】]+")


def normalize_name(text: str) -> str:
    """Fold width (NFKC), case and separators: the key under which names and aliases are matched."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


_NAME_PARTS = re.compile(r"\s*[/／(（)）]\s*")


def derived_names(name: str) -> list[str]:
    """The parts of a compound name: "低秩适应（LoRA）" -> 低秩适应, LoRA; "ESRGAN / Real-ESRGAN" -> both."""
    parts = [p.strip() for p in _NAME_PARTS.split(name) if len(p.strip()) > 1]
    return parts if len(parts) > 1 else []
