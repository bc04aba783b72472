"""Where the router keeps what outlives one request: the seam between it and its storage.

A `Store` holds bytes under string keys, each for its own time to live. The cache keeps
its entries there; with `state = "memory"` (the default) that is `MemoryStore`, inside
the process, and with `state = "redis://..."` a Redis server that several worker
processes share. The interface is the few operations both can do in one round trip,
so that a request costs one call to the store however many entries it touches.

Methods are coroutines even in memory: the router awaits them the same way whichever
store is configured.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Final, Protocol

__all__ = ["DEFAULT_MAX_BYTES", "MemoryStore", "Store"]

DEFAULT_MAX_BYTES: Final = 256 * 1024 * 1024
"""What a `MemoryStore` holds at most before it drops the least recently used entries."""


class Store(Protocol):
    """Bytes by key, each until its own expiry."""

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """The value of each key, in order; None for a key absent or expired."""

    async def set_many(self, items: Mapping[str, bytes], ttl_s: float) -> None:
        """Keep each value for `ttl_s` seconds (replacing what a key held)."""

    async def clear(self) -> None:
        """Forget every entry this router kept (tests start each case empty)."""

    async def close(self) -> None:
        """Let go of connections; the store is not used afterwards."""


class MemoryStore:
    """A `Store` in this process: bounded by bytes, least recently used out first.

    Thread-safe (a lock around each call), so a backend's worker thread may use it too.
    `clock` is in seconds; tests pass their own to move time.
    """

    def __init__(
        self, *, max_bytes: int = DEFAULT_MAX_BYTES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_bytes = max_bytes
        self._clock = clock
        self._entries: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        return self.get_many_now(keys)

    async def set_many(self, items: Mapping[str, bytes], ttl_s: float) -> None:
        self.set_many_now(items, ttl_s)

    async def clear(self) -> None:
        self.clear_now()

    async def close(self) -> None:
        self.clear_now()

    def get_many_now(self, keys: Sequence[str]) -> list[bytes | None]:
        """`get_many` without a coroutine, for code that is not on the event loop."""
        now = self._clock()
        found: list[bytes | None] = []
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None and entry[1] <= now:
                    self._drop(key)
                    entry = None
                if entry is not None:
                    self._entries.move_to_end(key)
                found.append(None if entry is None else entry[0])
        return found

    def set_many_now(self, items: Mapping[str, bytes], ttl_s: float) -> None:
        """`set_many` without a coroutine. A value larger than the whole store is not kept."""
        expires = self._clock() + ttl_s
        with self._lock:
            for key, value in items.items():
                if key in self._entries:
                    self._drop(key)
                if len(value) > self.max_bytes:
                    continue
                self._entries[key] = (value, expires)
                self._bytes += len(value)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear_now(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._entries.pop(key)[0])
