"""Running the app with uvicorn: in the foreground (`orq-router serve`) or in a thread.

Both bind the socket first, so port 0 means "any free port" and the URL printed or
returned is the one really listened on, and a port already taken fails at once.

`orq-router serve` runs `ServedApp`, an app factory that uvicorn calls in each serving
process (the one process, or each of `--workers N`, spawned with the bound socket):

- it answers at once and loads the models in a thread (`/ready` says when);
- SIGTERM (or SIGINT) drains first (`Lifecycle.drain`: `/ready` 503, requests in flight
  get `grace_s` to finish, then 503), then hands the signal to uvicorn, which stops;
- SIGHUP reloads the configuration file in a thread and swaps the router when the new
  one is built; a new configuration that is refused keeps the old one, with one log
  line. With workers, the supervisor checks the file first and passes SIGHUP on to each.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, Final, Self

import attrs
import uvicorn
from starlette.types import ASGIApp
from uvicorn.supervisors import Multiprocess

from orq_router_server import requestlog
from orq_router_server.config import Config, check_environment, default_config, load_config
from orq_router_server.errors import ConfigError
from orq_router_server.lifecycle import Lifecycle
from orq_router_server.metrics import multiprocess_dir
from orq_router_server.requestlog import json_stderr

__all__ = [
    "GRACEFUL_SHUTDOWN_S",
    "LocalServer",
    "ServeSettings",
    "ServedApp",
    "Supervisor",
    "bind",
    "read_config",
    "served_config",
    "url_of",
    "uvicorn_server",
]

GRACEFUL_SHUTDOWN_S: Final = 5.0
START_TIMEOUT_S: Final = 30.0
PROG: Final = "orq-router serve"
WORKER_HEALTHCHECK_S: Final = 60
"""How long uvicorn's supervisor waits for a worker's answer before it takes it as hung:
long, since a worker loading torch answers late."""

logger = logging.getLogger("orq_router_server")


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


@attrs.frozen
class ServeSettings:
    """What `orq-router serve` was asked for, as each serving process needs it."""

    config_path: str | None = None
    grace_s: float = GRACEFUL_SHUTDOWN_S
    workers: int = 1


def read_config(path: str | None) -> Config:
    """The configuration file (or the default) checked against this environment too."""
    config = load_config(path) if path else default_config()
    check_environment(config)
    return config


def served_config(app: ServedApp, settings: ServeSettings) -> uvicorn.Config:
    """uvicorn's settings for `orq-router serve`: quiet (the app logs its requests), its
    fast parts when installed (uvloop, httptools: `loop="auto"`, `http="auto"`)."""
    return uvicorn.Config(
        app,
        factory=True,
        log_level="warning",
        access_log=False,
        lifespan="off",
        # Our own drain answers what is left after grace_s; this is a backstop.
        timeout_graceful_shutdown=int(settings.grace_s) + 3,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        workers=settings.workers,
        log_config=None,
    )


class ServedApp:
    """The app factory of `orq-router serve`; picklable, so that worker processes get it.

    Called by uvicorn inside its event loop, after it has taken SIGINT and SIGTERM: the
    factory puts its drain in front of uvicorn's handlers, and adds SIGHUP.
    """

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.lifecycle: Lifecycle | None = None
        self.stopped_by: str | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings, "lifecycle": None, "stopped_by": None}

    def __call__(self) -> ASGIApp:
        from orq_router_server.app import create_app

        json_stderr()
        if self.settings.workers > 1:
            requestlog.worker = os.getpid()
        lifecycle = self.lifecycle = Lifecycle()
        loop = asyncio.get_running_loop()
        self._take_signals(lifecycle, loop)
        threading.Thread(
            target=self._load, args=(lifecycle, loop), name="orq-router-load", daemon=True
        ).start()
        return create_app(lifecycle)

    def _load(self, lifecycle: Lifecycle, loop: asyncio.AbstractEventLoop) -> None:
        from orq_router_server.router import LocalRouter

        started = time.perf_counter()
        try:
            router = LocalRouter(read_config(self.settings.config_path), metrics=lifecycle.metrics)
        except Exception as error:
            lifecycle.failed = str(error)
            logger.error("%s: cannot load the models: %s", PROG, error)
            if self.settings.workers > 1:
                # uvicorn's supervisor gives up on a worker that fails before it serves.
                os._exit(3)
            loop.call_soon_threadsafe(self._stop_now, signal.SIGTERM)
            return
        lifecycle.serve(router)
        # What is loaded now lives as long as the process: out of the collector's way, so
        # that its full collections do not walk the models' and libraries' objects.
        gc.freeze()
        worker = f" (worker {os.getpid()})" if self.settings.workers > 1 else ""
        print(
            f"{PROG}: models {', '.join(router.models)}"
            f" (ready in {time.perf_counter() - started:.1f} s){worker}",
            flush=True,
        )

    def _take_signals(self, lifecycle: Lifecycle, loop: asyncio.AbstractEventLoop) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # signals reach the main thread only (a server run in a thread)
        self._uvicorn: dict[int, Callable[[int, FrameType | None], Any]] = {}
        for sig in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(sig)
            if callable(handler):
                self._uvicorn[sig] = handler
            signal.signal(sig, self._on_stop)
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, self._on_reload)
        self._loop = loop
        self._drains: set[asyncio.Task[None]] = set()
        self._reload_lock = threading.Lock()

    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        lifecycle = self.lifecycle
        assert lifecycle is not None
        if lifecycle.draining:  # a second signal: uvicorn's own way (SIGINT forces)
            self._stop_now(signum)
            return
        self.stopped_by = signal.Signals(signum).name
        lifecycle.draining = True  # /ready says 503 from now on
        self._loop.call_soon_threadsafe(self._start_drain, signum)

    def _start_drain(self, signum: int) -> None:
        assert self.lifecycle is not None
        task = self._loop.create_task(self._drain(self.lifecycle, signum))
        self._drains.add(task)
        task.add_done_callback(self._drains.discard)

    async def _drain(self, lifecycle: Lifecycle, signum: int) -> None:
        await lifecycle.drain(self.settings.grace_s)
        self._stop_now(signum)

    def _stop_now(self, signum: int) -> None:
        handler = self._uvicorn.get(signum)
        if handler is not None:
            handler(signum, None)

    def _on_reload(self, signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=self._reload, name="orq-router-reload", daemon=True).start()

    def _reload(self) -> None:
        from orq_router_server.router import LocalRouter

        lifecycle = self.lifecycle
        if lifecycle is None:
            return
        with self._reload_lock:
            old = lifecycle.router
            try:
                config = read_config(self.settings.config_path)
                same_state = old is not None and old.config.state == config.state
                router = LocalRouter(
                    config,
                    metrics=lifecycle.metrics,
                    store=old.store if same_state and old is not None else None,
                    limiter=old.limiter if same_state and old is not None else None,
                )
            except Exception as error:
                logger.error("%s: reload refused, the running configuration stays: %s", PROG, error)
                return
            lifecycle.serve(router)
            logger.info("%s: reloaded: models %s", PROG, ", ".join(router.models))


class Supervisor(Multiprocess):
    """uvicorn's worker supervisor, with SIGHUP checked here and passed on to the workers
    (each reloads in place; uvicorn's own SIGHUP would restart them, models and all)."""

    def __init__(
        self, config: uvicorn.Config, sockets: list[socket.socket], path: str | None
    ) -> None:
        super().__init__(config, sockets)
        self.path = path
        self.stopped_by: str | None = None

    def handle_hup(self) -> None:
        try:
            read_config(self.path)
        except ConfigError as error:
            logger.error("%s: reload refused, the running configuration stays: %s", PROG, error)
            return
        for process in self.processes:
            if process.pid is not None and process.process.is_alive():
                os.kill(process.pid, signal.SIGHUP)

    def keep_subprocess_alive(self) -> None:
        before = {process.pid for process in self.processes}
        super().keep_subprocess_alive()
        gone = before - {process.pid for process in self.processes}
        path = multiprocess_dir()
        if path is not None:
            from prometheus_client import multiprocess

            for pid in gone:
                if pid is not None:
                    # A replaced worker's gauges (inputs it had queued) count no more.
                    multiprocess.mark_process_dead(pid, path)  # type: ignore[no-untyped-call]

    def handle_int(self) -> None:
        self.stopped_by = "SIGINT"
        super().handle_int()

    def handle_term(self) -> None:
        self.stopped_by = "SIGTERM"
        super().handle_term()
