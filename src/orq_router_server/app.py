"""The HTTP face of the router (Starlette): the spec's endpoint and OpenAI's.

- `POST /v2/router/embeddings`: exactly `openapi/orq-router.yaml`.
- `POST /v1/embeddings`: the same thing in OpenAI's form, for the `openai` SDK and
  everything built on it (a flat list of token ids is one input there; the orq fields
  are accepted too).
- `GET /v1/models`: the served models, in OpenAI's list form.

Every answer carries `x-request-id`; an embeddings answer also `x-orq-attempts` and
`x-orq-cache`, and a success `x-orq-model`, the model that served. Every error is the
spec's `{"error": {...}}`: 400 malformed JSON or a request a model cannot serve as asked,
401 key, 404 model or route, 405 method, 413 body over `max_body_bytes`, 422 a body the
schema refuses; then whatever status the models failed with (504 for a call timeout).

A success whose model cut inputs at its limit says how many in `x-orq-truncated`. A
client that leaves before its answer stops the work (`cancelling.py`), logged as 499.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Final

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from orq_router_server.cancelling import unless_client_leaves
from orq_router_server.errors import RouterError
from orq_router_server.request import EmbeddingCall, parse_body
from orq_router_server.requestlog import log_request
from orq_router_server.router import LocalRouter
from orq_router_server.routing import RouteFailed

__all__ = ["create_app"]

logger = logging.getLogger("orq_router_server")

JSON: Final = "application/json"
DRAIN_LIMIT: Final = 64 * 1024 * 1024
"""An oversized body is still read (and dropped) up to this much before the 413, so a
client that writes its whole body before reading gets the answer, not a broken pipe."""


def create_app(router: LocalRouter) -> Starlette:
    """The ASGI app serving `router`."""

    async def v2_embeddings(request: Request) -> Response:
        return await _embeddings(router, request, openai=False)

    async def v1_embeddings(request: Request) -> Response:
        return await _embeddings(router, request, openai=True)

    async def v1_models(request: Request) -> Response:
        request_id = router.new_request_id()
        try:
            router.authenticate(request.headers.get("authorization"))
        except RouterError as error:
            return _error(error, {"x-request-id": request_id})
        data = [{"id": name, "object": "model", "owned_by": "orq-router"} for name in router.models]
        content = json.dumps({"object": "list", "data": data}).encode()
        return Response(content, media_type=JSON, headers={"x-request-id": request_id})

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        request_id = router.new_request_id()
        if exc.status_code == 405:
            error = RouterError(405, "method_not_allowed", f"{request.method} is not allowed here")
        else:
            error = RouterError(
                exc.status_code, "not_found", f"no route {request.method} {request.url.path}"
            )
        headers = {**(exc.headers or {}), "x-request-id": request_id}
        log_request(
            request_id=request_id,
            method=request.method,
            path=request.url.path,
            status=error.status,
            ms=0.0,
            error=error.code,
        )
        return _error(error, headers)

    app = Starlette(
        routes=[
            Route("/v2/router/embeddings", v2_embeddings, methods=["POST"]),
            Route("/v1/embeddings", v1_embeddings, methods=["POST"]),
            Route("/v1/models", v1_models, methods=["GET"]),
        ],
        exception_handlers={HTTPException: http_error},
    )
    app.state.router = router
    return app


async def _embeddings(router: LocalRouter, request: Request, *, openai: bool) -> Response:
    started = time.perf_counter()
    request_id = router.new_request_id()
    headers = {"x-request-id": request_id}
    call: EmbeddingCall | None = None
    log: dict[str, Any] = {}
    try:
        api_key = router.authenticate(request.headers.get("authorization"))
        raw = await _read_body(request, router.config.max_body_bytes)
        call = parse_body(raw, max_inputs=router.config.max_inputs, openai=openai)
        router.check_models(call)
        answer = await unless_client_leaves(request.receive, router.answer(call, api_key))
    except ClientDisconnect:
        response = Response(status_code=499)  # nginx's "client closed request": nobody reads it
        log = {"error": "client_disconnected"}
    except RouterError as error:
        response = _error(error, headers)
        log = {"error": error.code}
    except RouteFailed as failed:
        headers.update({"x-orq-attempts": str(failed.attempts), "x-orq-cache": "miss"})
        response = _error(failed.error, headers)
        log = {"error": failed.error.code, "attempts": failed.attempts, "cache": "miss"}
    except Exception:
        # A bug here; the client still gets the error body, and the server keeps going.
        logger.exception("request %s failed", request_id)
        bug = RouterError(500, "internal_error", f"the router failed (request {request_id})")
        response = _error(bug, headers)
        log = {"error": bug.code}
    else:
        headers.update(
            {
                "x-orq-model": answer.model,
                "x-orq-attempts": str(answer.attempts),
                "x-orq-cache": answer.cache,
            }
        )
        if answer.truncated:
            headers["x-orq-truncated"] = str(answer.truncated)
        response = Response(answer.body, media_type=JSON, headers=headers)
        log = {
            "served": answer.model,
            "attempts": answer.attempts,
            "cache": answer.cache,
            "prompt_tokens": answer.prompt_tokens,
        }
    log_request(
        request_id=request_id,
        method=request.method,
        path=request.url.path,
        status=response.status_code,
        ms=(time.perf_counter() - started) * 1000,
        call=call,
        **log,
    )
    return response


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, or 413 once it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    too_large = RouterError(
        413, "body_too_large", f"the body is larger than this router's limit of {limit} bytes"
    )
    if declared.isdigit() and int(declared) > DRAIN_LIMIT:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        elif size > DRAIN_LIMIT:
            break
    if size > limit:
        raise too_large
    return b"".join(chunks)


def _error(error: RouterError, headers: dict[str, str]) -> Response:
    content = json.dumps(error.body()).encode()
    return Response(
        content,
        status_code=error.status,
        media_type=JSON,
        headers={**error.headers, **headers},
    )
