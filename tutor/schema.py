"""The glossary's vocabulary: facets, categories and typed relations with their labels in both languages.

Everything that names a part of the GraphML schema lives here, so the reader, the validator, the answer composer
and the UI agree on one list.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("zh", "en")

CATEGORIES = (
    "fundamentals",
    "architecture",
    "generation",
    "sampler",
    "finetuning",
    "training",
    "dataset",
    "numerics",
    "hardware",
)

# Facets in the order a patient teacher would show them after answering the question itself.
FACETS = ("definition", "too_high", "too_low", "how_to_set", "analogy", "example", "pitfalls")

FACET_TITLES = {
    "definition": ("是什么", "What it is"),
    "too_high": ("设得太高会怎样", "If set too high"),
    "too_low": ("设得太低会怎样", "If set too low"),
    "how_to_set": ("怎么设置", "How to set it"),
    "analogy": ("打个比方", "Analogy"),
    "example": ("例子", "Example"),
    "pitfalls": ("常见误区", "Pitfalls"),
}

# Search-only fields: JSON arrays of the ways learners ask about a term without naming it ("画面一直在变停不下来").
# Each phrasing is indexed as its own passage (short texts are what the sentence encoder matches best); they are
# never shown as answer text.
ASKED_FIELDS = ("asked_zh", "asked_en")
ASKED_FACET = "asked"

REQUIRED_NODE_FIELDS = ("name_en", "name_zh", "aliases", "category", "level", "definition_zh", "definition_en")


@dataclass(frozen=True)
class RelationLabel:
    """How a relation reads from either end of an edge.

    Attributes:
        out_zh: Label shown on the source term for the target ("learning rate: 导致 oscillation").
        out_en: English counterpart of out_zh.
        in_zh: Label shown on the target term for the source ("oscillation: 成因 learning rate").
        in_en: English counterpart of in_zh.
    """

    out_zh: str
    out_en: str
    in_zh: str
    in_en: str

    def text(self, direction: str, lang: str) -> str:
        if direction == "out":
            return self.out_zh if lang == "zh" else self.out_en
        return self.in_zh if lang == "zh" else self.in_en


RELATIONS: dict[str, RelationLabel] = {
    "is_a": RelationLabel("是一种", "is a kind of", "具体类型", "kinds"),
    "part_of": RelationLabel("组成部分（属于）", "part of", "包含的部分", "has part"),
    "prerequisite_of": RelationLabel("接下来可学", "leads on to", "前置知识", "prerequisite"),
    "parameter_of": RelationLabel("是其参数", "parameter of", "相关参数", "parameters"),
    "affects": RelationLabel("影响", "affects", "受其影响", "affected by"),
    "causes": RelationLabel("导致", "causes", "成因", "caused by"),
    "mitigates": RelationLabel("缓解", "mitigates", "缓解手段", "mitigated by"),
    "measured_by": RelationLabel("衡量指标", "measured by", "用来衡量", "measures"),
    "used_in": RelationLabel("用于", "used in", "用到", "uses"),
    "contrasts_with": RelationLabel("易混淆/对比", "contrasts with", "易混淆/对比", "contrasts with"),
    "related_to": RelationLabel("相关", "related to", "相关", "related to"),
}

SYMMETRIC_RELATIONS = frozenset({"contrasts_with", "related_to"})
POLARITIES = ("+", "-", "~")
FALLBACK_RELATION = "related_to"
MAX_FALLBACK_SHARE = 0.15
