"""How a request finds a model that answers: load balancer, retry, fallbacks, call timeout.

1. `load_balancer` (weight_based): the first model is drawn by weight (relative weights;
   `model` is then only checked to exist); else it is `model`.
2. `retry`: a model whose attempt fails with a status in `on_codes` is tried again, up to
   `count` more times, after a doubling backoff with jitter (20 ms, 40 ms, ... at most
   320 ms, each between half and one and a half times that), or after the upstream's
   own `Retry-After` when it asks for longer (capped by `call_timeout`, else 30 s).
3. `fallbacks`: once a model (with its retries) has failed, the next fallback is tried,
   in order, with the same retry policy. The first success is the answer; when all fail,
   the last failure's status and error body are.
4. `timeout.call_timeout`: an attempt slower than this many ms is abandoned and fails
   with 504 (retried when 504 is in `on_codes`, as it is by default).

Health (`ModelGuard`, one per router):

- Cooldown: a model whose attempts failed `cooldown_failures` times in a row (429, or a
  5xx of the model's own) is skipped by the load balancer and by fallbacks for
  `cooldown_seconds`, and `orq_router_model_cooldowns_total{model}` counts it. When every
  model of a request is cooling down, the answer is 503 `model_cooldown` at once, with
  `Retry-After` (the first one back).
- Backpressure: each model admits at most `max_queue_inputs` inputs not yet answered. A
  request that would pass it is not queued: the model is skipped like a failure (no
  retry, no wait), its fallbacks are tried, and with none left the answer is 429
  `queue_full` with `Retry-After`. A request alone is always admitted, however large.

Every attempt at any model counts in `attempts` (the `x-orq-attempts` header); a model
skipped by a cooldown or a full queue is not an attempt.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import random
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from orq_router_server.backends import Backend, Embedded, Job
from orq_router_server.config import Config
from orq_router_server.errors import RouterError
from orq_router_server.metrics import Metrics, adder
from orq_router_server.request import EmbeddingCall
from orq_router_server.vectors import fit_dimensions

__all__ = [
    "ModelGuard",
    "RouteFailed",
    "Served",
    "WeightedDraw",
    "backoff",
    "jittered",
    "retry_after_s",
    "route",
]

logger = logging.getLogger("orq_router_server")

FIRST_BACKOFF_S: Final = 0.02
MAX_BACKOFF_S: Final = 0.32
MAX_UPSTREAM_WAIT_S: Final = 30.0
"""The longest an upstream's `Retry-After` is waited for when the request has no
`call_timeout` (which caps it otherwise)."""
NOT_A_MODEL_FAILURE: Final = frozenset({"call_timeout", "queue_full"})
"""Failures that say nothing of a model's health: the caller's own time limit, a full queue."""

_jitter = random.Random()
"""Jitter draws, apart from the load balancer's seeded dice so as not to shift them."""
_sleep = asyncio.sleep
"""The wait before a retry (a test watches it here)."""


def backoff(retry: int) -> float:
    """Seconds to wait before retry number `retry` (1, 2, ...) of one model, before jitter."""
    return float(min(FIRST_BACKOFF_S * 2 ** (retry - 1), MAX_BACKOFF_S))


def jittered(retry: int) -> float:
    """`backoff(retry)` times a random factor in [0.5, 1.5): clients that failed together
    do not retry together."""
    return backoff(retry) * (0.5 + _jitter.random())


