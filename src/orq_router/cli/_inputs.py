"""The inputs of `orq-router embed`: a text file, JSONL or CSV, read one input at a time.

A file is read twice: once to check every input and count them (so that nothing is
sent for a file that is bad further down, and the `.npy` header can say how many rows
there will be), and once to embed. Both passes stream, so memory does not grow with
the file. Standard input is copied to a temporary file first, for the same reasons.

Input `i` is the `i`-th line of a text file, the `i`-th record of a JSONL file (blank
lines skipped) or the `i`-th row of a CSV file (after its header); row `i` of the output
is its vector.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal

import attrs

__all__ = ["BadInput", "InputFile", "Scan"]

Kind = Literal["text", "jsonl", "csv"]


class BadInput(Exception):
    """The input file cannot be embedded as it is: where, and why."""


@attrs.frozen
class Scan:
    """What the first pass found: how many inputs, and a fingerprint of them all."""

    rows: int
    sha256: str


@attrs.frozen
class InputFile:
    """An input file and how to read it: `kind`, and the JSONL field or CSV column."""

    path: Path
    kind: Kind
    name: str | None = None
    """The JSONL field or the CSV column that holds the input."""
    label: str = ""
    """How the file is named in messages (`-` is "stdin")."""
    temporary: bool = False
    """A copy of standard input, removed by `close()`."""

    @classmethod
    def open(cls, source: str, *, field: str | None, column: str | None) -> InputFile:
        """The file named `source` (`-`: standard input, copied to a temporary file)."""
        kind: Kind = "jsonl" if field else "csv" if column else "text"
        if source == "-":
            spool = tempfile.NamedTemporaryFile(prefix="orq-router-stdin-", delete=False)  # noqa: SIM115
            with spool:
                shutil.copyfileobj(sys.stdin.buffer, spool)
            return cls(Path(spool.name), kind, field or column, "stdin", temporary=True)
        path = Path(source)
        if not path.is_file():
            raise BadInput(f"{source}: no such file")
        return cls(path, kind, field or column, source)

    def close(self) -> None:
        if self.temporary:
            self.path.unlink(missing_ok=True)

    def scan(self) -> Scan:
        """Check every input and count them; `BadInput` names the first bad one."""
        digest = hashlib.sha256()
        rows = 0
        for value in self.read():
            digest.update(json.dumps(value, ensure_ascii=False).encode("utf-8") + b"\n")
            rows += 1
        return Scan(rows, digest.hexdigest())

    def read(self) -> Iterator[str | list[int]]:
        """The inputs in order, each checked; `BadInput` at the first that is not fit."""
        try:
            with self.path.open(encoding="utf-8", newline="") as file:
                if self.kind == "jsonl":
                    yield from self._jsonl(file)
                elif self.kind == "csv":
                    yield from self._csv(file)
                else:
                    yield from self._text(file)
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

    def _jsonl(self, file: IO[str]) -> Iterator[str | list[int]]:
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
            yield _value(record[self.name], where, f"field {self.name!r}")

    def _csv(self, file: IO[str]) -> Iterator[str]:
        reader = csv.DictReader(file)
        if reader.fieldnames is None or self.name not in reader.fieldnames:
            columns = ", ".join(reader.fieldnames or []) or "none"
            raise BadInput(f"{self.label}: no column {self.name!r} (columns: {columns})")
        for row in reader:
            value = row[self.name or ""]
            if not value:
                raise BadInput(f"{self.label}:{reader.line_num}: empty {self.name!r}")
            yield value


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
