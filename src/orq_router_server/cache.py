"""`cache` exact_match: an identical request within `ttl` seconds is answered from the store.

The key is a SHA-256 over the caller's API key and every field that can change the
answer: the inputs, `model`, `encoding_format`, `dimensions`, and the routing in force
(fallbacks, retry, load balancer, call timeout). Fields that only label the request
(`user`, `name`, `orq.identity`, `orq.contact`) and the cache's own `ttl` are left out,
so they share an entry; two API keys never do. Only successes are kept.

Entries live in the router's `Store` (`state.py`): in memory, bounded, least recently
used out first; or in Redis, shared by every worker process.
"""

from __future__ import annotations

import hashlib
import json
from typing import Final

import attrs

from orq_router_server.request import EmbeddingCall
from orq_router_server.state import Store

__all__ = ["Cached", "ExactMatchCache", "cache_key"]

_MODEL_LENGTH_BYTES: Final = 2


def cache_key(api_key: str | None, call: EmbeddingCall) -> str:
    """The entry of one request: the same only for the same key and the same answer."""
    material = json.dumps([api_key, call.key_material()], separators=(",", ":"))
    return "orq:answer:" + hashlib.sha256(material.encode()).hexdigest()


@attrs.frozen
class Cached:
    """A kept answer: its body and the model that served it."""

    body: bytes
    model: str

    def pack(self) -> bytes:
        """One value for the store: the model's length, the model, the body."""
        model = self.model.encode()
        return len(model).to_bytes(_MODEL_LENGTH_BYTES, "big") + model + self.body

    @classmethod
    def unpack(cls, value: bytes) -> Cached:
        end = _MODEL_LENGTH_BYTES + int.from_bytes(value[:_MODEL_LENGTH_BYTES], "big")
        return cls(body=value[end:], model=value[_MODEL_LENGTH_BYTES:end].decode())


class ExactMatchCache:
    """Whole answers by key, each until its own expiry, kept in `store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, key: str) -> Cached | None:
        (value,) = await self.store.get_many([key])
        return None if value is None else Cached.unpack(value)

    async def put(self, key: str, *, body: bytes, model: str, ttl: int) -> None:
        await self.store.set_many({key: Cached(body=body, model=model).pack()}, ttl)
