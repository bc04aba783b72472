# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""
`POST /v2/router/embeddings`: Create embeddings.

Get a vector representation of a given input that can be easily consumed by machine learning models
and algorithms.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import urllib3

from orq_router_api import _decode
from orq_router_api.client import Client, encode_json
from orq_router_api.errors import MalformedResponse, UnexpectedStatus
from orq_router_api.models import CreateEmbeddingRequest, CreateEmbeddingResponse, ErrorResponse
from orq_router_api.types import UNSET, Response, Unset

if TYPE_CHECKING:  # aiohttp is optional: the asyncio functions import it when called
    import aiohttp

    from orq_router_api.async_client import AsyncClient

__all__ = ["asyncio", "asyncio_detailed", "build_response", "sync", "sync_detailed"]

METHOD: Final = "POST"
PATH: Final = "/v2/router/embeddings"
SUCCESS_STATUS: Final = 200

_HEADERS: Final = {"Content-Type": "application/json", "Accept": "application/json"}


def _get_kwargs(
    *,
    body: CreateEmbeddingRequest,
    extra_headers: Mapping[str, str] | None = None,
    extra_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The arguments of `Client.request` and `AsyncClient.request` for this call.

    The body is compact UTF-8 JSON, `extra_body`'s keys laid over the model's.
    `extra_headers` are laid over the endpoint's headers: for fields and headers the
    server knows before this package does.
    """
    content = body.to_dict()
    if extra_body:
        content = {**content, **extra_body}
    return {
        "method": METHOD,
        "path": PATH,
        "body": encode_json(content),
        "headers": {**_HEADERS, **extra_headers} if extra_headers else _HEADERS,
    }


def _parse_error(content: bytes) -> ErrorResponse | None:
    try:
        return _decode.parse(content, ErrorResponse.from_dict)
    except ValueError:  # not JSON, not UTF-8, too deep, or not the documented shape
        pass
    return None


def build_response(
    status_code: int, headers: Mapping[str, str], content: bytes
) -> Response[CreateEmbeddingResponse]:
    """The parsed answer, or the error that says why there is none.

    The one decoder of this operation, whatever transport read the answer: `sync_detailed`
    and `asyncio_detailed` both end here.
    """
    if status_code != SUCCESS_STATUS:
        raise UnexpectedStatus(
            status_code=status_code,
            headers=headers,
            content=content,
            parsed=_parse_error(content),
        )
    try:
        parsed = _decode.parse(content, CreateEmbeddingResponse.from_dict)
    except ValueError as error:
        raise MalformedResponse(
            f"HTTP {status_code} body is not a CreateEmbeddingResponse: {error}",
            status_code=status_code,
            headers=headers,
            content=content,
        ) from error
    return Response(status_code=status_code, headers=headers, content=content, parsed=parsed)


def sync_detailed(
    client: Client,
    *,
    body: CreateEmbeddingRequest,
    extra_headers: Mapping[str, str] | None = None,
    extra_body: Mapping[str, Any] | None = None,
    timeout: urllib3.Timeout | float | Unset | None = UNSET,
) -> Response[CreateEmbeddingResponse]:
    """Create embeddings: status, headers, raw bytes and the parsed `CreateEmbeddingResponse`.

    `timeout` replaces the client's for this call. Raises `UnexpectedStatus` for any status
    but 200, `MalformedResponse` for a body that is not the documented JSON, and
    urllib3's errors for network failures.
    """
    kwargs = _get_kwargs(body=body, extra_headers=extra_headers, extra_body=extra_body)
    answer = client.request(**kwargs, timeout=timeout)
    return build_response(answer.status, answer.headers, answer.data)


def sync(
    client: Client,
    *,
    body: CreateEmbeddingRequest,
    extra_headers: Mapping[str, str] | None = None,
    extra_body: Mapping[str, Any] | None = None,
    timeout: urllib3.Timeout | float | Unset | None = UNSET,
) -> CreateEmbeddingResponse:
    """Create embeddings: the parsed `CreateEmbeddingResponse` (see `sync_detailed`)."""
    return sync_detailed(
        client, body=body, extra_headers=extra_headers, extra_body=extra_body, timeout=timeout
    ).parsed


async def asyncio_detailed(
    client: AsyncClient,
    *,
    body: CreateEmbeddingRequest,
    extra_headers: Mapping[str, str] | None = None,
    extra_body: Mapping[str, Any] | None = None,
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
) -> Response[CreateEmbeddingResponse]:
    """Create embeddings, awaited: what `sync_detailed` returns, over aiohttp.

    Needs the `async` extra (aiohttp). Raises what `sync_detailed` raises, but aiohttp's
    errors (and `TimeoutError`) for network failures.
    """
    kwargs = _get_kwargs(body=body, extra_headers=extra_headers, extra_body=extra_body)
    status_code, headers, content = await client.request(**kwargs, timeout=timeout)
    return build_response(status_code, headers, content)


async def asyncio(
    client: AsyncClient,
    *,
    body: CreateEmbeddingRequest,
    extra_headers: Mapping[str, str] | None = None,
    extra_body: Mapping[str, Any] | None = None,
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
) -> CreateEmbeddingResponse:
    """Create embeddings, awaited: the parsed `CreateEmbeddingResponse` (see `asyncio_detailed`)."""
    response = await asyncio_detailed(
        client, body=body, extra_headers=extra_headers, extra_body=extra_body, timeout=timeout
    )
    return response.parsed
