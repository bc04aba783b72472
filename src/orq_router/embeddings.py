"""`client.router.embeddings`: create, embed_many, embed_many_iter, with_raw_response.

`EmbeddingsCore` is everything these calls do but send: checking and building the
request, reading the answer, splitting many inputs into checked batches. `Embeddings`
(here, for `Orq`) and `AsyncEmbeddings` (`_async_embeddings`, for `AsyncOrq`) only send,
so a call means the same on both clients and gives the same result or the same error.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence, Sized
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING, Any, Final, Unpack

import attrs

from orq_router import _bulk
from orq_router._errors import REQUEST_ID_HEADER, APIResponseValidationError, ValidationError
from orq_router._request import (
    NO_OPTIONS,
    CallOptions,
    CreateParams,
    EmbeddingInput,
    EmbedManyParams,
    RequestBuilder,
    build_request,
    bulk_settings,
    request_builder,
    split_options,
)
from orq_router.responses import BulkEmbeddings, EmbeddedBatch, EmbeddingResponse, RawResponse
from orq_router_api import Response
from orq_router_api.models import CreateEmbeddingRequest, CreateEmbeddingResponse

if TYPE_CHECKING:
    from orq_router._client import BaseClient, Orq

__all__ = ["Embeddings", "EmbeddingsCore", "EmbeddingsWithRawResponse", "Prepared"]

Texts = Sequence[str | Sequence[int]]


@attrs.frozen
class Prepared:
    """A checked request, whether the caller asked for base64 explicitly, and the call's
    own options."""

    request: CreateEmbeddingRequest
    keep_base64: bool
    options: CallOptions

    @property
    def inputs(self) -> int:
        """How many inputs the request holds: the rows its answer must have."""
        return 1 if isinstance(self.request.input, str) else len(self.request.input)


BUILDERS_KEPT: Final = 32
"""Sets of keywords whose checked fields `EmbeddingsCore` keeps (see `prepare`)."""
_PLAIN: Final = frozenset({str, int, float, bool, type(None)})

BuilderKey = tuple[tuple[str, type, object], ...]


def _builder_key(params: Mapping[str, Any]) -> BuilderKey | None:
    """`params` as a key, when every value is a plain immutable scalar (`model=`,
    `dimensions=`, `user=`...); None otherwise (a dict or a helper: built afresh). The
    type is part of the key: `dimensions=True` must not find the builder of `1`."""
    key = tuple([(name, type(value), value) for name, value in params.items()])
    return key if all([kind in _PLAIN for _, kind, _ in key]) else None


class EmbeddingsCore:
    """What the embeddings calls of both clients do, but sending."""

    def __init__(self, client: BaseClient[Any, Any]) -> None:
        self._client = client
        self._builders: dict[BuilderKey, RequestBuilder] = {}

    def prepare(self, input: EmbeddingInput, params: Mapping[str, Any]) -> Prepared:
        """The request of a call (`ValidationError` before anything is sent).

        Most programs call `create` with the same few scalar keywords again and again
        (`model=...`): their fields merged over the client's defaults and checked, a
        `RequestBuilder`, are kept (at most `BUILDERS_KEPT` sets), so such a call costs
        the request model's construction (its checks of the input) alone. The result and
        every error are those of a call built afresh: the defaults cannot change under a
        client, and a builder is kept only once it was built without error.
        """
        key = _builder_key(params) if input is not None else None
        if key is not None:
            builder = self._builders.get(key)
            if builder is not None:
                return Prepared(builder.build(input), builder.keep_base64, NO_OPTIONS)
        body, options = split_options(params)
        if key is None or options is not NO_OPTIONS:
            request, keep_base64 = build_request(input, body, self._client._defaults)
            return Prepared(request, keep_base64, options)
        builder = request_builder(body, self._client._defaults)
        request = builder.build(input)
        if len(self._builders) >= BUILDERS_KEPT:
            self._builders.pop(next(iter(self._builders), key), None)  # the oldest
        self._builders[key] = builder
        return Prepared(request, builder.keep_base64, NO_OPTIONS)

    def parse(
        self, prepared: Prepared, response: Response[CreateEmbeddingResponse]
    ) -> EmbeddingResponse:
        """The answer as the calls return it, once it is known to fit the request."""
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
                url=self._client.base_url,
                content=response.content,
            ) from error

    def raw(
        self, prepared: Prepared, response: Response[CreateEmbeddingResponse]
    ) -> RawResponse[EmbeddingResponse]:
        """The answer as `with_raw_response` returns it; `.parse()` reads it."""
        return RawResponse(
            status_code=response.status_code,
            headers=response.headers,
            content=response.content,
            request_id=response.headers.get(REQUEST_ID_HEADER),
            parser=lambda: self.parse(prepared, response),
        )

    def many(
        self, texts: Texts, params: Mapping[str, Any]
    ) -> tuple[list[tuple[_bulk.Batch, Prepared]], _bulk.Settings]:
        """`embed_many`'s batches, every one checked before any is sent, and its settings."""
        if isinstance(texts, (str, bytes)) or not isinstance(texts, Sequence):
            raise ValidationError(
                f"must be a list of inputs, got {type(texts).__name__} (one string: use create;"
                " an iterable: use embed_many_iter)",
                path=("texts",),
            )
        if not texts:
            raise ValidationError("must not be empty", path=("texts",))
        rest, batch_size, settings = self._settings(params, len(texts))
        body, options = split_options(rest)
        # The fields but the inputs are the same for every batch: merged and checked once.
        builder = request_builder(body, self._client._defaults)
        build, keep_base64 = builder.build, builder.keep_base64
        prepared = []
        for batch in _bulk.split(len(texts), batch_size):
            try:
                request = build(list(texts[batch.start : batch.stop]))
            except ValidationError as error:
                raise _within_texts(error, batch.start) from None
            prepared.append((batch, Prepared(request, keep_base64, options)))
        return prepared, settings

    def many_iter(
        self, texts: Iterable[str | Sequence[int]], params: Mapping[str, Any]
    ) -> tuple[Iterator[tuple[_bulk.Batch, Prepared | ValidationError]], _bulk.Settings]:
        """`embed_many_iter`'s batches, each checked as it is read, and its settings."""
        if isinstance(texts, (str, bytes)) or not isinstance(texts, Iterable):
            raise ValidationError(
                f"must be an iterable of inputs, got {type(texts).__name__}"
                " (one string: use create)",
                path=("texts",),
            )
        total = len(texts) if isinstance(texts, Sized) else None
        rest, batch_size, settings = self._settings(params, total)
        body, options = split_options(rest)
        builder = request_builder(body, self._client._defaults)
        builder.build("-")  # every option checked now (by the model too), the inputs as read
        return self._batches(iter(texts), batch_size, builder, options), settings

    def _settings(
        self, params: Mapping[str, Any], total: int | None
    ) -> tuple[dict[str, Any], int, _bulk.Settings]:
        rest, batch_size, concurrency, progress = bulk_settings(params)
        self._client._check_open()
        self._client._pool.reserve(self._client.base_url, concurrency)
        settings = _bulk.Settings(
            url=self._client.base_url, total=total, max_concurrency=concurrency, progress=progress
        )
        return rest, batch_size, settings

    @staticmethod
    def _batches(
        texts: Iterator[str | Sequence[int]],
        batch_size: int,
        builder: RequestBuilder,
        options: CallOptions,
    ) -> Iterator[tuple[_bulk.Batch, Prepared | ValidationError]]:
        """Consecutive batches of `texts`, each checked (or the reason it is refused)."""
        start = 0
        while chunk := list(islice(texts, batch_size)):
            batch = _bulk.Batch(start, start + len(chunk))
            try:
                request = builder.build(chunk)
            except ValidationError as error:
                yield batch, _within_texts(error, batch.start)
            else:
                yield batch, Prepared(request, builder.keep_base64, options)
            start = batch.stop


