"""How one request reaches the server over urllib3, and how its failures become our errors.

The generated `create_embedding.sync_detailed` sends the request over the generated
`Client` (urllib3 pool, retry policy, timeout); `AsyncTransport` sends it with
`asyncio_detailed` over aiohttp. Both end their failures here, in `failure`: the one
mapping from what the generated layer and urllib3 raise to the exception tree (an error
status into its class, a malformed answer into `APIResponseValidationError`, a network
error into `APIConnectionError` or `APITimeoutError`). The asyncio transport raises its
network errors as urllib3's own first, so that one mapping serves both. Logs name the
method, URL, status, time and request id: never a header, so never the key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

import attrs
import urllib3

import orq_router_api
from orq_router._errors import (
    REQUEST_ID_HEADER,
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    status_error,
)
from orq_router._request import NO_OPTIONS, CallOptions
from orq_router._settings import CONNECT_TIMEOUT
from orq_router._types import NotGiven
from orq_router_api import UNSET, MalformedResponse, Response, UnexpectedStatus
from orq_router_api.api.embeddings import create_embedding
from orq_router_api.models import CreateEmbeddingRequest, CreateEmbeddingResponse

__all__ = ["CONNECT_TIMEOUT", "Transport", "connection_error", "failure", "urllib3_timeout"]

logger = logging.getLogger("orq_router")

#: What a request may raise that `failure` turns into one of our errors.
FAILURES = (UnexpectedStatus, MalformedResponse, urllib3.exceptions.HTTPError)


def urllib3_timeout(timeout: float | urllib3.Timeout | None) -> urllib3.Timeout | None:
    """Seconds as a whole-attempt limit (`total`, which our pool enforces)."""
    if timeout is None or isinstance(timeout, urllib3.Timeout):
        return timeout
    return urllib3.Timeout(connect=min(CONNECT_TIMEOUT, timeout), total=timeout)


@attrs.frozen
class Transport:
    """The generated client, and the error mapping around its calls."""

    api: orq_router_api.Client
    _url: str = attrs.field(init=False)
    """Where `create_embedding` goes, for logs and errors."""

    @_url.default
    def _embeddings_url(self) -> str:
        return self.api.base_url.rstrip("/") + create_embedding.PATH

    def create_embedding(
        self, body: CreateEmbeddingRequest, options: CallOptions = NO_OPTIONS
    ) -> Response[CreateEmbeddingResponse]:
        started = time.perf_counter()
        try:
            if options is NO_OPTIONS:
                response = create_embedding.sync_detailed(self.api, body=body)
            else:
                timeout = options.http_timeout
                response = create_embedding.sync_detailed(
                    self.api,
                    body=body,
                    extra_headers=options.extra_headers,
                    extra_body=options.extra_body,
                    timeout=UNSET if isinstance(timeout, NotGiven) else urllib3_timeout(timeout),
                )
        except FAILURES as error:
            raise failure(error, self._url, started) from error
        if logger.isEnabledFor(logging.DEBUG):  # the id and the time only if they are shown
            log_answer(self._url, response.status_code, started, response.headers)
        return response


def failure(error: Exception, url: str, started: float) -> APIError:
    """Our error for what sending a request raised (one of `FAILURES`), logged."""
    method = create_embedding.METHOD
    if isinstance(error, UnexpectedStatus):
        log_answer(url, error.status_code, started, error.headers)
        return status_error(
            method=method,
            url=url,
            status_code=error.status_code,
            headers=error.headers,
            content=error.content,
            parsed=error.parsed,
        )
    if isinstance(error, MalformedResponse):
        log_answer(url, error.status_code, started, error.headers)
        return APIResponseValidationError(str(error), method=method, url=url, content=error.content)
    assert isinstance(error, urllib3.exceptions.HTTPError)
    logger.debug("%s %s failed after %.1f ms: %s", method, url, _ms(started), error)
    return connection_error(error, method=method, url=url)


def connection_error(error: urllib3.exceptions.HTTPError, *, method: str, url: str) -> APIError:
    """`APITimeoutError` when the cause was a timeout, else `APIConnectionError`."""
    cause: BaseException = error
    if isinstance(error, urllib3.exceptions.MaxRetryError) and error.reason is not None:
        cause = error.reason
    # urllib3 derives NewConnectionError (refused, DNS) from ConnectTimeoutError: not a timeout.
    refused = isinstance(cause, urllib3.exceptions.NewConnectionError)
    if isinstance(cause, urllib3.exceptions.TimeoutError) and not refused:
        return APITimeoutError(f"Request timed out: {cause}", method=method, url=url)
    return APIConnectionError(f"Connection error: {cause}", method=method, url=url)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def log_answer(url: str, status: int, started: float, headers: Mapping[str, str]) -> None:
    """One debug line for an answer: method, URL, status, time and the request id."""
    request_id = headers.get(REQUEST_ID_HEADER)
    logger.debug(
        "%s %s -> %d in %.1f ms (request id %s)",
        create_embedding.METHOD,
        url,
        status,
        _ms(started),
        request_id,
    )
