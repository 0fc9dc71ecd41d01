"""The search index: one passage per (term, facet, language) plus a names passage per term, embedded into FAISS
and tokenised into BM25, saved as a folder with a manifest.

Layout: `<index>/CURRENT` names the build folder in use (`<index>/<build>/`: manifest.json, passages.json,
vectors.faiss, bm25.npz, bm25_vocab.json). A build is written to a temporary folder and published by replacing
CURRENT atomically, so an interrupted build leaves the previous index in use. The manifest records the model, the
dimensions, the glossary's content hash and a checksum of every file: an index that is stale (other glossary or
model) or corrupt is never used.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .atomic import atomic_write_text
from .embedding import DEFAULT_MODEL, Embedder, build_embedder, model_id
from .graph import TermGraph
from .lexical import BM25, Segmenter
from .schema import ASKED_FACET, LANGS

FORMAT_VERSION = 1
NAMES_FACET = "names"


class IndexUnusable(Exception):
    """The index on disk is missing, stale or corrupt; the reason says which."""


@dataclass(frozen=True)
class Passage:
    """A searchable text and where it came from."""

    term_id: str
    facet: str
    lang: str
    text: str


def passages(graph: TermGraph) -> list[Passage]:
    """Every passage of the glossary, in a stable order (terms by id, facets in schema order)."""
    out = []
    for term_id in sorted(graph.terms):
        term = graph.terms[term_id]
        out.append(_passage(graph, term_id, NAMES_FACET, "mul"))
        out += [_passage(graph, term_id, facet, lang) for facet in term.facets for lang in LANGS]
        out += [Passage(term_id, ASKED_FACET, lang, text) for lang, asked in term.asked.items() for text in asked]
    return out


def segmenter_for(graph: TermGraph) -> Segmenter:
    return Segmenter(name for term in graph.terms.values() for name in term.all_names)


@dataclass
class SearchIndex:
    """A loaded index. Passage texts come from the glossary, which the manifest's hash guarantees matches."""

    manifest: dict[str, Any]
    passages: list[Passage]
    vectors: Any  # a faiss.Index
    bm25: BM25
    segmenter: Segmenter

    def dense(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        scores, ids = self.vectors.search(query_vector.reshape(1, -1).astype(np.float32), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def lexical(self, text: str, k: int) -> list[tuple[int, float]]:
        scores = self.bm25.scores(self.segmenter.tokens(text))
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k else np.array([], dtype=np.int64)
        return [(int(i), float(scores[i])) for i in top[np.argsort(-scores[top])] if scores[i] > 0]


def build_index(graph: TermGraph, folder: Path, model: str = DEFAULT_MODEL, progress: bool = False,
                embedder: Embedder | None = None) -> SearchIndex:
    """Embed and tokenise every passage, then publish the new build atomically."""
    import faiss

    items = passages(graph)
    embedder = embedder or build_embedder(model, show_progress=progress)
    vectors = embedder.encode([p.text for p in items])
    faiss.normalize_L2(vectors)
    flat = vector_index(vectors)
    segmenter = segmenter_for(graph)
    bm25 = BM25.build([segmenter.tokens(p.text) for p in items])
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=folder))
    try:
        faiss.write_index(flat, str(tmp / "vectors.faiss"))
        bm25.save(tmp)
        (tmp / "passages.json").write_text(json.dumps([[p.term_id, p.facet, p.lang] for p in items]))
        manifest = {"format": FORMAT_VERSION, "model_id": embedder.model_id, "dim": int(vectors.shape[1]),
                    "graph_hash": graph.content_hash, "passages": len(items), "faiss": type(flat).__name__,
                    "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "files": {f.name: _sha256(f) for f in sorted(tmp.iterdir())}}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
        build = f"build-{graph.content_hash[:12]}-{hashlib.sha256(embedder.model_id.encode()).hexdigest()[:8]}" \
                f"-{time.time_ns():x}"  # unique: a rebuild never touches the build CURRENT points to
        _publish(folder, tmp, build)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return SearchIndex(manifest, items, flat, bm25, segmenter)


# Exact search scans every vector: ~10 ms for 100k 512-d vectors on 2 cores. Beyond that, HNSW answers in ~1 ms
# with recall@10 > 0.98 (scripts/bench_scale.py measures both on the same vectors).
EXACT_LIMIT = 100_000
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 80, 1024


def vector_index(vectors: np.ndarray) -> Any:
    """Exact inner product up to EXACT_LIMIT vectors, HNSW beyond."""
    import faiss

    if len(vectors) <= EXACT_LIMIT:
        index = faiss.IndexFlatIP(vectors.shape[1])
    else:
        index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.add(vectors)
    _tune(index)
    return index


def _tune(index: Any) -> None:
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = HNSW_EF_SEARCH


def _publish(folder: Path, tmp: Path, build: str) -> None:
    """Rename the finished build into place, point CURRENT at it (atomic), then drop the older builds."""
    tmp.rename(folder / build)
    atomic_write_text(folder / "CURRENT", build + "\n")
    for old in folder.glob("build-*"):
        if old.name != build:
            shutil.rmtree(old, ignore_errors=True)


def load_index(graph: TermGraph, folder: Path, model: str = DEFAULT_MODEL) -> SearchIndex:
    """Load the published index; raise IndexUnusable if it is missing, stale or corrupt."""
    import faiss

    try:
        build = folder / (folder / "CURRENT").read_text().strip()
        manifest = json.loads((build / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise IndexUnusable(f"no readable index in {folder} ({exc.__class__.__name__})") from exc
    _check_fresh(manifest, graph, model)
    for name, digest in manifest.get("files", {}).items():
        if not (build / name).is_file() or _sha256(build / name) != digest:
            raise IndexUnusable(f"{build / name} is missing or corrupt (checksum mismatch)")
    try:
        ids = json.loads((build / "passages.json").read_text())
        vectors = faiss.read_index(str(build / "vectors.faiss"))
        _tune(vectors)
        bm25 = BM25.load(build)
        items = _passages_by_id(graph, ids)
    except Exception as exc:  # noqa: BLE001 - any failure to read back means: rebuild
        raise IndexUnusable(f"{build} cannot be read ({exc})") from exc
    return SearchIndex(manifest, items, vectors, bm25, segmenter_for(graph))


def _check_fresh(manifest: dict[str, Any], graph: TermGraph, model: str) -> None:
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexUnusable("the index was written by another version of tutor")
    if manifest.get("graph_hash") != graph.content_hash:
        raise IndexUnusable("the glossary changed since the index was built")
    if manifest.get("model_id") != model_id(model):
        raise IndexUnusable(f"the index was built with {manifest.get('model_id')}, not {model_id(model)}")


def _passages_by_id(graph: TermGraph, ids: list[list[str]]) -> list[Passage]:
    """Passages from their (term, facet, lang) ids; the n-th 'asked' id of a term is its n-th phrasing."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for term_id, facet, lang in ids:
        if facet == ASKED_FACET:
            n = seen[(term_id, lang)] = seen.get((term_id, lang), -1) + 1
            out.append(Passage(term_id, facet, lang, graph.terms[term_id].asked[lang][n]))
        else:
            out.append(_passage(graph, term_id, facet, lang))
    return out


def _passage(graph: TermGraph, term_id: str, facet: str, lang: str) -> Passage:
    term = graph.terms[term_id]
    if facet == NAMES_FACET:
        return Passage(term_id, facet, lang, " / ".join(term.all_names))
    return Passage(term_id, facet, lang, f"{term.name(lang)}: {term.text(facet, lang)}")


def open_index(graph: TermGraph, folder: Path, model: str = DEFAULT_MODEL,
               on_rebuild: Callable[[str], None] | None = None) -> SearchIndex:
    """The index for this glossary and model: loaded if sound, otherwise rebuilt (and the reason reported)."""
    try:
        return load_index(graph, folder, model)
    except IndexUnusable as reason:
        if on_rebuild:
            on_rebuild(str(reason))
        return build_index(graph, folder, model)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
