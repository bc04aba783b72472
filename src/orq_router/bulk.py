"""Corpora as Arrow tables: embed a table's text column, write id-keyed Parquet, check it.

    from orq_router.bulk import ArrowEmbedder, ParquetSink

    embed = ArrowEmbedder(model="openai/text-embedding-3-small")  # text, id -> id, embedding
    sink = ParquetSink("vectors/")
    for batch in pyarrow.parquet.ParquetFile("docs.parquet").iter_batches(4096):
        sink.write(embed(batch))
    sink.verify(all_ids)  # every id exactly once?

Needs the `arrow` extra (pyarrow and numpy); it never imports Ray, so the same objects
run in Ray Data (`orq_router.ray`), Daft or Dask, or in a plain loop.

Why the pieces look as they do:

- A row is paid for once, so the unit of bookkeeping is the row's id, not its position:
  positions change when a job is re-planned (another partitioning, a filter), ids do not.
  `skip_ids` drops rows already done before anything is sent.
- `ArrowEmbedder` holds settings, never a connection pool: it is pickled to workers
  (Ray actors, Dask tasks), and a pickled pool would be a pool of dead sockets. The
  client is made on first use, one per worker process, and shared by every embedder with
  the same settings in that process.
- Output files are named from their block's ids (a hash of them), so writing the same
  block twice (a retried task) replaces its file instead of adding the rows again, and
  each file is written under a temporary name and then renamed, so a reader (or a rerun
  asking what is done) never sees half a file. A crash loses at most the blocks that were
  being embedded, never a written one.
- `verify` is the check that the whole scheme worked: every id exactly once.

Output files go to a directory on a filesystem every writer sees (a local disk for one
machine, a shared mount for a cluster): renaming must be atomic there, as it is on local
and NFS filesystems.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

try:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError as error:  # pragma: no cover - the extra is installed in every test run
    raise ImportError(
        f"orq_router.bulk needs pyarrow and numpy ({error.name} is missing):"
        " pip install 'orq-router[arrow]'"
    ) from error

from orq_router._errors import ValidationError
from orq_router.options import check_model_id

if TYPE_CHECKING:
    from orq_router._client import Orq

__all__ = [
    "MODEL_METADATA_KEY",
    "ArrowEmbedder",
    "ParquetSink",
    "Verification",
    "block_name",
    "done_ids",
    "verify",
    "write_block",
]

MODEL_METADATA_KEY: Final = b"orq-router:model"
"""Schema metadata of every table `ArrowEmbedder` returns: the model it asked for. It is
kept in the Parquet files, so a resumed job can refuse to mix two models' vectors."""
PART_PREFIX: Final = "part-"
PART_SUFFIX: Final = ".parquet"


def _client_keywords() -> frozenset[str]:
    from orq_router._client import Orq

    return frozenset(inspect.signature(Orq.__init__).parameters) - {"self"}


# One client per worker process and settings: made on first use, shared by every
# embedder (and every thread) of the process with those settings. Keyed by the pid too,
# so a forked child makes its own instead of sharing its parent's sockets.
_clients: dict[tuple[int, str], Orq] = {}
_clients_lock = threading.Lock()


def _settings_key(settings: Mapping[str, Any]) -> str:
    return json.dumps(settings, sort_keys=True, default=repr)


def _client_for(settings: Mapping[str, Any]) -> Orq:
    from orq_router._client import Orq

    key = (os.getpid(), _settings_key(settings))
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = Orq(**settings)
        return client


def _forget_client(settings: Mapping[str, Any]) -> None:
    with _clients_lock:
        client = _clients.pop((os.getpid(), _settings_key(settings)), None)
    if client is not None:
        client.close()


def _column(table: pa.Table, name: str, role: str) -> pa.ChunkedArray:
    if name not in table.column_names:
        columns = ", ".join(table.column_names) or "none"
        raise ValidationError(
            f"the table has no column {name!r} (columns: {columns})", path=(role,)
        )
    return table.column(name)


def _no_nulls(values: pa.ChunkedArray, name: str, role: str) -> None:
    if values.null_count:
        row = next(index for index, value in enumerate(values.is_null().to_pylist()) if value)
        raise ValidationError(f"column {name!r} is null at row {row}", path=(role,))


