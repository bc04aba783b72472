"""`embed_many`'s machinery: batches sent concurrently on the shared pool, in order.

Every batch is its own request with its own retries (the client's urllib3 policy).
Batches are handed to at most `max_workers` threads as earlier ones finish. After the
first batch that still fails, no new batch is started; those in flight finish, and
`EmbedManyError` reports each input range as embedded, failed or not sent, with every
vector already computed.

Ctrl-C is different: waiting for requests in flight could take minutes, so the run's
`CancelScope` ends them at once (their sockets are shut down, their retries stop), no
new batch starts, and `EmbedManyInterrupted` (a `KeyboardInterrupt`) carries what was
finished. The main thread waits in short slices, so the interrupt is seen at once.

In `run` each worker thread takes its next batch itself as soon as it is done with one
(`_Lanes`), so no batch waits for the main thread to wake up and hand it out.

Two forms share this: `run` (a sequence, one matrix at the end) and `stream` (any
iterable, batches yielded in input order as they finish, with at most `2 *
max_workers` batches held at a time, so memory stays bounded however long the input).

`run` allocates its `(n, d)` result once, when the first batch is back, and each worker
thread copies its own batch's rows into their place as soon as its answer is read and
checked: when the last batch returns, the matrix is complete. Nothing is assembled
after the last batch, and no batch's vectors are held twice.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Final, Generic, TypeVar

import attrs

from orq_router import _vectors
from orq_router._cancel import CancelScope
from orq_router._errors import (
    APIResponseValidationError,
    BatchFailure,
    EmbedManyError,
    EmbedManyInterrupted,
)
from orq_router._vectors import Matrix
from orq_router.responses import (
    BulkEmbeddings,
    EmbeddedBatch,
    EmbeddingResponse,
    Usage,
    merge_usage,
)

DEFAULT_BATCH_SIZE: Final = 128
"""Inputs per request: below every provider's limit (OpenAI takes 2048, Cohere 96... so
lower it for Cohere), large enough that per-request overhead is small."""
DEFAULT_MAX_WORKERS: Final = 4
"""Requests in flight at once."""
WAIT_SLICE: Final = 0.1
"""The main thread wakes this often (seconds) while batches are in flight."""

P = TypeVar("P")
R = TypeVar("R")


@attrs.frozen
class Batch:
    """Inputs `start` to `stop - 1`."""

    start: int
    stop: int

    @property
    def span(self) -> range:
        return range(self.start, self.stop)


def split(total: int, batch_size: int) -> list[Batch]:
    return [Batch(start, min(start + batch_size, total)) for start in range(0, total, batch_size)]


def progress_bar(total: int | None, enabled: bool) -> Any:
    """A tqdm bar counting inputs, or None."""
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        raise ImportError("progress=True needs tqdm: pip install 'orq-router[progress]'") from None
    return tqdm(total=total, unit="input", desc="embedding")


class _Workers(Generic[P, R]):
    """At most `max_workers` batches in flight on threads, all in one `CancelScope`."""

    def __init__(self, send: Callable[[P], R], max_workers: int) -> None:
        self._send = send
        self._executor = ThreadPoolExecutor(max_workers, thread_name_prefix="orq-embed")
        self._scope = CancelScope()
        self._abandoned = False
        self.in_flight: dict[Future[R], Batch] = {}

    def submit(self, batch: Batch, payload: P) -> None:
        future = self._executor.submit(self._scope.run, self._send, payload)
        self.in_flight[future] = batch

    def finished(self) -> list[tuple[Batch, Future[R]]]:
        """Wait until at least one batch in flight has finished; those that have."""
        while True:
            done, _ = wait(self.in_flight, timeout=WAIT_SLICE, return_when=FIRST_COMPLETED)
            if done:
                return [(self.in_flight.pop(future), future) for future in done]

    def abandon(self) -> list[Batch]:
        """End every request in flight now and stop the threads without waiting for them.

        The threads' requests fail at once (`Cancelled`); nothing new is sent.
        """
        self._abandoned = True
        self._scope.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
        abandoned = sorted(self.in_flight.values(), key=lambda batch: batch.start)
        self.in_flight.clear()
        return abandoned

    def close(self) -> None:
        """Stop the threads: at once if requests are still in flight (the caller gave
        up on them), else after they return to idle (a moment)."""
        if self.in_flight or self._abandoned:
            self.abandon()
        else:
            self._executor.shutdown(wait=True)


class _Lanes(Generic[R]):
    """`max_workers` threads, each sending batch after batch, all in one `CancelScope`.

    A thread takes the next batch itself when it is done with one. After a batch fails,
    no thread takes another (those in flight finish); with one worker the batches go
    strictly one after the other.
    """

    def __init__(self, batches: Iterator[Batch], work: Callable[[Batch], R], workers: int) -> None:
        self._batches = batches
        self._work = work
        self._lock = threading.Lock()
        self._stopped = False
        self._scope = CancelScope()
        self._outcomes: queue.SimpleQueue[tuple[Batch, R | Exception] | None] = queue.SimpleQueue()
        self._lanes = workers
        self._in_flight: set[Batch] = set()
        """Taken by a thread and not yet reported to the main thread."""
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="orq-embed")
        for _ in range(workers):
            self._executor.submit(self._lane)

    def _take(self) -> Batch | None:
        with self._lock:
            batch = None if self._stopped else next(self._batches, None)
            if batch is not None:
                self._in_flight.add(batch)
            return batch

    def _lane(self) -> None:
        try:
            while (batch := self._take()) is not None:
                outcome: R | Exception
                try:
                    outcome = self._scope.run(self._work, batch)
                except Exception as error:
                    with self._lock:
                        self._stopped = True  # after a failure, no new batch starts
                    outcome = error
                self._outcomes.put((batch, outcome))
        finally:
            self._outcomes.put(None)  # this lane is over

    def outcomes(self) -> Iterator[tuple[Batch, R | Exception]]:
        """Each batch's result or error as it comes, until every lane is over. The
        main thread waits in slices of `WAIT_SLICE`, so Ctrl-C is seen at once."""
        while self._lanes:
            try:
                item = self._outcomes.get(timeout=WAIT_SLICE)
            except queue.Empty:
                continue
            if item is None:
                self._lanes -= 1
                continue
            with self._lock:
                self._in_flight.discard(item[0])
            yield item

    def not_taken(self) -> list[Batch]:
        """The batches no thread took (after a failure or an interrupt)."""
        with self._lock:
            self._stopped = True
            return list(self._batches)

    def abandon(self) -> list[Batch]:
        """End every request in flight now and stop the threads without waiting for them.

        The threads' requests fail at once (`Cancelled`); nothing new is sent. Returns
        the batches that were in flight.
        """
        with self._lock:
            self._stopped = True
            abandoned = sorted(self._in_flight, key=lambda batch: batch.start)
            self._in_flight.clear()
        self._scope.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
        return abandoned

    def close(self) -> None:
        """Stop the threads: at once if requests may still be in flight (the caller
        gave up on them), else after they return to idle (a moment)."""
        if self._lanes:
            self.abandon()
        else:
            self._executor.shutdown(wait=True)


@attrs.frozen
class _Placed:
    """A batch whose rows are in the result: what is left to keep of its answer."""

    usage: Usage
    model: str


class _Rows:
    """`run`'s result, `total` rows filled in place by the worker threads.

    An `(n, d)` float32 array with numpy (allocated, not filled, when the first batch
    is back: d is known then), else a list of float lists. A batch's rows are written
    once, by the thread that read its answer, and never read before its batch is
    recorded as done.
    """

    def __init__(self, total: int, url: str) -> None:
        self._numpy = _vectors.numpy_or_none()
        self._total = total
        self._url = url
        self._lock = threading.Lock()
        self.width: int | None = None
        self.rows: Matrix | list[list[float] | None] | None = None

    def place(self, batch: Batch, response: EmbeddingResponse) -> _Placed:
        """Copy the batch's rows into their place, if they are as wide as the others'.

        One row per input and one width within the answer were checked when it was
        parsed (`EmbeddingResponse.from_api`); this adds the check across batches.
        """
        width = response.data[0].dimensions
        with self._lock:
            if self.rows is None:
                self.width = width
                numpy = self._numpy
                self.rows = (
                    [None] * self._total
                    if numpy is None
                    else numpy.empty((self._total, width), dtype=numpy.float32)
                )
        if width != self.width:
            raise APIResponseValidationError(
                f"vectors of {width} dimensions for inputs {batch.start}..{batch.stop - 1},"
                f" where earlier batches had {self.width}"
                f" (model {response.model!r}, request id {response.request_id})",
                method="POST",
                url=self._url,
                content=b"",
            )
        rows = self.rows
        if isinstance(rows, list):
            rows[batch.start : batch.stop] = response.to_lists()
        else:
            assert rows is not None
            rows[batch.start : batch.stop] = response.to_numpy()
        return _Placed(usage=response.usage, model=response.model)

    def partial(self, done: Sequence[Batch]) -> Matrix | list[list[float] | None]:
        """A copy holding the rows of the `done` batches, NaN (or None) elsewhere.

        A copy, because a thread whose batch was abandoned in flight may still be
        writing its rows into the result.
        """
        numpy = self._numpy
        if numpy is None:
            rows: list[list[float] | None] = [None] * self._total
            for batch in done:
                rows[batch.start : batch.stop] = self.rows[batch.start : batch.stop]  # type: ignore[index]
            return rows
        matrix: Matrix = numpy.full((self._total, self.width or 0), numpy.nan, numpy.float32)
        for batch in done:
            matrix[batch.start : batch.stop] = self.rows[batch.start : batch.stop]  # type: ignore[index]
        return matrix


def run(
    batches: Sequence[Batch],
    send: Callable[[Batch], EmbeddingResponse],
    *,
    url: str,
    total: int,
    max_workers: int,
    progress: bool,
) -> BulkEmbeddings:
    """Send every batch through `send`, at most `max_workers` at a time; each worker
    puts its batch's rows into the one result."""
    results: dict[Batch, _Placed] = {}
    failures: list[BatchFailure] = []
    bar = progress_bar(total, progress)
    rows = _Rows(total, url)
    lanes = _Lanes(iter(batches), lambda batch: rows.place(batch, send(batch)), max_workers)
    try:
        for batch, outcome in lanes.outcomes():
            if isinstance(outcome, Exception):
                failures.append(BatchFailure(batch.start, batch.stop, outcome))
                continue
            results[batch] = outcome
            if bar is not None:
                bar.update(batch.stop - batch.start)
    except KeyboardInterrupt as interrupt:
        abandoned = lanes.abandon()
        raise EmbedManyInterrupted(
            cancelled=[batch.span for batch in abandoned],
            **_outcome(batches, results, failures, lanes.not_taken(), rows),
        ) from interrupt
    finally:
        lanes.close()
        if bar is not None:
            bar.close()
    if failures:
        failures.sort(key=lambda failure: failure.start)
        raise EmbedManyError(
            **_outcome(batches, results, failures, lanes.not_taken(), rows)
        ) from failures[0].error
    ordered = [results[batch] for batch in batches]
    assert rows.rows is not None  # every batch was placed
    return BulkEmbeddings(
        embeddings=rows.rows,  # type: ignore[arg-type]
        usage=merge_usage([placed.usage for placed in ordered]),
        models=tuple(dict.fromkeys(placed.model for placed in ordered)),
    )


