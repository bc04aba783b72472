"""The inputs of `orq-router embed`: text, JSONL, CSV or Parquet, read one input at a time.

A file is read twice: once to check every input and count them (so that nothing is
sent for a file that is bad further down, and the `.npy` header can say how many rows
there will be), and once to embed. Both passes stream, so memory does not grow with
the file. Standard input is copied to a temporary file first, for the same reasons.

Input `i` is the `i`-th line of a text file, the `i`-th record of a JSONL file (blank
lines skipped), the `i`-th row of a CSV file (after its header) or of a Parquet file (or
of a directory of them, files in name order); row `i` of the output is its vector.

Text is read as `utf-8-sig`: a byte-order mark (which Windows tools put at the start of
UTF-8 files) is not part of the first input, the first JSON record or the first column
name. With an id column (`--id-column`) each input also has an id: the JSONL field, CSV
column or Parquet column of that name; without one, its position is its id.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Literal

import attrs

__all__ = ["BadInput", "InputFile", "Scan"]

Kind = Literal["text", "jsonl", "csv", "parquet"]
PARQUET_SUFFIXES = (".parquet", ".pq")
PARQUET_ROWS = 4096
"""Rows read from a Parquet file at a time."""


def _as_json(value: str | list[int]) -> str:
    """`json.dumps(value, ensure_ascii=False)`, the same text, without building an encoder
    for every input: the scan of a large file calls it once a line."""
    if isinstance(value, str):
        return encode_basestring(value)  # what json.dumps does for a str
    return json.dumps(value, ensure_ascii=False)


class BadInput(Exception):
    """The input file cannot be embedded as it is: where, and why."""


@attrs.frozen
class Scan:
    """What the first pass found: how many inputs, and a fingerprint of them all."""

    rows: int
    sha256: str
    ids: frozenset[object] | None = None
    """Every input's id, when the file has an id column (else ids are positions)."""


def is_parquet(source: str) -> bool:
    """A Parquet input: a `.parquet` (or `.pq`) file, or a directory of them."""
    path = Path(source)
    return path.suffix.lower() in PARQUET_SUFFIXES or path.is_dir()


