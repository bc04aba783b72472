# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""`POST /things/search`: Search things."""

from __future__ import annotations

import json
from typing import Any, Final

import urllib3

from golden_api import _decode
from golden_api.client import Client
from golden_api.errors import MalformedResponse, UnexpectedStatus
from golden_api.models import Search, SearchThingsResponse
from golden_api.types import Response

__all__ = ["sync", "sync_detailed"]

METHOD: Final = "POST"
PATH: Final = "/things/search"
SUCCESS_STATUS: Final = 200

_HEADERS: Final = {"Content-Type": "application/json", "Accept": "application/json"}
_JSON: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""Compact UTF-8 JSON, the encoder built once rather than by every `json.dumps`."""


def _get_kwargs(*, body: Search) -> dict[str, Any]:
    """The arguments of `Client.request` for this call: compact UTF-8 JSON."""
    return {
        "method": METHOD,
        "path": PATH,
        "body": _JSON.encode(body.to_dict()).encode("utf-8"),
        "headers": _HEADERS,
    }


def _build_response(response: urllib3.BaseHTTPResponse) -> Response[SearchThingsResponse]:
    """The parsed answer, or the error that says why there is none."""
    content = response.data
    if response.status != SUCCESS_STATUS:
        raise UnexpectedStatus(
            status_code=response.status,
            headers=response.headers,
            content=content,
            parsed=None,
        )
    try:
        parsed = _decode.parse(content, SearchThingsResponse.from_dict)
    except ValueError as error:
        raise MalformedResponse(
            f"HTTP {response.status} body is not a SearchThingsResponse: {error}",
            status_code=response.status,
            headers=response.headers,
            content=content,
        ) from error
    return Response(
        status_code=response.status, headers=response.headers, content=content, parsed=parsed
    )


def sync_detailed(client: Client, *, body: Search) -> Response[SearchThingsResponse]:
    """Search things: status, headers, raw bytes and the parsed `SearchThingsResponse`.

    Raises `UnexpectedStatus` for any status but 200, `MalformedResponse` for a
    body that is not the documented JSON, and urllib3's errors for network failures.
    """
    return _build_response(client.request(**_get_kwargs(body=body)))


def sync(client: Client, *, body: Search) -> SearchThingsResponse:
    """Search things: the parsed `SearchThingsResponse` (see `sync_detailed`)."""
    return sync_detailed(client, body=body).parsed
