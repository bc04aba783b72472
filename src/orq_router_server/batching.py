"""Dynamic batching for a local model: the requests waiting for it share its passes.

A local model (MiniLM) runs one forward pass at a time, and on a CPU a pass of 32
inputs costs about 32 passes of one in arithmetic but only one in everything around it
(Python, torch's dispatch, thread hand-offs). So requests are not run one by one: each
one's inputs join one queue, and a worker thread takes from its head, in arrival order,
as many inputs as fit in one pass, `max_inputs` and `max_tokens` (the sum of their
lengths: the model runs a pass in groups of similar length, so that it computes on about
that many tokens), waiting at most `wait_s` after the first for more to come. Every
request gets its own rows back, in its own order.

What TEI and Infinity taught, kept here:

- The pass runs in the worker thread, never on an event loop: an answer's loop only
  enqueues, then awaits a future the worker settles (`call_soon_threadsafe`), so the
  same batcher serves any number of loops (each server thread, each `asyncio.run`).
- A request's inputs are taken longest first (sentence-transformers' own order), so
  that a request split over several passes pads each of them little.
- Work nobody waits for is dropped: when the awaiting coroutine is cancelled (its call
  timeout expired, its client left), its inputs not yet in a pass leave the queue at
  once. A long request is split into passes no bigger than the limits, so what it
  costs after its cancellation is at most the pass already running, and less when the
  model runs a pass in several calls (it skips the calls nobody waits for).

`metrics.batch_inputs` observes every pass's size and `metrics.queue_wait_seconds` how
long each input waited for its pass, both labelled with the model.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from orq_router_server.metrics import Metrics

__all__ = ["Batcher", "Compute"]

Compute = Callable[[list[Sequence[int]], Callable[[int], bool]], npt.NDArray[np.float32]]
"""One pass: a row of model input (token ids) each, to one float32 vector each. The second
argument tells whether row k is still waited for: a model that runs a pass in several
calls skips the rows nobody waits for any more (their vectors are then never read)."""

IDLE_EXIT_S: Final = 30.0
"""A worker with nothing to do this long ends; the next request starts a new one."""

_OPEN: weakref.WeakSet[Batcher] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    """At exit, let each running pass end: a thread killed inside torch aborts the process."""
    for batcher in list(_OPEN):
        batcher.close()


@attrs.define(eq=False)
class _Request:
    """One caller's inputs in the queue, and where its rows go."""

    rows: Sequence[Sequence[int]]
    order: list[int]
    """Positions in `rows`, longest first: the order they are taken in."""
    out: npt.NDArray[np.float32] | None
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[npt.NDArray[np.float32]]
    enqueued: float
    taken: int = 0
    """How many of `order` are in a pass already."""
    left: int = 0
    """Rows not computed yet."""
    dropped: bool = False
    """Nobody waits any more (cancelled, or failed): skip what is not taken."""


