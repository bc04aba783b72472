"""`embed_many`'s machinery: one engine for both clients, batches sent concurrently, in order.

`Plan` is the engine, and it does no I/O. It reads prepared batches lazily, says which
to send next (at most `max_concurrency` in flight, at most `2 * max_concurrency` held
and not yet yielded, so memory stays bounded however long the input), takes each
batch's outcome, checks that its vectors are as wide as the first batch's (the one
width check), hands back the batches that may be yielded in input order, and words
what a stopped run did. Two drivers run it: `stream` below, on threads (`Orq`), and
`_async_bulk.stream`, on asyncio tasks (`AsyncOrq`). `embed_many` is a stream collected
into one matrix (`Collected`, `run`), for both clients alike.

Every batch is its own request with its own retries (the client's policy). After the
first batch that still fails, no new batch is started; those in flight finish, and
`EmbedManyError` reports each input range as embedded, failed or not sent, with every
vector already computed.

Ctrl-C (the sync client) is different: waiting for requests in flight could take
minutes, so the run's `CancelScope` ends them at once (their sockets are shut down,
their retries stop), no new batch starts, and `EmbedManyInterrupted` (a
`KeyboardInterrupt`) carries what was finished. The main thread waits in short slices,
so the interrupt is seen at once. The asyncio client has cancellation instead.
"""

from __future__ import annotations

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
    _StoppedRun,
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
DEFAULT_MAX_CONCURRENCY: Final = 4
"""Requests in flight at once."""
WAIT_SLICE: Final = 0.1
"""The main thread wakes this often (seconds) while batches are in flight."""

P = TypeVar("P")


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


@attrs.frozen(kw_only=True)
class Settings:
    """How one bulk run sends: where (for errors), how many inputs (if known), how
    many requests at once, and whether a progress bar shows."""

    url: str
    total: int | None
    max_concurrency: int
    progress: bool


class Source(Generic[P]):
    """Prepared batches handed out one by one; `rest()` is what was never taken."""

    def __init__(self, batches: Sequence[tuple[Batch, P]]) -> None:
        self._batches = iter(batches)

    def __iter__(self) -> Iterator[tuple[Batch, P]]:
        return self._batches

    def rest(self) -> list[Batch]:
        return [batch for batch, _ in self._batches]


class Plan(Generic[P]):
    """One bulk run's bookkeeping, for whichever driver sends the batches."""

    def __init__(self, batches: Iterator[tuple[Batch, P | Exception]], settings: Settings) -> None:
        self._batches = batches
        self._url = settings.url
        self._limit = settings.max_concurrency
        self._window = 2 * settings.max_concurrency
        self._bar = progress_bar(settings.total, settings.progress)
        self._order: deque[Batch] = deque()
        """Sent and not yet yielded, in input order."""
        self._results: dict[Batch, EmbeddingResponse] = {}
        self._in_flight: set[Batch] = set()
        self._exhausted = False
        self._width: int | None = None
        """That of the first batch back: every other batch must match it."""
        self._yielded = _Yielded()
        self.failures: list[BatchFailure] = []

    def to_send(self) -> list[tuple[Batch, P]]:
        """The batches to send now: as many as the limits allow, none after a failure."""
        sends = []
        while not (self.failures or self._exhausted) and len(self._order) < self._window:
            if len(self._in_flight) >= self._limit:
                break
            item = next(self._batches, None)
            if item is None:
                self._exhausted = True
                break
            batch, payload = item
            if isinstance(payload, Exception):  # it failed its checks: a failed batch
                self.failures.append(BatchFailure(batch.start, batch.stop, payload))
                break
            self._order.append(batch)
            self._in_flight.add(batch)
            sends.append((batch, payload))
        return sends

    def finish(self, batch: Batch, outcome: EmbeddingResponse | BaseException) -> None:
        """A batch is back: its answer, or the error it ended with."""
        self._in_flight.discard(batch)
        if isinstance(outcome, EmbeddingResponse):
            width = outcome.data[0].dimensions
            if self._width is None:
                self._width = width
            elif width != self._width:
                outcome = _too_wide(batch, outcome, self._width, self._url)
        if isinstance(outcome, BaseException):
            self.failures.append(BatchFailure(batch.start, batch.stop, outcome))
        else:
            self._results[batch] = outcome

    def ready(self) -> list[EmbeddedBatch]:
        """The batches that may be yielded now: done, with every batch before them yielded."""
        out = []
        while self._order and self._order[0] in self._results:
            batch = self._order.popleft()
            response = self._results.pop(batch)
            self._yielded.add(batch, response)
            if self._bar is not None:
                self._bar.update(batch.stop - batch.start)
            out.append(EmbeddedBatch(start=batch.start, stop=batch.stop, response=response))
        return out

    @property
    def over(self) -> bool:
        """Nothing in flight, and nothing more will be sent."""
        return not self._in_flight and bool(self.failures or self._exhausted)

    def abandoned(self) -> list[range]:
        """The batches in flight, given up on (Ctrl-C, or the caller stopped early)."""
        spans = sorted((batch.span for batch in self._in_flight), key=lambda span: span.start)
        self._in_flight.clear()
        return spans

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def stopped(self, cancelled: Sequence[range] = ()) -> dict[str, Any]:
        """The fields of `EmbedManyError` / `EmbedManyInterrupted` for a stream."""
        return self._yielded.outcome(self._order, self._results, self.failures, cancelled)

    def raise_failures(self) -> None:
        """`EmbedManyError` when a batch failed (its cause: the first failure)."""
        if self.failures:
            self.failures.sort(key=lambda failure: failure.start)
            raise EmbedManyError(**self.stopped()) from self.failures[0].error


