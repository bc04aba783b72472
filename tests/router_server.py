"""The local router (`src/orq_router_server`), run on 127.0.0.1 for the tests, scriptable.

There is one server: this module runs the product's own router in a thread, with the
test suite's configuration (`tests/router.toml`: every model the tests name, served by
the deterministic hashing model; the tests' made-up keys). On top it adds what tests
need and a router must not have:

- it records every request it receives (`exchanges`: method, path, headers, raw body;
  of a body over the router's `max_body_bytes`, only what was read before the limit;
  of a client that vanished mid-body, what arrived, marked `disconnected`);
- `answer(...)` queues a scripted answer (status, body, headers, delay) sent instead of
  the router's, in order; `answer_normally()` queues "let the router answer";
- request ids are numbered `req_0001`, `req_0002`, ... from the last `reset()`, so
  cassettes recorded from it do not change on re-recording.

Without scripts, every answer is the local router's: the spec's validation and error
bodies, real retry / fallback / cache semantics, and `vectors(...)` below are exactly
the vectors it returns.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import attrs
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orq_router_server import Config, HashingSpec, LocalRouter, LocalServer, create_app, load_config
from orq_router_server.backends import hashing

PATH = "/v2/router/embeddings"
CONFIG_FILE = Path(__file__).resolve().parent / "router.toml"
TEST_CONFIG = load_config(CONFIG_FILE)
"""The configuration the facade's tests and cassettes use."""


def dimensions_of(model: str, config: Config = TEST_CONFIG) -> int:
    """The width of a hashing model of the configuration."""
    spec = config.models[model]
    assert isinstance(spec, HashingSpec), f"{model} is not a hashing model"
    return spec.dimensions


def vectors(texts: Sequence[str], model: str, config: Config = TEST_CONFIG) -> list[list[float]]:
    """The vectors the router answers for `texts` with a hashing model of the config."""
    matrix, _ = hashing.embed(list(texts), dimensions_of(model, config))
    rows: list[list[float]] = matrix.tolist()
    return rows


@attrs.frozen
class Exchange:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    disconnected: bool = False
    """The client went away before its whole body arrived (e.g. its process was killed)."""

    def json(self) -> Any:
        return json.loads(self.body)


@attrs.frozen
class Scripted:
    """An answer to send instead of the router's."""

    status: int
    body: bytes
    headers: Mapping[str, str] = attrs.field(factory=dict)
    delay: float = 0.0


_NORMAL = Scripted(0, b"")
"""A queued marker: let the router answer this request."""


class EmbeddingsServer:
    """Start with `with EmbeddingsServer() as server:`; `server.url` is its base URL.

    `config` defaults to `tests/router.toml`; `port=0` picks a free port.
    """

    def __init__(self, port: int = 0, *, config: Config = TEST_CONFIG) -> None:
        self.exchanges: list[Exchange] = []
        self.scripted: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._counter = 0
        self.router = LocalRouter(config, request_ids=self._next_request_id)
        self._server = LocalServer(_Scripting(create_app(self.router), self), port=port)

    @property
    def url(self) -> str:
        return self._server.url

    def answer(
        self,
        status: int,
        body: bytes | Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        *,
        delay: float = 0.0,
    ) -> None:
        """Queue an answer; queued answers are sent before the router answers again."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.scripted.append(Scripted(status, raw, dict(headers or {}), delay))

    def answer_normally(self, times: int = 1) -> None:
        """Queue `times` answers given by the router, before later scripted ones."""
        for _ in range(times):
            self.scripted.append(_NORMAL)

    def __enter__(self) -> Self:
        self._server.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.stop()

    def reset(self) -> None:
        """Forget exchanges, scripts and cached answers; number request ids from 1 again."""
        with self._lock:
            self.exchanges.clear()
            self.scripted.clear()
            self._counter = 0
        asyncio.run(self.router.store.clear())

    def _next_request_id(self) -> str:
        with self._lock:
            self._counter += 1
            return f"req_{self._counter:04d}"

    def _receive(self, exchange: Exchange) -> Scripted:
        """Record `exchange`; its scripted answer, if one is queued. A torn request takes
        none: nobody is there to get it, and it stays queued for the next request."""
        with self._lock:
            self.exchanges.append(exchange)
            if exchange.disconnected or not self.scripted:
                return _NORMAL
            return self.scripted.popleft()


class _Scripting:
    """ASGI middleware: record each request, then send a scripted answer or the router's."""

    def __init__(self, app: ASGIApp, server: EmbeddingsServer) -> None:
        self.app = app
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Read the body to record it, but never past the router's limit: the router must
        # still see an oversized body arrive (and refuse it) as a client sends it.
        limit = self.server.router.config.max_body_bytes
        declared = dict(scope["headers"]).get(b"content-length", b"")
        chunks: list[bytes] = []
        size = 0
        read_all = False
        disconnected = False
        if not (declared.isdigit() and int(declared) > limit):
            while not read_all and size <= limit:
                message = await receive()
                disconnected = message["type"] == "http.disconnect"
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                read_all = disconnected or not message.get("more_body", False)
        body = b"".join(chunks)
        headers = {key.decode().lower(): value.decode("latin-1") for key, value in scope["headers"]}
        exchange = Exchange(
            method=scope["method"], path=scope["path"], headers=headers, body=body,
            disconnected=disconnected,
        )  # fmt: skip
        scripted = self.server._receive(exchange)
        if disconnected:
            return  # nobody is left to answer; the router never sees the torn request
        if scripted is _NORMAL:
            await self.app(scope, _replay(body, not read_all, receive), send)
            return
        if scripted.delay:
            await asyncio.sleep(scripted.delay)
        answer_headers = {
            "content-type": "application/json",
            "x-request-id": self.server._next_request_id(),
            **{key.lower(): value for key, value in scripted.headers.items()},
            "content-length": str(len(scripted.body)),
        }
        await send(
            {
                "type": "http.response.start",
                "status": scripted.status,
                "headers": [
                    (key.encode(), value.encode()) for key, value in answer_headers.items()
                ],
            }
        )
        await send({"type": "http.response.body", "body": scripted.body})


def _replay(body: bytes, more: bool, receive: Receive) -> Receive:
    """A `receive` giving what was already read once, then the client's own events."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": more}
        return await receive()

    return replay