class Batcher:
    """The queue and the worker of one local model.

    `compute` runs one pass (in the worker thread); `model` labels the metrics.
    """

    def __init__(
        self,
        compute: Compute,
        *,
        model: str,
        max_inputs: int,
        max_tokens: int,
        wait_s: float = 0.0,
        metrics: Metrics | None = None,
        idle_exit_s: float = IDLE_EXIT_S,
    ) -> None:
        self.compute = compute
        self.model = model
        self.max_inputs = max_inputs
        self.max_tokens = max_tokens
        self.wait_s = wait_s
        self._metrics = metrics
        self._idle_exit_s = idle_exit_s
        self._queue: deque[_Request] = deque()
        self._queued = 0
        """Inputs in the queue not yet taken, of requests somebody still waits for."""
        self._ready = threading.Condition()
        self._worker: threading.Thread | None = None
        self._closed = False
        _OPEN.add(self)

    @property
    def queued(self) -> int:
        """Inputs waiting for a pass."""
        with self._ready:
            return self._queued

    async def run(self, rows: Sequence[Sequence[int]]) -> npt.NDArray[np.float32]:
        """The vectors of `rows`, in order, computed in passes shared with other callers.

        Cancelling the caller drops its inputs that no pass has taken yet.
        """
        if not rows:
            return np.empty((0, 0), dtype=np.float32)
        loop = asyncio.get_running_loop()
        order = sorted(range(len(rows)), key=lambda i: -len(rows[i]))
        request = _Request(
            rows=rows,
            order=order,
            out=None,
            loop=loop,
            future=loop.create_future(),
            enqueued=time.monotonic(),
            left=len(rows),
        )
        with self._ready:
            if self._closed:
                raise RuntimeError(f"the batcher of {self.model} is closed")
            self._queue.append(request)
            self._queued += len(rows)
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._work, name=f"orq-batch {self.model}", daemon=True
                )
                self._worker.start()
            self._ready.notify()
        try:
            return await request.future
        except asyncio.CancelledError:
            self._drop(request)
            raise

    def close(self) -> None:
        """Stop the worker once its pass ends; queued requests fail."""
        with self._ready:
            self._closed = True
            pending = [request for request in self._queue if not request.dropped]
            for request in pending:
                request.dropped = True
            self._queue.clear()
            self._queued = 0
            worker = self._worker
            self._ready.notify_all()
        for request in pending:
            self._settle(request, RuntimeError(f"the batcher of {self.model} closed"))
        if worker is not None and worker is not threading.current_thread():
            worker.join()

    def _drop(self, request: _Request) -> None:
        with self._ready:
            if not request.dropped:
                request.dropped = True
                self._queued -= len(request.order) - request.taken

    def _work(self) -> None:
        while True:
            with self._ready:
                if not self._wait_for_work():
                    self._worker = None
                    return
                started = time.monotonic()
                batch = self._take()
            if batch:
                self._run(batch, started)

    def _wait_for_work(self) -> bool:
        """Under the lock: wait for inputs, then for company; False when the worker ends."""
        while not self._queued:
            if self._closed:
                return False
            self._queue.clear()  # only dropped requests are left in it
            if not self._ready.wait(self._idle_exit_s) and not self._queued:
                return False
        if self.wait_s > 0:
            first = next(
                request.enqueued
                for request in self._queue
                if not request.dropped and request.taken < len(request.order)
            )
            deadline = first + self.wait_s
            while self._queued < self.max_inputs and not self._closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._ready.wait(remaining)
        return not self._closed or bool(self._queued)

    def _take(self) -> list[tuple[_Request, int]]:
        """Under the lock: the next pass, from the head of the queue, within the limits."""
        batch: list[tuple[_Request, int]] = []
        tokens = 0
        while self._queue and len(batch) < self.max_inputs:
            request = self._queue[0]
            if request.dropped or request.taken == len(request.order):
                self._queue.popleft()
                continue
            position = request.order[request.taken]
            size = len(request.rows[position])
            if batch and tokens + size > self.max_tokens:
                break
            batch.append((request, position))
            tokens += size
            request.taken += 1
            self._queued -= 1
        return batch

    def _run(self, batch: list[tuple[_Request, int]], started: float) -> None:
        if self._metrics is not None:
            self._metrics.batch_inputs.labels(self.model).observe(len(batch))
            wait = self._metrics.queue_wait_seconds.labels(self.model)
            for request, _ in batch:
                wait.observe(max(0.0, started - request.enqueued))
        requests = [request for request, _ in batch]
        rows = [request.rows[position] for request, position in batch]
        try:
            vectors = self.compute(rows, lambda k: not requests[k].dropped)
        except Exception as error:
            for request in {request for request, _ in batch}:
                self._drop(request)
                self._settle(request, error)
            return
        for k, (request, position) in enumerate(batch):
            if request.dropped:
                continue
            if request.out is None:
                request.out = np.empty((len(request.rows), vectors.shape[1]), dtype=np.float32)
            request.out[position] = vectors[k]
            request.left -= 1
            if request.left == 0:
                self._settle(request, request.out)

    @staticmethod
    def _settle(request: _Request, result: npt.NDArray[np.float32] | BaseException) -> None:
        """Hand the result to the request's own loop (unless nobody waits any more)."""

        def settle() -> None:
            if request.future.done():
                return
            if isinstance(result, BaseException):
                request.future.set_exception(result)
            else:
                request.future.set_result(result)

        with contextlib.suppress(RuntimeError):  # that loop has closed: nobody is left to tell
            request.loop.call_soon_threadsafe(settle)
