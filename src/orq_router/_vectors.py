"""Embedding vectors between their wire forms, Python lists and numpy arrays.

On the wire a vector is either a JSON array of numbers or a base64 string of
little-endian float32 values. The base64 form is smaller and far cheaper to read, so it
is kept as packed bytes until someone asks: `unpack` gives a `list[float]`, `to_matrix`
one `(n, d)` float32 array. numpy is optional and imported only on first use; without
it the stdlib `array` module gives the very same floats.

base64 is decoded by pybase64 when it is installed (the `fast` extra: about fifteen
times faster than `binascii`), strictly in both cases. A row pybase64 refuses is decoded
again by `binascii`, which decides: the same bytes, the same errors and messages.
"""

from __future__ import annotations

import array
import binascii
import functools
import importlib
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]
else:
    Matrix = Any

_LITTLE_ENDIAN = sys.byteorder == "little"
_BYTES = frozenset({bytes})
_numpy: ModuleType | None = None


def _optional_decoder() -> Callable[[str], bytes] | None:
    """pybase64's strict decoder, when pybase64 is installed."""
    try:
        b64decode = importlib.import_module("pybase64").b64decode
    except ImportError:
        return None
    decode: Callable[[str], bytes] = functools.partial(b64decode, validate=True)
    return decode


_fast_b64decode = _optional_decoder()


def numpy_or_none() -> ModuleType | None:
    """numpy, imported on first call, or None when it is not installed."""
    global _numpy
    if _numpy is None:
        try:
            import numpy
        except ImportError:
            return None
        _numpy = numpy
    return _numpy


def require_numpy() -> ModuleType:
    numpy = numpy_or_none()
    if numpy is None:
        raise ImportError("this needs numpy: pip install 'orq-router[numpy]'")
    return numpy


def decode_base64(text: str) -> bytes:
    """The packed little-endian float32 bytes of a base64 vector.

    Strict: characters outside the alphabet, missing or misplaced padding and data
    after the padding are errors, not skipped (a lenient decoder turns a damaged
    string into a shorter or different vector without a word). As fast as lenient.
    """
    return decode_rows([text])[0]


def decode_rows(texts: list[str]) -> list[bytes]:
    """`decode_base64` of every row: the fast decoder's loop when it has one, and the
    standard library's (which words the errors) for a batch it refuses."""
    if _fast_b64decode is not None:
        try:
            rows = list(map(_fast_b64decode, texts))
        except (binascii.Error, ValueError, TypeError):
            pass  # binascii decides, and says why
        else:
            return _whole_floats(rows)
    return _whole_floats([_decode_stdlib(text) for text in texts])


def _decode_stdlib(text: str) -> bytes:
    try:
        return binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"a base64 vector is not strict base64: {error}") from None


def _whole_floats(rows: list[bytes]) -> list[bytes]:
    """The rows, if each holds whole float32 values (one length to test, usually)."""
    for length in set(map(len, rows)):
        if length % 4:
            raise ValueError(f"a base64 vector must hold whole float32 values, got {length} bytes")
    return rows


def pack(values: Sequence[float]) -> bytes:
    """Floats as packed little-endian float32 bytes (the inverse of `unpack`)."""
    packed = array.array("f", values)
    if not _LITTLE_ENDIAN:
        packed.byteswap()
    return packed.tobytes()


def unpack(packed: bytes) -> list[float]:
    """Packed little-endian float32 values as Python floats (numpy or stdlib, same values)."""
    numpy = numpy_or_none()
    if numpy is None:
        return unpack_stdlib(packed)
    floats: list[float] = numpy.frombuffer(packed, dtype="<f4").tolist()
    return floats


def unpack_stdlib(packed: bytes) -> list[float]:
    """`unpack` without numpy: the fallback path, public so tests can compare the two."""
    values = array.array("f")
    values.frombytes(packed)
    if not _LITTLE_ENDIAN:
        values.byteswap()
    return values.tolist()


def packed_matrix(rows: list[bytes]) -> Matrix:
    """One `(n, d)` float32 array from packed rows known to be of one width (n >= 1).

    `to_matrix` for the common case, in the fewest steps: one copy into a writable
    buffer (the caller may normalise the array in place), no check repeated.
    """
    numpy = require_numpy()
    matrix: Matrix = numpy.frombuffer(bytearray().join(rows), dtype="<f4")
    if not _LITTLE_ENDIAN:
        matrix = matrix.astype(numpy.float32)
    return matrix.reshape(len(rows), -1)


def to_matrix(rows: Sequence[bytes | Sequence[float]]) -> Matrix:
    """One `(n, d)` float32 array from packed rows or float lists, in the given order."""
    numpy = require_numpy()
    if not rows:
        empty: Matrix = numpy.empty((0, 0), dtype=numpy.float32)
        return empty
    width = len(rows[0]) // 4 if isinstance(rows[0], bytes) else len(rows[0])
    if set(map(type, rows)) == _BYTES:
        packed: list[bytes] = rows  # type: ignore[assignment]
        if sum(map(len, packed)) != 4 * width * len(packed):
            raise ValueError("vectors of different lengths do not make one matrix")
        return packed_matrix(packed)
    lists = [unpack(row) if isinstance(row, bytes) else row for row in rows]
    if any(len(row) != width for row in lists):
        raise ValueError("vectors of different lengths do not make one matrix")
    matrix: Matrix = numpy.asarray(lists, dtype=numpy.float32)
    return matrix.reshape(len(rows), width)