def _as_table(batch: pa.Table | pa.RecordBatch) -> pa.Table:
    if isinstance(batch, pa.Table):
        return batch
    if isinstance(batch, pa.RecordBatch):
        return pa.Table.from_batches([batch])
    raise TypeError(f"expected a pyarrow Table or RecordBatch, got {type(batch).__name__}")


# Arrays are made from their buffers, not with `pa.array`: `pa.array` checks its input for
# pandas types and so imports pandas on its first call (~0.3 s of CPU, ~300 modules), in
# every fresh process that embeds: each Ray actor of `embed_dataset`, each CLI run.


def vectors_array(matrix: Any) -> pa.FixedSizeListArray:
    """An `(n, d)` float32 matrix as Arrow's `fixed_size_list<float32>[d]`, no copy."""
    rows = np.ascontiguousarray(matrix, dtype=np.float32)
    width = rows.shape[1] if rows.ndim == 2 else 0
    values = pa.FloatArray.from_buffers(pa.float32(), rows.size, [None, pa.py_buffer(rows)])
    return pa.FixedSizeListArray.from_arrays(values, width)


def _mask(keep: list[bool]) -> pa.BooleanArray:
    """`keep` as an Arrow boolean array (bit-packed, as Arrow stores them)."""
    bits = np.packbits(np.asarray(keep, dtype=np.bool_), bitorder="little")
    return pa.BooleanArray.from_buffers(pa.bool_(), len(keep), [None, pa.py_buffer(bits)])


