# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""
`GET /things/{thing_id}`: Get a thing.

Path, query and header parameters; no request body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import urllib3

from golden_api import _decode, _encode
from golden_api import validation as _v
from golden_api.client import Client
from golden_api.errors import MalformedResponse, UnexpectedStatus
from golden_api.models import GetThingOrder, Thing
from golden_api.types import UNSET, Response, Unset

if TYPE_CHECKING:  # aiohttp is optional: the asyncio functions import it when called
    import aiohttp

    from golden_api.async_client import AsyncClient

__all__ = ["asyncio", "asyncio_detailed", "build_response", "sync", "sync_detailed"]

METHOD: Final = "GET"
PATH: Final = "/things/{thing_id}"
SUCCESS_STATUS: Final = 200

_HEADERS: Final = {"Accept": "application/json"}
_CHECK_THING_ID: Final = _v.string(min_length=2)
_CHECK_LIMIT: Final = _v.integer(minimum=1)
_CHECK_TAGS: Final = _v.array(_v.string())
_CHECK_FIELDS: Final = _v.array(_v.string())
_CHECK_ORDER: Final = _v.member(GetThingOrder)
_CHECK_EXACT: Final = _v.boolean()
_CHECK_X_REQUEST_ID: Final = _v.string()


def _get_kwargs(
    *,
    thing_id: str,
    limit: int | None = None,
    tags: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
    order: GetThingOrder | None = None,
    exact: bool | None = None,
    x_request_id: str | None = None,
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
    if limit is not None:
        limit_value = _encode.parameter("limit", _CHECK_LIMIT, limit)
        query.append(("limit", str(limit_value)))
    if tags is not None:
        tags_value = _encode.parameter("tags", _CHECK_TAGS, list(tags))
        query.extend(("tags", item) for item in tags_value)
    if fields is not None:
        fields_value = _encode.parameter("fields", _CHECK_FIELDS, list(fields))
        query.append(("fields", ",".join(fields_value)))
    if order is not None:
        order_value = _encode.parameter(
            "order", _CHECK_ORDER, order, _decode.enum_member(GetThingOrder)
        )
        query.append(("order", str(order_value.value)))
    if exact is not None:
        exact_value = _encode.parameter("exact", _CHECK_EXACT, exact)
        query.append(("exact", ("true" if exact_value else "false")))
    if x_request_id is not None:
        x_request_id_value = _encode.parameter("X-Request-Id", _CHECK_X_REQUEST_ID, x_request_id)
        headers["X-Request-Id"] = x_request_id_value
    if extra_headers:
        headers.update(extra_headers)
    return {
        "method": METHOD,
        "path": path + _encode.query_string(query),
        "headers": headers,
    }


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
            parsed=None,
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
    thing_id: str,
    limit: int | None = None,
    tags: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
    order: GetThingOrder | None = None,
    exact: bool | None = None,
    x_request_id: str | None = None,
    extra_headers: Mapping[str, str] | None = None,
    timeout: urllib3.Timeout | float | Unset | None = UNSET,
) -> Response[Thing]:
    """Get a thing: status, headers, raw bytes and the parsed `Thing`.

    `timeout` replaces the client's for this call. Raises `UnexpectedStatus` for any status
    but 200, `MalformedResponse` for a body that is not the documented JSON, and
    urllib3's errors for network failures.
    A parameter given as None is not sent.
    A parameter the spec forbids raises `ValidationError` before anything is sent.
    """
    kwargs = _get_kwargs(
        thing_id=thing_id,
        limit=limit,
        tags=tags,
        fields=fields,
        order=order,
        exact=exact,
        x_request_id=x_request_id,
        extra_headers=extra_headers,
    )
    answer = client.request(**kwargs, timeout=timeout)
    return build_response(answer.status, answer.headers, answer.data)


def sync(
    client: Client,
    *,
    thing_id: str,
    limit: int | None = None,
    tags: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
    order: GetThingOrder | None = None,
    exact: bool | None = None,
    x_request_id: str | None = None,
    extra_headers: Mapping[str, str] | None = None,
    timeout: urllib3.Timeout | float | Unset | None = UNSET,
) -> Thing:
    """Get a thing: the parsed `Thing` (see `sync_detailed`)."""
    return sync_detailed(
        client,
        thing_id=thing_id,
        limit=limit,
        tags=tags,
        fields=fields,
        order=order,
        exact=exact,
        x_request_id=x_request_id,
        extra_headers=extra_headers,
        timeout=timeout,
    ).parsed


async def asyncio_detailed(
    client: AsyncClient,
    *,
    thing_id: str,
    limit: int | None = None,
    tags: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
    order: GetThingOrder | None = None,
    exact: bool | None = None,
    x_request_id: str | None = None,
    extra_headers: Mapping[str, str] | None = None,
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
) -> Response[Thing]:
    """Get a thing, awaited: what `sync_detailed` returns, over aiohttp.

    Needs the `async` extra (aiohttp). Raises what `sync_detailed` raises, but aiohttp's
    errors (and `TimeoutError`) for network failures.
    """
    kwargs = _get_kwargs(
        thing_id=thing_id,
        limit=limit,
        tags=tags,
        fields=fields,
        order=order,
        exact=exact,
        x_request_id=x_request_id,
        extra_headers=extra_headers,
    )
    status_code, headers, content = await client.request(**kwargs, timeout=timeout)
    return build_response(status_code, headers, content)


async def asyncio(
    client: AsyncClient,
    *,
    thing_id: str,
    limit: int | None = None,
    tags: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
    order: GetThingOrder | None = None,
    exact: bool | None = None,
    x_request_id: str | None = None,
    extra_headers: Mapping[str, str] | None = None,
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
) -> Thing:
    """Get a thing, awaited: the parsed `Thing` (see `asyncio_detailed`)."""
    response = await asyncio_detailed(
        client,
        thing_id=thing_id,
        limit=limit,
        tags=tags,
        fields=fields,
        order=order,
        exact=exact,
        x_request_id=x_request_id,
        extra_headers=extra_headers,
        timeout=timeout,
    )
    return response.parsed