class _Yielded:
    """What a stream has yielded so far, in bounded memory: a range and running sums."""

    def __init__(self) -> None:
        self.start: int | None = None
        self.stop = 0
        self.prompt_tokens = 0
        self.total_tokens = 0
        self.models: dict[str, None] = {}

    def add(self, batch: Batch, response: EmbeddingResponse) -> None:
        if self.start is None:
            self.start = batch.start
        self.stop = batch.stop
        self.prompt_tokens += response.usage.prompt_tokens
        self.total_tokens += response.usage.total_tokens
        self.models[response.model] = None

    def outcome(
        self,
        order: deque[Batch],
        results: dict[Batch, EmbeddingResponse],
        failures: list[BatchFailure],
        cancelled: Sequence[range],
    ) -> dict[str, Any]:
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
            "cancelled": list(cancelled),
            "not_attempted": [],
            "embeddings": None,
            "pending": pending,
            "usage": merge_usage(
                [
                    Usage(prompt_tokens=self.prompt_tokens, total_tokens=self.total_tokens),
                    *(response.usage for response in responses),
                ]
            ),
            "models": tuple({**self.models, **dict.fromkeys(r.model for r in responses)}),
        }


def _too_wide(
    batch: Batch, response: EmbeddingResponse, width: int, url: str
) -> APIResponseValidationError:
    """The error of a batch whose vectors are not as wide as the first batch's.

    One row per input and one width within the answer are checked when it is parsed
    (`EmbeddingResponse.from_api`); this is the check across batches, including those
    already yielded.
    """
    return APIResponseValidationError(
        f"vectors of {response.data[0].dimensions} dimensions for inputs"
        f" {batch.start}..{batch.stop - 1}, where earlier batches had {width}"
        f" (model {response.model!r}, request id {response.request_id})",
        method="POST",
        url=url,
        content=b"",
    )


class Collected:
    """`embed_many`'s result: each batch's rows copied into their place as it is yielded.

    An `(n, d)` float32 array with numpy (allocated when the first batch is back: d is
    known then), else a list of float lists. Nothing is assembled after the last batch,
    and no batch's vectors are held twice.
    """

    def __init__(self, total: int) -> None:
        self._numpy = _vectors.numpy_or_none()
        self._total = total
        self._rows: Matrix | list[list[float] | None] | None = None
        self._placed: list[Batch] = []
        self._usage: list[Usage] = []
        self._models: dict[str, None] = {}

    def place(self, item: EmbeddedBatch) -> None:
        response = item.response
        rows = self._rows
        if rows is None:
            numpy = self._numpy
            width = response.data[0].dimensions
            rows = self._rows = (
                [None] * self._total
                if numpy is None
                else numpy.empty((self._total, width), dtype=numpy.float32)
            )
        if isinstance(rows, list):
            rows[item.start : item.stop] = response.to_lists()
        else:
            rows[item.start : item.stop] = response.to_numpy()
        self._placed.append(Batch(item.start, item.stop))
        self._usage.append(response.usage)
        self._models[response.model] = None

    def result(self) -> BulkEmbeddings:
        return BulkEmbeddings(
            embeddings=self._rows,  # type: ignore[arg-type]  # every row was placed
            usage=merge_usage(self._usage),
            models=tuple(self._models),
        )

    def stopped(self, stop: _StoppedRun, not_sent: list[Batch]) -> _StoppedRun:
        """The stream's error as `embed_many` words it: every row that was computed kept
        in `embeddings` (NaN, or None, elsewhere), each input range said once."""
        for item in stop.pending:
            self.place(item)
        return type(stop)(
            failures=stop.failures,
            completed=[batch.span for batch in sorted(self._placed, key=lambda b: b.start)],
            cancelled=stop.cancelled,
            not_attempted=[batch.span for batch in not_sent],
            embeddings=self._partial(),
            usage=merge_usage(self._usage),
            models=tuple(self._models),
        )

    def _partial(self) -> Matrix | list[list[float] | None]:
        rows = self._rows
        numpy = self._numpy
        if numpy is None or isinstance(rows, list):
            return rows if isinstance(rows, list) else [None] * self._total
        if rows is None:
            empty: Matrix = numpy.full((self._total, 0), numpy.nan, numpy.float32)
            return empty
        missing = numpy.ones(self._total, dtype=bool)
        for batch in self._placed:
            missing[batch.start : batch.stop] = False
        rows[missing] = numpy.nan
        return rows


