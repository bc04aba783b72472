"""A real HTTP server on 127.0.0.1 that implements `POST /v2/router/embeddings` per the spec.

Tests use it two ways: it records every request it receives (method, path, headers, raw
body), and it answers either with scripted responses (`answer(...)`, used first, in order)
or, by default, as the endpoint would: it validates the body with the generated request
model (400 with the documented error body when invalid, 401 without a bearer token) and
returns deterministic vectors, as float arrays or base64 float32 as `encoding_format` asks.

Vectors are derived from a hash of each input and rounded to float32, so the float and
base64 encodings of one input carry exactly the same numbers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import threading
from collections import deque
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

import attrs

from orq_router_api.models import CreateEmbeddingRequest, EncodingFormat
from orq_router_api.types import Unset
from orq_router_api.validation import ValidationError

PATH = "/v2/router/embeddings"
DEFAULT_DIMENSIONS = 8


@attrs.frozen
class Exchange:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@attrs.frozen
class Scripted:
    """An answer to send instead of the default behaviour."""

    status: int
    body: bytes
    headers: Mapping[str, str] = attrs.field(factory=dict)
    delay: float = 0.0


_NORMAL = Scripted(0, b"")
"""A queued marker: answer this request with the default behaviour."""


def vector(text: str, dimensions: int) -> list[float]:
    """A deterministic float32-exact vector for one input."""
    values: list[float] = []
    counter = 0
    while len(values) < dimensions:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        for (raw,) in struct.iter_unpack("<i", digest):
            as_float32 = struct.unpack("<f", struct.pack("<f", raw / 2**31))[0]
            values.append(as_float32)
        counter += 1
    return values[:dimensions]


def embed_body(request: CreateEmbeddingRequest) -> dict[str, Any]:
    """The documented success body for a valid request."""
    inputs = [request.input] if isinstance(request.input, str) else request.input
    dimensions = DEFAULT_DIMENSIONS if isinstance(request.dimensions, Unset) else request.dimensions
    base64_wanted = request.encoding_format == EncodingFormat.BASE64
    data = []
    tokens = 0
    for index, item in enumerate(inputs):
        text = item if isinstance(item, str) else " ".join(str(token) for token in item)
        tokens += len(text.split()) if isinstance(item, str) else len(item)
        values = vector(text, dimensions)
        embedding: list[float] | str = values
        if base64_wanted:
            embedding = base64.b64encode(struct.pack(f"<{dimensions}f", *values)).decode()
        data.append({"object": "embedding", "embedding": embedding, "index": index})
    return {
        "object": "list",
        "data": data,
        "model": request.model,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


def error_body(message: str, *, code: str, param: str | None = None) -> bytes:
    error: dict[str, str] = {"message": message, "type": "invalid_request_error", "code": code}
    if param:
        error["param"] = param
    return json.dumps({"error": error}).encode()


class EmbeddingsServer:
    """Start with `with EmbeddingsServer() as server:`; `server.url` is its base URL."""

    def __init__(self, port: int = 0) -> None:
        self.exchanges: list[Exchange] = []
        self.scripted: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._counter = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(
        self,
        status: int,
        body: bytes | Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        *,
        delay: float = 0.0,
    ) -> None:
        """Queue an answer; queued answers are sent before the default behaviour."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.scripted.append(Scripted(status, raw, dict(headers or {}), delay))

    def answer_normally(self, times: int = 1) -> None:
        """Queue `times` answers given by the default behaviour, before later scripted ones."""
        for _ in range(times):
            self.scripted.append(_NORMAL)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self) -> None:
        """Forget exchanges and scripted answers; number request ids from 1 again."""
        with self._lock:
            self.exchanges.clear()
            self.scripted.clear()
            self._counter = 0

    def _next_request_id(self) -> str:
        with self._lock:
            self._counter += 1
            return f"req_{self._counter:04d}"

    def _respond(self, exchange: Exchange) -> Scripted:
        with self._lock:
            self.exchanges.append(exchange)
            scripted = self.scripted.popleft() if self.scripted else _NORMAL
        if scripted is not _NORMAL:
            return scripted
        if exchange.method != "POST" or exchange.path != PATH:
            return Scripted(404, error_body(f"no route {exchange.path}", code="not_found"))
        if not exchange.headers.get("authorization", "").startswith("Bearer "):
            return Scripted(401, error_body("missing bearer token", code="authentication_required"))
        try:
            request = CreateEmbeddingRequest.from_dict(exchange.json())
        except (ValueError, ValidationError) as error:
            param = error.location if isinstance(error, ValidationError) else None
            return Scripted(400, error_body(str(error), code="invalid_request", param=param))
        return Scripted(200, json.dumps(embed_body(request)).encode())

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self._handle()

            def do_GET(self) -> None:
                self._handle()

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                exchange = Exchange(
                    method=self.command,
                    path=self.path,
                    headers={key.lower(): value for key, value in self.headers.items()},
                    body=body,
                )
                answer = server._respond(exchange)
                if answer.delay:
                    threading.Event().wait(answer.delay)
                self.send_response(answer.status)
                headers = {
                    "Content-Type": "application/json",
                    "X-Request-Id": server._next_request_id(),
                    **answer.headers,
                }
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: pytest shows what matters."""

        return Handler
