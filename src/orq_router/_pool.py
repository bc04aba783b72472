"""The client's connection pool: a hard limit on each attempt, cancellation, and closing.

urllib3's timeouts bound each socket operation, not a whole response: a server that
sends one byte a second keeps every `recv` short and the call alive forever. urllib3's
`Timeout.total` is documented the same way (it only shortens the per-read limit). This
pool makes `total` what its name says for each attempt, from the first byte sent to
the last byte read (retries are new attempts, each with its own limit): one watchdog
thread shuts down the socket of an attempt that outlives it, and the attempt fails
with urllib3's `ReadTimeoutError`, which urllib3 retries like any read timeout and the
facade reports as `APITimeoutError`.

The same hook ends attempts of a cancelled `CancelScope` (Ctrl-C in `embed_many`).
Once the manager is closed, it refuses to give out a pool (`ClientClosedError`), and
the pools it made are closed: the generated client, which keeps its pool to send its
requests straight to it, asks the manager again when its pool is closed, and is told.

One lock guards the state of every attempt and the watchdog's set: an attempt costs
two short holds of it (start, finish), and no object of its own but the `_Attempt`.

The pool keeps `maxsize` connections per host (the client's `max_connections`), and
`reserve` grows that for a bulk run whose `max_concurrency` is larger, so that no
connection is opened only to be dropped after one request.

This is the one module that reaches into urllib3's private parts (`_make_request`,
`_get_timeout`, `_DEFAULT_TIMEOUT`, the idle-connection queue `pool`): they were checked
on the urllib3 versions in `CHECKED_URLLIB3`, and a test fails on any other, so that a
new urllib3 is looked at before it is trusted.
"""

from __future__ import annotations

import contextlib
import math
import socket
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import urllib3
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.timeout import _DEFAULT_TIMEOUT

from orq_router import _cancel

if TYPE_CHECKING:  # urllib3's connection protocol exists for type checkers only
    from urllib3._base_connection import BaseHTTPConnection

__all__ = ["CHECKED_URLLIB3", "HTTPConnectionPool", "HTTPSConnectionPool", "PoolManager"]

CHECKED_URLLIB3: Final = ("2.8",)
"""The urllib3 releases (major.minor) whose private parts used here were read and tested."""

RECHECK: Final = 0.02
"""An attempt past its limit whose socket is not open yet is looked at again this soon."""


_lock = threading.Lock()
"""Guards every attempt's state and the watchdog's set of attempts."""


