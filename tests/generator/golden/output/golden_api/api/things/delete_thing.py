# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""`DELETE /things/{thing_id}`: Delete a thing."""

from __future__ import annotations

from typing import Any, Final

import urllib3

from golden_api import _encode
from golden_api import validation as _v
from golden_api.client import Client
from golden_api.errors import UnexpectedStatus
from golden_api.types import Response

__all__ = ["sync", "sync_detailed"]

METHOD: Final = "DELETE"
PATH: Final = "/things/{thing_id}"
SUCCESS_STATUS: Final = 204

_HEADERS: Final = {"Accept": "application/json"}
_CHECK_THING_ID: Final = _v.string(min_length=2)


def _get_kwargs(*, thing_id: str) -> dict[str, Any]:
    """The arguments of `Client.request` for this call."""
    path = PATH
    query: list[tuple[str, str]] = []
    headers = dict(_HEADERS)
    thing_id_value = _encode.parameter("thing_id", _CHECK_THING_ID, thing_id)
    path = path.replace("{thing_id}", _encode.path_segment(thing_id_value))
    return {
        "method": METHOD,
        "path": path + _encode.query_string(query),
        "headers": headers,
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


def sync_detailed(client: Client, *, thing_id: str) -> Response[None]:
    """Delete a thing: status, headers, raw bytes and the parsed `None`.

    Raises `UnexpectedStatus` for any status but 204, `MalformedResponse` for a
    body that is not the documented JSON, and urllib3's errors for network failures.
    A parameter the spec forbids raises `ValidationError` before anything is sent.
    """
    return _build_response(client.request(**_get_kwargs(thing_id=thing_id)))


def sync(client: Client, *, thing_id: str) -> None:
    """Delete a thing: the parsed `None` (see `sync_detailed`)."""
    return sync_detailed(client, thing_id=thing_id).parsed
