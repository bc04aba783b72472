"""`cache` exact_match, per input: each input's vector is kept on its own, for `ttl` seconds.

A request that asks for the cache is answered from it input by input: the inputs found
are not computed again, the others go to the model (and are kept in turn), so a batch
with one new text computes only that text. `x-orq-cache` says `hit` (every input found,
no model call), `partial` or `miss`.

An entry's key is a SHA-256 over what decides the vector, and nothing else:

- the caller's API key (two keys never share an entry);
- the model that *served* the vector, not the one asked for: after a fallback, the
  vectors are the fallback's, and kept as its own. The router looks inputs up under the
  request's first model (the load balancer's draw, or `model`), and never puts vectors
  of two models in one answer (`LocalRouter.answer`);
- `dimensions` (a cut vector is not the full one; an upstream may compute it anew);
- the input itself, a text or a list of token ids (never equal to each other).

Left out, so they share entries: `encoding_format` (only how the same float32 numbers
are written), the labels (`user`, `name`, `orq.identity`, `orq.contact`), the cache's own
`ttl`, and the rest of the routing (`retry`, `timeout`, the fallbacks and load balancer
beyond deciding which model serves): they change whether and how long a model is asked,
never what a model answers for an input. Only successes are kept.

Each entry holds the vector (little-endian float32), the input's tokens and whether the
model cut it, so an answer rebuilt from entries has the body the model's answer had:
the same vectors, `usage` summed over its inputs, the same `x-orq-truncated`. An upstream
model reports only a request's total tokens; its inputs' shares are then apportioned by
length (exact for a repeated request, an estimate for a new mix).

Entries live in the router's `Store` (`state.py`), one round trip for all of a request's
inputs: in memory, bounded, least recently used out first; or in Redis, shared by every
worker process.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from orq_router_server.request import Input
from orq_router_server.state import Store

__all__ = ["Entry", "InputCache", "apportion", "entry_key"]

_HEADER: Final = struct.Struct("<IB")
"""An entry's head: the input's tokens (uint32), whether it was cut (one byte)."""


def entry_key(api_key: str | None, model: str, dimensions: int | None, item: Input) -> str:
    """The key of one input's vector: the same only for the same caller, model and width."""
    text: str | list[int] = item if isinstance(item, str) else list(item)
    material = json.dumps([api_key, model, dimensions, text], separators=(",", ":"))
    return "orq:vector:" + hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


@attrs.frozen
class Entry:
    """One input's kept result: its vector, its tokens, and whether the model cut it."""

    vector: npt.NDArray[np.float32]
    tokens: int
    truncated: bool = False

    def pack(self) -> bytes:
        little = np.asarray(self.vector, dtype="<f4")
        return _HEADER.pack(self.tokens, self.truncated) + little.tobytes()

    @classmethod
    def unpack(cls, value: bytes) -> Entry:
        tokens, truncated = _HEADER.unpack_from(value)
        vector = np.frombuffer(value, dtype="<f4", offset=_HEADER.size).astype(np.float32)
        return cls(vector=vector, tokens=tokens, truncated=bool(truncated))


def apportion(total: int, inputs: Sequence[Input]) -> tuple[int, ...]:
    """`total` tokens shared over `inputs` by length (largest remainder): sums to `total`."""
    weights = [max(1, len(item)) for item in inputs]
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    shares = [int(share) for share in exact]
    by_remainder = sorted(range(len(inputs)), key=lambda i: shares[i] - exact[i])
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return tuple(shares)


class InputCache:
    """Entries by input, each until its own expiry, kept in `store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(
        self, api_key: str | None, model: str, dimensions: int | None, inputs: Sequence[Input]
    ) -> list[Entry | None]:
        """Each input's entry under `model`, in order; None where there is none."""
        keys = [entry_key(api_key, model, dimensions, item) for item in inputs]
        values = await self.store.get_many(keys)
        return [None if value is None else Entry.unpack(value) for value in values]

    async def put(
        self,
        api_key: str | None,
        model: str,
        dimensions: int | None,
        items: Sequence[tuple[Input, Entry]],
        ttl: int,
    ) -> None:
        """Keep each input's entry as computed by `model`, for `ttl` seconds."""
        values = {
            entry_key(api_key, model, dimensions, item): entry.pack() for item, entry in items
        }
        await self.store.set_many(values, ttl)
