"""`fault`: a model that fails on purpose, to watch retries, fallbacks and timeouts work.

Attempt k of one request at this model waits `delay_ms`, then fails with `fail_with[k]`;
once the list is used up `then` answers, as this model (the answer's `model` is this
one's name). `then` may itself be a fault model: it sees its own attempts numbered from
0, so chains of faults compose. Without `then` every later attempt fails with the list's
last status, or 503 when the list is empty.
"""

from __future__ import annotations

import asyncio

from orq_router_server.backends import Backend, Embedded, Job
from orq_router_server.config import FaultSpec
from orq_router_server.errors import RouterError

__all__ = ["FaultBackend"]


class FaultBackend:
    """A `fault` model wired to the backend of its `then`."""

    def __init__(self, name: str, spec: FaultSpec, then: Backend | None) -> None:
        self.name = name
        self.spec = spec
        self.then = then

    @property
    def dimensions(self) -> int | None:
        return self.then.dimensions if self.then is not None else None

    async def embed(self, job: Job, attempt: int) -> Embedded:
        if self.spec.delay_ms:
            await asyncio.sleep(self.spec.delay_ms / 1000)
        failures = self.spec.fail_with
        if attempt < len(failures) or self.then is None:
            status = failures[min(attempt, len(failures) - 1)] if failures else 503
            raise RouterError(
                status,
                "fault_injected",
                f"model {self.name} fails attempt {attempt + 1} with {status} on purpose"
                " (a fault model)",
            )
        return await self.then.embed(job, attempt - len(failures))
