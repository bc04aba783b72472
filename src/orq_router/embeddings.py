"""`client.router.embeddings`: create, embed_many, with_raw_response."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Unpack

import attrs

from orq_router import _bulk
from orq_router._errors import APIResponseValidationError, ValidationError
from orq_router._request import EmbeddingInput, EmbeddingParams, build_request
from orq_router.responses import BulkEmbeddings, EmbeddingResponse, RawResponse
from orq_router_api.models import CreateEmbeddingRequest

if TYPE_CHECKING:
    from orq_router._client import Orq

__all__ = ["Embeddings", "EmbeddingsWithRawResponse"]


@attrs.frozen
class _Prepared:
    """A checked request, and whether the caller asked for base64 explicitly."""

    request: CreateEmbeddingRequest
    keep_base64: bool


class Embeddings:
    """The embeddings endpoint of the AI Router, `POST /v2/router/embeddings`."""

    def __init__(self, client: Orq) -> None:
        self._client = client

    def create(
        self, *, input: EmbeddingInput, **params: Unpack[EmbeddingParams]
    ) -> EmbeddingResponse:
        """Embed `input`: one string, or a list of strings or token-id lists.

        Keywords are the body's fields as the spec names and types them (`EmbeddingParams`,
        generated from it): `model`, `encoding_format`, `dimensions`, `user`, `name`,
        `fallbacks`, `retry`, `cache`, `load_balancer`, `timeout` (the router's
        per-model-call limit, in ms) and `orq`. Options take a helper (`Retry(...)`,
        `fallbacks(...)`, `weighted(...)`, ...), the generated model, or a dict shaped like
        the JSON; the client's defaults fill in what the call leaves out, and None drops a
        default for this call.

        Bad input raises `ValidationError` before anything is sent; an error status
        raises its `APIStatusError` subclass after the client's retries.
        """
        return self._execute(self._prepare(input, params)).parse()

    def embed_many(
        self,
        texts: Sequence[str | Sequence[int]],
        *,
        batch_size: int = _bulk.DEFAULT_BATCH_SIZE,
        max_workers: int = _bulk.DEFAULT_MAX_WORKERS,
        progress: bool = False,
        **params: Unpack[EmbeddingParams],
    ) -> BulkEmbeddings:
        """Embed many inputs in batches sent concurrently; one row per input, in order.

        Every batch is checked before the first is sent, and retried on its own. If a
        batch still fails, no new batch starts and `EmbedManyError` says which input
        ranges failed, which were embedded and which were never sent, and carries every
        vector already computed. `progress=True` shows a tqdm bar.
        """
        if isinstance(texts, (str, bytes)) or not isinstance(texts, Sequence):
            raise ValidationError(
                f"must be a list of inputs, got {type(texts).__name__} (one string: use create)",
                path=("texts",),
            )
        if not texts:
            raise ValidationError("must not be empty", path=("texts",))
        if "input" in params:
            raise ValidationError("embed_many takes its inputs as `texts`", path=("input",))
        for name, value in (("batch_size", batch_size), ("max_workers", max_workers)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValidationError(
                    f"must be a whole number of at least 1, got {value!r}", path=(name,)
                )
        batches = _bulk.split(len(texts), batch_size)
        prepared = {}
        for batch in batches:
            try:
                prepared[batch] = self._prepare(list(texts[batch.start : batch.stop]), params)
            except ValidationError as error:
                if error.path[:1] == ("input",) and len(error.path) > 1:
                    index = error.path[1]
                    if isinstance(index, int):
                        where = ("texts", batch.start + index, *error.path[2:])
                        raise ValidationError(error.message, path=where) from None
                raise
        return _bulk.run(
            batches,
            lambda batch: self._execute(prepared[batch]).parse(),
            url=self._client.api.base_url,
            total=len(texts),
            max_workers=max_workers,
            progress=progress,
        )

    @cached_property
    def with_raw_response(self) -> EmbeddingsWithRawResponse:
        """The same calls, returning the HTTP answer: `.with_raw_response.create(...)`."""
        return EmbeddingsWithRawResponse(self)

    def _prepare(self, input: EmbeddingInput, params: EmbeddingParams) -> _Prepared:
        request, keep_base64 = build_request(input, params, self._client._defaults)
        return _Prepared(request, keep_base64)

    def _execute(self, prepared: _Prepared) -> RawResponse[EmbeddingResponse]:
        response = self._client._transport.create_embedding(prepared.request)
        request_id = response.headers.get("x-request-id")

        def parse() -> EmbeddingResponse:
            try:
                return EmbeddingResponse.from_api(
                    response.parsed, request_id=request_id, keep_base64=prepared.keep_base64
                )
            except ValueError as error:
                raise APIResponseValidationError(
                    f"the answer's vectors cannot be read: {error}",
                    method="POST",
                    url=self._client.api.base_url,
                    content=response.content,
                ) from error

        return RawResponse(
            status_code=response.status_code,
            headers=response.headers,
            content=response.content,
            request_id=request_id,
            parser=parse,
        )


class EmbeddingsWithRawResponse:
    """`client.router.embeddings.with_raw_response`: calls that return a `RawResponse`."""

    def __init__(self, embeddings: Embeddings) -> None:
        self._embeddings = embeddings

    def create(
        self, *, input: EmbeddingInput, **params: Unpack[EmbeddingParams]
    ) -> RawResponse[EmbeddingResponse]:
        """Like `Embeddings.create`, but returns status, headers, raw bytes; `.parse()`."""
        embeddings = self._embeddings
        return embeddings._execute(embeddings._prepare(input, params))
