# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""
`PUT /things/tag`: Tag a thing.

A body whose required fields are named like builtins the checks call.
"""

from __future__ import annotations

import json
from typing import Any, Final

import urllib3

from golden_api.client import Client
from golden_api.errors import UnexpectedStatus
from golden_api.models import TagThingRequest
from golden_api.types import Response

__all__ = ["sync", "sync_detailed"]

METHOD: Final = "PUT"
PATH: Final = "/things/tag"
SUCCESS_STATUS: Final = 204

_HEADERS: Final = {"Content-Type": "application/json", "Accept": "application/json"}
_JSON: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""Compact UTF-8 JSON, the encoder built once rather than by every `json.dumps`."""


def _get_kwargs(*, body: TagThingRequest) -> dict[str, Any]:
    """The arguments of `Client.request` for this call: compact UTF-8 JSON."""
    return {
        "method": METHOD,
        "path": PATH,
        "body": _JSON.encode(body.to_dict()).encode("utf-8"),
        "headers": _HEADERS,
    }


def _build_response(response: urllib3.BaseHTTPResponse) -> Response[None]:
    """The parsed answer, or the error that says why there is none."""
    content = response.data
    if response.status != SUCCESS_STATUS:
        raise UnexpectedStatus(
            status_code=response.status,
            headers=response.headers,
            content=content,
            parsed=None,
        )
    return Response(
        status_code=response.status, headers=response.headers, content=content, parsed=None
    )


def sync_detailed(client: Client, *, body: TagThingRequest) -> Response[None]:
    """Tag a thing: status, headers, raw bytes and the parsed `None`.

    Raises `UnexpectedStatus` for any status but 204, `MalformedResponse` for a
    body that is not the documented JSON, and urllib3's errors for network failures.
    """
    return _build_response(client.request(**_get_kwargs(body=body)))


def sync(client: Client, *, body: TagThingRequest) -> None:
    """Tag a thing: the parsed `None` (see `sync_detailed`)."""
    return sync_detailed(client, body=body).parsed
