"""Cancelling requests that are already on their way: what Ctrl-C in `embed_many` needs.

A `CancelScope` groups the requests of one `embed_many` run. Its worker threads run
their calls inside it (`scope.run(...)`); the pool registers every HTTP attempt made
in a scope, and `cancel()` then ends them at once: sockets of attempts in flight are
shut down, an attempt that would start raises `Cancelled`, and a retry's backoff stops
waiting. So after Ctrl-C no new request is sent and no worker thread outlives the
interrupt by more than a moment (Python joins those threads when it exits).

`Cancelled` is deliberately not a urllib3 error: urllib3 retries its own errors, and a
cancelled request must not be retried.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Final, Protocol, TypeVar

__all__ = ["CancelScope", "Cancelled", "current", "pause"]

T = TypeVar("T")

PAUSE_SLICE: Final = 0.1
"""A cancellable pause wakes this often (seconds) to see whether it was cancelled."""


class Cancelled(Exception):
    """The request belonged to a scope that was cancelled; it was not (or no longer) sent."""


class Abortable(Protocol):
    """An HTTP attempt in flight that can be ended from another thread."""

    def abort(self, *, cancelled: bool) -> object: ...


class CancelScope:
    """The requests of one bulk run, which `cancel()` ends together."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self._attempts: set[Abortable] = set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise `Cancelled` if the scope was cancelled."""
        if self._cancelled.is_set():
            raise Cancelled("the bulk run was cancelled (KeyboardInterrupt or close)")

    def cancel(self) -> None:
        """End every attempt in flight and refuse new ones; safe from any thread."""
        self._cancelled.set()
        with self._lock:
            attempts = list(self._attempts)
        for attempt in attempts:
            attempt.abort(cancelled=True)

    def enter(self, attempt: Abortable) -> None:
        """Register an attempt about to start; `Cancelled` if the scope is cancelled."""
        with self._lock:
            self.check()
            self._attempts.add(attempt)

    def leave(self, attempt: Abortable) -> None:
        with self._lock:
            self._attempts.discard(attempt)

    def run(self, call: Callable[..., T], *args: object) -> T:
        """`call(*args)` on this thread with this scope as the current one."""
        self.check()
        _local.scope = self
        try:
            return call(*args)
        finally:
            _local.scope = None


class _Local(threading.local):
    scope: CancelScope | None = None


_local = _Local()


def current() -> CancelScope | None:
    """The scope of the calling thread, if it runs inside one."""
    return _local.scope


def pause(seconds: float) -> None:
    """Sleep between retries; inside a scope, in slices that notice a cancellation.

    Outside a scope this is one `time.sleep(seconds)`. Inside one it is at most
    `ceil(seconds / PAUSE_SLICE)` sleeps, counted rather than timed, so a patched
    `time.sleep` (as in tests) never turns it into a busy loop.
    """
    scope = current()
    if scope is None:
        time.sleep(seconds)
        return
    left = seconds
    for _ in range(math.ceil(seconds / PAUSE_SLICE)):
        scope.check()
        time.sleep(min(PAUSE_SLICE, left))
        left -= PAUSE_SLICE
    scope.check()
