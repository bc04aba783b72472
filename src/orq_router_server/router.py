"""`LocalRouter`: the router without HTTP. Keys, models, cache, routing, request ids.

The app (`app.py`) reads bodies and writes answers; everything in between is here, so a
test or another server can drive the same router.
"""

from __future__ import annotations

import hmac
import os
import random
import secrets
import time
from collections.abc import Callable

import attrs
import numpy as np
import numpy.typing as npt

from orq_router_server.backends import Backend, build_backends
from orq_router_server.cache import Entry, InputCache, apportion
from orq_router_server.config import Config
from orq_router_server.errors import RouterError
from orq_router_server.limits import Limiter, open_limiter
from orq_router_server.metrics import Metrics
from orq_router_server.request import EmbeddingCall, Input
from orq_router_server.routing import ModelGuard, RouteFailed, Served, WeightedDraw, route
from orq_router_server.state import Store, open_store
from orq_router_server.vectors import body

__all__ = ["Answer", "LocalRouter", "random_request_id"]


_ids = random.Random(secrets.randbits(128))
"""Request ids need to be unique, not secret: a generator seeded from the OS once per
process (and again in a forked child), instead of a system call per request."""
os.register_at_fork(after_in_child=lambda: _ids.seed(secrets.randbits(128)))


def random_request_id() -> str:
    """`req_` and 24 random hex digits: unique without coordination."""
    return f"req_{_ids.getrandbits(96):024x}"


@attrs.frozen
class Answer:
    """A success: the body, and what the headers and the log say about it."""

    body: bytes
    model: str
    attempts: int
    cache: str
    """`hit`, `partial` or `miss` (`miss` too when the request asked for no cache)."""
    prompt_tokens: int | None = None
    """Tokens the models read for this answer; None on a hit (no model read anything)."""
    truncated: int = 0
    """Inputs the model cut at its limit (`x-orq-truncated`)."""


