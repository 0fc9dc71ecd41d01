"""Normalising names so that "CFG Scale", "cfg-scale", "ＣＦＧ　ｓｃａｌｅ" and "cfgscale" meet."""

from __future__ import annotations

import re
import unicodedata

# Separators people type inconsistently inside names; "+" stays ("DPM++ 2M" is not "DPM 2M").
_SEPARATORS = re.compile(r"[\s\-_./·・,，:：'\"“”‘’()（）\[\]【】]+")


def normalize_name(text: str) -> str:
    """Fold width (NFKC), case and separators: the key under which names and aliases are matched."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())
