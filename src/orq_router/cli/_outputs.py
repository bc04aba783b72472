"""Where `orq-router embed` writes: `.npy` or `.jsonl`, in input order, resumable.

Rows are appended in input order. Beside the output a progress file,
`OUTPUT.progress.json`, records what the output holds (`rows_done`, and how many
bytes that is), what it is for (the model, the input's row count and fingerprint),
and the batches that finished ahead of a missing one (`pending`: they are paid for,
so they are kept until their turn comes). It is rewritten (atomically) after every
batch and removed when the output is complete, so:

- an interrupted run (Ctrl-C, a failed batch) leaves an output that holds every row
  before the first missing one, and a progress file;
- `--resume` cuts the output back to what the progress file vouches for, writes the
  pending batches when their turn comes, and embeds only what is missing.

A `.npy` file's header always states the rows written so far: the header has a fixed
size (128 bytes, as numpy itself pads it so that the row count can grow), so it is
rewritten in place, and an interrupted output is a valid array of the rows so far. The
file appears with its header already in it (written under a temporary name, then linked
into place), so even a process killed before its first batch leaves a valid array of 0
rows, never an empty file; `--resume` rewrites the header when it cuts the data back.
JSONL lines are `{"index": i, "embedding": [...]}`.

Any other OUTPUT names a directory of Parquet files keyed by id (see `_dataset`).
"""

from __future__ import annotations

import base64
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Final, Literal

import attrs

from orq_router import _vectors
from orq_router.responses import EmbeddedBatch

__all__ = ["PROGRESS_SUFFIX", "Complete", "OutputError", "Writer"]

PROGRESS_SUFFIX: Final = ".progress.json"
NPY_HEADER_SIZE: Final = 128
Format = Literal["npy", "jsonl"]
OutputKind = Literal["npy", "jsonl", "parquet"]


class OutputError(Exception):
    """The output cannot be written or resumed as asked."""


class Complete(OutputError):
    """`--resume` of an output that has no progress file: it was finished."""


