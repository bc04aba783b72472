"""A loopback embeddings server that answers from pre-built bytes, in its own process.

The server must cost the same for every contender and as little as possible, so that
differences in the table are the clients' own:

- Response bodies (status line, headers and JSON) are built once per (inputs, encoding)
  before the server says it is ready; answering is one `sendall` of a ready `bytes`.
- It runs in a separate process (multiprocessing, spawn), so it never competes with the
  measured client for the GIL; on a 2-core machine each side gets a core.
- It speaks just enough HTTP/1.1: keep-alive, Content-Length or chunked request bodies,
  one thread per connection. Any `POST .../embeddings` path is answered, which covers
  `/v2/router/embeddings` (orq-router, orq-ai-sdk, and openai with base_url `/v2/router`).

The float and base64 bodies carry the same float32 numbers: JSON numbers are written as
the shortest text that reads back as the same float32 (as real embeddings APIs do, about
11 characters each), base64 is their little-endian float32 bytes.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Final

HOST: Final = "127.0.0.1"
MODEL: Final = "openai/text-embedding-3-small"
DISTINCT_ROWS: Final = 256
"""Distinct vectors; row i of a response is vector i % 256. Formatting 3 million floats
as text would take seconds at start-up, and a JSON parser gains nothing from repeats."""
TOKENS_PER_INPUT: Final = 8
MAX_LIFETIME_S: Final = 3600.0
"""The server stops by itself after this long, even if nobody stops it."""
_RECV: Final = 1 << 16


class Responses:
    """Ready HTTP responses, keyed by (number of inputs, encoding), built on first use."""

    def __init__(self, dimensions: int) -> None:
        import numpy as np

        self.dimensions = dimensions
        rng = np.random.default_rng(1536)
        rows = rng.standard_normal((DISTINCT_ROWS, dimensions)).astype(np.float32)
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        # str(np.float32) is the shortest text that reads back as the same float32.
        self._float_rows = ["[" + ",".join(str(value) for value in row) + "]" for row in rows]
        self._base64_rows = [
            '"' + base64.b64encode(row.astype("<f4").tobytes()).decode("ascii") + '"'
            for row in rows
        ]
        self._ready: dict[tuple[int, str], bytes] = {}

    def get(self, inputs: int, encoding: str) -> bytes:
        """The full HTTP response for `inputs` vectors in `encoding` ("float" or "base64")."""
        key = (inputs, encoding)
        ready = self._ready.get(key)
        if ready is None:
            ready = self._ready[key] = self._build(inputs, encoding)
        return ready

    def body_size(self, inputs: int, encoding: str) -> int:
        """The JSON body's size in bytes (without the status line and headers)."""
        response = self.get(inputs, encoding)
        return len(response) - response.index(b"\r\n\r\n") - 4

    def _build(self, inputs: int, encoding: str) -> bytes:
        rows = self._base64_rows if encoding == "base64" else self._float_rows
        items = ",".join(
            f'{{"object":"embedding","embedding":{rows[i % DISTINCT_ROWS]},"index":{i}}}'
            for i in range(inputs)
        )
        tokens = inputs * TOKENS_PER_INPUT
        body = (
            f'{{"object":"list","data":[{items}],"model":"{MODEL}",'
            f'"usage":{{"prompt_tokens":{tokens},"total_tokens":{tokens}}}}}'
        ).encode("ascii")
        return _response(200, body)


def _response(status: int, body: bytes) -> bytes:
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}.get(status, "Error")
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "X-Request-Id: bench\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def _error(status: int, message: str) -> bytes:
    return _response(status, json.dumps({"error": {"message": message}}).encode())


def answer(responses: Responses, method: str, path: str, body: bytes) -> bytes:
    """The response to one request: only the input count and encoding_format matter."""
    if method != "POST" or not path.split("?", 1)[0].endswith("/embeddings"):
        return _error(404, f"no route for {method} {path}")
    try:
        request = json.loads(body)
        texts = request["input"]
    except (ValueError, KeyError, TypeError) as error:
        return _error(400, f"bad request body: {error}")
    inputs = 1 if isinstance(texts, str) else len(texts)
    encoding = "base64" if request.get("encoding_format") == "base64" else "float"
    return responses.get(inputs, encoding)