def _outcome(
    batches: Sequence[Batch],
    results: dict[Batch, _Placed],
    failures: list[BatchFailure],
    not_sent: list[Batch],
    rows: _Rows,
) -> dict[str, Any]:
    """The fields of `EmbedManyError` / `EmbedManyInterrupted` for `run`."""
    ordered = [batch for batch in batches if batch in results]
    return {
        "failures": sorted(failures, key=lambda failure: failure.start),
        "completed": [batch.span for batch in ordered],
        "not_attempted": [batch.span for batch in not_sent],
        "embeddings": rows.partial(ordered),
        "usage": merge_usage([results[batch].usage for batch in ordered]),
        "models": tuple(dict.fromkeys(results[batch].model for batch in ordered)),
    }


def stream(
    batches: Iterator[tuple[Batch, P | Exception]],
    send: Callable[[P], EmbeddingResponse],
    *,
    url: str,
    max_workers: int,
    progress: bool,
    total: int | None,
) -> Generator[EmbeddedBatch, None, None]:
    """Send each prepared batch through `send`; yield the answers in input order.

    `batches` is read lazily, only as far as the window allows: at most `2 *
    max_workers` batches submitted and not yet yielded. An item whose payload is an
    exception (a batch that failed its checks) counts as a failed batch.
    """
    window = 2 * max_workers
    workers: _Workers[P, EmbeddingResponse] = _Workers(send, max_workers)
    order: deque[Batch] = deque()  # submitted, not yet yielded, in input order
    results: dict[Batch, EmbeddingResponse] = {}
    failures: list[BatchFailure] = []
    yielded = _Yielded()
    bar = progress_bar(total, progress)
    exhausted = False
    width: int | None = None  # of the first batch back: every other must match it
    try:
        while True:
            while not (failures or exhausted) and len(order) < window:
                if len(workers.in_flight) >= max_workers:
                    break
                item = next(batches, None)
                if item is None:
                    exhausted = True
                    break
                batch, payload = item
                if isinstance(payload, Exception):
                    failures.append(BatchFailure(batch.start, batch.stop, payload))
                    break
                order.append(batch)
                workers.submit(batch, payload)
            while order and order[0] in results:
                batch = order.popleft()
                response = results.pop(batch)
                yielded.add(batch, response)
                if bar is not None:
                    bar.update(batch.stop - batch.start)
                yield EmbeddedBatch(start=batch.start, stop=batch.stop, response=response)
            if not workers.in_flight:
                if failures or exhausted:
                    break
                continue  # the window was full until now: room to read more
            for batch, future in workers.finished():
                try:
                    response = _checked(batch, future.result(), width, url)
                except Exception as error:
                    failures.append(BatchFailure(batch.start, batch.stop, error))
                    continue
                results[batch] = response
                if width is None:
                    width = response.data[0].dimensions
    except KeyboardInterrupt as interrupt:
        abandoned = workers.abandon()
        raise EmbedManyInterrupted(
            cancelled=[batch.span for batch in abandoned],
            **yielded.outcome(order, results, failures),
        ) from interrupt
    finally:
        workers.close()  # abandons what is in flight if the caller stopped early
        if bar is not None:
            bar.close()
    if failures:
        failures.sort(key=lambda failure: failure.start)
        raise EmbedManyError(**yielded.outcome(order, results, failures)) from failures[0].error


