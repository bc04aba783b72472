"""`client.router.embeddings`: create, embed_many, with_raw_response."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Sequence, Sized
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING, Unpack

import attrs

from orq_router import _bulk
from orq_router._errors import REQUEST_ID_HEADER, APIResponseValidationError, ValidationError
from orq_router._request import EmbeddingInput, EmbeddingParams, build_request
from orq_router.responses import BulkEmbeddings, EmbeddedBatch, EmbeddingResponse, RawResponse
from orq_router_api import Response
from orq_router_api.models import CreateEmbeddingRequest, CreateEmbeddingResponse

if TYPE_CHECKING:
    from orq_router._client import Orq

__all__ = ["Embeddings", "EmbeddingsWithRawResponse"]


@attrs.frozen
class _Prepared:
    """A checked request, and whether the caller asked for base64 explicitly."""

    request: CreateEmbeddingRequest
    keep_base64: bool

    @property
    def inputs(self) -> int:
        """How many inputs the request holds: the rows its answer must have."""
        return 1 if isinstance(self.request.input, str) else len(self.request.input)


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
        prepared = self._prepare(input, params)
        return self._parse(prepared, self._send(prepared))

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
                f"must be a list of inputs, got {type(texts).__name__} (one string: use create;"
                " an iterable: use embed_many_iter)",
                path=("texts",),
            )
        if not texts:
            raise ValidationError("must not be empty", path=("texts",))
        _check_bulk_arguments(batch_size, max_workers, params)
        self._client._check_open()
        batches = _bulk.split(len(texts), batch_size)
        prepared = {}
        for batch in batches:
            try:
                prepared[batch] = self._prepare(list(texts[batch.start : batch.stop]), params)
            except ValidationError as error:
                raise _within_texts(error, batch.start) from None
        return _bulk.run(
            batches,
            lambda batch: self._parse(prepared[batch], self._send(prepared[batch])),
            url=self._client.api.base_url,
            total=len(texts),
            max_workers=max_workers,
            progress=progress,
        )

    def embed_many_iter(
        self,
        texts: Iterable[str | Sequence[int]],
        *,
        batch_size: int = _bulk.DEFAULT_BATCH_SIZE,
        max_workers: int = _bulk.DEFAULT_MAX_WORKERS,
        progress: bool = False,
        **params: Unpack[EmbeddingParams],
    ) -> Generator[EmbeddedBatch, None, None]:
        """Embed any iterable of inputs, yielding `EmbeddedBatch`es in input order.

        The streaming form of `embed_many`, for inputs that do not fit in memory (a
        file read line by line, a database cursor): `texts` is read lazily, and at
        most `2 * max_workers` batches (their inputs and vectors) are held at a time.
        Each `EmbeddedBatch` has `start` and `stop` (positions in the whole stream),
        `embeddings` (a `(stop - start, d)` float32 array, or lists without numpy),
        `model`, `usage` and the `response` itself. Batches are sent concurrently and
        yielded as soon as every batch before them has been.

        Failures work as in `embed_many`, except that a batch is checked when it is
        read (earlier batches may have been sent by then): after the first failed
        batch (an error status after retries, or input that fails its checks) no new
        batch starts, those in flight finish, the batches before the failure are still
        yielded, and then `EmbedManyError` is raised. Batches that finished after the
        failure are in its `pending`, never lost. Ctrl-C raises `EmbedManyInterrupted`
        (a `KeyboardInterrupt`) the same way, at once; stopping the iteration early
        (`break`, `close()`) abandons the requests in flight.
        """
        if isinstance(texts, (str, bytes)) or not isinstance(texts, Iterable):
            raise ValidationError(
                f"must be an iterable of inputs, got {type(texts).__name__}"
                " (one string: use create)",
                path=("texts",),
            )
        _check_bulk_arguments(batch_size, max_workers, params)
        self._client._check_open()
        self._prepare("-", params)  # every option checked now, the inputs as read
        total = len(texts) if isinstance(texts, Sized) else None
        return _bulk.stream(
            self._prepared_batches(iter(texts), batch_size, params),
            lambda prepared: self._parse(prepared, self._send(prepared)),
            url=self._client.api.base_url,
            max_workers=max_workers,
            progress=progress,
            total=total,
        )

    def _prepared_batches(
        self, texts: Iterator[str | Sequence[int]], batch_size: int, params: EmbeddingParams
    ) -> Iterator[tuple[_bulk.Batch, _Prepared | ValidationError]]:
        """Consecutive batches of `texts`, each checked (or the reason it is refused)."""
        start = 0
        while chunk := list(islice(texts, batch_size)):
            batch = _bulk.Batch(start, start + len(chunk))
            try:
                yield batch, self._prepare(chunk, params)
            except ValidationError as error:
                yield batch, _within_texts(error, batch.start)
            start = batch.stop

    @cached_property
    def with_raw_response(self) -> EmbeddingsWithRawResponse:
        """The same calls, returning the HTTP answer: `.with_raw_response.create(...)`."""
        return EmbeddingsWithRawResponse(self)

    def _prepare(self, input: EmbeddingInput, params: EmbeddingParams) -> _Prepared:
        request, keep_base64 = build_request(input, params, self._client._defaults)
        return _Prepared(request, keep_base64)

    def _send(self, prepared: _Prepared) -> Response[CreateEmbeddingResponse]:
        self._client._check_open()
        return self._client._transport.create_embedding(prepared.request)

    def _parse(
        self, prepared: _Prepared, response: Response[CreateEmbeddingResponse]
    ) -> EmbeddingResponse:
        try:
            return EmbeddingResponse.from_api(
                response.parsed,
                request_id=response.headers.get(REQUEST_ID_HEADER),
                keep_base64=prepared.keep_base64,
                inputs=prepared.inputs,
            )
        except ValueError as error:
            raise APIResponseValidationError(
                f"the answer's vectors cannot be read: {error}",
                method="POST",
                url=self._client.api.base_url,
                content=response.content,
            ) from error

    def _execute(self, prepared: _Prepared) -> RawResponse[EmbeddingResponse]:
        response = self._send(prepared)
        return RawResponse(
            status_code=response.status_code,
            headers=response.headers,
            content=response.content,
            request_id=response.headers.get(REQUEST_ID_HEADER),
            parser=lambda: self._parse(prepared, response),
        )


def _check_bulk_arguments(batch_size: int, max_workers: int, params: EmbeddingParams) -> None:
    if "input" in params:
        raise ValidationError("embed_many takes its inputs as `texts`", path=("input",))
    for name, value in (("batch_size", batch_size), ("max_workers", max_workers)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(
                f"must be a whole number of at least 1, got {value!r}", path=(name,)
            )


def _within_texts(error: ValidationError, offset: int) -> ValidationError:
    """A batch's `input[i]` error as `texts[offset + i]`, the caller's own index."""
    if error.path[:1] == ("input",) and len(error.path) > 1:
        index = error.path[1]
        if isinstance(index, int):
            return ValidationError(error.message, path=("texts", offset + index, *error.path[2:]))
    return error


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
