"""What the router counts, for `GET /metrics` (Prometheus text format, prometheus-client).

Every metric of the router is named here, once, so that a dashboard has one list to
read. A `Metrics` is made per `LocalRouter` with a registry of its own: two routers in
one process (tests start several) never add to each other's counts.

Labels carry model ids, routes, statuses and a key's *id*, never a key.

With several worker processes (`orq-router serve --workers N`) prometheus-client's
multiprocess mode is on (`PROMETHEUS_MULTIPROC_DIR`, set before prometheus-client is
imported): every process writes its counts to files there, and `exposition` adds up
all of them, whichever worker answers `GET /metrics`.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Callable
from typing import Any, Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    values,
)

__all__ = [
    "LATENCY_BUCKETS_S",
    "MULTIPROC_DIR",
    "Metrics",
    "QueueGauge",
    "adder",
    "exposition",
    "multiprocess_dir",
    "observer",
]

MULTIPROC_DIR: Final = "PROMETHEUS_MULTIPROC_DIR"

LATENCY_BUCKETS_S: Final = (
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0
)  # fmt: skip
"""From a cached answer (about a millisecond) to a call timeout (tens of seconds)."""
BATCH_BUCKETS: Final = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048)
"""Inputs in one model call: powers of two up to the largest request."""


class Metrics:
    """The router's metrics, in `registry`."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "orq_router_requests", "Requests answered.", ["route", "model", "status"], registry=r
        )
        self.request_seconds = Histogram(
            "orq_router_request_seconds",
            "Time from a request's first byte to its answer.",
            ["route"],
            buckets=LATENCY_BUCKETS_S,
            registry=r,
        )
        self.model_attempts = Counter(
            "orq_router_model_attempts",
            "Calls to a model, by how they ended (ok, or an error code).",
            ["model", "outcome"],
            registry=r,
        )
        self.cache = Counter(
            "orq_router_cache",
            "Cache look-ups of requests that asked for the cache: hit, miss or partial.",
            ["result"],
            registry=r,
        )
        self.inputs = Counter(
            "orq_router_inputs", "Inputs embedded by a model.", ["model"], registry=r
        )
        self.tokens = Counter(
            "orq_router_tokens", "Tokens a model read (usage.prompt_tokens).", ["model"], registry=r
        )
        self.queue_inputs = Gauge(
            "orq_router_queue_inputs",
            "Inputs admitted for a model and not yet answered.",
            ["model"],
            registry=r,
            multiprocess_mode="livesum",
        )
        self._queue_gauges: dict[str, QueueGauge] = {}
        self.batch_inputs = Histogram(
            "orq_router_batch_inputs",
            "Inputs in one call of a model (after dynamic batching for local models).",
            ["model"],
            buckets=BATCH_BUCKETS,
            registry=r,
        )
        self.queue_wait_seconds = Histogram(
            "orq_router_queue_wait_seconds",
            "Time an input waited for its batch to start.",
            ["model"],
            buckets=LATENCY_BUCKETS_S,
            registry=r,
        )
        self.rate_limited = Counter(
            "orq_router_rate_limited",
            "Requests refused with 429 by a limit, by the key's id (never the key).",
            ["key_id"],
            registry=r,
        )
        self.model_cooldowns = Counter(
            "orq_router_model_cooldowns",
            "Times a model was put in cooldown after consecutive failures.",
            ["model"],
            registry=r,
        )

    def queue_gauge(self, model: str) -> QueueGauge:
        """The model's `queue_inputs`, one per model for the life of these metrics (a
        reloaded router moves the same one)."""
        gauge = self._queue_gauges.get(model)
        if gauge is None:
            gauge = self._queue_gauges[model] = QueueGauge(self.queue_inputs.labels(model))
        return gauge


class QueueGauge:
    """`orq_router_queue_inputs{model}` of one model, moved twice by every request.

    In one process the gauge reads `count` when scraped (`set_function`): a request moves
    a plain integer, not a locked value. In multiprocess mode each worker's value is a
    file that `/metrics` adds up, so the gauge's own value moves too.
    """

    def __init__(self, child: Gauge) -> None:
        self.count = 0
        self._child: Gauge | None = None
        if multiprocess_dir() is None:
            child.set_function(lambda: self.count)
        else:
            self._child = child

    def add(self, inputs: int) -> None:
        self.count += inputs
        if self._child is not None:
            self._child.inc(inputs)


def adder(child: Counter) -> Callable[[float], None]:
    """`child.inc`, for a labelled child that every request moves: its value's own `inc`.

    `Counter.inc` first checks that the child has its labels (it has: `labels()` made
    it) and that the amount is not negative (the amounts counted here never are), which
    costs more than the locked addition itself. The value is what `inc` would add to, in
    one process and in multiprocess mode alike; where prometheus-client keeps it
    elsewhere, the public `inc` is used.
    """
    inc: Any = getattr(getattr(child, "_value", None), "inc", None)
    return inc if callable(inc) else child.inc


def observer(child: Histogram) -> Callable[[float], None]:
    """`child.observe`, for a labelled child that every request moves: the sum and the
    first bucket whose bound is at least the amount (the one `observe` picks, found by
    bisection), added to directly, as `adder` does for a counter. Where
    prometheus-client keeps them elsewhere, the public `observe` is used."""
    add_sum: Any = getattr(getattr(child, "_sum", None), "inc", None)
    buckets: Any = getattr(child, "_buckets", None)
    bounds: Any = getattr(child, "_upper_bounds", None)
    if not callable(add_sum) or not isinstance(buckets, list) or not isinstance(bounds, list):
        return child.observe
    if len(buckets) != len(bounds) or not bounds or bounds[-1] != float("inf"):
        return child.observe
    add_bucket = [bucket.inc for bucket in buckets]

    def observe(amount: float) -> None:
        add_sum(amount)
        add_bucket[bisect_left(bounds, amount)](1)

    return observe


def multiprocess_dir() -> str | None:
    """The folder of multiprocess mode, when prometheus-client was imported in that mode."""
    path = os.environ.get(MULTIPROC_DIR)
    if not path or values.ValueClass is values.MutexValue:
        return None
    return path


def exposition(metrics: Metrics) -> tuple[bytes, str]:
    """What `GET /metrics` answers, and its content type: `metrics`' own registry, or in
    multiprocess mode the counts of every process, added up."""
    path = multiprocess_dir()
    if path is None:
        return generate_latest(metrics.registry), CONTENT_TYPE_LATEST
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=path)  # type: ignore[no-untyped-call]
    return generate_latest(registry), CONTENT_TYPE_LATEST
