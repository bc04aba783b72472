# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""
`POST /things`: Create a thing.

An inline request body; a success response given as a components/responses $ref.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import urllib3

from golden_api import _decode
from golden_api.client import Client, encode_json
from golden_api.errors import MalformedResponse, UnexpectedStatus
from golden_api.models import CreateThingError4XX, CreateThingRequest, Thing
from golden_api.types import UNSET, Response, Unset

if TYPE_CHECKING:  # aiohttp is optional: the asyncio functions import it when called
    import aiohttp

    from golden_api.async_client import AsyncClient

__all__ = ["asyncio", "asyncio_detailed", "build_response", "sync", "sync_detailed"]

METHOD: Final = "POST"
PATH: Final = "/things"
SUCCESS_STATUS: Final = 201

_HEADERS: Final = {"Content-Type": "application/json", "Accept": "application/json"}


def _get_kwargs(
    *,
    body: CreateThingRequest,
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


def _parse_error(content: bytes) -> CreateThingError4XX | None:
    try:
        return _decode.parse(content, CreateThingError4XX.from_dict)
    except ValueError:  # not JSON, not UTF-8, too deep, or not the documented shape
        pass
    return None


def build_response(status_code: int, headers: Mapping[str, str], content: bytes) -> Response[Thing]:
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
        parsed = _decode.parse(content, Thing.from_dict)
    except ValueError as error:
        raise MalformedResponse(
            f"HTTP {status_code} body is not a Thing: {error}",
            status_code=status_code,
            headers=headers,
            content=content,
        ) from error
    return Response(status_code=status_code, headers=headers, content=content, parsed=parsed)


def sync_detailed(
    client: Client,
    *,
    body: CreateThingRequest,
    extra_headers: Mapping[str, str] | None = None,
    extra_body: Mapping[str, Any] | None = None,
    timeout: urllib3.Timeout | float | Unset | None = UNSET,
) -> Response[Thing]:
    """Create a thing: status, headers, raw bytes and the parsed `Thing`.

    `timeout` replaces the client's for this call. Raises `UnexpectedStatus` for any status
    but 201, `MalformedResponse` for a body that is not the documented JSON, and
    urllib3's errors for network failures.
    """
    kwargs = _get_kwargs(body=body, extra_headers=extra_headers, extra_body=extra_body)
    answer = client.request(**kwargs, timeout=timeout)
    return build_response(answer.status, answer.headers, answer.data)


def sync(
    client: Client,
    *,
    body: CreateThingRequest,
    extra_headers: Mapping[str, str] | None = None,
    extra_body: Mapping[str, Any] | None = None,
    timeout: urllib3.Timeout | float | Unset | None = UNSET,
) -> Thing:
    """Create a thing: the parsed `Thing` (see `sync_detailed`)."""
    return sync_detailed(
        client, body=body, extra_headers=extra_headers, extra_body=extra_body, timeout=timeout
    ).parsed


async def asyncio_detailed(
    client: AsyncClient,
    *,
    body: CreateThingRequest,
    extra_headers: Mapping[str, str] | None = None,
    extra_body: Mapping[str, Any] | None = None,
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
) -> Response[Thing]:
    """Create a thing, awaited: what `sync_detailed` returns, over aiohttp.

    Needs the `async` extra (aiohttp). Raises what `sync_detailed` raises, but aiohttp's
    errors (and `TimeoutError`) for network failures.
    """
    kwargs = _get_kwargs(body=body, extra_headers=extra_headers, extra_body=extra_body)
    status_code, headers, content = await client.request(**kwargs, timeout=timeout)
    return build_response(status_code, headers, content)


async def asyncio(
    client: AsyncClient,
    *,
    body: CreateThingRequest,
    extra_headers: Mapping[str, str] | None = None,
    extra_body: Mapping[str, Any] | None = None,
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
) -> Thing:
    """Create a thing, awaited: the parsed `Thing` (see `asyncio_detailed`)."""
    response = await asyncio_detailed(
        client, body=body, extra_headers=extra_headers, extra_body=extra_body, timeout=timeout
    )
    return response.parsed
