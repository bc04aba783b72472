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
import itertools
import math
import re
from collections.abc import Iterator, Sequence
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
    """The words (and punctuation marks) of a text, lower-cased: what `usage` counts.

    `_WORD.findall` of the lower-cased text, found piece by piece between whitespace (no
    match spans whitespace, and `str.split` and `\\s` split on the same characters): a
    piece of ASCII letters and digits is one word as it is, without the regex, which
    costs several times as much; any other piece is handed to the regex.
    """
    found: list[str] = []
    for piece in text.lower().split():
        if piece.isascii() and piece.isalnum():
            found.append(piece)
        else:
            found += _WORD.findall(piece)
    return found


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


@functools.lru_cache(maxsize=1 << 16)
def _signed_slot(feature: str, dimensions: int) -> tuple[int, int]:
    """Where a feature counts, and with which sign: its hash modulo the width, its top bit."""
    hashed = _hash(feature)
    return hashed % dimensions, -1 if hashed >> 63 else 1


@functools.lru_cache(maxsize=1 << 15)
def _word(word: str, dimensions: int) -> tuple[int, ...]:
    """A word's features (the word, its trigrams) as signed slots, `2 * slot + negative`:
    each word is hashed once, however often it comes back."""
    padded = f"<{word}>"
    features = [f"w:{word}", *(f"c:{padded[i : i + 3]}" for i in range(len(padded) - 2))]
    return tuple(_code(feature, dimensions) for feature in features)


def _code(feature: str, dimensions: int) -> int:
    slot, sign = _signed_slot(feature, dimensions)
    return 2 * slot + (sign < 0)


def _codes(item: Input, dimensions: int) -> tuple[npt.NDArray[np.intp], int]:
    """An input's features as signed slots, and its token count."""
    if isinstance(item, str):
        words = tokens(item)
        found: Iterator[int]
        if words:
            found = itertools.chain.from_iterable([_word(word, dimensions) for word in words])
        else:  # only whitespace: the text itself is the one feature
            found = iter((_code(f"t:{item}", dimensions),))
        return np.fromiter(found, dtype=np.intp), len(words)
    codes = (_code(f"#{token}", dimensions) for token in item)
    return np.fromiter(codes, dtype=np.intp, count=len(item)), len(item)


def embed(inputs: Sequence[Input], dimensions: int) -> tuple[npt.NDArray[np.float32], int]:
    """Unit vectors of `dimensions` float32 values, one per input, and the token count."""
    matrix, counts = embed_rows(inputs, dimensions)
    return matrix, sum(counts)


def embed_rows(
    inputs: Sequence[Input], dimensions: int
) -> tuple[npt.NDArray[np.float32], tuple[int, ...]]:
    """`embed`, with each input's own token count (what the per-input cache keeps).

    Each row's signed counts are integers, so however they are summed they are the same:
    the vector of hashing every feature into a float64 array, one by one.
    """
    if len(inputs) == 1:
        row, count = _embed_one(inputs[0], dimensions)
        return row, (count,)
    matrix = np.empty((len(inputs), dimensions), dtype=np.float64)
    row_tokens: list[int] = []
    for row_index, item in enumerate(inputs):
        codes, count = _codes(item, dimensions)
        row_tokens.append(count)
        both = np.bincount(codes, minlength=2 * dimensions)  # positive, negative by slot
        matrix[row_index] = both[0::2] - both[1::2]
    # sign * sqrt(|count|), and the rows' L2 norms as np.linalg.norm(matrix, axis=1)
    # computes them (the same ufuncs, so the same bits), without its wrapper.
    matrix = np.copysign(np.sqrt(np.abs(matrix)), matrix)
    norms = np.sqrt(np.add.reduce(matrix * matrix, axis=1))
    if not norms.all():
        # Features that cancel out exactly leave a zero row: give it its first feature's slot.
        for empty in np.flatnonzero(norms == 0).tolist():
            matrix[empty, _hash(_features(inputs[empty])[0][0]) % dimensions] = 1.0
            norms[empty] = 1.0
    matrix /= norms[:, None]
    return matrix.astype(np.float32), tuple(row_tokens)


def _embed_one(item: Input, dimensions: int) -> tuple[npt.NDArray[np.float32], int]:
    """`embed` of one input, in fewer numpy steps: the same ufuncs on the same row (a 1-D
    `add.reduce` sums a row as the 2-D one does), so the same bits.

    A text's signed counts come from one weighted `np.bincount` of its words' slots and
    signs, read from bytes kept per word (`_word_rows`): the first implementation's very
    sums (whole numbers, so exact however added), without numpy reading a Python list of
    features or taking the positive and negative counts apart.
    """
    counts: npt.NDArray[np.float64] | npt.NDArray[np.intp]
    if isinstance(item, str) and (words := tokens(item)):
        if len(words) == 1:
            slots, signs = _word_rows(words[0], dimensions)
        else:
            rows = [_word_rows(word, dimensions) for word in words]
            slots = b"".join([row[0] for row in rows])
            signs = b"".join([row[1] for row in rows])
        counts = np.bincount(
            np.frombuffer(slots, dtype=np.intp),
            weights=np.frombuffer(signs, dtype=np.float64),
            minlength=dimensions,
        )
        count = len(words)
    else:
        codes, count = _codes(item, dimensions)
        both = np.bincount(codes, minlength=2 * dimensions)
        counts = both[0::2] - both[1::2]
    row = np.sqrt(np.abs(counts))
    np.copysign(row, counts, out=row)
    norm = math.sqrt(np.add.reduce(row * row))
    if norm == 0:
        row[_hash(_features(item)[0][0]) % dimensions] = 1.0
        norm = 1.0
    np.divide(row, norm, out=row)
    fitted: npt.NDArray[np.float32] = row.astype(np.float32).reshape(1, dimensions)
    return fitted, count


@functools.lru_cache(maxsize=1 << 15)
def _word_rows(word: str, dimensions: int) -> tuple[bytes, bytes]:
    """`_word`'s features as `np.bincount` takes them: the slots (intp) and the signs
    (float64, 1.0 or -1.0), as bytes that a text's words join in one step."""
    codes = _word(word, dimensions)
    slots = np.array([code >> 1 for code in codes], dtype=np.intp)
    signs = np.array([-1.0 if code & 1 else 1.0 for code in codes], dtype=np.float64)
    return slots.tobytes(), signs.tobytes()


class HashingBackend:
    """A `hashing` model of a given width."""

    def __init__(self, dimensions: int) -> None:
        self._dimensions = dimensions

    @property
    def dimensions(self) -> int:
        return self._dimensions

    async def embed(self, job: Job, attempt: int) -> Embedded:
        inputs = job.inputs
        size = len(inputs[0]) if len(inputs) == 1 else sum(len(item) for item in inputs)
        if size <= _INLINE_LIMIT:
            vectors, counts = embed_rows(job.inputs, self._dimensions)
        else:
            vectors, counts = await asyncio.to_thread(embed_rows, job.inputs, self._dimensions)
        return Embedded(vectors=vectors, prompt_tokens=sum(counts), row_tokens=counts)