def retry_after_s(value: str | None) -> float | None:
    """A `Retry-After` header's wait in seconds (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


@attrs.define
class _Health:
    failures: int = 0
    """Failures in a row."""
    until: float = 0.0
    """Cooling down until this time (the guard's clock)."""
    queued: int = 0
    """Inputs admitted and not yet answered."""


class ModelGuard:
    """Each model's health and backlog: cooldowns after failures in a row, and the inputs
    admitted and not yet answered (`max_queue_inputs`). One per router, per process."""

    def __init__(
        self, config: Config, metrics: Metrics, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.config = config
        self.metrics = metrics
        self.clock = clock
        self._models: dict[str, _Health] = {name: _Health() for name in config.models}
        # Labelled children made once: `labels()` takes a lock and builds a key each call.
        self._gauges = {name: metrics.queue_gauge(name) for name in config.models}
        self._ok = {
            name: adder(metrics.model_attempts.labels(name, "ok")) for name in config.models
        }
        self._inputs = {name: adder(metrics.inputs.labels(name)) for name in config.models}
        self._tokens = {name: adder(metrics.tokens.labels(name)) for name in config.models}

    def cooling(self, model: str) -> float:
        """Seconds left of the model's cooldown; 0 when it may be called."""
        health = self._models[model]
        if not health.until:
            return 0.0
        left = health.until - self.clock()
        if left > 0:
            return left
        health.until = 0.0
        return 0.0

    def failed(self, model: str, error: RouterError) -> None:
        """Count a failed attempt; enough in a row start the model's cooldown."""
        if error.code in NOT_A_MODEL_FAILURE or not (error.status == 429 or error.status >= 500):
            return
        rule = self.config.cooldown_of(model)
        health = self._models[model]
        health.failures += 1
        if rule.failures and health.failures >= rule.failures:
            health.failures = 0
            health.until = self.clock() + rule.seconds
            self.metrics.model_cooldowns.labels(model).inc()
            logger.warning(
                "model %s failed %d times in a row (last: %d %s): skipped for %g s",
                model,
                rule.failures,
                error.status,
                error.code,
                rule.seconds,
            )

    def succeeded(self, model: str, inputs: int, tokens: int) -> None:
        """Count a success: the model's failures in a row start again from none."""
        self._models[model].failures = 0
        self._ok[model](1)
        self._inputs[model](inputs)
        self._tokens[model](tokens)

    def admit(self, model: str, inputs: int) -> bool:
        """Take `inputs` into the model's backlog, unless that passes `max_queue_inputs`
        (a request alone is always taken)."""
        health = self._models[model]
        if health.queued and health.queued + inputs > self.config.max_queue_inputs_of(model):
            return False
        health.queued += inputs
        self._gauges[model].add(inputs)
        return True

    def release(self, model: str, inputs: int) -> None:
        self._models[model].queued -= inputs
        self._gauges[model].add(-inputs)

    def queued(self, model: str) -> int:
        return self._models[model].queued


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
    guard: ModelGuard,
    positions: tuple[int, ...] | None = None,
) -> Served:
    """The first answer along the request's route, or `RouteFailed` with the last failure.

    `positions`: where the call's inputs sit in the client's request, when it holds only
    some of them (see `Job.positions`).
    """
    routing = call.routing
    if routing.load_balancer:
        balanced = [entry for entry in routing.load_balancer if not guard.cooling(entry[0])]
        chain = [draw.pick(balanced)] if balanced else []
    else:
        chain = [call.model]
    chain += routing.fallbacks
    job = Job(inputs=call.inputs, dimensions=call.dimensions, positions=positions)
    inputs = len(call.inputs)
    tries = 1 + (routing.retry.count if routing.retry else 0)
    codes = routing.retry.on_codes if routing.retry else frozenset()
    attempts = 0
    last: RouterError | None = None
    cooled: dict[str, float] = {}
    metrics = guard.metrics
    for model in chain:
        left = guard.cooling(model)
        if left:
            cooled[model] = left
            continue
        if not guard.admit(model, inputs):
            last = _queue_full(model, guard)
            continue
        try:
            for attempt in range(tries):
                if attempt:
                    left = guard.cooling(model)
                    if left:  # cooled down by other requests' failures meanwhile
                        cooled[model] = left
                        break
                    await _sleep(_wait(attempt, last, call))
                attempts += 1
                try:
                    embedded = await _attempt(backends[model], model, job, attempt, call)
                    vectors = fit_dimensions(embedded.vectors, call.dimensions, model)
                except RouterError as error:
                    last = error
                    metrics.model_attempts.labels(model, error.code).inc()
                    guard.failed(model, error)
                    if error.status in codes:
                        continue
                    break
                guard.succeeded(model, inputs, embedded.prompt_tokens)
                return Served(
                    model=model,
                    vectors=vectors,
                    prompt_tokens=embedded.prompt_tokens,
                    attempts=attempts,
                    row_tokens=embedded.row_tokens,
                    truncated=embedded.truncated,
                )
        finally:
            guard.release(model, inputs)
    if last is None:
        last = _all_cooling(cooled)
    raise RouteFailed(last, attempts)


def _wait(retry: int, last: RouterError | None, call: EmbeddingCall) -> float:
    """Before retry `retry`: the jittered backoff, or the upstream's `Retry-After` when it
    asks for longer, capped by the request's `call_timeout` (else `MAX_UPSTREAM_WAIT_S`)."""
    wait = jittered(retry)
    asked = retry_after_s(last.headers.get("retry-after")) if last is not None else None
    if asked is not None and asked > wait:
        limit = call.routing.call_timeout_ms
        cap = limit / 1000 if limit is not None else MAX_UPSTREAM_WAIT_S
        wait = max(wait, min(asked, cap))
    return wait


def _queue_full(model: str, guard: ModelGuard) -> RouterError:
    limit = guard.config.max_queue_inputs_of(model)
    return RouterError(
        429,
        "queue_full",
        f"model {model} has {guard.queued(model)} inputs waiting (at most {limit}):"
        " try again shortly",
        headers={"retry-after": "1"},
    )


def _all_cooling(cooled: Mapping[str, float]) -> RouterError:
    first_back = min(cooled.values())
    listed = ", ".join(f"{model} ({left:.1f} s left)" for model, left in cooled.items())
    return RouterError(
        503,
        "model_cooldown",
        f"every model of this request is cooling down after failing repeatedly: {listed}",
        headers={"retry-after": str(min(60, max(1, math.ceil(first_back))))},
    )


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
