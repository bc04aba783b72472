"""`orq-router embed ... -o DIR`: vectors into a directory of Parquet files, keyed by id.

Each file holds `--rows-per-file` rows: the id column and `embedding`
(`fixed_size_list<float32>[d]`), written whole under a temporary name and renamed, named
from its ids (`orq_router.bulk.write_block`). So the directory is, at every instant, a
set of finished rows, and what it holds is what is done: `--resume` asks it
(`done_ids`) and sends only the other inputs. No progress file is needed.

Rows are keyed by id (the `--id-column`, else the input's position), not ordered: read
the directory as one table and sort or join by id. Files record the model they were
made with (and, when ids are positions, a fingerprint of the input), and a resume with
another model or other inputs is refused.

Ctrl-C or a batch that fails for good: every batch that finished is written before the
command stops, whatever its position. A kill (SIGKILL, power) loses at most the rows not
yet in a file: the batches in flight and fewer than `--rows-per-file` finished ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from orq_router.cli._inputs import InputFile, Scan
from orq_router.cli._outputs import Complete, OutputError

if TYPE_CHECKING:
    from orq_router import Orq
    from orq_router.responses import EmbeddedBatch

__all__ = ["DatasetRun", "DatasetStopped", "check_output", "run"]

INPUTS_METADATA_KEY: Final = b"orq-router:inputs"
"""Schema metadata of files whose ids are positions: the input's fingerprint."""


class DatasetStopped(Exception):
    """A run stopped by a failed batch or Ctrl-C, after writing what had finished."""

    def __init__(self, stop: BaseException, job: DatasetRun) -> None:
        super().__init__(str(stop))
        self.stop = stop
        self.job = job


def check_output(
    output: str, *, model: str, resume: bool, fingerprint: str | None, id_column: str
) -> set[Any]:
    """The ids OUTPUT holds already, after checking it may be written as asked.

    Refuses a directory that holds vectors unless `resume`, and one made by another model
    (or, `fingerprint` given, from other inputs).
    """
    from orq_router.bulk import MODEL_METADATA_KEY, done_ids, part_files

    path = Path(output)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{output} is a file: a Parquet output is a directory")
    files = part_files(path)
    if not files:
        return set()
    if not resume:
        raise OutputError(
            f"{output} holds vectors already: pass --resume to embed only the ids it lacks"
            " (or choose another -o)"
        )
    import pyarrow.parquet as pq

    metadata = pq.read_schema(files[0]).metadata or {}
    recorded = metadata.get(MODEL_METADATA_KEY, b"").decode() or None
    if recorded is not None and recorded != model:
        raise OutputError(
            f"--resume: {output} was made with model={recorded!r}, this run has model={model!r}"
        )
    inputs = metadata.get(INPUTS_METADATA_KEY, b"").decode() or None
    if fingerprint is not None and inputs is not None and inputs != fingerprint:
        raise OutputError(
            f"--resume: {output} was made from other inputs (its ids are input positions,"
            " so the inputs must be the same file)"
        )
    return done_ids(path, id_column=id_column)


class DatasetRun:
    """One run into a Parquet directory: what to send, and the files to write."""

    def __init__(
        self,
        inputs: InputFile,
        scan: Scan,
        output: str,
        *,
        model: str,
        done: set[Any],
        rows_per_file: int,
    ) -> None:
        from orq_router.bulk import MODEL_METADATA_KEY

        self.inputs = inputs
        self.output = Path(output)
        self.model = model
        self.done = done
        self.rows_per_file = rows_per_file
        self.id_column = inputs.id_name or "id"
        self.metadata = {MODEL_METADATA_KEY: model.encode()}
        if inputs.id_name is None:
            self.metadata[INPUTS_METADATA_KEY] = scan.sha256.encode()
        self.skipped = 0
        self.written = 0
        self._ids: dict[int, Any] = {}
        """Position in the stream of inputs sent -> its id, until its batch is written."""
        self._buffer: list[EmbeddedBatch] = []
        self._buffered = 0

    def texts(self) -> Iterator[str | list[int]]:
        """The inputs whose ids are not done, in input order (their ids remembered)."""
        position = 0
        for identity, value in self.inputs.rows():
            if identity in self.done:
                self.skipped += 1
                continue
            self._ids[position] = identity
            position += 1
            yield value

    def add(self, batch: EmbeddedBatch) -> None:
        """A finished batch: kept until a file's worth is there, then written."""
        self._buffer.append(batch)
        self._buffered += len(batch)
        if self._buffered >= self.rows_per_file:
            self.flush()

    def flush(self) -> None:
        """Write what is buffered as one file (nothing if nothing is)."""
        if not self._buffer:
            return
        import numpy as np
        import pyarrow as pa

        from orq_router.bulk import vectors_array, write_block

        ids = [self._ids.pop(position) for batch in self._buffer for position in batch.span]
        matrix = np.concatenate([batch.response.to_numpy() for batch in self._buffer])
        vectors = vectors_array(matrix)
        id_array = pa.array(ids)
        schema = pa.schema(
            [
                pa.field(self.id_column, id_array.type, nullable=False),
                pa.field("embedding", vectors.type),
            ],
            metadata=self.metadata,
        )
        table = pa.Table.from_arrays([id_array, vectors], schema=schema)
        write_block(table, self.output, id_column=self.id_column)
        self.written += len(ids)
        self._buffer.clear()
        self._buffered = 0


def run(
    client: Orq,
    inputs: InputFile,
    scan: Scan,
    output: str,
    *,
    model: str,
    resume: bool,
    batch_size: int,
    rows_per_file: int,
    interrupts: Any,
) -> DatasetRun:
    """Embed the inputs OUTPUT lacks; the run, with `written` and `skipped` counts.

    Raises `DatasetStopped` (after writing every finished batch) when a batch fails for
    good or Ctrl-C stops the run.
    """
    from orq_router import EmbedManyError, EmbedManyInterrupted

    fingerprint = scan.sha256 if inputs.id_name is None else None
    done = check_output(
        output,
        model=model,
        resume=resume,
        fingerprint=fingerprint,
        id_column=inputs.id_name or "id",
    )
    if done:
        ids = range(scan.rows) if scan.ids is None else scan.ids
        if all(identity in done for identity in ids):
            raise Complete(f"{output} holds every input already: nothing to do")
    job = DatasetRun(inputs, scan, output, model=model, done=done, rows_per_file=rows_per_file)
    stream = client.router.embeddings.embed_many_iter(
        job.texts(), model=model, batch_size=batch_size
    )
    try:
        try:
            for batch in stream:
                with interrupts.held():
                    job.add(batch)
        except KeyboardInterrupt as interrupt:
            if isinstance(interrupt, EmbedManyInterrupted):
                raise
            stream.throw(interrupt)  # Ctrl-C between two batches: the stream keeps its own
    except (EmbedManyError, EmbedManyInterrupted) as stop:
        with interrupts.held():
            for batch in stop.pending:
                job.add(batch)
            job.flush()
        raise DatasetStopped(stop, job) from stop
    with interrupts.held():
        job.flush()
    return job
