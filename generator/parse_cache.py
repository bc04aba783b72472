"""Parsed documents kept between runs, so a large YAML document is parsed once.

YAML is slow to parse, even with libyaml: orq.ai's full document (3.2 MB, 279
operations) takes about 3 s, most of a run that generates one operation from it. The
parsed data is kept in a cache file named from the SHA-256 of the document's bytes (and
the parser's version), so any change to the document is a different key and the cache
can never answer for a document it was not made from.

- Format: `marshal`, not `pickle`: loading it builds data only (dicts, lists, strings,
  numbers), it cannot run code, so a cache file planted by someone else can at worst
  be wrong data, which the validator then refuses. Documents holding what marshal cannot
  keep (a YAML timestamp becomes a `datetime`) are simply not cached.
- Only documents over `MIN_BYTES` are cached: a small one parses faster than a lookup.
- Where: `$ORQ_GENERATOR_CACHE`, else `$XDG_CACHE_HOME/orq-router-generator`, else
  `~/.cache/orq-router-generator`; `ORQ_GENERATOR_CACHE=off` turns it off. Files are
  written under a temporary name and renamed, so a reader never sees half a file; any
  failure to read or write the cache falls back to parsing, silently (it is a cache).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import yaml

T = TypeVar("T")

MIN_BYTES: Final = 256 * 1024
ENV: Final = "ORQ_GENERATOR_CACHE"
#: Part of every key: another parser (or another data layout of ours) is another cache.
FORMAT: Final = f"v1-pyyaml{yaml.__version__}-marshal{marshal.version}"


def directory() -> Path | None:
    """Where cache files live, or None when the cache is turned off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in {"", "0", "off", "no", "false"} else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "orq-router-generator"


def parsed(data: bytes, parse: Callable[[bytes], T]) -> T:
    """`parse(data)`, from the cache when this exact document was parsed before."""
    folder = directory() if len(data) >= MIN_BYTES else None
    if folder is None:
        return parse(data)
    key = hashlib.sha256(FORMAT.encode() + b"\0" + data).hexdigest()
    path = folder / f"{key}.marshal"
    try:
        return cast(T, marshal.loads(path.read_bytes()))
    except (OSError, EOFError, ValueError, TypeError):
        pass
    result = parse(data)
    _store(path, result)
    return result


def _store(path: Path, value: Any) -> None:  # anything parse gave; marshal decides
    try:
        packed = marshal.dumps(value)
    except ValueError:  # holds something marshal cannot keep: not cached
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(packed)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