def _within_texts(error: ValidationError, offset: int) -> ValidationError:
    """A batch's `input[i]` error as `texts[offset + i]`, the caller's own index."""
    if error.path[:1] == ("input",) and len(error.path) > 1:
        index = error.path[1]
        if isinstance(index, int):
            return ValidationError(error.message, path=("texts", offset + index, *error.path[2:]))
    return error


class Embeddings:
    """The embeddings endpoint of the AI Router, `POST /v2/router/embeddings`."""

    def __init__(self, client: Orq) -> None:
        self._client = client
        self._core = EmbeddingsCore(client)

    def create(self, *, input: EmbeddingInput, **params: Unpack[CreateParams]) -> EmbeddingResponse:
        """Embed `input`: one string, or a list of strings or token-id lists.

        Keywords are the body's fields as the spec names and types them (`EmbeddingParams`,
        generated from it): `model`, `encoding_format`, `dimensions`, `user`, `name`,
        `fallbacks`, `retry`, `cache`, `load_balancer`, `timeout` (the router's
        per-model-call limit, in ms) and `orq`. Options take a helper (`Retry(...)`,
        `fallbacks(...)`, `weighted(...)`, ...), the generated model, or a dict shaped like
        the JSON; the client's defaults fill in what the call leaves out, and None drops a
        default for this call. Besides them, the call's own options (`RequestOptions`):
        `extra_headers`, `extra_body` and `http_timeout`.

        Bad input raises `ValidationError` before anything is sent; an error status
        raises its `APIStatusError` subclass after the client's retries.
        """
        prepared = self._core.prepare(input, params)
        return self._core.parse(prepared, self._send(prepared))

    def embed_many(self, texts: Texts, **params: Unpack[EmbedManyParams]) -> BulkEmbeddings:
        """Embed many inputs in batches sent concurrently; one row per input, in order.

        `batch_size` inputs a request (default 128), `max_concurrency` requests at once
        (default 4), `progress=True` for a tqdm bar; the other keywords are `create`'s,
        for every batch. Every batch is checked before the first is sent, and retried on
        its own. If a batch still fails, no new batch starts and `EmbedManyError` says
        which input ranges failed, which were embedded and which were never sent, and
        carries every vector already computed.
        """
        batches, settings = self._core.many(texts, params)
        return _bulk.run(batches, self._embed, settings)

    def embed_many_iter(
        self, texts: Iterable[str | Sequence[int]], **params: Unpack[EmbedManyParams]
    ) -> Generator[EmbeddedBatch, None, None]:
        """Embed any iterable of inputs, yielding `EmbeddedBatch`es in input order.

        The streaming form of `embed_many`, for inputs that do not fit in memory (a
        file read line by line, a database cursor): `texts` is read lazily, and at
        most `2 * max_concurrency` batches (their inputs and vectors) are held at a time.
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
        batches, settings = self._core.many_iter(texts, params)
        return _bulk.stream(batches, self._embed, settings)

    @cached_property
    def with_raw_response(self) -> EmbeddingsWithRawResponse:
        """The same calls, returning the HTTP answer: `.with_raw_response.create(...)`."""
        return EmbeddingsWithRawResponse(self)

    def _send(self, prepared: Prepared) -> Response[CreateEmbeddingResponse]:
        self._client._check_open()
        return self._client._transport.create_embedding(prepared.request, prepared.options)

    def _embed(self, prepared: Prepared) -> EmbeddingResponse:
        return self._core.parse(prepared, self._send(prepared))


class EmbeddingsWithRawResponse:
    """`client.router.embeddings.with_raw_response`: calls that return a `RawResponse`."""

    def __init__(self, embeddings: Embeddings) -> None:
        self._embeddings = embeddings

    def create(
        self, *, input: EmbeddingInput, **params: Unpack[CreateParams]
    ) -> RawResponse[EmbeddingResponse]:
        """Like `Embeddings.create`, but returns status, headers, raw bytes; `.parse()`."""
        embeddings = self._embeddings
        prepared = embeddings._core.prepare(input, params)
        return embeddings._core.raw(prepared, embeddings._send(prepared))
