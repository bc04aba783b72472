"""`embed_dataset`: a Ray Data dataset embedded into id-keyed Parquet, every row once.

    import ray, ray.data
    from orq_router.ray import embed_dataset

    ray.init()
    ds = ray.data.read_parquet("s3://.../docs/")  # columns id, text (and others)
    done = embed_dataset(ds, model="openai/text-embedding-3-small", output="/shared/vectors")
    done.embedded, done.skipped

Needs the `ray` extra (`ray[data]`, pinned: the retry and block options below are Ray's
own names and move between releases).

How it keeps "every row exactly once" when things die:

- The dataset is cut into blocks of `block_size` rows, and `ArrowEmbedder` runs on an
  actor pool (`ActorPoolStrategy`, `num_cpus` a fraction: the work is waiting on the
  router, not computing). Each block is embedded, then written as one Parquet file named
  from its ids, atomically (`orq_router.bulk.write_block`), before the actor takes the
  next: a crash loses at most the block each actor was working on.
- Before each block the actor looks at what the output already holds (`DoneIds`, which
  reads only new files) and drops those ids: a retried block, a rerun after the driver
  died, or an overlapping second job embed only what is missing.
- Retries live in the SDK: each request is retried with backoff by the client (a router
  restarting for a few seconds costs no re-embedded row). Ray retries a block only when
  its actor died (`max_task_retries`, bounded), never on an application error (Ray's
  `actor_task_retry_on_errors` stays off; with the default unbounded retries a dead model
  would be retried forever). A model that keeps failing ends the job with
  `EmbedDatasetError`, after the SDK's retries, in bounded time; what was written stays.
- Rows of a block whose requests partly succeeded are written before the error is
  raised: they were paid for.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import attrs
import pyarrow as pa
import ray
import ray.data
import ray.exceptions

from orq_router._errors import EmbedManyError, OrqError, ValidationError
from orq_router._ray_read import inline_local_footers
from orq_router.bulk import ArrowEmbedder, DoneIds, write_block

__all__ = ["DatasetEmbedded", "EmbedDatasetError", "embed_dataset"]

DEFAULT_BLOCK_SIZE: Final = 8192
"""Rows per block, and per output file: what an actor's crash can cost at most.

Each block costs Ray Data a task and this module a Parquet file, about 30-55 ms of CPU
together whatever its size: one million rows on 2 cores took 62-81 s in blocks of 1,024
and 41-49 s in blocks of 8,192 (`orq-router embed` alone: 47-73 s in the same runs).
8,192 rows of 3,072-wide vectors are about 100 MB, under Ray Data's 128 MiB block target.
`orq-router embed --engine ray` uses it too (`--rows-per-file`).
"""
DEFAULT_TASK_RETRIES: Final = 3
"""Times Ray re-runs a block whose actor died (never for an error the block raised)."""
SUMMARY: Final = pa.schema(
    [
        pa.field("embedded", pa.int64()),
        pa.field("skipped", pa.int64()),
        pa.field("file", pa.string()),
    ]
)


class EmbedDatasetError(OrqError):
    """`embed_dataset` stopped: a block failed for good, or its actors kept dying.

    What was written stays in the output; running `embed_dataset` again embeds only the
    ids that are missing.
    """


class BlockFailed(Exception):
    """A block's failure as it crosses from an actor to the driver: one picklable line."""


@attrs.frozen
class DatasetEmbedded:
    """What one `embed_dataset` run did."""

    output: Path
    embedded: int
    """Rows embedded (and paid for) by this run."""
    skipped: int
    """Rows whose ids the output held already."""
    files: int
    """Part files this run wrote."""


def _summary(embedded: int, skipped: int, file: str | None) -> pa.Table:
    return pa.Table.from_pylist(
        [{"embedded": embedded, "skipped": skipped, "file": file}], schema=SUMMARY
    )


class BlockWriter:
    """The actor of `embed_dataset`: embed a block's missing ids, write them, report.

    Made once per actor with a small `ArrowEmbedder` (its settings) and the output's
    path, never a list of ids: large constructor arguments make Ray's actor restarts
    fragile, so the actor reads what is done from the output itself.
    """

    def __init__(self, embedder: ArrowEmbedder, output: str) -> None:
        self.embedder = embedder
        self.output = output
        self.done = DoneIds(output, id_column=embedder.id_column)

    def __call__(self, batch: pa.Table) -> pa.Table:
        embedder = self.embedder
        table = embedder.select(batch, skip_ids=self.done.refresh())
        skipped = batch.num_rows - table.num_rows
        if table.num_rows == 0:
            return _summary(0, skipped, None)
        ids = table.column(embedder.id_column).combine_chunks()
        texts = table.column(embedder.text_column).to_pylist()
        try:
            result = embedder.client.router.embeddings.embed_many(
                texts,
                model=embedder.model,
                batch_size=embedder.batch_size,
                max_concurrency=embedder.max_concurrency,
            )
        except EmbedManyError as error:
            kept = self._keep_completed(ids, error)
            first = error.failures[0]
            where = f"{ids[first.start].as_py()!r}..{ids[first.stop - 1].as_py()!r}"
            message = " ".join(str(first.error).split())
            raise BlockFailed(
                f"ids {where} failed: {message} ({kept} rows of the block were kept)"
            ) from None
        except OrqError as error:
            raise BlockFailed(" ".join(str(error).split())) from None
        path = write_block(
            embedder.output(ids, result.to_numpy()), self.output, id_column=embedder.id_column
        )
        if path is not None:
            self.done.record(path, ids.to_pylist())
        return _summary(len(ids), skipped, path.name if path else None)

    def _keep_completed(self, ids: pa.Array, error: EmbedManyError) -> int:
        """Write the rows of the block's requests that did succeed; how many."""
        if error.embeddings is None or not error.completed:
            return 0
        positions = [index for span in error.completed for index in span]
        matrix = error.embeddings
        rows = [matrix[i] for i in positions] if isinstance(matrix, list) else matrix[positions]
        kept = self.embedder.output(ids.take(pa.array(positions)), rows)
        write_block(kept, self.output, id_column=self.embedder.id_column)
        return len(positions)


