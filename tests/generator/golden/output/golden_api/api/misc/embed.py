# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""
`POST /embed`: Embed texts.

A bare array request body; a bare array of vectors as the answer.
"""

from __future__ import annotations

import json
from typing import Any, Final, cast

import urllib3

from golden_api import _decode
from golden_api import validation as _v
from golden_api.client import Client
from golden_api.errors import MalformedResponse, UnexpectedStatus
from golden_api.types import Response

__all__ = ["sync", "sync_detailed"]

METHOD: Final = "POST"
PATH: Final = "/embed"
SUCCESS_STATUS: Final = 200

_HEADERS: Final = {"Content-Type": "application/json", "Accept": "application/json"}
_JSON: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""Compact UTF-8 JSON, the encoder built once rather than by every `json.dumps`."""

_BODY: Final = _v.array(_v.string(), min_items=1)
"""The check of the request body (a model is checked when it is built)."""

_ANSWER: Final = _v.array(_v.vector())
"""The check of the success body."""


def _get_kwargs(*, body: list[str]) -> dict[str, Any]:
    """The arguments of `Client.request` for this call: compact UTF-8 JSON."""
    _BODY(body)
    return {
        "method": METHOD,
        "path": PATH,
        "body": _JSON.encode(body).encode("utf-8"),
        "headers": _HEADERS,
    }


def _read_body(value: Any) -> list[str]:
    """A request body from its JSON (the `from_dict` of a body that is no model)."""
    decoded = value
    _BODY(decoded)
    return cast("list[str]", decoded)


def _read_answer(value: Any) -> list[list[float]]:
    """The success body from its JSON: decoded, then checked."""
    decoded = value
    _ANSWER(decoded)
    return cast("list[list[float]]", decoded)


def _build_response(response: urllib3.BaseHTTPResponse) -> Response[list[list[float]]]:
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
        parsed = _decode.parse(content, _read_answer)
    except ValueError as error:
        raise MalformedResponse(
            f"HTTP {response.status} body is not the documented JSON: {error}",
            status_code=response.status,
            headers=response.headers,
            content=content,
        ) from error
    return Response(
        status_code=response.status, headers=response.headers, content=content, parsed=parsed
    )


def sync_detailed(client: Client, *, body: list[str]) -> Response[list[list[float]]]:
    """Embed texts: status, headers, raw bytes and the parsed `list[list[float]]`.

    Raises `UnexpectedStatus` for any status but 200, `MalformedResponse` for a
    body that is not the documented JSON, and urllib3's errors for network failures.
    A parameter or body the spec forbids raises `ValidationError` before anything is sent.
    """
    return _build_response(client.request(**_get_kwargs(body=body)))


def sync(client: Client, *, body: list[str]) -> list[list[float]]:
    """Embed texts: the parsed `list[list[float]]` (see `sync_detailed`)."""
    return sync_detailed(client, body=body).parsed
