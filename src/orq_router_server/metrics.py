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
from typing import Final

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
    "exposition",
    "multiprocess_dir",
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
