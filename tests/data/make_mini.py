"""Regenerates tests/data/mini.graphml, the small glossary the unit tests run on: python tests/data/make_mini.py"""

import json
from pathlib import Path

from tutor.graphml import RawGlossary, write_glossary


def term(name_en, name_zh, aliases, category, level, **texts):
    return {"name_en": name_en, "name_zh": name_zh, "aliases": json.dumps(aliases, ensure_ascii=False),
            "category": category, "level": level, **texts}


NODES = {
    "learning-rate": term(
        "Learning rate", "学习率", ["LR", "lr", "步长"], "training", 1,
        definition_zh="每次更新参数时迈出的步子有多大。", definition_en="How big a step each update takes.",
        too_high_zh="loss 来回震荡甚至发散，出图很快糊掉。", too_high_en="The loss bounces or diverges; samples fry quickly.",
        too_low_zh="loss 几乎不降，练很久也学不到东西。", too_low_en="The loss barely moves and nothing is learned.",
        how_to_set_zh="LoRA 常用 1e-4 左右。", how_to_set_en="Around 1e-4 for a LoRA."),
    "oscillation": term(
        "Loss oscillation", "损失震荡", ["loss 来回跳"], "fundamentals", 2,
        definition_zh="loss 忽高忽低、迟迟稳定不下来。", definition_en="The loss jumps up and down instead of settling."),
    "overfitting": term(
        "Overfitting", "过拟合", ["炸炉", "overfit"], "fundamentals", 1,
        definition_zh="模型把训练图背下来了，换个提示词就不会画。",
        definition_en="The model memorises its training images and stops generalising."),
    "underfitting": term(
        "Underfitting", "欠拟合", ["underfit"], "fundamentals", 1,
        definition_zh="模型还没学会训练数据里的特征。", definition_en="The model has not yet learned the data."),
    "batch-size": term(
        "Batch size", "批次大小", ["bs", "批量大小"], "fundamentals", 1,
        definition_zh="一次更新里同时看多少张图。", definition_en="How many images one update looks at.",
        too_high_zh="显存不够直接报错。", too_high_en="Out-of-memory errors.",
        too_low_zh="梯度噪声大，loss 抖得厉害。", too_low_en="Noisy gradients and a jumpy loss."),
    "vram": term(
        "VRAM", "显存", ["video memory"], "hardware", 1,
        definition_zh="显卡自带的内存，决定能跑多大的模型和批次。",
        definition_en="The graphics card's own memory; it limits model and batch size."),
    "epoch": term(
        "Epoch", "轮次", ["轮数"], "fundamentals", 1,
        definition_zh="把整个训练集完整过一遍叫一个 epoch。", definition_en="One full pass over the training set."),
    "convergence": term(
        "Convergence", "收敛", ["converge"], "fundamentals", 2,
        definition_zh="loss 逐渐稳定在一个低位，不再明显下降。", definition_en="The loss settles at a low level."),
}


def edge(source, target, relation, note_zh="", note_en="", **extra):
    attrs = {"relation": relation, **extra}
    if note_zh:
        attrs.update(note_zh=note_zh, note_en=note_en)
    return (source, target, attrs)


EDGES = [
    edge("learning-rate", "oscillation", "causes", "设太高时", "when set too high"),
    edge("learning-rate", "convergence", "affects", "决定收敛快慢", "sets how fast it converges", polarity="~"),
    edge("learning-rate", "overfitting", "causes", "太高且练太久", "too high for too long"),
    edge("overfitting", "underfitting", "contrasts_with", "一个学过头一个没学会", "too much vs too little"),
    edge("batch-size", "vram", "affects", "越大越吃显存", "bigger uses more VRAM", polarity="+"),
    edge("batch-size", "oscillation", "mitigates", "大批次梯度更平稳", "larger batches smooth gradients"),
    edge("epoch", "overfitting", "causes", "轮数太多", "too many epochs"),
    edge("epoch", "batch-size", "related_to"),
    edge("convergence", "oscillation", "contrasts_with"),
    edge("epoch", "convergence", "prerequisite_of"),
    edge("learning-rate", "underfitting", "causes", "太低时", "when set too low"),
    edge("vram", "epoch", "used_in", "显存决定每轮能塞多少图", "VRAM bounds each pass"),
]

if __name__ == "__main__":
    write_glossary(RawGlossary(NODES, EDGES), Path(__file__).with_name("mini.graphml"))
