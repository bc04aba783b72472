# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""
`POST /classify`: Classify a part.

A tagged union as the request body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, cast

import urllib3

from golden_api import _decode
from golden_api import validation as _v
from golden_api.client import Client, encode_json
from golden_api.errors import MalformedResponse, UnexpectedStatus
from golden_api.models import ImagePart, TextPart
from golden_api.types import UNSET, Response, Unset

if TYPE_CHECKING:  # aiohttp is optional: the asyncio functions import it when called
    import aiohttp

    from golden_api.async_client import AsyncClient

__all__ = ["asyncio", "asyncio_detailed", "build_response", "sync", "sync_detailed"]

METHOD: Final = "POST"
PATH: Final = "/classify"
SUCCESS_STATUS: Final = 200

_HEADERS: Final = {"Content-Type": "application/json", "Accept": "application/json"}

_BODY: Final = _v.one_of(_v.instance(TextPart), _v.instance(ImagePart))
"""The check of the request body (a model is checked when it is built)."""

_ANSWER: Final = _v.string()
"""The check of the success body."""


def _get_kwargs(
    *,
    body: TextPart | ImagePart,
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The arguments of `Client.request` and `AsyncClient.request` for this call.

    The body is compact UTF-8 JSON.
    `extra_headers` are laid over the endpoint's headers: for fields and headers the
    server knows before this package does.
    """
    _BODY(body)
    content = body.to_dict()
    return {
        "method": METHOD,
        "path": PATH,
        "body": encode_json(content),
        "headers": {**_HEADERS, **extra_headers} if extra_headers else _HEADERS,
    }


def _read_body(value: Any) -> TextPart | ImagePart:
    """A request body from its JSON (the `from_dict` of a body that is no model)."""
    decoded = _decode.tagged(
        "type",
        (
            ("text", _decode.model(TextPart)),
            ("image_url", _decode.model(ImagePart)),
        ),
        _decode.union(
            (_v.instance(TextPart), _decode.model(TextPart)),
            (_v.instance(ImagePart), _decode.model(ImagePart)),
            exactly_one=True,
        ),
    )(value)
    _BODY(decoded)
    return cast("TextPart | ImagePart", decoded)


def _read_answer(value: Any) -> str:
    """The success body from its JSON: decoded, then checked."""
    decoded = value
    _ANSWER(decoded)
    return cast("str", decoded)


def build_response(status_code: int, headers: Mapping[str, str], content: bytes) -> Response[str]:
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
    try:
        parsed = _decode.parse(content, _read_answer)
    except ValueError as error:
        raise MalformedResponse(
            f"HTTP {status_code} body is not the documented JSON: {error}",
            status_code=status_code,
            headers=headers,
            content=content,
        ) from error
    return Response(status_code=status_code, headers=headers, content=content, parsed=parsed)


def sync_detailed(
    client: Client,
    *,
    body: TextPart | ImagePart,
    extra_headers: Mapping[str, str] | None = None,
    timeout: urllib3.Timeout | float | Unset | None = UNSET,
) -> Response[str]:
    """Classify a part: status, headers, raw bytes and the parsed `str`.

    `timeout` replaces the client's for this call. Raises `UnexpectedStatus` for any status
    but 200, `MalformedResponse` for a body that is not the documented JSON, and
    urllib3's errors for network failures.
    A parameter or body the spec forbids raises `ValidationError` before anything is sent.
    """
    kwargs = _get_kwargs(body=body, extra_headers=extra_headers)
    answer = client.request(**kwargs, timeout=timeout)
    return build_response(answer.status, answer.headers, answer.data)


def sync(
    client: Client,
    *,
    body: TextPart | ImagePart,
    extra_headers: Mapping[str, str] | None = None,
    timeout: urllib3.Timeout | float | Unset | None = UNSET,
) -> str:
    """Classify a part: the parsed `str` (see `sync_detailed`)."""
    return sync_detailed(client, body=body, extra_headers=extra_headers, timeout=timeout).parsed


async def asyncio_detailed(
    client: AsyncClient,
    *,
    body: TextPart | ImagePart,
    extra_headers: Mapping[str, str] | None = None,
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
) -> Response[str]:
    """Classify a part, awaited: what `sync_detailed` returns, over aiohttp.

    Needs the `async` extra (aiohttp). Raises what `sync_detailed` raises, but aiohttp's
    errors (and `TimeoutError`) for network failures.
    """
    kwargs = _get_kwargs(body=body, extra_headers=extra_headers)
    status_code, headers, content = await client.request(**kwargs, timeout=timeout)
    return build_response(status_code, headers, content)


async def asyncio(
    client: AsyncClient,
    *,
    body: TextPart | ImagePart,
    extra_headers: Mapping[str, str] | None = None,
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
) -> str:
    """Classify a part, awaited: the parsed `str` (see `asyncio_detailed`)."""
    response = await asyncio_detailed(
        client, body=body, extra_headers=extra_headers, timeout=timeout
    )
    return response.parsed
