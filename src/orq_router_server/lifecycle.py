"""Where a served router stands: loading, ready, draining; and which router serves.

`orq-router serve` binds its port and answers at once, while the models load in the
background: `/ready` is 503 until they have, and embeddings requests get 503
`not_ready` with `Retry-After`. On SIGTERM the process drains: `/ready` turns 503 (so a
load balancer stops sending), requests in flight get up to the grace period to finish,
and any still running then is answered 503 `shutting_down` with the spec's error body,
not cut off. A reload (SIGHUP) swaps `router` whole: a request holds the router it
started with until it is answered.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Final

from orq_router_server.metrics import Metrics

if TYPE_CHECKING:
    from orq_router_server.router import LocalRouter

__all__ = ["Lifecycle"]

POLL_S: Final = 0.02


class Lifecycle:
    """The app's state: its router once loaded, whether it drains, what is in flight."""

    def __init__(
        self, router: LocalRouter | None = None, *, metrics: Metrics | None = None
    ) -> None:
        self.router = router
        self.metrics = router.metrics if router is not None else metrics or Metrics()
        self.draining = False
        self.cancelling = False
        """Set once the grace period is over: a cancelled request answers 503, no traceback."""
        self.inflight: set[asyncio.Task[object]] = set()
        self.failed: str | None = None
        """Why the models could not be loaded (the process then stops)."""

    @property
    def ready(self) -> bool:
        return self.router is not None and not self.draining

    def serve(self, router: LocalRouter) -> None:
        """Serve with `router` from the next request on (the first load, or a reload)."""
        self.router = router

    async def drain(self, grace_s: float) -> None:
        """Stop being ready; wait up to `grace_s` for requests in flight, then answer the
        rest with 503 (their tasks are cancelled, and each answers for itself)."""
        self.draining = True
        deadline = time.monotonic() + grace_s
        while self.inflight and time.monotonic() < deadline:
            await asyncio.sleep(POLL_S)
        if not self.inflight:
            return
        self.cancelling = True
        for task in list(self.inflight):
            task.cancel()
        settle = time.monotonic() + 1.0
        while self.inflight and time.monotonic() < settle:
            await asyncio.sleep(POLL_S)