# The thread driver (Orq) ----------------------------------------------------------------


class _Workers(Generic[P]):
    """At most `max_concurrency` batches in flight on threads, all in one `CancelScope`."""

    def __init__(self, send: Callable[[P], EmbeddingResponse], max_concurrency: int) -> None:
        self._send = send
        self._executor = ThreadPoolExecutor(max_concurrency, thread_name_prefix="orq-embed")
        self._scope = CancelScope()
        self._abandoned = False
        self.in_flight: dict[Future[EmbeddingResponse], Batch] = {}

    def submit(self, sends: list[tuple[Batch, P]]) -> None:
        for batch, payload in sends:
            future = self._executor.submit(self._scope.run, self._send, payload)
            self.in_flight[future] = batch

    def finished(self) -> Iterator[tuple[Batch, EmbeddingResponse | BaseException]]:
        """Wait until at least one batch in flight has finished; each that has, with its
        outcome. The wait is in slices of `WAIT_SLICE`, so Ctrl-C is seen at once."""
        while True:
            done, _ = wait(self.in_flight, timeout=WAIT_SLICE, return_when=FIRST_COMPLETED)
            if done:
                break
        for future in done:
            yield self.in_flight.pop(future), future.exception() or future.result()

    def abandon(self) -> None:
        """End every request in flight now and stop the threads without waiting for them.

        The threads' requests fail at once (`Cancelled`); nothing new is sent.
        """
        self._abandoned = True
        self._scope.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.in_flight.clear()

    def close(self) -> None:
        """Stop the threads: at once if requests are still in flight (the caller gave
        up on them), else after they return to idle (a moment)."""
        if self.in_flight or self._abandoned:
            self.abandon()
        else:
            self._executor.shutdown(wait=True)


def stream(
    batches: Iterator[tuple[Batch, P | Exception]],
    send: Callable[[P], EmbeddingResponse],
    settings: Settings,
) -> Generator[EmbeddedBatch, None, None]:
    """Send each prepared batch through `send` on threads; yield the answers in input order.

    An item whose payload is an exception (a batch that failed its checks) counts as a
    failed batch.
    """
    plan = Plan(batches, settings)
    workers = _Workers(send, settings.max_concurrency)
    try:
        while True:
            workers.submit(plan.to_send())
            yield from plan.ready()
            if plan.over:
                break
            if workers.in_flight:  # else the window was full until now: room to read more
                for batch, outcome in workers.finished():
                    plan.finish(batch, outcome)
    except KeyboardInterrupt as interrupt:
        workers.abandon()
        raise EmbedManyInterrupted(**plan.stopped(plan.abandoned())) from interrupt
    finally:
        workers.close()  # abandons what is in flight if the caller stopped early
        plan.close()
    plan.raise_failures()


def run(
    batches: Sequence[tuple[Batch, P]],
    send: Callable[[P], EmbeddingResponse],
    settings: Settings,
) -> BulkEmbeddings:
    """`stream`, every batch's rows put into one result as it comes."""
    source = Source(batches)
    collected = Collected(batches[-1][0].stop)
    try:
        for item in stream(iter(source), send, settings):
            collected.place(item)
    except (EmbedManyError, EmbedManyInterrupted) as stop:
        raise collected.stopped(stop, source.rest()) from stop.__cause__
    return collected.result()