class _Reader:
    """Reads HTTP/1.1 requests off one keep-alive connection."""

    def __init__(self, conn: socket.socket) -> None:
        self._conn = conn
        self._buffer = bytearray()

    def _fill(self) -> bool:
        chunk = self._conn.recv(_RECV)
        self._buffer += chunk
        return bool(chunk)

    def _line(self) -> bytes | None:
        while (end := self._buffer.find(b"\r\n")) < 0:
            if not self._fill():
                return None
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 2]
        return line

    def _exactly(self, size: int) -> bytes | None:
        while len(self._buffer) < size:
            if not self._fill():
                return None
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def request(self) -> tuple[str, str, dict[str, str], bytes] | None:
        """(method, path, lower-cased headers, body), or None when the peer has closed."""
        while (end := self._buffer.find(b"\r\n\r\n")) < 0:
            if not self._fill():
                return None
        head = bytes(self._buffer[:end]).decode("latin-1")
        del self._buffer[: end + 4]
        request_line, *lines = head.split("\r\n")
        method, path, _ = request_line.split(" ", 2)
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._chunked()
        else:
            body = self._exactly(int(headers.get("content-length", "0")))
        if body is None:
            return None
        return method, path, headers, body

    def _chunked(self) -> bytes | None:
        parts: list[bytes] = []
        while True:
            size_line = self._line()
            if size_line is None:
                return None
            size = int(size_line.split(b";", 1)[0], 16)
            if size == 0:
                while (trailer := self._line()) is not None and trailer:
                    pass
                return b"".join(parts)
            part = self._exactly(size + 2)
            if part is None:
                return None
            parts.append(part[:-2])


def _serve_connection(
    conn: socket.socket, responses: Responses, lock: threading.Lock, latency_s: float
) -> None:
    with conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = _Reader(conn)
        try:
            while (request := reader.request()) is not None:
                method, path, headers, body = request
                with lock:  # a first-time build must not run twice at once
                    response = answer(responses, method, path, body)
                if latency_s:  # a model's time to answer; the thread sleeps, the GIL is free
                    time.sleep(latency_s)
                conn.sendall(response)
                if headers.get("connection", "").lower() == "close":
                    return
        except (OSError, ValueError):
            return


def serve(
    ready: Connection,
    dimensions: int,
    sizes: Sequence[int],
    latency_s: float = 0.0,
    lifetime: float = MAX_LIFETIME_S,
) -> None:
    """The server process: build the responses, report the port, answer until stopped.

    `latency_s` delays every answer, as a model's compute time would (the bulk goal is
    measured against a server that takes 20 ms per request).
    """
    responses = Responses(dimensions)
    for size in sizes:
        for encoding in ("float", "base64"):
            responses.get(size, encoding)
    lock = threading.Lock()
    deadline = time.monotonic() + lifetime
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, 0))
        listener.listen(64)
        listener.settimeout(1.0)
        sizes_info = {
            f"{size}:{encoding}": responses.body_size(size, encoding)
            for size in sizes
            for encoding in ("float", "base64")
        }
        ready.send((listener.getsockname()[1], sizes_info))
        ready.close()
        while time.monotonic() < deadline:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(
                target=_serve_connection, args=(conn, responses, lock, latency_s), daemon=True
            ).start()


class Server:
    """A running server process: its URL and the sizes of its pre-built JSON bodies."""

    def __init__(self, url: str, body_sizes: dict[str, int]) -> None:
        self.url = url
        self.body_sizes = body_sizes


@contextmanager
def running(
    dimensions: int, sizes: Sequence[int], *, latency_s: float = 0.0, timeout: float = 120.0
) -> Iterator[Server]:
    """Start the server process, wait until its responses are built, stop it on exit."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=serve,
        args=(sender, dimensions, tuple(sizes), latency_s),
        name="bench-server",
        daemon=True,
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise RuntimeError(f"the bench server did not start within {timeout:.0f} s")
        port, body_sizes = receiver.recv()
        yield Server(f"http://{HOST}:{port}", body_sizes)
    finally:
        receiver.close()
        process.terminate()
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()
