"""`hashing`: deterministic feature hashing, the model that is always there.

Not semantic. A text's features are its lower-cased words and the character trigrams of
each word (`<wo`, `wor`, `ord`, `rd>`); each feature is hashed (BLAKE2b, so the same on
every machine and in every process, unlike `hash()`) to one of `dimensions` slots with a
sign, the signed counts are summed, damped (square root, so that the hundred "the"s of a
long text do not drown its rarer words) and the vector is scaled to unit length. Texts
that share words or spellings come out close; synonyms do not. A list of token ids
hashes each id.

It costs microseconds, needs nothing but numpy, and gives the same vector for the same
input forever: what tests, CI and cassettes need. `usage` counts the features' words
(or the ids), the tokens this model reads.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from orq_router_server.backends import Embedded, Job
from orq_router_server.request import Input

__all__ = ["HashingBackend", "embed", "embed_rows", "tokens"]

_WORD: Final = re.compile(r"\w+|[^\w\s]")
_INLINE_LIMIT: Final = 4096
"""Jobs of at most this many characters (or ids) are hashed on the event loop, where they
take well under a millisecond; larger ones in a worker thread, so others are not held up."""


def tokens(text: str) -> list[str]:
    """The words (and punctuation marks) of a text, lower-cased: what `usage` counts."""
    return _WORD.findall(text.lower())


def _features(item: Input) -> tuple[list[str], int]:
    if not isinstance(item, str):
        return [f"#{token}" for token in item], len(item)
    words = tokens(item)
    features = [f"w:{word}" for word in words]
    for word in words:
        padded = f"<{word}>"
        features += [f"c:{padded[i : i + 3]}" for i in range(len(padded) - 2)]
    if not features:  # only whitespace: the text itself is the one feature
        features = [f"t:{item}"]
    return features, len(words)


@functools.lru_cache(maxsize=1 << 16)
def _hash(feature: str) -> int:
    digest = hashlib.blake2b(feature.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def embed(inputs: Sequence[Input], dimensions: int) -> tuple[npt.NDArray[np.float32], int]:
    """Unit vectors of `dimensions` float32 values, one per input, and the token count."""
    matrix, counts = embed_rows(inputs, dimensions)
    return matrix, sum(counts)


def embed_rows(
    inputs: Sequence[Input], dimensions: int
) -> tuple[npt.NDArray[np.float32], tuple[int, ...]]:
    """`embed`, with each input's own token count (what the per-input cache keeps)."""
    matrix = np.zeros((len(inputs), dimensions), dtype=np.float64)
    row_tokens: list[int] = []
    for row, item in enumerate(inputs):
        features, count = _features(item)
        row_tokens.append(count)
        hashes = np.fromiter((_hash(feature) for feature in features), dtype=np.uint64)
        slots = (hashes % np.uint64(dimensions)).astype(np.intp)
        signs = np.where((hashes >> np.uint64(63)) == 1, -1.0, 1.0)
        counts = np.bincount(slots, weights=signs, minlength=dimensions)
        matrix[row] = np.sign(counts) * np.sqrt(np.abs(counts))
    norms = np.linalg.norm(matrix, axis=1)
    # Features that cancel out exactly leave a zero row: give it its first feature's slot.
    for empty in np.flatnonzero(norms == 0).tolist():
        matrix[empty, _hash(_features(inputs[empty])[0][0]) % dimensions] = 1.0
        norms[empty] = 1.0
    matrix /= norms[:, None]
    return matrix.astype(np.float32), tuple(row_tokens)


class HashingBackend:
    """A `hashing` model of a given width."""

    def __init__(self, dimensions: int) -> None:
        self._dimensions = dimensions

    @property
    def dimensions(self) -> int:
        return self._dimensions

    async def embed(self, job: Job, attempt: int) -> Embedded:
        if sum(len(item) for item in job.inputs) <= _INLINE_LIMIT:
            vectors, counts = embed_rows(job.inputs, self._dimensions)
        else:
            vectors, counts = await asyncio.to_thread(embed_rows, job.inputs, self._dimensions)
        return Embedded(vectors=vectors, prompt_tokens=sum(counts), row_tokens=counts)
