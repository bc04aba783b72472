"""`AsyncOrq().router.embeddings`: `Embeddings`' calls, awaited.

Everything but sending is `EmbeddingsCore`'s, shared with the sync client: the same
keywords, checks, results and errors. Sending is `AsyncTransport`'s, and many inputs
go through `_async_bulk`, the asyncio driver of the one bulk engine.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Unpack

from orq_router import _async_bulk
from orq_router._request import CreateParams, EmbeddingInput, EmbedManyParams
from orq_router.embeddings import EmbeddingsCore, Prepared, Texts
from orq_router.responses import BulkEmbeddings, EmbeddedBatch, EmbeddingResponse, RawResponse
from orq_router_api import Response
from orq_router_api.models import CreateEmbeddingResponse

if TYPE_CHECKING:
    from orq_router._async_client import AsyncOrq

__all__ = ["AsyncEmbeddings", "AsyncEmbeddingsWithRawResponse"]


class AsyncEmbeddings:
    """The embeddings endpoint for asyncio: `await client.router.embeddings.create(...)`."""

    def __init__(self, client: AsyncOrq) -> None:
        self._client = client
        self._core = EmbeddingsCore(client)

    async def create(
        self, *, input: EmbeddingInput, **params: Unpack[CreateParams]
    ) -> EmbeddingResponse:
        """`Embeddings.create`, awaited: its keywords, its result, its errors."""
        prepared = self._core.prepare(input, params)
        return await self._embed(prepared)

    async def embed_many(self, texts: Texts, **params: Unpack[EmbedManyParams]) -> BulkEmbeddings:
        """`Embeddings.embed_many`, awaited: at most `max_concurrency` requests in flight.

        Cancelling it cancels every request in flight (a wait for `Retry-After` too) and
        raises `CancelledError`; the sync client's `EmbedManyInterrupted` has no twin here.
        """
        batches, settings = self._core.many(texts, params)
        return await _async_bulk.run(batches, self._embed, settings)

    def embed_many_iter(
        self, texts: Iterable[str | Sequence[int]], **params: Unpack[EmbedManyParams]
    ) -> AsyncGenerator[EmbeddedBatch, None]:
        """`Embeddings.embed_many_iter` for `async for`: batches in input order.

        Options are checked now, inputs as they are read. Leaving the loop early (or
        `aclose()`) cancels the requests in flight.
        """
        batches, settings = self._core.many_iter(texts, params)
        return _async_bulk.stream(batches, self._embed, settings)

    @cached_property
    def with_raw_response(self) -> AsyncEmbeddingsWithRawResponse:
        """The same calls, returning the HTTP answer: `.with_raw_response.create(...)`."""
        return AsyncEmbeddingsWithRawResponse(self)

    async def _send(self, prepared: Prepared) -> Response[CreateEmbeddingResponse]:
        # `ClientClosedError` comes from the transport, checked before each try.
        return await self._client._transport.create_embedding(prepared.request, prepared.options)

    async def _embed(self, prepared: Prepared) -> EmbeddingResponse:
        """One batch of `embed_many`: sent and read in one coroutine (no layer between)."""
        response = await self._client._transport.create_embedding(
            prepared.request, prepared.options
        )
        return self._core.parse(prepared, response)


class AsyncEmbeddingsWithRawResponse:
    """`client.router.embeddings.with_raw_response` of `AsyncOrq`."""

    def __init__(self, embeddings: AsyncEmbeddings) -> None:
        self._embeddings = embeddings

    async def create(
        self, *, input: EmbeddingInput, **params: Unpack[CreateParams]
    ) -> RawResponse[EmbeddingResponse]:
        """`EmbeddingsWithRawResponse.create`, awaited; `.parse()` needs no await."""
        embeddings = self._embeddings
        prepared = embeddings._core.prepare(input, params)
        return embeddings._core.raw(prepared, await embeddings._send(prepared))
