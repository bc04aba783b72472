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

from orq_router_server.backends import Backend, build_backends
from orq_router_server.cache import ExactMatchCache, cache_key
from orq_router_server.config import Config
from orq_router_server.errors import RouterError
from orq_router_server.limits import Limiter, open_limiter
from orq_router_server.metrics import Metrics
from orq_router_server.request import EmbeddingCall
from orq_router_server.routing import ModelGuard, WeightedDraw, route
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
    """`hit` or `miss`."""
    prompt_tokens: int | None = None
    """None on a cache hit (no model read anything)."""


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
        self.backends: dict[str, Backend] = build_backends(config.models)
        self.store: Store = store if store is not None else open_store(config.state, clock=clock)
        self.cache = ExactMatchCache(self.store)
        self.metrics = metrics if metrics is not None else Metrics()
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
        """The request's answer: from the cache when asked and present, else routed.

        Raises `RouteFailed` when no model answered.
        """
        ttl = call.routing.cache_ttl
        key = cache_key(api_key, call) if ttl is not None else None
        if key is not None:
            cached = await self.cache.get(key)
            if cached is not None:
                return Answer(body=cached.body, model=cached.model, attempts=0, cache="hit")
        served = await route(call, self.backends, self.draw, self.guard)
        content = body(
            model=served.model,
            vectors=served.vectors,
            prompt_tokens=served.prompt_tokens,
            encoding_format=call.encoding_format,
        )
        if key is not None and ttl is not None:
            await self.cache.put(key, body=content, model=served.model, ttl=ttl)
        return Answer(
            body=content,
            model=served.model,
            attempts=served.attempts,
            cache="miss",
            prompt_tokens=served.prompt_tokens,
        )
