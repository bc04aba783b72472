"""A raw-socket HTTP server on 127.0.0.1 that misbehaves exactly as a test scripts it.

`tests/router_server.EmbeddingsServer` answers like the endpoint (or with a scripted
status and body); this one does what a well-behaved `http.server` cannot: trickle an
answer one byte at a time, say nothing at all, or hang while other requests are
answered. Each request takes the next scripted action; without one it gets a valid
answer (`normal`): one deterministic float vector per input.

    with ScriptedServer() as server:
        server.script(trickle(every=0.05), silence())
        ...
        server.requests  # what arrived: method, path, headers, JSON body
"""

from __future__ import annotations

import hashlib
import json
import socket
import struct
import threading
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import attrs

WIDTH = 4
"""The width of the vectors `normal` answers with."""


@attrs.frozen
class Request:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def inputs(self) -> list[Any]:
        value = self.json()["input"]
        return [value] if isinstance(value, str) else list(value)


@attrs.frozen
class Connection:
    """What an action gets: the socket to answer on, the request, and the stop flag."""

    sock: socket.socket
    request: Request
    stopping: threading.Event

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def wait(self, seconds: float) -> bool:
        """Wait, unless the server stops first; True if it is stopping."""
        return self.stopping.wait(seconds)


Action = Callable[[Connection], None]


def vector(text: str) -> list[float]:
    """The deterministic float32-exact vector `normal` gives an input."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    return [struct.unpack("<f", struct.pack("<f", raw / 2**31))[0] for (raw,) in
            struct.iter_unpack("<i", digest[: 4 * WIDTH])]  # fmt: skip


def answer_bytes(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} Scripted", f"Content-Length: {len(body)}"]
    lines += ["Content-Type: application/json"] if headers is None else []
    lines += [f"{key}: {value}" for key, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def normal_body(request: Request) -> bytes:
    inputs = request.inputs()
    data = [
        {
            "object": "embedding",
            "embedding": vector(item if isinstance(item, str) else json.dumps(item)),
            "index": index,
        }
        for index, item in enumerate(inputs)
    ]
    usage = {"prompt_tokens": len(inputs), "total_tokens": len(inputs)}
    return json.dumps({"object": "list", "data": data, "model": "a/b", "usage": usage}).encode()


def normal(connection: Connection) -> None:
    """A valid answer: one vector per input."""
    connection.send(answer_bytes(200, normal_body(connection.request)))


def reply(status: int, body: bytes, headers: dict[str, str] | None = None) -> Action:
    """This status and body, at once."""

    def act(connection: Connection) -> None:
        connection.send(answer_bytes(status, body, headers))

    return act


def trickle(*, every: float, head_too: bool = False) -> Action:
    """A valid answer sent one byte every `every` seconds (after the head, or from the
    first byte of the status line with `head_too`): every read is quick, the answer
    never ends in reasonable time."""

    def act(connection: Connection) -> None:
        data = answer_bytes(200, normal_body(connection.request) + b" " * 100_000)
        start = 0 if head_too else data.index(b"\r\n\r\n") + 4
        connection.send(data[:start])
        for offset in range(start, len(data)):
            if connection.wait(every):
                return
            connection.send(data[offset : offset + 1])

    return act


def silence() -> Action:
    """Read the request, then say nothing until the client gives up or the test ends."""

    def act(connection: Connection) -> None:
        connection.sock.settimeout(0.05)
        while not connection.stopping.is_set():
            try:
                if connection.sock.recv(1) == b"":
                    return  # the client closed (or shut down) its end
            except TimeoutError:
                continue

    return act


class ScriptedServer:
    """Start with `with ScriptedServer() as server:`; `server.url` is its base URL."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.default: Action = normal
        """What a request gets when no scripted action is left."""
        self._actions: deque[Action] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def script(self, *actions: Action) -> None:
        """Queue actions: the next requests get them, in order, then `default` again."""
        with self._lock:
            self._actions.extend(actions)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stopping.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                sock.close()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._sockets.append(sock)
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        reader = sock.makefile("rb")
        try:
            while not self._stopping.is_set():
                request = _read_request(reader)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                    action = self._actions.popleft() if self._actions else self.default
                action(Connection(sock, request, self._stopping))
        except OSError:
            return  # the client went away: part of many scripts
        finally:
            reader.close()
            sock.close()


def _read_request(reader: Any) -> Request | None:
    line = reader.readline()
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while (header := reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", 0))
    body = reader.read(length)
    if len(body) < length:
        return None  # cut off on the way: the client gave up on it
    return Request(method, path, headers, body)
