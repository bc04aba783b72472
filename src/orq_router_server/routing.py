"""How a request finds a model that answers: load balancer, retry, fallbacks, call timeout.

1. `load_balancer` (weight_based): the first model is drawn by weight (relative weights;
   `model` is then only checked to exist); else it is `model`.
2. `retry`: a model whose attempt fails with a status in `on_codes` is tried again, up to
   `count` more times, after a short doubling backoff (20 ms, 40 ms, ... at most 320 ms).
3. `fallbacks`: once a model (with its retries) has failed, the next fallback is tried,
   in order, with the same retry policy. The first success is the answer; when all fail,
   the last failure's status and error body are.
4. `timeout.call_timeout`: an attempt slower than this many ms is abandoned and fails
   with 504 (retried when 504 is in `on_codes`, as it is by default).

Every attempt at any model counts in `attempts` (the `x-orq-attempts` header).
"""

from __future__ import annotations

import asyncio
import logging
import random
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from orq_router_server.backends import Backend, Embedded, Job
from orq_router_server.errors import RouterError
from orq_router_server.request import EmbeddingCall
from orq_router_server.vectors import fit_dimensions

__all__ = ["RouteFailed", "Served", "WeightedDraw", "backoff", "route"]

logger = logging.getLogger("orq_router_server")

FIRST_BACKOFF_S: Final = 0.02
MAX_BACKOFF_S: Final = 0.32


def backoff(retry: int) -> float:
    """Seconds to wait before retry number `retry` (1, 2, ...) of one model."""
    return float(min(FIRST_BACKOFF_S * 2 ** (retry - 1), MAX_BACKOFF_S))


@attrs.frozen
class Served:
    """The answer of the model that served, after `dimensions`."""

    model: str
    vectors: npt.NDArray[np.float32]
    prompt_tokens: int
    attempts: int
    row_tokens: tuple[int, ...] | None = None
    """Each input's tokens, when the model tells them (see `Embedded`)."""
    truncated: tuple[int, ...] = ()
    """Inputs the model cut at its limit."""


class RouteFailed(Exception):
    """Every model the request could use failed; `error` is the last failure."""

    def __init__(self, error: RouterError, attempts: int) -> None:
        super().__init__(error.message)
        self.error = error
        self.attempts = attempts


class WeightedDraw:
    """The load balancer's dice: a model with probability weight / sum of weights."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def pick(self, models: Sequence[tuple[str, float]]) -> str:
        # Weights are relative and may be anything above zero, 1e-300 or 1e308 included:
        # scaled by the largest, their sum stays finite.
        capped = [min(weight, sys.float_info.max) for _, weight in models]
        top = max(capped)
        weights = [weight / top for weight in capped]
        with self._lock:
            (name,) = self._random.choices([name for name, _ in models], weights=weights)
        return name


async def route(
    call: EmbeddingCall,
    backends: Mapping[str, Backend],
    draw: WeightedDraw,
    positions: tuple[int, ...] | None = None,
) -> Served:
    """The first answer along the request's route, or `RouteFailed` with the last failure.

    `positions`: where the call's inputs sit in the client's request, when it holds only
    some of them (see `Job.positions`).
    """
    routing = call.routing
    first = draw.pick(routing.load_balancer) if routing.load_balancer else call.model
    job = Job(inputs=call.inputs, dimensions=call.dimensions, positions=positions)
    tries = 1 + (routing.retry.count if routing.retry else 0)
    codes = routing.retry.on_codes if routing.retry else frozenset()
    attempts = 0
    last: RouterError | None = None
    for model in (first, *routing.fallbacks):
        for attempt in range(tries):
            if attempt:
                await asyncio.sleep(backoff(attempt))
            attempts += 1
            try:
                embedded = await _attempt(backends[model], model, job, attempt, call)
                vectors = fit_dimensions(embedded.vectors, call.dimensions, model)
            except RouterError as error:
                last = error
                if error.status in codes:
                    continue
                break
            return Served(
                model=model,
                vectors=vectors,
                prompt_tokens=embedded.prompt_tokens,
                attempts=attempts,
                row_tokens=embedded.row_tokens,
                truncated=embedded.truncated,
            )
    assert last is not None
    raise RouteFailed(last, attempts)


async def _attempt(
    backend: Backend, model: str, job: Job, attempt: int, call: EmbeddingCall
) -> Embedded:
    limit = call.routing.call_timeout_ms
    try:
        if limit is None:
            return await backend.embed(job, attempt)
        return await asyncio.wait_for(backend.embed(job, attempt), timeout=limit / 1000)
    except TimeoutError:
        raise RouterError(
            504,
            "call_timeout",
            f"model {model} did not answer within the call timeout of {limit} ms",
        ) from None
    except RouterError:
        raise
    except Exception as error:
        # A bug in a backend is that model's failure, not the end of the server.
        logger.exception("model %s failed unexpectedly", model)
        raise RouterError(
            500, "model_error", f"model {model} failed: {type(error).__name__}: {error}"
        ) from None
