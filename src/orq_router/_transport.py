"""How one request reaches the server and how its failures become our errors.

The generated `create_embedding.sync_detailed` sends the request over the generated
`Client` (urllib3 pool, retry policy, timeout). This module turns what can go wrong
into the exception tree: an error status into its class, a malformed answer into
`APIResponseValidationError`, urllib3's network errors into `APIConnectionError` or
`APITimeoutError`. Logs name the method, URL, status, time and request id: never a
header, so never the key.
"""

from __future__ import annotations

import logging
import time

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
from orq_router_api import MalformedResponse, Response, UnexpectedStatus
from orq_router_api.api.embeddings import create_embedding
from orq_router_api.models import CreateEmbeddingRequest, CreateEmbeddingResponse

logger = logging.getLogger("orq_router")


@attrs.frozen
class Transport:
    """The generated client, and the error mapping around its calls."""

    api: orq_router_api.Client
    _url: str = attrs.field(init=False)
    """Where `create_embedding` goes, for logs and errors."""

    @_url.default
    def _embeddings_url(self) -> str:
        return self.api.base_url.rstrip("/") + create_embedding.PATH

    def create_embedding(self, body: CreateEmbeddingRequest) -> Response[CreateEmbeddingResponse]:
        method = create_embedding.METHOD
        url = self._url
        started = time.perf_counter()
        try:
            response = create_embedding.sync_detailed(self.api, body=body)
        except UnexpectedStatus as error:
            _log(method, url, error.status_code, started, error.headers.get(REQUEST_ID_HEADER))
            raise status_error(
                method=method,
                url=url,
                status_code=error.status_code,
                headers=error.headers,
                content=error.content,
                parsed=error.parsed,
            ) from error
        except MalformedResponse as error:
            _log(method, url, error.status_code, started, error.headers.get(REQUEST_ID_HEADER))
            raise APIResponseValidationError(
                str(error), method=method, url=url, content=error.content
            ) from error
        except urllib3.exceptions.HTTPError as error:
            logger.debug("%s %s failed after %.1f ms: %s", method, url, _ms(started), error)
            raise connection_error(error, method=method, url=url) from error
        if logger.isEnabledFor(logging.DEBUG):  # the id and the time only if they are shown
            _log(
                method, url, response.status_code, started, response.headers.get(REQUEST_ID_HEADER)
            )
        return response


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


def _log(method: str, url: str, status: int, started: float, request_id: str | None) -> None:
    logger.debug(
        "%s %s -> %d in %.1f ms (request id %s)", method, url, status, _ms(started), request_id
    )