class _Attempt:
    """One HTTP attempt in flight: its connection, its deadline, and how it ended."""

    __slots__ = ("cancelled", "conn", "deadline", "done", "expired")

    def __init__(self, conn: BaseHTTPConnection, deadline: float) -> None:
        self.conn = conn
        self.deadline = deadline
        self.expired = False
        self.cancelled = False
        self.done = False

    def abort(self, *, cancelled: bool) -> bool:
        """Shut the attempt's socket down, so that its blocked read returns at once.

        True once the socket was reached (or the attempt is over); False while the
        connection has no socket yet (still connecting): the watchdog then tries again
        every `RECHECK` seconds, for a cancellation as for a deadline.
        """
        with _lock:
            reached = self._shutdown(cancelled)
        if not reached and cancelled:
            self.deadline = time.monotonic() + RECHECK
            _watchdog.watch(self)
        return reached

    def _shutdown(self, cancelled: bool) -> bool:
        """`abort`'s work; the caller holds `_lock`."""
        if self.done:
            return True
        if cancelled:
            self.cancelled = True  # and stays so: a cancelled attempt is never retried
        else:
            self.expired = True
        sock = getattr(self.conn, "sock", None)
        if sock is None:
            return False
        # socket.socket's own shutdown, also for an SSLSocket: the TLS object stays
        # as it is for the thread still reading from it. OSError: already closed;
        # TypeError: not a real socket (a test double).
        with contextlib.suppress(OSError, TypeError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        return True


class _Watchdog:
    """One daemon thread that aborts attempts past their deadline."""

    def __init__(self) -> None:
        self._condition = threading.Condition(_lock)
        self._attempts: set[_Attempt] = set()
        self._wake_at = math.inf
        self._thread: threading.Thread | None = None

    def watch(self, attempt: _Attempt) -> None:
        with _lock:  # the condition's own lock, taken without the condition's wrapper
            self._attempts.add(attempt)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="orq-router-deadlines", daemon=True
                )
                self._thread.start()
            if attempt.deadline < self._wake_at:
                self._condition.notify()

    def finish(self, attempt: _Attempt) -> None:
        """The attempt is over: its socket is the pool's again, never to be shut down."""
        with _lock:
            attempt.done = True
            self._attempts.discard(attempt)

    def _run(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                for attempt in [a for a in self._attempts if a.deadline <= now]:
                    if attempt._shutdown(cancelled=False):
                        self._attempts.discard(attempt)
                    else:
                        attempt.deadline = now + RECHECK
                self._wake_at = min((a.deadline for a in self._attempts), default=math.inf)
                wait = None if self._wake_at == math.inf else self._wake_at - now
                self._condition.wait(wait)


_watchdog = _Watchdog()


def _total_seconds(timeout: urllib3.Timeout) -> float | None:
    total = timeout.total
    return float(total) if isinstance(total, (int, float)) else None


class HTTPConnectionPool(urllib3.HTTPConnectionPool):
    """urllib3's pool, with each attempt bounded by `Timeout.total` and cancellable.

    Once its manager is closed the pool is closed too: a request then raises urllib3's
    `ClosedPoolError`, and asking the manager for a pool again, `ClientClosedError`.
    """

    def _make_request(  # type: ignore[override]
        self, conn: BaseHTTPConnection, method: str, url: str, **kw: Any
    ) -> urllib3.BaseHTTPResponse:
        # With preload_content (how the SDK calls), urllib3 sends the request and reads
        # the whole answer inside this one method: the whole attempt. urlopen passes
        # every argument by keyword; they go on to urllib3 as they came.
        timeout = kw.get("timeout", _DEFAULT_TIMEOUT)
        limits = timeout if isinstance(timeout, urllib3.Timeout) else self._get_timeout(timeout)
        total = _total_seconds(limits)
        attempt = _Attempt(conn, math.inf if total is None else time.monotonic() + total)
        scope = _cancel.current()
        if scope is not None:
            scope.enter(attempt)
        if total is not None:
            _watchdog.watch(attempt)
        try:
            response = super()._make_request(conn, method, url, **kw)
        except Exception as error:
            _raise_if_aborted(attempt, self, url, total, error)
            raise
        finally:
            _watchdog.finish(attempt)
            if scope is not None:
                scope.leave(attempt)
        # Cut off mid-answer, http.client may still see a (truncated) answer: a status
        # line with no headers and an empty body. It is not the server's answer.
        _raise_if_aborted(attempt, self, url, total, None)
        return response

    def reserve(self, connections: int) -> None:
        """Keep up to `connections` idle connections from now on (never fewer than now)."""
        idle = self.pool  # urllib3's LifoQueue of idle connections; None once closed
        if idle is not None and idle.maxsize < connections:
            with idle.mutex:
                idle.maxsize = connections


def _raise_if_aborted(
    attempt: _Attempt,
    pool: HTTPConnectionPool,
    url: str,
    total: float | None,
    error: Exception | None,
) -> None:
    """The error of an attempt that was cancelled or cut off at its deadline."""
    if attempt.cancelled:
        raise _cancel.Cancelled("the request was cancelled while in flight") from error
    if attempt.expired:
        raise ReadTimeoutError(
            pool, url, f"Read timed out: no whole answer within {total} s"
        ) from error


class HTTPSConnectionPool(HTTPConnectionPool, urllib3.HTTPSConnectionPool):
    """The same for https."""


class PoolManager(urllib3.PoolManager):
    """A `urllib3.PoolManager` of the pools above, that stays closed once closed.

    Shared by an `Orq` client and its `with_options` copies: closing one closes them all.
    """

    def __init__(
        self, num_pools: int = 10, headers: Mapping[str, str] | None = None, **kw: Any
    ) -> None:
        super().__init__(num_pools, headers, **kw)
        self.pool_classes_by_scheme = {"http": HTTPConnectionPool, "https": HTTPSConnectionPool}
        self.closed = False

    def check_open(self) -> None:
        """Raise `ClientClosedError` once the pool is closed."""
        if self.closed:
            from orq_router._errors import ClientClosedError  # loaded when raised

            raise ClientClosedError(
                "this client was closed (close() or the end of its `with` block):"
                " make a new Orq() to send more requests"
            )

    def connection_from_host(
        self,
        host: str | None,
        port: int | None = None,
        scheme: str | None = "http",
        pool_kwargs: dict[str, Any] | None = None,
    ) -> urllib3.HTTPConnectionPool:
        # Every way to a pool passes here (`request`, `urlopen`, `connection_from_url`).
        self.check_open()
        return super().connection_from_host(host, port, scheme, pool_kwargs)

    def reserve(self, base_url: str, connections: int) -> None:
        """Keep up to `connections` connections to `base_url`'s host (see the module)."""
        pool = self.connection_from_url(base_url)
        if isinstance(pool, HTTPConnectionPool):
            pool.reserve(connections)

    def close(self) -> None:
        """Close every pooled connection and refuse new requests from now on."""
        self.closed = True
        self.clear()
