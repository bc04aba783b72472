# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""
`POST /v2/router/embeddings`: Create embeddings.

Get a vector representation of a given input that can be easily consumed by machine learning models
and algorithms.
"""

from __future__ import annotations

import json
from typing import Any, Final

import urllib3

from orq_router_api import _decode
from orq_router_api.client import Client
from orq_router_api.errors import MalformedResponse, UnexpectedStatus
from orq_router_api.models import CreateEmbeddingRequest, CreateEmbeddingResponse, ErrorResponse
from orq_router_api.types import Response

__all__ = ["sync", "sync_detailed"]

METHOD: Final = "POST"
PATH: Final = "/v2/router/embeddings"
SUCCESS_STATUS: Final = 200

_HEADERS: Final = {"Content-Type": "application/json", "Accept": "application/json"}
_JSON: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""Compact UTF-8 JSON, the encoder built once rather than by every `json.dumps`."""


def _get_kwargs(*, body: CreateEmbeddingRequest) -> dict[str, Any]:
    """The arguments of `Client.request` for this call: compact UTF-8 JSON."""
    return {
        "method": METHOD,
        "path": PATH,
        "body": _JSON.encode(body.to_dict()).encode("utf-8"),
        "headers": _HEADERS,
    }


def _parse_error(content: bytes) -> ErrorResponse | None:
    try:
        return _decode.parse(content, ErrorResponse.from_dict)
    except ValueError:  # not JSON, not UTF-8, too deep, or not the documented shape
        pass
    return None


def _build_response(response: urllib3.BaseHTTPResponse) -> Response[CreateEmbeddingResponse]:
    """The parsed answer, or the error that says why there is none."""
    content = response.data
    if response.status != SUCCESS_STATUS:
        raise UnexpectedStatus(
            status_code=response.status,
            headers=response.headers,
            content=content,
            parsed=_parse_error(content),
        )
    try:
        parsed = _decode.parse(content, CreateEmbeddingResponse.from_dict)
    except ValueError as error:
        raise MalformedResponse(
            f"HTTP {response.status} body is not a CreateEmbeddingResponse: {error}",
            status_code=response.status,
            headers=response.headers,
            content=content,
        ) from error
    return Response(
        status_code=response.status, headers=response.headers, content=content, parsed=parsed
    )


def sync_detailed(
    client: Client, *, body: CreateEmbeddingRequest
) -> Response[CreateEmbeddingResponse]:
    """Create embeddings: status, headers, raw bytes and the parsed `CreateEmbeddingResponse`.

    Raises `UnexpectedStatus` for any status but 200, `MalformedResponse` for a
    body that is not the documented JSON, and urllib3's errors for network failures.
    """
    return _build_response(client.request(**_get_kwargs(body=body)))


def sync(client: Client, *, body: CreateEmbeddingRequest) -> CreateEmbeddingResponse:
    """Create embeddings: the parsed `CreateEmbeddingResponse` (see `sync_detailed`)."""
    return sync_detailed(client, body=body).parsed
