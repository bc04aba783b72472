"""What the embeddings calls return.

`create` returns an `EmbeddingResponse`: `data[i].embedding` is a `list[float]` whatever
the wire encoding was, `to_numpy()` one `(n, d)` float32 array in input order.
`embed_many` returns `BulkEmbeddings`; `with_raw_response.create` a `RawResponse`.

Vectors that came as base64 stay packed bytes until asked for: a 2048 x 1536 answer
costs one copy to become an array, not three million Python floats.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, Literal, TypeVar

import attrs

from orq_router import _vectors
from orq_router._vectors import Matrix
from orq_router_api.models import CreateEmbeddingResponse, Usage

__all__ = ["BulkEmbeddings", "Embedding", "EmbeddingResponse", "RawResponse", "Usage"]

T = TypeVar("T")


class Embedding:
    """One vector of a response; `index` is the position of its input."""

    __slots__ = ("_base64", "_floats", "_packed", "index")

    object: Literal["embedding"] = "embedding"

    def __init__(
        self,
        *,
        index: int,
        floats: list[float] | None = None,
        packed: bytes | None = None,
        base64: str | None = None,
    ) -> None:
        if (floats is None) == (packed is None):
            raise ValueError("an Embedding holds either floats or packed float32 bytes")
        self.index = index
        self._floats = floats
        self._packed = packed
        self._base64 = base64

    @property
    def embedding(self) -> list[float]:
        """The vector as Python floats (decoded from base64 on first access)."""
        if self._floats is None:
            assert self._packed is not None
            self._floats = _vectors.unpack(self._packed)
        return self._floats

    @property
    def base64(self) -> str | None:
        """The wire's base64 string, kept when the call asked for `encoding_format="base64"`."""
        return self._base64

    @property
    def dimensions(self) -> int:
        """The vector's length, without decoding it."""
        return len(self._packed) // 4 if self._packed is not None else len(self.embedding)

    def wire_row(self) -> bytes | list[float]:
        """The vector as it came: packed float32 bytes, or the JSON's floats."""
        return self._packed if self._packed is not None else self.embedding

    def to_numpy(self) -> Matrix:
        """The vector as a 1-D float32 array (needs numpy)."""
        row: Matrix = _vectors.to_matrix([self.wire_row()])[0]
        return row

    def __repr__(self) -> str:
        return f"Embedding(index={self.index}, dimensions={self.dimensions})"

    def __eq__(self, other: builtins.object) -> bool:
        if not isinstance(other, Embedding):
            return NotImplemented
        return self.index == other.index and self.embedding == other.embedding

    __hash__ = None  # type: ignore[assignment]


@attrs.frozen(kw_only=True)
class EmbeddingResponse:
    """The answer of `client.router.embeddings.create`: vectors in input order."""

    object: Literal["list"] = "list"
    data: list[Embedding]
    """One `Embedding` per input, sorted by `index`."""
    model: str
    """The model that answered: with fallbacks or a load balancer, maybe not the one asked."""
    usage: Usage
    request_id: str | None = None
    """The server's id of the request (`X-Request-Id`), for support and tracing."""
    extra: Mapping[str, Any] = attrs.field(factory=dict)
    """Top-level keys the server sent that the spec does not name."""

    @classmethod
    def from_api(
        cls, parsed: CreateEmbeddingResponse, *, request_id: str | None, keep_base64: bool
    ) -> EmbeddingResponse:
        data = []
        for item in parsed.data:
            if isinstance(item.embedding, str):
                packed = _vectors.decode_base64(item.embedding)
                base64 = item.embedding if keep_base64 else None
                data.append(Embedding(index=item.index, packed=packed, base64=base64))
            else:
                data.append(Embedding(index=item.index, floats=item.embedding))
        data.sort(key=lambda embedding: embedding.index)
        return cls(
            data=data,
            model=parsed.model,
            usage=parsed.usage,
            request_id=request_id,
            extra=dict(parsed.additional_properties),
        )

    def to_numpy(self) -> Matrix:
        """All vectors as one `(n, d)` float32 array, row i for input i (needs numpy)."""
        return _vectors.to_matrix([item.wire_row() for item in self.data])

    def to_lists(self) -> list[list[float]]:
        """All vectors as lists of floats, in input order."""
        return [item.embedding for item in self.data]


@attrs.frozen(kw_only=True)
class BulkEmbeddings:
    """What `embed_many` returns: every input's vector, in input order, and the usage."""

    embeddings: Matrix | list[list[float]]
    """An `(n, d)` float32 array with numpy installed, else a list of `n` float lists."""
    usage: Usage
    """Summed over the batches."""
    models: tuple[str, ...]
    """The models that answered, in batch order, each once. More than one means vectors
    from different models were mixed (a load balancer or fallbacks were in play)."""

    def __len__(self) -> int:
        return len(self.embeddings)

    def to_numpy(self) -> Matrix:
        """The vectors as an `(n, d)` float32 array (needs numpy)."""
        if isinstance(self.embeddings, list):
            return _vectors.to_matrix(self.embeddings)
        return self.embeddings


@attrs.frozen(kw_only=True)
class RawResponse(Generic[T]):
    """The HTTP answer behind a call: status, headers, raw bytes; `parse()` for the result."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes
    request_id: str | None
    _parser: Callable[[], T] = attrs.field(alias="parser", repr=False)

    def parse(self) -> T:
        """The parsed result, as the plain call would have returned it."""
        return self._parser()

    @property
    def parsed(self) -> T:
        """`parse()` as a property."""
        return self.parse()


def merge_usage(usages: Sequence[Usage]) -> Usage:
    """The sum of several answers' usage."""
    return Usage(
        prompt_tokens=sum(usage.prompt_tokens for usage in usages),
        total_tokens=sum(usage.total_tokens for usage in usages),
    )
