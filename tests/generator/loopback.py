"""A small HTTP server on 127.0.0.1 that records each request and answers as it is told.

For the generated packages' own tests (the golden output, the public specs of
`field/`): their clients are driven against it over real sockets, so that what they
put on the wire (method, path, query, headers, body) is seen as a server sees it.

    with Loopback() as server:
        server.answer(200, {"data": []})
        ...  # a generated client with base_url=server.url
        server.requests[0].query  # {"limit": ["3"]}
"""

from __future__ import annotations

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import attrs


@attrs.frozen
class Received:
    """One request the server received."""

    method: str
    target: str
    """The request target as sent: path and query."""
    headers: dict[str, str]
    """Header names in lower case."""
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query, keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(self.body)


@attrs.frozen
class _Answer:
    status: int
    body: bytes
    content_type: str


class Loopback:
    """Start with `with Loopback() as server:`; `server.url` is its base URL."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._answers: deque[_Answer] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(
        self, status: int, body: Any = None, *, content_type: str = "application/json"
    ) -> None:
        """Queue an answer: JSON data (or raw bytes); each request takes the next one."""
        raw = (
            body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
        )
        with self._lock:
            self._answers.append(_Answer(status, raw, content_type))

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _next(self, received: Received) -> _Answer:
        with self._lock:
            self.requests.append(received)
            if self._answers:
                return self._answers.popleft()
        return _Answer(500, b'{"error": "no answer was queued"}', "application/json")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {key.lower(): value for key, value in self.headers.items()}
                answer = loopback._next(Received(self.command, self.path, headers, body))
                self.send_response(answer.status)
                if answer.status != 204:
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if answer.status != 204:
                    self.wfile.write(answer.body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler
