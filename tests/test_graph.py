"""The shipped glossary: complete, valid, stable on disk, and answering graph queries with typed relations."""

from __future__ import annotations

import networkx as nx
import pytest

from tutor.check import check_glossary
from tutor.graph import TermGraph
from tutor.graphml import format_glossary, read_glossary
from tutor.locations import BUNDLED_GRAPH
from tutor.names import derived_names

STARRED = """overfitting underfitting convergence loss loss-function hyperparameter pipeline epoch batch-size step
tensor checkpoint embedding activation-function weight learning-rate gradient-descent sgd diffusion-model latent-space
unet vae text-encoder clip safetensors prompt negative-prompt token tokenizer prompt-weighting cfg-scale sampling-steps
sampler seed ensd txt2img img2img denoising-strength inpainting hires-fix upscaler clip-skip interrogate controlnet
model-merging dreambooth regularization-images textual-inversion lora lr-scheduler warmup optimizer repeats
network-rank network-alpha noise-offset captioning mixed-precision fp16 bf16 fp32 gradient-checkpointing vram gpu
cuda""".split()
KNOBS = """learning-rate cfg-scale sampling-steps denoising-strength batch-size network-rank network-alpha noise-offset
lora-weight clip-skip epoch repeats controlnet-weight""".split()


@pytest.fixture(scope="module")
def graph() -> TermGraph:
    return TermGraph.load(BUNDLED_GRAPH)


def test_the_shipped_glossary_passes_the_strict_check():
    raw = read_glossary(BUNDLED_GRAPH)
    assert check_glossary(raw) == []
    assert len(raw.nodes) >= 230


def test_every_starred_term_is_there_in_both_languages(graph: TermGraph):
    missing = [t for t in STARRED if t not in graph.terms]
    assert not missing
    for term_id in STARRED:
        term = graph.terms[term_id]
        assert term.text("definition", "zh") and term.text("definition", "en") and term.aliases


@pytest.mark.parametrize("term_id", KNOBS)
def test_every_knob_says_what_too_high_and_too_low_look_like(graph: TermGraph, term_id: str):
    assert {"too_high", "too_low", "how_to_set"} <= set(graph.terms[term_id].facets)


@pytest.mark.parametrize("name, term_id", [
    ("learning-rate", "learning-rate"), ("LR", "learning-rate"), ("学习率", "learning-rate"),
    ("ＣＦＧ", "cfg-scale"), ("cfg", "cfg-scale"), ("炸炉", "overfitting"), ("咒语", "prompt"),
    ("底模", "base-model"), ("炼丹", "training"), ("重绘幅度", "denoising-strength"), ("Hires fix", "hires-fix"),
])
def test_lookup_by_id_name_alias_and_slang(graph: TermGraph, name: str, term_id: str):
    assert graph.find(name).id == term_id


def test_neighbours_are_typed_in_both_directions(graph: TermGraph):
    out = {(n.relation, n.direction, n.term.id): n for n in graph.neighbours("learning-rate")}
    causes = next(n for key, n in out.items() if key[:2] == ("causes", "out") and key[2] == "oscillation")
    assert causes.label("zh") == "导致" and causes.label("en") == "causes" and causes.note("zh")
    back = {(n.relation, n.direction, n.term.id) for n in graph.neighbours("oscillation")}
    assert ("causes", "in", "learning-rate") in back
    assert next(n for n in graph.neighbours("oscillation") if n.term.id == "learning-rate").label("zh") == "成因"


def test_prerequisites_come_before_what_needs_them(graph: TermGraph):
    plan = [t.id for t in graph.prerequisites("lora")]
    edges = [(s, t) for s, t, r in graph.graph.edges(data="relation") if r == "prerequisite_of"]
    position = {term_id: i for i, term_id in enumerate(plan)}
    assert plan and all(position[s] < position[t] for s, t in edges if s in position and t in position)
    assert nx.is_directed_acyclic_graph(nx.DiGraph(edges))


def test_kinds_follow_is_a_transitively(graph: TermGraph):
    assert graph.kinds("euler-a") == {"ancestral-sampler": 1, "sampler": 2}
    assert graph.kinds("sampler") == {}


def test_the_file_is_written_in_its_canonical_order():
    text = BUNDLED_GRAPH.read_text(encoding="utf-8")
    assert format_glossary(read_glossary(BUNDLED_GRAPH)) == text


def test_other_tools_can_read_it():
    graph = nx.read_graphml(BUNDLED_GRAPH, force_multigraph=True)
    assert graph.nodes["vae"]["name_zh"].startswith("变分自编码器") and graph.number_of_edges() > 700


@pytest.mark.parametrize("name, parts", [
    ("低秩适应（LoRA）", ["低秩适应", "LoRA"]),
    ("ESRGAN / Real-ESRGAN", ["ESRGAN", "Real-ESRGAN"]),
    ("Low-VRAM modes (--medvram / --lowvram)", ["Low-VRAM modes", "--medvram", "--lowvram"]),
    ("Max train steps / epochs", []),  # "epochs" alone would name the epoch, not this option
    ("ControlNet start / end (guidance range)", ["guidance range"]),
])
def test_compound_names_answer_to_their_parts_but_not_to_fragments(name: str, parts: list[str]):
    assert derived_names(name) == parts
