# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""
`POST /classify`: Classify a part.

A tagged union as the request body.
"""

from __future__ import annotations

import json
from typing import Any, Final, cast

import urllib3

from golden_api import _decode
from golden_api import validation as _v
from golden_api.client import Client
from golden_api.errors import MalformedResponse, UnexpectedStatus
from golden_api.models import ImagePart, TextPart
from golden_api.types import Response

__all__ = ["sync", "sync_detailed"]

METHOD: Final = "POST"
PATH: Final = "/classify"
SUCCESS_STATUS: Final = 200

_HEADERS: Final = {"Content-Type": "application/json", "Accept": "application/json"}
_JSON: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""Compact UTF-8 JSON, the encoder built once rather than by every `json.dumps`."""

_BODY: Final = _v.one_of(_v.instance(TextPart), _v.instance(ImagePart))
"""The check of the request body (a model is checked when it is built)."""

_ANSWER: Final = _v.string()
"""The check of the success body."""


def _get_kwargs(*, body: TextPart | ImagePart) -> dict[str, Any]:
    """The arguments of `Client.request` for this call: compact UTF-8 JSON."""
    _BODY(body)
    return {
        "method": METHOD,
        "path": PATH,
        "body": _JSON.encode(body.to_dict()).encode("utf-8"),
        "headers": _HEADERS,
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


def _build_response(response: urllib3.BaseHTTPResponse) -> Response[str]:
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


def sync_detailed(client: Client, *, body: TextPart | ImagePart) -> Response[str]:
    """Classify a part: status, headers, raw bytes and the parsed `str`.

    Raises `UnexpectedStatus` for any status but 200, `MalformedResponse` for a
    body that is not the documented JSON, and urllib3's errors for network failures.
    A parameter or body the spec forbids raises `ValidationError` before anything is sent.
    """
    return _build_response(client.request(**_get_kwargs(body=body)))


def sync(client: Client, *, body: TextPart | ImagePart) -> str:
    """Classify a part: the parsed `str` (see `sync_detailed`)."""
    return sync_detailed(client, body=body).parsed
