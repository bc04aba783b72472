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

import asyncio
import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Protocol

if TYPE_CHECKING:
    import redis.asyncio

__all__ = [
    "DEFAULT_MAX_BYTES",
    "PREFIX",
    "MemoryStore",
    "RedisStore",
    "Store",
    "check_redis",
    "open_store",
]

logger = logging.getLogger("orq_router_server")

PREFIX: Final = "orq:"
"""Every key this router keeps in a store starts so: `clear` removes these and no others."""

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


STORE_ERROR_LOG_EVERY_S: Final = 10.0
"""A Redis that is down is logged once per this many seconds, not once per request."""


class RedisStore:
    """A `Store` in Redis (redis-py's asyncio client), shared by every worker process.

    `get_many` is one `MGET`, `set_many` one pipelined round of `SET ... PX`. Entries
    expire in Redis itself, and its own `maxmemory` policy bounds them.

    A Redis that cannot be reached does not fail requests: a read finds nothing and a
    write keeps nothing (the router then works as if without a cache), and the failure
    is logged, at most once per `STORE_ERROR_LOG_EVERY_S`. `orq-router serve` checks
    that Redis answers before it starts.

    redis-py's asyncio connections belong to the event loop that opened them; the store
    keeps one client per loop, so that a test may also use it from `asyncio.run`.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, redis.asyncio.Redis] = (
            weakref.WeakKeyDictionary()
        )
        self._last_error_logged = -STORE_ERROR_LOG_EVERY_S

    @property
    def client(self) -> redis.asyncio.Redis:
        """This event loop's client (made on first use; connections open lazily)."""
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            import redis.asyncio

            client = self._clients[loop] = redis.asyncio.Redis.from_url(self.url)
        return client

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        try:
            values = await self.client.mget(keys)
        except Exception as error:
            self.failed("read", error)
            return [None] * len(keys)
        # Without decode_responses, Redis answers bytes (None for a missing key).
        return [value if isinstance(value, bytes) else None for value in values]

    async def set_many(self, items: Mapping[str, bytes], ttl_s: float) -> None:
        if not items:
            return
        milliseconds = max(1, int(ttl_s * 1000))
        try:
            async with self.client.pipeline(transaction=False) as pipe:
                for key, value in items.items():
                    pipe.set(key, value, px=milliseconds)
                await pipe.execute()
        except Exception as error:
            self.failed("write", error)

    async def clear(self) -> None:
        client = self.client
        batch: list[Any] = []
        async for key in client.scan_iter(match=PREFIX + "*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                await client.unlink(*batch)
                batch.clear()
        if batch:
            await client.unlink(*batch)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        client = self._clients.pop(loop, None)
        if client is not None:
            await client.aclose()

    async def ping(self) -> None:
        """Raise when Redis does not answer."""
        await self.client.ping()

    def failed(self, what: str, error: Exception) -> None:
        """Log a failed call to Redis, at most once per `STORE_ERROR_LOG_EVERY_S`."""
        now = time.monotonic()
        if now - self._last_error_logged >= STORE_ERROR_LOG_EVERY_S:
            self._last_error_logged = now
            logger.warning(
                "state %s: %s failed, going on without it: %s: %s",
                _redacted(self.url),
                what,
                type(error).__name__,
                error,
            )


def _redacted(url: str) -> str:
    """A Redis URL without its password, for logs."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def open_store(state: str, *, clock: Callable[[], float] = time.monotonic) -> Store:
    """The store `state` names: "memory", or a Redis URL."""
    if state == "memory":
        return MemoryStore(clock=clock)
    return RedisStore(state)


def check_redis(url: str, timeout_s: float = 5.0) -> None:
    """Raise `OSError` (one line) when the Redis at `url` does not answer a PING.

    Synchronous, for `orq-router serve` before it binds the port or loads a model.
    """
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s)
    try:
        client.ping()
    except redis.RedisError as error:
        raise OSError(f"cannot reach {_redacted(url)}: {error}") from None
    finally:
        client.close()