@attrs.define
class Progress:
    """The progress file's content."""

    job: dict[str, Any]
    """What the output is for: model, format, input rows and fingerprint."""
    width: int | None = None
    rows_done: int = 0
    bytes_done: int = 0
    pending: dict[int, tuple[int, bytes]] = attrs.field(factory=dict)
    """start -> (stop, the chunk to write there), for batches that finished early."""

    def to_json(self) -> str:
        pending = [
            {"start": start, "stop": stop, "chunk": base64.b64encode(chunk).decode()}
            for start, (stop, chunk) in sorted(self.pending.items())
        ]
        fields = {"width": self.width, "rows_done": self.rows_done, "bytes_done": self.bytes_done}
        return json.dumps({"job": self.job, **fields, "pending": pending}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Progress:
        data = json.loads(text)
        pending = {
            item["start"]: (item["stop"], base64.b64decode(item["chunk"]))
            for item in data["pending"]
        }
        return cls(data["job"], data["width"], data["rows_done"], data["bytes_done"], pending)


def output_kind(path: str) -> OutputKind:
    """What OUTPUT names: a `.npy` or `.jsonl` file, or a directory of Parquet files (a
    name ending in `/` or `.parquet`, an existing directory, or a name without suffix)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".npy":
        return "npy"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if path.endswith(("/", os.sep)) or suffix == ".parquet" or not suffix or Path(path).is_dir():
        return "parquet"
    raise OutputError(
        f"{path}: the output must end in .npy or .jsonl, or name a directory for Parquet"
        " files (out/ or out.parquet)"
    )


def output_format(path: str) -> Format:
    kind = output_kind(path)
    if kind == "parquet":
        raise OutputError(f"{path}: a Parquet directory is written by id, not by position")
    return kind


class Writer:
    """Writes batches to the output in input order, and the progress file beside it."""

    def __init__(
        self, file: IO[bytes], fmt: Format, progress: Progress, progress_path: Path | None
    ) -> None:
        self._file = file
        self._format = fmt
        self.progress = progress
        self._progress_path = progress_path
        self.rows: int = progress.job["rows"]

    @classmethod
    def open(cls, output: str | None, job: Mapping[str, Any], *, resume: bool) -> Writer:
        """The writer for `output` (None: JSONL on standard output, not resumable).

        Refuses to overwrite an output, or to resume one made for another job.
        """
        if output is None:
            if resume:
                raise OutputError("--resume needs an output file (-o)")
            return cls(sys.stdout.buffer, "jsonl", Progress(dict(job)), None)
        fmt = output_format(output)
        path = Path(output)
        progress_path = path.with_name(path.name + PROGRESS_SUFFIX)
        job = {**job, "format": fmt}
        if progress_path.exists():
            if not resume:
                raise OutputError(
                    f"an interrupted run left {output}: pass --resume to continue it"
                    f" (or delete it and {progress_path.name} to start again)"
                )
            progress = Progress.from_json(progress_path.read_text())
            _same_job(progress.job, job, output)
            if not path.exists() or path.stat().st_size < progress.bytes_done:
                raise OutputError(f"{output} is shorter than {progress_path.name} says")
            file = path.open("r+b")
            file.truncate(progress.bytes_done)  # anything after is not vouched for
            file.seek(progress.bytes_done)
            writer = cls(file, fmt, progress, progress_path)
            if fmt == "npy" and progress.bytes_done >= NPY_HEADER_SIZE:
                # The header may count rows written after the progress file was saved
                # (a kill between the two): it must count what is left after the cut.
                writer._header(progress.rows_done)
                file.flush()
            return writer
        if path.exists():
            if resume and path.stat().st_size > 0:
                raise Complete(
                    f"{output} is complete already (no {progress_path.name}): nothing to do"
                )
            if not resume:
                raise OutputError(f"{output} exists: remove it, or choose another -o")
            path.unlink()  # an empty file: nothing to keep
        writer = cls(_create(path, fmt), fmt, Progress(job), progress_path)
        if fmt == "npy":
            writer.progress.bytes_done = NPY_HEADER_SIZE
        writer._save()
        return writer

    def missing(self) -> list[range]:
        """The input ranges still to embed: after `rows_done`, minus the pending ones."""
        ranges = []
        position = self.progress.rows_done
        for start, (stop, _) in sorted(self.progress.pending.items()):
            if start > position:
                ranges.append(range(position, start))
            position = max(position, stop)
        if position < self.rows:
            ranges.append(range(position, self.rows))
        return ranges

    def add(self, start: int, batch: EmbeddedBatch) -> None:
        """A finished batch whose first row is input `start`: written, or kept for later."""
        chunk = self._chunk(start, batch)
        stop = start + len(batch)
        if self._progress_path is None or start != self.progress.rows_done:
            if self._progress_path is None:  # stdout: every line carries its index
                self._write(chunk, stop)
            else:
                self.progress.pending[start] = (stop, chunk)
        else:
            self._write(chunk, stop)
            self._drain()
        self._save()

    def close(self) -> bool:
        """Save the progress; True (and no progress file left) if the output is complete."""
        complete = self.progress.rows_done >= self.rows and not self.progress.pending
        if complete and self._format == "npy" and self.progress.width is None:
            self._header(0)  # no input at all: an empty (0, 0) array
        self._save()
        if self._progress_path is not None:
            self._file.close()
            if complete:
                self._progress_path.unlink(missing_ok=True)
        return complete

    def discard_if_empty(self) -> bool:
        """Remove the output and its progress file if they hold nothing; True if so.

        A run that embedded nothing (the router was down, say) leaves nothing behind,
        so the same command can simply be run again.
        """
        progress = self.progress
        if self._progress_path is None or progress.rows_done or progress.pending:
            return False
        self._file.close()
        Path(self._file.name).unlink(missing_ok=True)
        self._progress_path.unlink(missing_ok=True)
        return True

    def _chunk(self, start: int, batch: EmbeddedBatch) -> bytes:
        """The bytes the batch adds to the output."""
        data = batch.response.data
        if self._format == "jsonl":
            return "".join(
                json.dumps({"index": start + offset, "embedding": item.embedding}) + "\n"
                for offset, item in enumerate(data)
            ).encode()
        width = data[0].dimensions
        if self.progress.width is None:
            self.progress.width = width
        elif width != self.progress.width:
            raise OutputError(
                f"inputs {start}..{start + len(data) - 1} came back with {width} dimensions,"
                f" the output has {self.progress.width}"
            )
        return b"".join(
            row if isinstance(row := item.wire_row(), bytes) else _vectors.pack(row)
            for item in data
        )

    def _write(self, chunk: bytes, stop: int) -> None:
        if self._format == "npy" and self.progress.bytes_done == 0:
            self._header(0)
        self._file.write(chunk)
        self.progress.rows_done = stop
        self.progress.bytes_done += len(chunk)
        if self._format == "npy":
            self._header(stop)

    def _drain(self) -> None:
        """Write the pending batches whose turn has come."""
        pending = self.progress.pending
        while self.progress.rows_done in pending:
            stop, chunk = pending.pop(self.progress.rows_done)
            self._write(chunk, stop)

    def _header(self, rows: int) -> None:
        """The `.npy` header for `rows` rows, in place at the start of the file."""
        header = npy_header(rows, self.progress.width or 0)
        end = self._file.tell()
        self._file.seek(0)
        self._file.write(header)
        self._file.seek(max(end, NPY_HEADER_SIZE))
        if self.progress.bytes_done == 0:
            self.progress.bytes_done = NPY_HEADER_SIZE

    def _save(self) -> None:
        """Flush the output, then record what it holds (atomically: write, then rename)."""
        self._file.flush()
        if self._progress_path is None:
            return
        temporary = self._progress_path.with_name(self._progress_path.name + ".tmp")
        temporary.write_text(self.progress.to_json())
        os.replace(temporary, self._progress_path)


def npy_header(rows: int, width: int) -> bytes:
    """A `.npy` header for a `(rows, width)` float32 array, always `NPY_HEADER_SIZE` long."""
    text = f"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {width}), }}"
    length = NPY_HEADER_SIZE - 10
    header = b"\x93NUMPY\x01\x00" + length.to_bytes(2, "little")
    header += text.ljust(length - 1).encode("latin-1") + b"\n"
    assert len(header) == NPY_HEADER_SIZE
    return header


def _create(path: Path, fmt: Format) -> IO[bytes]:
    """A new output file, open for writing, never seen empty when it is a `.npy`.

    The header of an empty array is written under a temporary name and hard-linked to
    the real one (which fails if that appeared meanwhile), so at every instant the
    output is absent or a valid array.
    """
    if fmt != "npy":
        return path.open("xb")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(npy_header(0, 0))
    try:
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise OutputError(f"{path} exists: remove it, or choose another -o") from None
        except OSError:  # a filesystem without hard links: rename (not exclusive)
            if path.exists():
                raise OutputError(f"{path} exists: remove it, or choose another -o") from None
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    file = path.open("r+b")
    file.seek(NPY_HEADER_SIZE)
    return file


def _same_job(recorded: Mapping[str, Any], wanted: Mapping[str, Any], output: str) -> None:
    """Refuse to resume an output made by another model, from other inputs, ..."""
    for key in sorted(set(recorded) | set(wanted)):
        if recorded.get(key) != wanted.get(key):
            raise OutputError(
                f"--resume: {output} was made with {key}={recorded.get(key)!r},"
                f" this run has {key}={wanted.get(key)!r}"
            )
