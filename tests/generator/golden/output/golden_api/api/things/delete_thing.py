# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""`DELETE /things/{thing_id}`: Delete a thing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import urllib3

from golden_api import _encode
from golden_api import validation as _v
from golden_api.client import Client
from golden_api.errors import UnexpectedStatus
from golden_api.types import UNSET, Response, Unset

if TYPE_CHECKING:  # aiohttp is optional: the asyncio functions import it when called
    import aiohttp

    from golden_api.async_client import AsyncClient

__all__ = ["asyncio", "asyncio_detailed", "build_response", "sync", "sync_detailed"]

METHOD: Final = "DELETE"
PATH: Final = "/things/{thing_id}"
SUCCESS_STATUS: Final = 204

_HEADERS: Final = {"Accept": "application/json"}
_CHECK_THING_ID: Final = _v.string(min_length=2)


def _get_kwargs(
    *,
    thing_id: str,
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The arguments of `Client.request` and `AsyncClient.request` for this call.

    `extra_headers` are laid over the endpoint's headers: for fields and headers the
    server knows before this package does.
    """
    path = PATH
    query: list[tuple[str, str]] = []
    headers = dict(_HEADERS)
    thing_id_value = _encode.parameter("thing_id", _CHECK_THING_ID, thing_id)
    path = path.replace("{thing_id}", _encode.path_segment(thing_id_value))
    if extra_headers:
        headers.update(extra_headers)
    return {
        "method": METHOD,
        "path": path + _encode.query_string(query),
        "headers": headers,
    }


def build_response(status_code: int, headers: Mapping[str, str], content: bytes) -> Response[None]:
    """The parsed answer, or the error that says why there is none.

    The one decoder of this operation, whatever transport read the answer: `sync_detailed`
    and `asyncio_detailed` both end here.
    """
    if status_code != SUCCESS_STATUS:
        raise UnexpectedStatus(
            status_code=status_code,
            headers=headers,
            content=content,
            parsed=None,
        )
    return Response(status_code=status_code, headers=headers, content=content, parsed=None)


def sync_detailed(
    client: Client,
    *,
    thing_id: str,
    extra_headers: Mapping[str, str] | None = None,
    timeout: urllib3.Timeout | float | Unset | None = UNSET,
) -> Response[None]:
    """Delete a thing: status, headers, raw bytes and the parsed `None`.

    `timeout` replaces the client's for this call. Raises `UnexpectedStatus` for any status
    but 204, `MalformedResponse` for a body that is not the documented JSON, and
    urllib3's errors for network failures.
    A parameter the spec forbids raises `ValidationError` before anything is sent.
    """
    kwargs = _get_kwargs(thing_id=thing_id, extra_headers=extra_headers)
    answer = client.request(**kwargs, timeout=timeout)
    return build_response(answer.status, answer.headers, answer.data)


def sync(
    client: Client,
    *,
    thing_id: str,
    extra_headers: Mapping[str, str] | None = None,
    timeout: urllib3.Timeout | float | Unset | None = UNSET,
) -> None:
    """Delete a thing: the parsed `None` (see `sync_detailed`)."""
    return sync_detailed(
        client, thing_id=thing_id, extra_headers=extra_headers, timeout=timeout
    ).parsed


async def asyncio_detailed(
    client: AsyncClient,
    *,
    thing_id: str,
    extra_headers: Mapping[str, str] | None = None,
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
) -> Response[None]:
    """Delete a thing, awaited: what `sync_detailed` returns, over aiohttp.

    Needs the `async` extra (aiohttp). Raises what `sync_detailed` raises, but aiohttp's
    errors (and `TimeoutError`) for network failures.
    """
    kwargs = _get_kwargs(thing_id=thing_id, extra_headers=extra_headers)
    status_code, headers, content = await client.request(**kwargs, timeout=timeout)
    return build_response(status_code, headers, content)


async def asyncio(
    client: AsyncClient,
    *,
    thing_id: str,
    extra_headers: Mapping[str, str] | None = None,
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
) -> None:
    """Delete a thing, awaited: the parsed `None` (see `asyncio_detailed`)."""
    response = await asyncio_detailed(
        client, thing_id=thing_id, extra_headers=extra_headers, timeout=timeout
    )
    return response.parsed
