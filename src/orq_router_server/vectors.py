"""From a model's vectors to the answer's body: `dimensions`, then the wire encoding.

- `dimensions`: the first `dimensions` values of each vector, scaled back to unit length
  (the Matryoshka convention OpenAI's `text-embedding-3` models follow). Asking for more
  than the model has is the client's mistake: 400.
- `encoding_format`: `float` writes each float32 value as the JSON number that reads back
  as exactly that value; `base64` writes its little-endian float32 bytes. Both encodings
  of one answer carry the very same numbers.

base64 is written by pybase64 when it is installed (the `fast` extra): the same text as
`base64.b64encode`, about ten times faster (a 384-wide row costs binascii more than
the rest of the answer's body together).
"""

from __future__ import annotations

import base64
import functools
import importlib
import json
from collections.abc import Callable
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from orq_router_server.errors import RouterError

__all__ = ["body", "fit_dimensions"]


def fit_dimensions(
    vectors: npt.NDArray[np.float32], dimensions: int | None, model: str
) -> npt.NDArray[np.float32]:
    """The vectors cut to `dimensions` and renormalised; as they are when None or equal."""
    width = vectors.shape[1]
    if dimensions is None or dimensions == width:
        return vectors
    if dimensions > width:
        raise RouterError(
            400,
            "dimensions_too_large",
            f"dimensions: model {model} has {width} dimensions, {dimensions} were asked for",
            param="dimensions",
        )
    cut = vectors[:, :dimensions].astype(np.float64)
    norms = np.linalg.norm(cut, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    fitted: npt.NDArray[np.float32] = (cut / norms).astype(np.float32)
    return fitted


def body(
    *,
    model: str,
    vectors: npt.NDArray[np.float32],
    prompt_tokens: int,
    encoding_format: Literal["float", "base64"],
) -> bytes:
    """The spec's `CreateEmbeddingResponse`, as JSON bytes."""
    little = vectors.astype("<f4", copy=False)
    if encoding_format == "base64":
        return _base64_body(model, little, prompt_tokens)
    data: list[dict[str, Any]] = []
    for index, row in enumerate(little):
        embedding: list[float] = row.tolist()  # float32 -> the double of exactly that value
        data.append({"object": "embedding", "embedding": embedding, "index": index})
    answer = {
        "object": "list",
        "data": data,
        "model": model,
        "usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens},
    }
    return json.dumps(answer, separators=(",", ":")).encode()


def _base64_body(model: str, little: npt.NDArray[np.float32], prompt_tokens: int) -> bytes:
    """`body` in base64, written out directly: byte for byte what `json.dumps` writes for
    the same answer (a base64 string needs no escaping), in a fraction of its time."""
    if len(little) == 1:  # most requests: one row, no join
        rows = _ROW + _b64encode(little.tobytes()) + b'","index":0}'
    else:
        rows = b",".join(
            _ROW + _b64encode(row.tobytes()) + b'","index":' + str(index).encode() + b"}"
            for index, row in enumerate(little)
        )
    tail = b'%s%d,"total_tokens":%d}}' % (_model_part(model), prompt_tokens, prompt_tokens)
    return b'{"object":"list","data":[' + rows + tail


_ROW: Final = b'{"object":"embedding","embedding":"'


def _encoder() -> Callable[[bytes], bytes]:
    """pybase64's encoder when installed (the `fast` extra), else the standard library's."""
    try:
        encode: Callable[[bytes], bytes] = importlib.import_module("pybase64").b64encode
    except ImportError:
        return base64.b64encode
    return encode


_b64encode = _encoder()


@functools.lru_cache(maxsize=256)
def _model_part(model: str) -> bytes:
    """What follows the rows up to the token count: the model id, written by `json.dumps`
    (model ids are few: written once each)."""
    return f'],"model":{json.dumps(model)},"usage":{{"prompt_tokens":'.encode()