@attrs.frozen
class InputFile:
    """An input file and how to read it: `kind`, and the JSONL field or CSV column."""

    path: Path
    kind: Kind
    name: str | None = None
    """The JSONL field, CSV column or Parquet column that holds the input."""
    id_name: str | None = None
    """The field or column that holds each input's id (None: its position)."""
    label: str = ""
    """How the file is named in messages (`-` is "stdin")."""
    temporary: bool = False
    """A copy of standard input, removed by `close()`."""

    @classmethod
    def open(
        cls, source: str, *, field: str | None, column: str | None, id_name: str | None = None
    ) -> InputFile:
        """The file named `source` (`-`: standard input, copied to a temporary file)."""
        if source != "-" and is_parquet(source):
            if field:
                raise BadInput(f"{source}: a Parquet input takes --column, not --field")
            path = Path(source)
            if not path.exists():
                raise BadInput(f"{source}: no such file")
            return cls(path, "parquet", column or "text", id_name, source)
        kind: Kind = "jsonl" if field else "csv" if column else "text"
        if id_name is not None and kind == "text":
            raise BadInput(
                "--id-column needs a JSONL (--field), CSV (--column) or Parquet input;"
                " the ids of a text file's lines are their positions"
            )
        if source == "-":
            spool = tempfile.NamedTemporaryFile(prefix="orq-router-stdin-", delete=False)  # noqa: SIM115
            with spool:
                shutil.copyfileobj(sys.stdin.buffer, spool)
            return cls(Path(spool.name), kind, field or column, id_name, "stdin", temporary=True)
        path = Path(source)
        if not path.is_file():
            raise BadInput(f"{source}: no such file")
        return cls(path, kind, field or column, id_name, source)

    def close(self) -> None:
        if self.temporary:
            self.path.unlink(missing_ok=True)

    def scan(self) -> Scan:
        """Check every input (and id) and count them; `BadInput` names the first bad one.

        Ids must be distinct: a row is paid for once per id.
        """
        digest = hashlib.sha256()
        rows = 0
        seen: dict[object, int] = {}
        for identity, value in self.rows():
            digest.update(_as_json(value).encode("utf-8") + b"\n")
            if self.id_name is not None:
                first = seen.setdefault(identity, rows)
                if first != rows:
                    raise BadInput(
                        f"{self.label}: id {identity!r} appears twice (inputs {first} and {rows})"
                    )
            rows += 1
        return Scan(rows, digest.hexdigest(), frozenset(seen) if self.id_name else None)

    def read(self) -> Iterator[str | list[int]]:
        """The inputs in order, each checked; `BadInput` at the first that is not fit."""
        for _, value in self.rows():
            yield value

    def rows(self) -> Iterator[tuple[object, str | list[int]]]:
        """(id, input) in order: the id column's value, or the input's position."""
        if self.kind == "parquet":
            yield from self._parquet()
            return
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as file:
                if self.kind == "jsonl":
                    yield from self._jsonl(file)
                elif self.kind == "csv":
                    yield from self._csv(file)
                else:
                    yield from enumerate(self._text(file))
        except UnicodeDecodeError as error:
            reason = f"{error.reason} at byte {error.start}"
            raise BadInput(f"{self.label}: not UTF-8 text ({reason})") from None

    def _text(self, file: IO[str]) -> Iterator[str]:
        for number, line in enumerate(file, 1):
            text = line.rstrip("\r\n")
            if not text:
                raise BadInput(
                    f"{self.label}:{number}: empty line (an input may not be empty;"
                    " remove the line, or use JSONL or CSV)"
                )
            yield text

    def _jsonl(self, file: IO[str]) -> Iterator[tuple[object, str | list[int]]]:
        position = 0
        for number, line in enumerate(file, 1):
            if not line.strip():
                continue
            where = f"{self.label}:{number}"
            try:
                record = json.loads(line)
            except ValueError as error:
                raise BadInput(f"{where}: not JSON ({error})") from None
            if not isinstance(record, dict) or self.name not in record:
                raise BadInput(f"{where}: no field {self.name!r}")
            value = _value(record[self.name], where, f"field {self.name!r}")
            yield self._id(record, position, where), value
            position += 1

    def _csv(self, file: IO[str]) -> Iterator[tuple[object, str]]:
        reader = csv.DictReader(file)
        wanted = [name for name in (self.name, self.id_name) if name is not None]
        for name in wanted:
            if reader.fieldnames is None or name not in reader.fieldnames:
                columns = ", ".join(reader.fieldnames or []) or "none"
                raise BadInput(f"{self.label}: no column {name!r} (columns: {columns})")
        for position, row in enumerate(reader):
            value = row[self.name or ""]
            if not value:
                raise BadInput(f"{self.label}:{reader.line_num}: empty {self.name!r}")
            yield self._id(row, position, f"{self.label}:{reader.line_num}"), value

    def _id(self, record: dict[str, object], position: int, where: str) -> object:
        if self.id_name is None:
            return position
        if self.id_name not in record:
            raise BadInput(f"{where}: no id field {self.id_name!r}")
        identity = record[self.id_name]
        if isinstance(identity, bool) or not isinstance(identity, (int, str)) or identity == "":
            raise BadInput(f"{where}: the id must be a string or an integer, got {identity!r}")
        return identity

    def _parquet(self) -> Iterator[tuple[object, str | list[int]]]:
        """Rows of a Parquet file (or a directory of them), a few thousand at a time."""
        try:
            from orq_router.bulk import iter_parquet
        except ImportError as error:
            raise BadInput(f"{self.label}: {error}") from None
        import pyarrow as pa
        import pyarrow.parquet as pq

        text = self.name or "text"
        columns = [text] if self.id_name is None else [text, self.id_name]
        position = 0
        try:
            files = sorted(self.path.rglob("*.parquet")) if self.path.is_dir() else [self.path]
            if not files:
                raise BadInput(f"{self.label}: no .parquet files in the directory")
            names = pq.read_schema(files[0]).names
            absent = [name for name in columns if name not in names]
            if absent:
                found = ", ".join(names) or "none"
                wanted = " or ".join(map(repr, absent))
                raise BadInput(f"{self.label}: no column {wanted} (columns: {found})")
            for batch in iter_parquet(self.path, columns=columns, rows=PARQUET_ROWS):
                values = batch.column(text).to_pylist()
                ids = batch.column(self.id_name).to_pylist() if self.id_name else None
                for offset, value in enumerate(values):
                    where = f"{self.label}: row {position}"
                    if value is None or value == "":
                        raise BadInput(
                            f"{where}: {text!r} is {'null' if value is None else 'empty'}"
                        )
                    checked = _value(value, where, f"column {text!r}")
                    if ids is None:
                        yield position, checked
                    else:
                        identity = ids[offset]
                        if identity is None:
                            raise BadInput(f"{where}: the id {self.id_name!r} is null")
                        yield identity, checked
                    position += 1
        except (pa.ArrowInvalid, KeyError, OSError) as error:
            message = " ".join(str(error).split())
            if "No match for FieldRef" in message or isinstance(error, KeyError):
                message = f"no column {text!r}" + (f" or {self.id_name!r}" if self.id_name else "")
            raise BadInput(f"{self.label}: {message}") from None


def _value(value: object, where: str, what: str) -> str | list[int]:
    """A JSONL input: a non-empty string or a non-empty list of token ids."""
    if isinstance(value, str) and value:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a "\ud800" escape: JSON allows it, UTF-8 does not
            raise BadInput(f"{where}: {what} holds a lone surrogate") from None
        return value
    if (
        isinstance(value, list)
        and value
        and all(isinstance(token, int) and not isinstance(token, bool) for token in value)
    ):
        return value
    raise BadInput(
        f"{where}: {what} must be a non-empty string or list of token ids,"
        f" got {json.dumps(value)[:60]}"
    )
