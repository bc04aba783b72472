"""The HTTP face of the router (Starlette): the spec's endpoint, OpenAI's, and operations.

- `POST /v2/router/embeddings`: exactly `openapi/orq-router.yaml`.
- `POST /v1/embeddings`: the same thing in OpenAI's form, for the `openai` SDK and
  everything built on it (a flat list of token ids is one input there; the orq fields
  are accepted too).
- `GET /v1/models`: the served models, in OpenAI's list form.
- `GET /health`: 200 while the process runs. `GET /ready`: 200 once every configured
  model is loaded, 503 before that and while draining after SIGTERM. Neither needs a key.
- `GET /metrics`: Prometheus text format (prometheus-client; every worker's counts added
  up when several run). No key either: it holds counts, model ids and key *ids*.

Every answer but the probes' and `/metrics`' carries `x-request-id` (errors too); an
embeddings answer also `x-orq-attempts` and `x-orq-cache`, a success `x-orq-model` (the
model that served), and, when limits are set, OpenAI's `x-ratelimit-*` headers. Every
error is the spec's `{"error": {...}}`: 400 malformed JSON or a request a model cannot
serve as asked, 401 key, 404 model or route, 405 method, 413 body over `max_body_bytes`,
415 a body that is not `application/json` (a web page could otherwise post `text/plain`
to a loopback router with no CORS preflight), 422 a body the schema refuses, 429 over a
limit or a full queue (with `Retry-After`), 503 while loading, draining or when every
model cools down; then whatever status the models failed with (504 for a call timeout).
A client that goes away before its answer is logged as status 499, with no traceback.

A success whose model cut inputs at its limit says how many in `x-orq-truncated`. A
client that leaves before its answer stops the work (`cancelling.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any, Final

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from orq_router_server.cancelling import unless_client_leaves
from orq_router_server.config import Limit
from orq_router_server.errors import RouterError
from orq_router_server.lifecycle import Lifecycle
from orq_router_server.limits import RateLimited, caller_id
from orq_router_server.metrics import Metrics, adder, exposition, observer
from orq_router_server.request import EmbeddingCall, parse_body
from orq_router_server.requestlog import log_request
from orq_router_server.router import LocalRouter, random_request_id
from orq_router_server.routing import RouteFailed

__all__ = ["create_app"]

logger = logging.getLogger("orq_router_server")

JSON: Final = "application/json"
DRAIN_LIMIT: Final = 64 * 1024 * 1024
"""An oversized body is still read (and dropped) up to this much before the 413, so a
client that writes its whole body before reading gets the answer, not a broken pipe."""
CLIENT_CLOSED: Final = 499
"""The status a request is logged with when its client went away first (nginx's)."""
V2: Final = "/v2/router/embeddings"
V1: Final = "/v1/embeddings"
MODELS: Final = "/v1/models"


def create_app(router: LocalRouter | Lifecycle) -> Starlette:
    """The ASGI app serving `router`, or whatever router `lifecycle` holds at each request."""
    lifecycle = router if isinstance(router, Lifecycle) else Lifecycle(router)
    counts = _Counts(lifecycle.metrics)

    async def v1_models(request: Request) -> Response:
        router = lifecycle.router
        if router is None:
            return _not_ready(lifecycle)
        request_id = router.new_request_id()
        try:
            router.authenticate(request.headers.get("authorization"))
        except RouterError as error:
            counts.request(MODELS, "", error.status)
            return _error(error, {"x-request-id": request_id})
        data = [{"id": name, "object": "model", "owned_by": "orq-router"} for name in router.models]
        content = json.dumps({"object": "list", "data": data}).encode()
        counts.request(MODELS, "", 200)
        return Response(content, media_type=JSON, headers={"x-request-id": request_id})

    async def health(request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type=JSON)

    async def ready(request: Request) -> Response:
        router = lifecycle.router
        if not lifecycle.ready or router is None:
            return _not_ready(lifecycle)
        content = json.dumps({"status": "ready", "models": router.models}).encode()
        return Response(content, media_type=JSON)

    async def metrics(request: Request) -> Response:
        content, media_type = exposition(lifecycle.metrics)
        return Response(content, headers={"content-type": media_type})

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        router = lifecycle.router
        request_id = router.new_request_id() if router is not None else random_request_id()
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
        counts.request("other", "", error.status)
        return _error(error, headers)

    app = _RouterApp(
        routes=[
            Route(V2, _Embeddings(lifecycle, counts, openai=False, route=V2), methods=["POST"]),
            Route(V1, _Embeddings(lifecycle, counts, openai=True, route=V1), methods=["POST"]),
            Route(MODELS, v1_models, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
            Route("/ready", ready, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ],
        exception_handlers={HTTPException: http_error},
    )
    app.state.lifecycle = lifecycle
    app.state.router = lifecycle.router
    return app


class _RouterApp(Starlette):
    """Starlette, with the embeddings routes' POSTs handed straight to their endpoint.

    Those endpoints catch every error themselves and send their answer in two messages:
    Starlette's middleware (error pages, exception handlers) and route matching have
    nothing to do for them and would cost a tenth of a hashing request. Everything else
    (another method, another path, a mounted prefix) goes through Starlette as usual.
    """

    def __init__(self, *, routes: list[Route], **kwargs: Any) -> None:
        super().__init__(routes=routes, **kwargs)
        self._direct = {
            route.path: route.app
            for route in routes
            if isinstance(route.endpoint, _Embeddings) and route.methods == {"POST"}
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and not scope.get("root_path"):
            endpoint = self._direct.get(scope["path"])
            if endpoint is not None:
                scope["app"] = self
                await endpoint(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


class _Counts:
    """The request path's metrics, their labelled children kept (a `labels` call locks),
    moved through `adder` and `observer` (the same counts, without the public methods'
    checks)."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self._requests: dict[tuple[str, str, int], Callable[[float], None]] = {}
        self._seconds = {
            route: observer(metrics.request_seconds.labels(route))
            for route in (V1, V2, MODELS, "other")
        }

    def request(self, route: str, model: str, status: int, seconds: float | None = None) -> None:
        key = (route, model, status)
        inc = self._requests.get(key)
        if inc is None:
            inc = self._requests[key] = adder(
                self.metrics.requests.labels(route, model, str(status))
            )
        inc(1)
        if seconds is not None:
            self._seconds[route](seconds)


class _Embeddings:
    """`POST /v2/router/embeddings` (or `/v1/embeddings`), as a plain ASGI app.

    The hot path of the router: it reads the few headers it needs straight from the
    scope and sends its answer as two ASGI messages, without Starlette's `Request` and
    `Response` objects (a third of a hashing request's time in the router otherwise).
    """

    def __init__(self, lifecycle: Lifecycle, counts: _Counts, *, openai: bool, route: str) -> None:
        self.lifecycle = lifecycle
        self.counts = counts
        self.openai = openai
        self.route = route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lifecycle = self.lifecycle
        router = lifecycle.router
        if router is None:
            self.counts.request(self.route, "", 503)
            response = _not_ready(lifecycle)
            log_request(
                request_id=response.headers["x-request-id"],
                method=scope["method"],
                path=scope["path"],
                status=503,
                ms=0.0,
                error="not_ready",
            )
            await response(scope, receive, send)
            return
        task = asyncio.current_task()
        if task is not None:
            lifecycle.inflight.add(task)
        try:
            status, headers, body = await self._answer(router, scope, receive, task)
        finally:
            if task is not None:
                lifecycle.inflight.discard(task)
        raw_headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        raw_headers += [(name.encode(), value.encode()) for name, value in headers.items()]
        if status != CLIENT_CLOSED:  # nobody is there to read it
            await send({"type": "http.response.start", "status": status, "headers": raw_headers})
            await send({"type": "http.response.body", "body": body})

    async def _answer(
        self, router: LocalRouter, scope: Scope, receive: Receive, task: asyncio.Task[Any] | None
    ) -> tuple[int, dict[str, str], bytes]:
        started = time.perf_counter()
        request_id = router.new_request_id()
        headers = {"x-request-id": request_id}
        authorization = content_type = declared = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value.decode("latin-1")
            elif name == b"content-type":
                content_type = value.decode("latin-1")
            elif name == b"content-length":
                declared = value
        call: EmbeddingCall | None = None
        log: dict[str, Any] = {}
        model = ""
        admitted: tuple[str, Limit] | None = None
        tokens = 0
        config = router.config
        try:
            try:
                api_key = router.authenticate(authorization)
                if content_type != JSON and not _is_json(content_type):
                    with contextlib.suppress(RouterError):  # read, so the client reads us
                        await _read_body(receive, declared, config.max_body_bytes)
                    raise RouterError(
                        415,
                        "unsupported_media_type",
                        "the body must be sent as Content-Type: application/json,"
                        f" not {content_type!r}",
                    )
                if config.limits.any:
                    limit = config.limits.of(api_key)
                    if limit.any:
                        keyed = api_key if config.api_keys is not None else None
                        client = scope.get("client")
                        caller = caller_id(keyed, client[0] if client else None)
                        headers.update(await router.limiter.admit(caller, limit, request_id))
                        admitted = (caller, limit)
                raw = await _read_body(receive, declared, config.max_body_bytes)
                call = parse_body(raw, max_inputs=config.max_inputs, openai=self.openai)
                router.check_models(call)
                model = call.model
                answer = await unless_client_leaves(receive, router.answer(call, api_key))
            except RateLimited as limited:
                self.counts.metrics.rate_limited.labels(limited.caller).inc()
                status, body = _failure(limited, headers)
                log = {"error": limited.code}
            except RouterError as error:
                status, body = _failure(error, headers)
                log = {"error": error.code}
            except RouteFailed as failed:
                headers.update({"x-orq-attempts": str(failed.attempts), "x-orq-cache": "miss"})
                status, body = _failure(failed.error, headers)
                log = {"error": failed.error.code, "attempts": failed.attempts, "cache": "miss"}
            except ClientDisconnect:
                # The client went away, sending its body or waiting for its answer (whose
                # work `unless_client_leaves` stopped): nothing to answer, nothing broke.
                status, body = CLIENT_CLOSED, b""
                log = {"error": "client_disconnected"}
            except asyncio.CancelledError:
                if not self.lifecycle.cancelling or task is None:
                    raise
                # The grace period after SIGTERM is over: answer, instead of being cut off.
                task.uncancel()
                stop = RouterError(
                    503,
                    "shutting_down",
                    "the router is shutting down and this request outlived its grace period;"
                    " send it again",
                    headers={"retry-after": "1"},
                )
                status, body = _failure(stop, headers)
                log = {"error": stop.code}
            except Exception:
                # A bug here; the client still gets the error body, the server keeps going.
                logger.exception("request %s failed", request_id)
                bug = RouterError(
                    500, "internal_error", f"the router failed (request {request_id})"
                )
                status, body = _failure(bug, headers)
                log = {"error": bug.code}
            else:
                headers["x-orq-model"] = answer.model
                headers["x-orq-attempts"] = str(answer.attempts)
                headers["x-orq-cache"] = answer.cache
                if answer.truncated:
                    headers["x-orq-truncated"] = str(answer.truncated)
                status, body = 200, answer.body
                model = answer.model
                tokens = answer.prompt_tokens or 0
                log = {
                    "served": answer.model,
                    "attempts": answer.attempts,
                    "cache": answer.cache,
                    "prompt_tokens": answer.prompt_tokens,
                }
        finally:
            if admitted is not None:
                await router.limiter.finish(admitted[0], admitted[1], request_id, tokens)
        elapsed = time.perf_counter() - started
        if model and model not in router.backends:
            model = ""  # a model id the client made up is no label: labels must stay few
        self.counts.request(self.route, model, status, elapsed)
        log_request(
            request_id=request_id,
            method=scope["method"],
            path=scope["path"],
            status=status,
            ms=elapsed * 1000,
            call=call,
            **log,
        )
        return status, headers, body


def _is_json(content_type: str | None) -> bool:
    """`application/json`, with or without parameters (`; charset=utf-8`)."""
    if not content_type:
        return False
    return content_type.partition(";")[0].strip().lower() == JSON


async def _read_body(receive: Receive, declared: bytes | None, limit: int) -> bytes:
    """The body, or 413 once it passes `limit` bytes; `ClientDisconnect` if the client
    goes away first."""
    if declared is not None and declared.isdigit() and int(declared) > DRAIN_LIMIT:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        more = message.get("more_body", False)
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        elif size > DRAIN_LIMIT:
            break
    if size > limit:
        raise _too_large(limit)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _too_large(limit: int) -> RouterError:
    return RouterError(
        413, "body_too_large", f"the body is larger than this router's limit of {limit} bytes"
    )


def _not_ready(lifecycle: Lifecycle) -> Response:
    if lifecycle.draining:
        error = RouterError(503, "draining", "the router is shutting down")
    elif lifecycle.failed is not None:
        error = RouterError(503, "not_ready", f"the models could not be loaded: {lifecycle.failed}")
    else:
        error = RouterError(503, "not_ready", "the router is loading its models; try again shortly")
    return _error(error, {"retry-after": "1", "x-request-id": random_request_id()})


def _failure(error: RouterError, headers: dict[str, str]) -> tuple[int, bytes]:
    """An error's status and body; its own headers (`Retry-After`, ...) join `headers`."""
    for name, value in error.headers.items():
        headers.setdefault(name, value)
    return error.status, json.dumps(error.body()).encode()


def _error(error: RouterError, headers: dict[str, str]) -> Response:
    content = json.dumps(error.body()).encode()
    return Response(
        content,
        status_code=error.status,
        media_type=JSON,
        headers={**error.headers, **headers},
    )
