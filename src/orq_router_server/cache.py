"""`cache` exact_match: an identical request within `ttl` seconds is answered from memory.

The key is a SHA-256 over the caller's API key and every field that can change the
answer: the inputs, `model`, `encoding_format`, `dimensions`, and the routing in force
(fallbacks, retry, load balancer, call timeout). Fields that only label the request
(`user`, `name`, `orq.identity`, `orq.contact`) and the cache's own `ttl` are left out,
so they share an entry; two API keys never do. Only successes are kept.

Memory is bounded: past `max_bytes` of answers, the least recently used go first.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final

import attrs

from orq_router_server.request import EmbeddingCall

__all__ = ["DEFAULT_MAX_BYTES", "Cached", "ExactMatchCache", "cache_key"]

DEFAULT_MAX_BYTES: Final = 256 * 1024 * 1024


def cache_key(api_key: str | None, call: EmbeddingCall) -> str:
    """The entry of one request: the same only for the same key and the same answer."""
    material = json.dumps([api_key, call.key_material()], separators=(",", ":"))
    return hashlib.sha256(material.encode()).hexdigest()


@attrs.frozen
class Cached:
    """A kept answer: its body and the model that served it."""

    body: bytes
    model: str
    expires: float


class ExactMatchCache:
    """Answers by key, each until its own expiry; thread-safe."""

    def __init__(
        self, *, max_bytes: int = DEFAULT_MAX_BYTES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_bytes = max_bytes
        self._clock = clock
        self._entries: OrderedDict[str, Cached] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Cached | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires <= self._clock():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, *, body: bytes, model: str, ttl: int) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = Cached(body=body, model=model, expires=self._clock() + ttl)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._entries.pop(key).body)
