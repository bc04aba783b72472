"""What the embeddings calls return.

`create` returns an `EmbeddingResponse`: `data[i].embedding` is a `list[float]` whatever
the wire encoding was, `to_numpy()` one `(n, d)` float32 array in input order.
`embed_many` returns `BulkEmbeddings`, `embed_many_iter` yields `EmbeddedBatch`es;
`with_raw_response.create` returns a `RawResponse`.

An answer is accepted only if it is one matrix for the inputs that were sent: exactly
one row per input (indexes 0..n-1, each once), every row of one width, none empty.
The checks cost a few set and length operations per answer, never a Python step per
float (the generated model checks the floats' types in C; base64 is decoded strictly).

Vectors that came as base64 stay packed bytes until asked for: a 2048 x 1536 answer
costs one copy to become an array, not three million Python floats.
"""

from __future__ import annotations

import builtins
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Generic, Literal, TypeVar

import attrs

from orq_router import _vectors
from orq_router._vectors import Matrix
from orq_router_api.models import CreateEmbeddingResponse, Usage

__all__ = [
    "BulkEmbeddings",
    "EmbeddedBatch",
    "Embedding",
    "EmbeddingResponse",
    "RawResponse",
    "Usage",
]

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

    @classmethod
    def _packed_row(cls, index: int, packed: bytes, base64: str | None) -> Embedding:
        """A row of checked packed bytes, built without `__init__`'s argument checks
        (2048 of them per large answer)."""
        row = cls.__new__(cls)
        row.index = index
        row._floats = None
        row._packed = packed
        row._base64 = base64
        return row

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
    _packed: list[bytes] | None = attrs.field(default=None, init=False, repr=False, eq=False)
    """Every row's packed bytes, in order and of one width, when the answer was base64."""

    @classmethod
    def from_api(
        cls,
        parsed: CreateEmbeddingResponse,
        *,
        request_id: str | None,
        keep_base64: bool,
        inputs: int,
    ) -> EmbeddingResponse:
        """The response for a request of `inputs` inputs; `ValueError` when the answer is
        not one row per input, all of one width (see the module's docstring)."""
        items = parsed.data
        indexes = [item.index for item in items]
        in_order = list(range(inputs))
        if indexes != in_order:  # not in input order, or not one row per input
            items = sorted(items, key=lambda item: item.index)
            indexes = [item.index for item in items]
            if indexes != in_order:
                raise ValueError(_index_problem(indexes, inputs))
        vectors = [item.embedding for item in items]
        if set(map(type, vectors)) == _BASE64_ROWS:
            texts: list[str] = vectors  # type: ignore[assignment]
            packed = _vectors.decode_rows(texts)
            kept: list[str] | list[None] = texts if keep_base64 else [None] * len(texts)
            data = list(map(Embedding._packed_row, indexes, packed, kept))
            _check_widths({length // 4 for length in set(map(len, packed))}, data)
        else:  # float rows, or a mix
            packed = None
            data = []
            for item in items:
                if isinstance(item.embedding, str):
                    row = _vectors.decode_base64(item.embedding)
                    base64 = item.embedding if keep_base64 else None
                    data.append(Embedding(index=item.index, packed=row, base64=base64))
                else:
                    data.append(Embedding(index=item.index, floats=item.embedding))
            _check_widths({item.dimensions for item in data}, data)
        response = cls(
            data=data,
            model=parsed.model,
            usage=parsed.usage,
            request_id=request_id,
            extra=dict(parsed.additional_properties),
        )
        object.__setattr__(response, "_packed", packed)
        return response

    def to_numpy(self) -> Matrix:
        """All vectors as one `(n, d)` float32 array, row i for input i (needs numpy).

        The array is the caller's own (writable, no memory shared with the response).
        """
        if self._packed is not None:  # a base64 answer: rows checked, of one width
            return _vectors.packed_matrix(self._packed)
        return _vectors.to_matrix([item.wire_row() for item in self.data])

    def to_lists(self) -> list[list[float]]:
        """All vectors as lists of floats, in input order."""
        return [item.embedding for item in self.data]


_BASE64_ROWS: Final = frozenset({str})


def _check_widths(widths: set[int], data: list[Embedding]) -> None:
    """All rows of one width above zero (`widths`: the rows' widths); else `ValueError`.

    One row per input, indexes 0..inputs-1 once each, is checked before, in `from_api`.
    """
    if len(widths) == 1 and 0 not in widths:
        return
    if 0 in widths:
        empty = next(item.index for item in data if item.dimensions == 0)
        raise ValueError(f"the vector of input {empty} is empty")
    if len(widths) > 1:
        raise ValueError(f"vectors of {sorted(widths)} dimensions in one answer")


def _index_problem(indexes: list[int], inputs: int) -> str:
    """What is wrong with the rows' indexes (sorted), in words."""
    problems = []
    if len(indexes) != inputs:
        problems.append(f"{len(indexes)} rows came back for {inputs} inputs")
    outside = [index for index in indexes if not 0 <= index < inputs]
    if outside:
        problems.append(f"row index {outside[0]} is out of range 0..{inputs - 1}")
    twice = [a for a, b in itertools.pairwise(indexes) if a == b]
    if twice:
        problems.append(f"row index {twice[0]} appears more than once")
    missing = sorted(set(range(inputs)) - set(indexes))
    if missing:
        problems.append(f"no row for input {missing[0]}")
    return "; ".join(problems)


@attrs.frozen(kw_only=True)
class EmbeddedBatch:
    """One batch of `embed_many_iter`: the vectors of inputs `start` to `stop - 1`.

    Indexes are positions in the whole stream of inputs, not in the batch.
    """

    start: int
    stop: int
    response: EmbeddingResponse
    """The batch's own answer: `data`, `model`, `usage`, `request_id`."""

    def __len__(self) -> int:
        return self.stop - self.start

    @property
    def span(self) -> range:
        """The input positions of this batch's rows."""
        return range(self.start, self.stop)

    @property
    def embeddings(self) -> Matrix | list[list[float]]:
        """A `(stop - start, d)` float32 array with numpy installed, else float lists."""
        if _vectors.numpy_or_none() is None:
            return self.response.to_lists()
        return self.response.to_numpy()

    @property
    def model(self) -> str:
        """The model that answered this batch."""
        return self.response.model

    @property
    def usage(self) -> Usage:
        """This batch's token usage."""
        return self.response.usage


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
