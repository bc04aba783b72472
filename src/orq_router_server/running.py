"""Running the app with uvicorn: in the foreground (`orq-router serve`) or in a thread.

Both bind the socket first, so port 0 means "any free port" and the URL printed or
returned is the one really listened on, and a port already taken fails at once.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Final, Self

import uvicorn
from starlette.types import ASGIApp

__all__ = ["LocalServer", "bind", "url_of", "uvicorn_server"]

GRACEFUL_SHUTDOWN_S: Final = 5.0
START_TIMEOUT_S: Final = 30.0


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (IPv6 when the host is an IPv6 address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named explicitly: asyncio sets TCP_NODELAY on accepted connections only
    # when the socket says it is TCP; without it every answer waits ~40 ms for an ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def uvicorn_server(app: ASGIApp) -> uvicorn.Server:
    """A quiet uvicorn: the app logs one line per request itself."""
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=int(GRACEFUL_SHUTDOWN_S),
        log_config=None,
    )
    return uvicorn.Server(config)


class LocalServer:
    """An app served on loopback from a background thread: `with LocalServer(app) as s:`.

    `s.url` is its base URL. Leaving the block stops it (in-flight requests get a few
    seconds to finish).
    """

    def __init__(self, app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._socket = bind(host, port)
        self.url = url_of(self._socket)
        self._server = uvicorn_server(app)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()
        deadline = threading.Event()
        waited = 0.0
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the local router stopped while starting")
            if waited > START_TIMEOUT_S:
                raise RuntimeError("the local router did not start")
            deadline.wait(0.01)
            waited += 0.01

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(GRACEFUL_SHUTDOWN_S + 5)
        self._socket.close()