def _cause(error: BaseException) -> BaseException:
    """The error a Ray exception stands for: a block's `BlockFailed`, else the innermost."""
    seen: set[int] = set()
    current: BaseException | None = error
    last = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, BlockFailed):
            return current
        last = current
        inner = getattr(current, "cause", None)
        if isinstance(inner, BaseException):
            current = inner
            continue
        current = current.__cause__ or current.__context__
    return last


def _compute(concurrency: int | tuple[int, int]) -> ray.data.ActorPoolStrategy:
    if isinstance(concurrency, tuple):
        low, high = concurrency
        return ray.data.ActorPoolStrategy(min_size=low, max_size=high)
    return ray.data.ActorPoolStrategy(size=concurrency)


def _whole(value: object, name: str, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError(
            f"must be a whole number of at least {minimum}, got {value!r}", path=(name,)
        )


def embed_dataset(
    ds: ray.data.Dataset,
    *,
    model: str,
    output: str | Path,
    text_column: str = "text",
    id_column: str = "id",
    batch_size: int = 128,
    block_size: int = DEFAULT_BLOCK_SIZE,
    concurrency: int | tuple[int, int] = 2,
    num_cpus: float = 0.25,
    max_concurrency: int = 4,
    task_retries: int = DEFAULT_TASK_RETRIES,
    progress: bool = False,
    **client_settings: Any,
) -> DatasetEmbedded:
    """Embed `ds[text_column]` into Parquet files under `output`, keyed by `id_column`.

    - `batch_size`: inputs a request; `max_concurrency`: requests in flight per actor.
    - `block_size`: rows per block (and per file): the most one actor's crash can waste.
    - `concurrency`: actors (an int, or `(min, max)` to autoscale); `num_cpus`: the CPU
      each reserves (a fraction: it mostly waits on the network).
    - `task_retries`: times a block is re-run after its actor died (bounded).
    - `client_settings`: `Orq`'s keywords (`base_url`, `api_key`, `max_retries`, ...);
      without `api_key` the workers read `$ORQ_API_KEY`.

    Ids must be unique across the dataset. Rows whose ids `output` already holds are
    skipped, so after a crash the same call embeds only what is missing. Raises
    `EmbedDatasetError` when a block fails for good (after the client's retries) or its
    actors die more than `task_retries` times.
    """
    _whole(block_size, "block_size", 1)
    _whole(task_retries, "task_retries", 0)
    if isinstance(concurrency, tuple):
        for bound in concurrency:
            _whole(bound, "concurrency", 1)
    else:
        _whole(concurrency, "concurrency", 1)
    if isinstance(num_cpus, bool) or not isinstance(num_cpus, (int, float)) or num_cpus < 0:
        raise ValidationError(
            f"must be a number of CPUs >= 0, got {num_cpus!r}", path=("num_cpus",)
        )
    embedder = ArrowEmbedder(
        model=model,
        text_column=text_column,
        id_column=id_column,
        batch_size=batch_size,
        max_concurrency=max_concurrency,
        **client_settings,
    )
    # Ray runs tasks in another working directory: the path must be absolute.
    target = Path(output).absolute()
    target.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # Ray 2.60 deprecates passing max_task_retries this way, and offers no other.
        warnings.simplefilter("ignore", DeprecationWarning)
        blocks = (
            inline_local_footers(ds)
            .select_columns([id_column, text_column])
            .repartition(target_num_rows_per_block=block_size)
        )
        mapped = blocks.map_batches(
            BlockWriter,
            fn_constructor_kwargs={"embedder": embedder, "output": str(target)},
            batch_size=block_size,
            batch_format="pyarrow",
            compute=_compute(concurrency),
            num_cpus=num_cpus,
            max_task_retries=task_retries,
        )
    # The dataset keeps the DataContext it was made with: settings go on its own.
    context = mapped.context
    context.actor_task_retry_on_errors = False
    context.max_errored_blocks = 0
    context.enable_progress_bars = progress
    embedded = skipped = files = 0
    try:
        for summary in _summaries(mapped):
            embedded += sum(summary.column("embedded").to_pylist())
            skipped += sum(summary.column("skipped").to_pylist())
            files += summary.column("file").drop_null().length()
    except Exception as error:
        cause = _cause(error)
        marker = f"{BlockFailed.__module__}.{BlockFailed.__name__}: "
        told = [line for line in str(error).splitlines() if line.startswith(marker)]
        if isinstance(cause, BlockFailed):
            reason = str(cause)
        elif told:  # Ray keeps the actor's error as text only, in its traceback
            reason = told[-1][len(marker) :]
        else:
            reason = f"{type(cause).__name__}: " + " ".join(str(cause).split())[:300]
        raise EmbedDatasetError(
            f"embed_dataset stopped: {reason}. What was written stays in {target}: run"
            " embed_dataset again to embed only the missing ids"
        ) from error
    return DatasetEmbedded(output=target, embedded=embedded, skipped=skipped, files=files)


def _summaries(mapped: ray.data.Dataset) -> Iterator[pa.Table]:
    """The actors' summaries, streamed as blocks finish."""
    yield from mapped.iter_batches(batch_format="pyarrow", batch_size=None)