class LocalRouter:
    """The configured models behind the spec's routing semantics.

    `request_ids` makes the ids (tests number them: `req_0001`, ...); `store` keeps the
    cache's entries and `limiter` the limits' counts (by default where `config.state`
    says: this process, or Redis); `metrics` are the router's counts (a reloaded router
    is given its predecessor's, so /metrics goes on counting); `clock` is the default
    store's, limiter's and cooldowns', in seconds.
    """

    def __init__(
        self,
        config: Config,
        *,
        request_ids: Callable[[], str] = random_request_id,
        store: Store | None = None,
        clock: Callable[[], float] = time.monotonic,
        metrics: Metrics | None = None,
        limiter: Limiter | None = None,
    ) -> None:
        self.config = config
        self.metrics = metrics if metrics is not None else Metrics()
        self.backends: dict[str, Backend] = build_backends(config.models, self.metrics)
        self.store: Store = store if store is not None else open_store(config.state, clock=clock)
        self.cache = InputCache(self.store)
        self.limiter = limiter if limiter is not None else open_limiter(self.store, clock=clock)
        self.guard = ModelGuard(config, self.metrics, clock=clock)
        self.draw = WeightedDraw(config.seed)
        self.new_request_id = request_ids

    @property
    def models(self) -> list[str]:
        return list(self.backends)

    def authenticate(self, authorization: str | None) -> str | None:
        """The caller's key, or 401 when the configuration lists keys and this is not one.

        Without `api_keys` anyone may call (the router binds loopback by default); the
        key, if any, still separates cache entries.
        """
        key = None
        if authorization:
            scheme, _, value = authorization.partition(" ")
            if scheme.lower() == "bearer" and value.strip():
                key = value.strip()
        if self.config.api_keys is None:
            return key
        if key is None:
            raise RouterError(
                401,
                "missing_api_key",
                "No API key: send it as `Authorization: Bearer <key>`.",
            )
        known = [hmac.compare_digest(key.encode(), k.encode()) for k in self.config.api_keys]
        if not any(known):
            raise RouterError(401, "invalid_api_key", "The provided API key is invalid.")
        return key

    def check_models(self, call: EmbeddingCall) -> None:
        """404 for the first model the request names that is not served here."""
        routing = call.routing
        if not routing.fallbacks and not routing.load_balancer and call.model in self.backends:
            return  # most requests: one model, served here
        for param, model in call.models():
            if model not in self.backends:
                raise RouterError(
                    404,
                    "model_not_found",
                    f"{param}: model {model!r} is not served here"
                    f" (served: {', '.join(self.backends)})",
                    param=param,
                )

    async def answer(self, call: EmbeddingCall, api_key: str | None) -> Answer:
        """The request's answer: routed, or from the cache input by input when asked.

        Raises `RouteFailed` when no model answered.
        """
        ttl = call.routing.cache_ttl
        if ttl is None:
            served = await route(call, self.backends, self.draw, self.guard)
            return Answer(
                body=self._body(call, served.model, served.vectors, served.prompt_tokens),
                model=served.model,
                attempts=served.attempts,
                cache="miss",
                prompt_tokens=served.prompt_tokens,
                truncated=len(served.truncated),
            )
        try:
            answer = await self._answer_cached(call, api_key, ttl)
        except RouteFailed:
            self.metrics.cache.labels("miss").inc()  # looked up, and no model filled it
            raise
        self.metrics.cache.labels(answer.cache).inc()
        return answer

    async def _answer_cached(self, call: EmbeddingCall, api_key: str | None, ttl: int) -> Answer:
        """Inputs found under the serving model are taken, the others computed and kept.

        Inputs are looked up under the request's first model. When a fallback serves the
        missing ones instead, the found vectors (the first model's) cannot stand beside
        its own: they are looked up under the fallback, and what it lacks is computed by
        it (with the fallbacks after it), so that every row of an answer is one model's.
        """
        routing = call.routing
        first = self._first_model(call)
        chain = (first, *routing.fallbacks)
        at, model, inputs = 0, first, call.inputs
        found = await self.cache.get(api_key, model, call.dimensions, inputs)
        stored = [entry is not None for entry in found]
        attempts = 0
        read: int | None = None
        while any(entry is None for entry in found):
            missing = _unique_missing(inputs, found)
            sub = attrs.evolve(
                call,
                inputs=tuple(inputs[i] for i in missing),
                model=model,
                routing=attrs.evolve(routing, load_balancer=None, fallbacks=chain[at + 1 :]),
            )
            try:
                served = await route(
                    sub, self.backends, self.draw, self.guard, positions=tuple(missing)
                )
            except RouteFailed as failed:
                raise RouteFailed(failed.error, attempts + failed.attempts) from None
            attempts += served.attempts
            read = (read or 0) + served.prompt_tokens
            computed = dict(zip(sub.inputs, _entries(served, sub.inputs), strict=True))
            await self.cache.put(
                api_key, served.model, call.dimensions, list(computed.items()), ttl
            )
            if served.model != model:
                # A fallback served: the stored rows are the other model's. Look them up
                # under this one; what it lacks, it computes on the next turn.
                at = chain.index(served.model, at + 1)
                model = served.model
                kept = [i for i, was in enumerate(stored) if was]
                again = await self.cache.get(
                    api_key, model, call.dimensions, [inputs[i] for i in kept]
                )
                found = [None] * len(inputs)
                stored = [False] * len(inputs)
                for i, entry in zip(kept, again, strict=True):
                    found[i], stored[i] = entry, entry is not None
            for i, item in enumerate(inputs):
                if found[i] is None and item in computed:
                    found[i] = computed[item]
        entries = [entry for entry in found if entry is not None]
        cache = ("hit" if attempts == 0 else "partial") if any(stored) else "miss"
        return Answer(
            body=self._body(
                call, model, np.stack([e.vector for e in entries]), sum(e.tokens for e in entries)
            ),
            model=model,
            attempts=attempts,
            cache=cache,
            prompt_tokens=read,
            truncated=sum(entry.truncated for entry in entries),
        )

    def _first_model(self, call: EmbeddingCall) -> str:
        """The model a request starts with: drawn by weight among those not cooling down
        (as `route` draws), else `model` (which `route` then skips if it is cooling)."""
        balancer = call.routing.load_balancer
        if not balancer:
            return call.model
        balanced = [entry for entry in balancer if not self.guard.cooling(entry[0])]
        return self.draw.pick(balanced) if balanced else balancer[0][0]

    @staticmethod
    def _body(
        call: EmbeddingCall, model: str, vectors: npt.NDArray[np.float32], prompt_tokens: int
    ) -> bytes:
        return body(
            model=model,
            vectors=vectors,
            prompt_tokens=prompt_tokens,
            encoding_format=call.encoding_format,
        )


def _unique_missing(inputs: tuple[Input, ...], found: list[Entry | None]) -> list[int]:
    """Positions of the inputs without an entry, each distinct input once."""
    seen: set[Input] = set()
    missing = []
    for i, item in enumerate(inputs):
        if found[i] is None and item not in seen:
            seen.add(item)
            missing.append(i)
    return missing


def _entries(served: Served, inputs: tuple[Input, ...]) -> list[Entry]:
    """One entry per row of a model's answer."""
    tokens = served.row_tokens or apportion(served.prompt_tokens, inputs)
    cut = set(served.truncated)
    return [
        Entry(vector=served.vectors[k], tokens=tokens[k], truncated=k in cut)
        for k in range(len(inputs))
    ]
