"""`embed_many`'s machinery: batches sent concurrently on the shared pool, in order.

Every batch is its own request with its own retries (the client's urllib3 policy).
Batches are handed to at most `max_workers` threads as earlier ones finish. After the
first batch that still fails, no new batch is started; those in flight finish, and
`EmbedManyError` reports each input range as embedded, failed or not sent, with every
vector already computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Final

import attrs

from orq_router import _vectors
from orq_router._errors import APIResponseValidationError, BatchFailure, EmbedManyError
from orq_router._vectors import Matrix
from orq_router.responses import BulkEmbeddings, EmbeddingResponse, merge_usage

DEFAULT_BATCH_SIZE: Final = 128
"""Inputs per request: below every provider's limit (OpenAI takes 2048, Cohere 96... so
lower it for Cohere), large enough that per-request overhead is small."""
DEFAULT_MAX_WORKERS: Final = 4
"""Requests in flight at once."""


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


def _progress_bar(total: int, enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        raise ImportError("progress=True needs tqdm: pip install 'orq-router[progress]'") from None
    return tqdm(total=total, unit="input", desc="embedding")


def run(
    batches: Sequence[Batch],
    send: Callable[[Batch], EmbeddingResponse],
    *,
    url: str,
    total: int,
    max_workers: int,
    progress: bool,
) -> BulkEmbeddings:
    """Send every batch through `send`, at most `max_workers` at a time."""
    results: dict[Batch, EmbeddingResponse] = {}
    failures: list[BatchFailure] = []
    waiting = iter(batches)
    bar = _progress_bar(total, progress)
    try:
        with ThreadPoolExecutor(max_workers, thread_name_prefix="orq-embed") as executor:
            in_flight: dict[Future[EmbeddingResponse], Batch] = {}

            def submit_next() -> None:
                batch = next(waiting, None)
                if batch is not None:
                    in_flight[executor.submit(send, batch)] = batch

            # Batches are handed out as others finish, never queued all at once: after a
            # failure nothing new starts, and max_workers=1 is strictly sequential.
            for _ in range(max_workers):
                submit_next()
            while in_flight:
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    batch = in_flight.pop(future)
                    try:
                        results[batch] = _checked(batch, future.result(), results, url)
                    except Exception as error:
                        failures.append(BatchFailure(batch.start, batch.stop, error))
                        continue
                    if bar is not None:
                        bar.update(batch.stop - batch.start)
                    if not failures:
                        submit_next()
    finally:
        if bar is not None:
            bar.close()
    not_sent = list(waiting)
    ordered = [batch for batch in batches if batch in results]
    embeddings = _assemble(total, ordered, results)
    usage = merge_usage([results[batch].usage for batch in ordered])
    models = tuple(dict.fromkeys(results[batch].model for batch in ordered))
    if failures:
        failures.sort(key=lambda failure: failure.start)
        raise EmbedManyError(
            failures=failures,
            completed=[batch.span for batch in ordered],
            not_attempted=[batch.span for batch in not_sent],
            embeddings=embeddings,
            usage=usage,
            models=models,
        ) from failures[0].error
    return BulkEmbeddings(embeddings=embeddings, usage=usage, models=models)  # type: ignore[arg-type]


def _checked(
    batch: Batch, response: EmbeddingResponse, done: dict[Batch, EmbeddingResponse], url: str
) -> EmbeddingResponse:
    """The response, if it has one vector per input and the width of the others."""
    expected = batch.stop - batch.start
    widths = {item.dimensions for item in response.data}
    if done:
        widths.add(next(iter(done.values())).data[0].dimensions)
    problem = None
    if len(response.data) != expected:
        problem = f"{len(response.data)} vectors came back for {expected} inputs"
    elif len(widths) > 1:
        problem = f"vectors of {sorted(widths)} dimensions do not make one matrix"
    if problem is None:
        return response
    raise APIResponseValidationError(
        f"{problem} (model {response.model!r}, request id {response.request_id})",
        method="POST",
        url=url,
        content=b"",
    )


def _assemble(
    total: int, ordered: Sequence[Batch], results: dict[Batch, EmbeddingResponse]
) -> Matrix | list[list[float] | None]:
    """All rows in input order; rows of batches without a result are NaN or None."""
    numpy = _vectors.numpy_or_none()
    if numpy is None:
        rows: list[list[float] | None] = [None] * total
        for batch in ordered:
            rows[batch.start : batch.stop] = results[batch].to_lists()
        return rows
    width = results[ordered[0]].data[0].dimensions if ordered else 0
    matrix: Matrix = numpy.full((total, width), numpy.nan, dtype=numpy.float32)
    for batch in ordered:
        matrix[batch.start : batch.stop] = results[batch].to_numpy()
    return matrix
