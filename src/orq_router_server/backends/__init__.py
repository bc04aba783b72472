"""The models behind the router: what every backend promises, and how one is built.

A backend turns a `Job` (inputs, the dimensions asked for) into an `Embedded` (an
`(n, d)` float32 array and the tokens it read), or raises `RouterError` with the status
the attempt failed with. `attempt` counts this request's earlier attempts at the same
model, so that a fault model can fail the first ones and answer the rest.

- `hashing`: deterministic feature hashing (numpy). Lexical, not semantic.
- `minilm`: all-MiniLM-L6-v2 through sentence-transformers (the `minilm` extra); the
  requests waiting for it share its passes (`batching.py`).
- `fault`: fails on purpose, then hands over to another model.
- `openai`: any OpenAI-compatible `/v1/embeddings` upstream.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

import attrs

from orq_router_server.config import FaultSpec, HashingSpec, MiniLMSpec, ModelSpec, OpenAISpec
from orq_router_server.request import Input

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from orq_router_server.metrics import Metrics

__all__ = ["Backend", "Embedded", "Job", "build_backends"]


@attrs.frozen
class Job:
    """What one attempt is asked for."""

    inputs: tuple[Input, ...]
    dimensions: int | None = None
    """Asked-for width; local models return their full width and the router cuts it."""
    positions: tuple[int, ...] | None = None
    """Where each input sits in the request (`input[i]` in an error), when the job holds
    only some of them (the cache answered the others); None: input k is `input[k]`."""

    def position(self, k: int) -> int:
        """The request's index of the job's input `k`."""
        return k if self.positions is None else self.positions[k]


@attrs.frozen
class Embedded:
    """One attempt's answer: a row per input, in input order."""

    vectors: npt.NDArray[np.float32]
    prompt_tokens: int
    row_tokens: tuple[int, ...] | None = None
    """Tokens of each input, when the model tells them apart (local models do; an
    upstream reports only the total). The per-input cache keeps each input's own."""
    truncated: tuple[int, ...] = ()
    """Rows (job indices) whose input was cut at the model's limit."""


class Backend(Protocol):
    """A model the router can call."""

    @property
    def dimensions(self) -> int | None:
        """The model's own width; None when only an answer tells (an upstream)."""

    async def embed(self, job: Job, attempt: int) -> Embedded:
        """Embed the job's inputs, or raise `RouterError` with the failure's status."""


def build_backends(
    models: Mapping[str, ModelSpec], metrics: Metrics | None = None
) -> dict[str, Backend]:
    """One backend per configured model; a fault's `then` is wired to its model.

    `metrics` is where a batching model counts its batches and queue waits.

    Raises `ConfigError` for what only shows at start (a missing extra, an unset key).
    """
    from orq_router_server.backends.fault import FaultBackend
    from orq_router_server.backends.hashing import HashingBackend

    built: dict[str, Backend] = {}

    def build(name: str) -> Backend:
        if name in built:
            return built[name]
        spec = models[name]
        backend: Backend
        if isinstance(spec, HashingSpec):
            backend = HashingBackend(spec.dimensions)
        elif isinstance(spec, MiniLMSpec):
            from orq_router_server.backends.minilm import MiniLMBackend

            backend = MiniLMBackend.load(name, spec, metrics=metrics)
        elif isinstance(spec, FaultSpec):
            then = build(spec.then) if spec.then is not None else None
            backend = FaultBackend(name, spec, then)
        else:
            assert isinstance(spec, OpenAISpec)
            from orq_router_server.backends.upstream import UpstreamBackend

            backend = UpstreamBackend.from_spec(name, spec)
        built[name] = backend
        return backend

    for name in models:
        build(name)
    return built