class ArrowEmbedder:
    """Embed a table's text column: `pyarrow.Table | RecordBatch -> pyarrow.Table`.

    The result has two columns, `id_column` (as it came) and `output_column`, a
    `fixed_size_list<float32>[d]`, one row per input row in input order, without the
    rows whose id is in `skip_ids` (already embedded, typically `done_ids(output)`). Its
    schema metadata records the model (`MODEL_METADATA_KEY`).

    Inputs are sent with `embed_many`: `batch_size` inputs a request, at most
    `max_concurrency` requests at a time, each retried on its own by the client (the
    `max_retries` and `http_timeout` settings). A batch that still fails raises
    `EmbedManyError`, which carries every vector already computed.

    `client_settings` are `Orq`'s keywords (`api_key`, `base_url`, `max_retries`,
    `http_timeout`, `default_headers`, `defaults`, ...); without `api_key` each worker
    reads `$ORQ_API_KEY` (so a key set in the workers' environment never travels with
    the pickled embedder). The client is made on first call, one per process.

    The object is a plain callable class, so it serves as a Ray Data `map_batches`
    class (`orq_router.ray.embed_dataset` does that), a Daft UDF body, or a Dask
    partition function (over `pyarrow.Table.from_pandas(partition)`).
    """

    def __init__(
        self,
        *,
        model: str,
        text_column: str = "text",
        id_column: str = "id",
        output_column: str = "embedding",
        skip_ids: Iterable[Any] | None = None,
        batch_size: int = 128,
        max_concurrency: int = 4,
        **client_settings: Any,
    ) -> None:
        self.model = check_model_id(model, "model")
        for role, name in (
            ("text_column", text_column),
            ("id_column", id_column),
            ("output_column", output_column),
        ):
            if not isinstance(name, str) or not name:
                raise ValidationError(f"must be a column name, got {name!r}", path=(role,))
        if output_column == id_column:
            raise ValidationError(
                f"must differ from id_column ({id_column!r})", path=("output_column",)
            )
        for role, value in (("batch_size", batch_size), ("max_concurrency", max_concurrency)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValidationError(
                    f"must be a whole number of at least 1, got {value!r}", path=(role,)
                )
        unknown = sorted(set(client_settings) - _client_keywords())
        if unknown:
            raise TypeError(
                f"ArrowEmbedder got unknown keyword(s) {', '.join(unknown)}: besides its own,"
                f" it takes Orq's settings ({', '.join(sorted(_client_keywords()))})"
            )
        self.text_column = text_column
        self.id_column = id_column
        self.output_column = output_column
        self.skip_ids: frozenset[Any] = frozenset(skip_ids or ())
        self.batch_size = batch_size
        self.max_concurrency = max_concurrency
        self.client_settings: dict[str, Any] = dict(client_settings)
        self._width: int | None = None
        defaults = self.client_settings.get("defaults") or {}
        if isinstance(defaults, Mapping) and isinstance(defaults.get("dimensions"), int):
            self._width = defaults["dimensions"]

    def __repr__(self) -> str:
        return (
            f"ArrowEmbedder(model={self.model!r}, text_column={self.text_column!r},"
            f" id_column={self.id_column!r}, output_column={self.output_column!r},"
            f" skip_ids=<{len(self.skip_ids)} ids>)"
        )

    @property
    def client(self) -> Orq:
        """This process's client for these settings (made on first use)."""
        return _client_for(self.client_settings)

    def close(self) -> None:
        """Close this process's client for these settings (a later call makes a new one)."""
        _forget_client(self.client_settings)

    def __call__(self, batch: pa.Table | pa.RecordBatch) -> pa.Table:
        return self.embed(batch)

    def embed(
        self, batch: pa.Table | pa.RecordBatch, *, skip_ids: frozenset[Any] | set[Any] = frozenset()
    ) -> pa.Table:
        """The embedded table; `skip_ids` are dropped along with the embedder's own."""
        table = self.select(batch, skip_ids=skip_ids)
        if table.num_rows == 0:
            return self.empty(table.schema.field(self.id_column).type)
        texts = table.column(self.text_column).to_pylist()
        result = self.client.router.embeddings.embed_many(
            texts,
            model=self.model,
            batch_size=self.batch_size,
            max_concurrency=self.max_concurrency,
        )
        return self.output(table.column(self.id_column), result.to_numpy())

    def select(
        self, batch: pa.Table | pa.RecordBatch, *, skip_ids: frozenset[Any] | set[Any] = frozenset()
    ) -> pa.Table:
        """The id and text columns of the rows to embed: checked, skipped ids dropped."""
        table = _as_table(batch)
        ids = _column(table, self.id_column, "id_column")
        texts = _column(table, self.text_column, "text_column")
        _no_nulls(ids, self.id_column, "id_column")
        _no_nulls(texts, self.text_column, "text_column")
        table = pa.table({self.id_column: ids, self.text_column: texts})
        if self.skip_ids or skip_ids:
            keep = [
                value not in self.skip_ids and value not in skip_ids for value in ids.to_pylist()
            ]
            if not all(keep):
                table = table.filter(_mask(keep))
        return table

    def output(self, ids: pa.ChunkedArray | pa.Array, matrix: Any) -> pa.Table:
        """The result table for `ids` and their `(n, d)` vectors."""
        vectors = vectors_array(matrix)
        self._width = vectors.type.list_size
        if isinstance(ids, pa.ChunkedArray):
            ids = ids.combine_chunks()
        return pa.Table.from_arrays([ids, vectors], schema=self.schema(ids.type, self._width))

    def schema(self, id_type: pa.DataType, width: int | None) -> pa.Schema:
        """The result's schema. Before the width is known (an empty first batch, no
        `dimensions` default) the vectors are a variable-size `list<float32>`."""
        vector = pa.list_(pa.float32(), width) if width is not None else pa.list_(pa.float32())
        return pa.schema(
            [
                pa.field(self.id_column, id_type, nullable=False),
                pa.field(self.output_column, vector),
            ],
            metadata={MODEL_METADATA_KEY: self.model.encode()},
        )

    def empty(self, id_type: pa.DataType) -> pa.Table:
        return self.schema(id_type, self._width).empty_table()


def _canonical(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return {type(value).__name__: str(value)}


def block_name(ids: pa.ChunkedArray | pa.Array | Iterable[Any]) -> str:
    """The file name of a block with these ids: `part-<sha256 of the ids>.parquet`.

    The same ids, in the same order, give the same name on any machine, so a block
    written twice replaces its file."""
    values = ids.to_pylist() if isinstance(ids, (pa.Array, pa.ChunkedArray)) else list(ids)
    text = json.dumps([_canonical(value) for value in values], separators=(",", ":"))
    return f"{PART_PREFIX}{hashlib.sha256(text.encode()).hexdigest()[:40]}{PART_SUFFIX}"


def write_block(
    table: pa.Table, directory: str | os.PathLike[str], *, id_column: str = "id"
) -> Path | None:
    """Write `table` as one Parquet file of `directory`, named from its ids; its path.

    Written to a hidden temporary name, then renamed: the file appears whole or not at
    all. An empty table writes nothing (None). Ids must be non-null and distinct.
    """
    if table.num_rows == 0:
        return None
    ids = _column(table, id_column, "id_column")
    _no_nulls(ids, id_column, "id_column")
    values = ids.to_pylist()
    if len(set(values)) != len(values):
        repeated = next(value for value, count in Counter(values).items() if count > 1)
        raise ValidationError(
            f"id {repeated!r} appears more than once in the block", path=("id_column",)
        )
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / block_name(values)
    temporary = folder / f".{final.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp"
    try:
        # No dictionary encoding: a real model's vectors (and the ids, distinct by rule)
        # have next to no repeated values, so Parquet's default dictionary pass costs
        # about ten times the rest of the write (68 ms against 5 ms for 1024 x 256
        # dense floats) and makes the file half again larger before it falls back to
        # plain encoding. (The test model's sparse hashed vectors would compress better
        # with it; they are not what the sink is for.)
        pq.write_table(table, temporary, use_dictionary=False)
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return final


def part_files(directory: str | os.PathLike[str]) -> list[Path]:
    """The finished part files of `directory`, sorted (no temporary ones); [] if absent."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    return sorted(folder / entry.name for entry in os.scandir(folder) if _is_part(entry.name))


def _is_part(name: str) -> bool:
    """Whether `name` is a finished part file's (a temporary one starts with a dot)."""
    return name.startswith(PART_PREFIX) and name.endswith(PART_SUFFIX)


def _ids_of(path: Path, id_column: str) -> pa.ChunkedArray:
    table = pq.read_table(path, columns=[id_column])
    return table.column(id_column)


def done_ids(directory: str | os.PathLike[str], *, id_column: str = "id") -> set[Any]:
    """The ids `directory` holds vectors for (empty if it does not exist)."""
    done: set[Any] = set()
    for path in part_files(directory):
        done.update(_ids_of(path, id_column).to_pylist())
    return done


def model_of(directory: str | os.PathLike[str]) -> str | None:
    """The model recorded in the first part file of `directory` (None: no file, or none
    recorded)."""
    files = part_files(directory)
    if not files:
        return None
    metadata = pq.read_schema(files[0]).metadata or {}
    value = metadata.get(MODEL_METADATA_KEY)
    return value.decode() if value is not None else None


class DoneIds:
    """The ids of a directory's part files, read incrementally: `refresh()` reads only
    the files that appeared since the last call, so asking before every block costs a
    directory listing, not a re-read of everything.

    The listing is of names only: a name seen before costs a set lookup, and nothing is
    sorted (a set of ids has no order). Listing with `part_files` (sorted paths) took
    14 ms with 1,000 files and 109 ms with 10,000, before every block, so a job's
    listings grew with the square of its blocks: about 9 CPU minutes for 10 million
    rows in blocks of 1,024. Names alone take 1 ms and 10 ms (about 50 s for those 10
    million rows: still growing with the square, a tenth as steep).
    """

    def __init__(self, directory: str | os.PathLike[str], *, id_column: str = "id") -> None:
        self.directory = Path(directory)
        self.id_column = id_column
        self.ids: set[Any] = set()
        self._seen: set[str] = set()

    def refresh(self) -> set[Any]:
        try:
            entries = os.scandir(self.directory)
        except (FileNotFoundError, NotADirectoryError):
            return self.ids
        with entries:
            seen = self._seen
            new = [e.name for e in entries if e.name not in seen and _is_part(e.name)]
        for name in new:
            try:
                self.ids.update(_ids_of(self.directory / name, self.id_column).to_pylist())
            except FileNotFoundError:  # replaced between listing and reading
                continue
            seen.add(name)
        return self.ids

    def record(self, path: Path, ids: Iterable[Any]) -> None:
        """Note a part file this process has just written, with its ids: the next
        `refresh` need not read it back."""
        self.ids.update(ids)
        self._seen.add(path.name)


@attrs.frozen
class Verification:
    """What `verify` found: rows read, and every id that is not there exactly once."""

    files: int
    rows: int
    duplicates: dict[Any, int]
    """id -> how many rows it has, for ids with more than one."""
    missing: list[Any]
    """Expected ids with no row, in the order they were expected."""
    unexpected: list[Any]
    """Ids with rows that were not expected."""
    bad_vectors: int
    """Rows whose vector is null or of another width than the first file's."""

    @property
    def ok(self) -> bool:
        """Every expected id exactly once, nothing else, every vector whole."""
        return not (self.duplicates or self.missing or self.unexpected or self.bad_vectors)

    def __str__(self) -> str:
        if self.ok:
            return f"ok: {self.rows} ids, each exactly once, in {self.files} files"
        problems = []
        if self.duplicates:
            sample = ", ".join(
                f"{key!r} x{count}" for key, count in list(self.duplicates.items())[:5]
            )
            problems.append(f"{len(self.duplicates)} ids more than once ({sample})")
        if self.missing:
            sample = ", ".join(map(repr, self.missing[:5]))
            problems.append(f"{len(self.missing)} ids missing ({sample})")
        if self.unexpected:
            sample = ", ".join(map(repr, self.unexpected[:5]))
            problems.append(f"{len(self.unexpected)} ids not expected ({sample})")
        if self.bad_vectors:
            problems.append(f"{self.bad_vectors} rows with a null or misshapen vector")
        return "; ".join(problems)


def verify(
    directory: str | os.PathLike[str],
    ids: Iterable[Any],
    *,
    id_column: str = "id",
    output_column: str = "embedding",
) -> Verification:
    """Check that `directory` holds exactly one row for each of `ids`, and no other."""
    counts: Counter[Any] = Counter()
    files = part_files(directory)
    width: int | None = None
    bad = 0
    for path in files:
        table = pq.read_table(path, columns=[id_column, output_column])
        counts.update(table.column(id_column).to_pylist())
        vectors = table.column(output_column)
        bad += vectors.null_count
        for chunk in vectors.chunks:
            if isinstance(chunk, pa.FixedSizeListArray):
                sizes = [chunk.type.list_size] * (len(chunk) - chunk.null_count)
            else:
                lengths = chunk.value_lengths().to_pylist()
                sizes = [size for size in lengths if size is not None]
            for size in sizes:
                if width is None:
                    width = size
                if size != width or size == 0:
                    bad += 1
    expected = list(dict.fromkeys(ids))
    wanted = set(expected)
    return Verification(
        files=len(files),
        rows=sum(counts.values()),
        duplicates={key: count for key, count in counts.items() if count > 1},
        missing=[key for key in expected if key not in counts],
        unexpected=[key for key in counts if key not in wanted],
        bad_vectors=bad,
    )


def _absolute(path: str | os.PathLike[str]) -> Path:
    return Path(path).absolute()


@attrs.frozen
class ParquetSink:
    """A directory of id-keyed Parquet files: `write` blocks, ask what is `done`, `verify`.

    The directory is made absolute when the sink is made, so a sink shipped to a worker
    with another working directory (Ray does that) writes to the same place.
    """

    directory: Path = attrs.field(converter=_absolute)
    id_column: str = "id"
    output_column: str = "embedding"

    def write(self, table: pa.Table) -> Path | None:
        """`write_block(table, directory)`: the file written, or None for an empty table."""
        return write_block(table, self.directory, id_column=self.id_column)

    __call__ = write

    def done_ids(self) -> set[Any]:
        return done_ids(self.directory, id_column=self.id_column)

    def verify(self, ids: Iterable[Any]) -> Verification:
        return verify(
            self.directory, ids, id_column=self.id_column, output_column=self.output_column
        )

    def files(self) -> list[Path]:
        return part_files(self.directory)

    def read(self) -> pa.Table:
        """Every row written, as one table (rows grouped by file, not in input order)."""
        files = self.files()
        if not files:
            raise FileNotFoundError(f"{self.directory}: no part files")
        return pa.concat_tables([pq.read_table(path) for path in files], promote_options="default")


def iter_parquet(
    path: str | os.PathLike[str], *, columns: list[str], rows: int
) -> Iterator[pa.RecordBatch]:
    """The `columns` of a Parquet file (or a directory of them), `rows` at a time."""
    source = Path(path)
    files = sorted(source.rglob("*.parquet")) if source.is_dir() else [source]
    for file in files:
        yield from pq.ParquetFile(file).iter_batches(batch_size=rows, columns=columns)
