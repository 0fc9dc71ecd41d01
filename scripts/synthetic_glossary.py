"""Synthetic glossaries of any size, for scale benchmarks: python scripts/synthetic_glossary.py 10000 out.graphml

Terms get bilingual names, aliases, definitions and one or two facets assembled from a domain vocabulary, and
3-4 typed edges each (prerequisite_of only from older to newer terms, so the result stays acyclic). Deterministic
for a given size and seed. The text is plausible, not true: it exercises size, not content.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor.graphml import RawGlossary, write_glossary  # noqa: E402
from tutor.schema import CATEGORIES  # noqa: E402

ADJ = [("adaptive", "自适应"), ("sparse", "稀疏"), ("stochastic", "随机"), ("latent", "潜空间"), ("layered", "分层"),
       ("residual", "残差"), ("dynamic", "动态"), ("low-rank", "低秩"), ("tiled", "分块"), ("guided", "引导式"),
       ("quantized", "量化"), ("progressive", "渐进式"), ("masked", "掩码"), ("noisy", "加噪"), ("cached", "缓存"),
       ("mixed", "混合"), ("regional", "分区"), ("weighted", "加权"), ("cyclic", "循环"), ("conditional", "条件")]
NOUN = [("sampler", "采样器"), ("scheduler", "调度器"), ("encoder", "编码器"), ("normalization", "归一化"),
        ("attention", "注意力"), ("optimizer", "优化器"), ("upscaler", "放大算法"), ("adapter", "适配器"),
        ("tagger", "标签器"), ("regularizer", "正则项"), ("merge", "融合"), ("embedding", "嵌入"),
        ("checkpointing", "检查点"), ("augmentation", "数据增强"), ("noise schedule", "噪声调度"), ("loss", "损失")]
GOAL = [("reduce VRAM use", "降低显存占用"), ("keep colours stable", "让颜色更稳定"), ("speed up sampling", "加快采样"),
        ("avoid overfitting", "避免过拟合"),
        ("sharpen fine detail", "让细节更锐利"), ("follow the prompt", "更贴合提示词"),
        ("train on small datasets", "在小数据集上训练"), ("fix broken hands", "修复崩坏的手")]
CONTEXT = [("LoRA training", "LoRA 训练"), ("txt2img", "文生图"), ("img2img", "图生图"), ("hires fix", "高分辨率修复"),
           ("SDXL fine-tuning", "SDXL 微调"), ("ControlNet", "ControlNet")]
RELATIONS = ["is_a", "part_of", "parameter_of", "affects", "causes", "mitigates", "used_in", "contrasts_with",
             "measured_by"]


def make_term(i: int, rng: random.Random) -> dict[str, object]:
    (a1, z1), (a2, z2) = rng.sample(ADJ, 2)
    noun, znoun = rng.choice(NOUN)
    (goal, zgoal), (ctx, zctx) = rng.choice(GOAL), rng.choice(CONTEXT)
    name_en = f"{a1.capitalize()} {a2} {noun} {i}"
    name_zh = f"{z1}{z2}{znoun} {i}"
    attrs: dict[str, object] = {
        "name_en": name_en, "name_zh": name_zh, "category": rng.choice(CATEGORIES), "level": rng.randint(1, 3),
        "aliases": json.dumps([f"{a1[0]}{a2[0]}{noun[0]}-{i}".upper(), f"{z1}{znoun}{i}号"],
                              ensure_ascii=False),
        "definition_en": f"{name_en} is a {a2} {noun} used in {ctx} to {goal}. It trades a little speed for "
                         f"stability and is usually left at its default.",
        "definition_zh": f"{name_zh} 是{zctx}里用来{zgoal}的一种{z2}{znoun}，用一点速度换稳定性，一般保持默认即可。",
    }
    if rng.random() < 0.4:
        attrs["too_high_en"] = f"Set too high, {name_en} makes images {rng.choice(['blurry', 'oversaturated'])}."
        attrs["too_high_zh"] = f"{name_zh} 设太高时出图会{rng.choice(['发糊', '过饱和'])}。"
    return attrs


def make_glossary(n: int, seed: int = 7) -> RawGlossary:
    rng = random.Random(seed)
    ids = [f"syn-{i}" for i in range(n)]
    nodes = {term_id: make_term(i, rng) for i, term_id in enumerate(ids)}
    edges, seen = [], set()
    for i, source in enumerate(ids):
        targets = [("prerequisite_of", ids[rng.randrange(i)])] if i else []
        for _ in range(2):
            j = min(n - 1, max(0, i + rng.randint(-50, 50)))
            targets.append((rng.choice(RELATIONS), ids[j]))
        for relation, target in targets:
            if target == source:
                continue
            key = (min(source, target), max(source, target)) if relation == "contrasts_with" else (source, target)
            if (key, relation) in seen:
                continue
            seen.add((key, relation))
            attrs = {"relation": relation, "note_zh": "合成数据", "note_en": "synthetic"}
            if relation == "affects":
                attrs["polarity"] = rng.choice("+-~")
            if relation == "prerequisite_of":
                source, target = target, source  # older -> newer keeps prerequisites acyclic
            edges.append((source, target, attrs))
    return RawGlossary(nodes, edges)


if __name__ == "__main__":
    size, out = int(sys.argv[1]), Path(sys.argv[2])
    write_glossary(make_glossary(size), out)
    print(f"{out}: {size} terms")