class _Yielded:
    """What `stream` has yielded so far, in bounded memory: a range and running sums."""

    def __init__(self) -> None:
        self.start: int | None = None
        self.stop = 0
        self.usage = merge_usage([])
        self.models: dict[str, None] = {}

    def add(self, batch: Batch, response: EmbeddingResponse) -> None:
        if self.start is None:
            self.start = batch.start
        self.stop = batch.stop
        self.usage = merge_usage([self.usage, response.usage])
        self.models[response.model] = None

    def outcome(
        self,
        order: deque[Batch],
        results: dict[Batch, EmbeddingResponse],
        failures: list[BatchFailure],
    ) -> dict[str, Any]:
        """The fields of `EmbedManyError` / `EmbedManyInterrupted` for `stream`."""
        pending = [
            EmbeddedBatch(start=batch.start, stop=batch.stop, response=results[batch])
            for batch in order
            if batch in results
        ]
        completed = [range(self.start, self.stop)] if self.start is not None else []
        responses = [item.response for item in pending]
        return {
            "failures": sorted(failures, key=lambda failure: failure.start),
            "completed": completed + [item.span for item in pending],
            "not_attempted": [],
            "embeddings": None,
            "pending": pending,
            "usage": merge_usage([self.usage, *(response.usage for response in responses)]),
            "models": tuple({**self.models, **dict.fromkeys(r.model for r in responses)}),
        }


def _checked(
    batch: Batch, response: EmbeddingResponse, width: int | None, url: str
) -> EmbeddingResponse:
    """The response, if its vectors are `width` wide (that of the first batch back).

    One row per input and one width within the answer are checked when it is parsed
    (`EmbeddingResponse.from_api`); this adds the check across batches, including
    those already yielded.
    """
    if width is None or response.data[0].dimensions == width:
        return response
    raise APIResponseValidationError(
        f"vectors of {response.data[0].dimensions} dimensions for inputs"
        f" {batch.start}..{batch.stop - 1}, where earlier batches had {width}"
        f" (model {response.model!r}, request id {response.request_id})",
        method="POST",
        url=url,
        content=b"",
    )
