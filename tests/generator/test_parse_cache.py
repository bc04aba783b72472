"""A large document is parsed once: later runs load the parsed data from the cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import document, parse_cache
from tests.generator.test_unsupported import BASE


def _large(title: str = "big") -> dict[str, Any]:
    """A valid document over `parse_cache.MIN_BYTES`: many described schemas."""
    big: dict[str, Any] = yaml.safe_load(yaml.safe_dump(BASE))
    big["info"]["title"] = title
    schemas = big.setdefault("components", {}).setdefault("schemas", {})
    for number in range(1500):
        schemas[f"Filler{number}"] = {
            "type": "object",
            "description": f"filler schema number {number}, " + "x" * 120,
            "properties": {"value": {"type": "integer", "default": number}},
        }
    return big


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(parse_cache.ENV, str(folder))
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the YAML parser ran (one entry per parse, its input's size)."""
    seen: list[int] = []
    real: Callable[[bytes], object] = document._parse

    def counted(data: bytes) -> object:
        seen.append(len(data))
        return real(data)

    monkeypatch.setattr(document, "_parse", counted)
    return seen


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data))
    assert path.stat().st_size >= parse_cache.MIN_BYTES
    return path


def test_a_large_document_is_parsed_once(tmp_path: Path, cache: Path, parses: list[int]) -> None:
    spec = _write(tmp_path / "spec.yaml", _large())
    first = document.read(spec)
    second = document.read(spec)
    assert first == second == yaml.safe_load(spec.read_text())
    assert len(parses) == 1
    assert len(list(cache.glob("*.marshal"))) == 1
    assert first is not second  # each run gets data of its own to change


def test_a_changed_document_is_parsed_again(tmp_path: Path, cache: Path, parses: list[int]) -> None:
    spec = _write(tmp_path / "spec.yaml", _large("one"))
    assert document.read(spec)["info"]["title"] == "one"
    _write(spec, _large("two"))
    assert document.read(spec)["info"]["title"] == "two"
    assert len(parses) == 2


def test_a_damaged_cache_file_is_parsed_over(
    tmp_path: Path, cache: Path, parses: list[int]
) -> None:
    spec = _write(tmp_path / "spec.yaml", _large())
    expected = document.read(spec)
    (entry,) = cache.glob("*.marshal")
    entry.write_bytes(entry.read_bytes()[:100])
    assert document.read(spec) == expected
    assert len(parses) == 2
    assert document.read(spec) == expected  # rewritten whole by the second parse
    assert len(parses) == 2


def test_off_means_parsed_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[int]
) -> None:
    monkeypatch.setenv(parse_cache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    spec = _write(tmp_path / "spec.yaml", _large())
    document.read(spec)
    document.read(spec)
    assert len(parses) == 2
    assert not (tmp_path / "xdg").exists()


def test_small_documents_and_unkeepable_data_are_not_cached(
    tmp_path: Path, cache: Path, parses: list[int]
) -> None:
    small = tmp_path / "small.yaml"
    small.write_text(yaml.safe_dump(BASE))
    document.read(small)
    dated = _large()
    dated["info"]["x-released"] = "2026-12-02"  # YAML reads it as a date
    spec = tmp_path / "dated.yaml"
    spec.write_text(yaml.safe_dump(dated).replace("'2026-12-02'", "2026-12-02"))
    assert "datetime" in type(document.read(spec)["info"]["x-released"]).__module__
    document.read(spec)
    assert len(parses) == 3  # the small one once, the dated one twice
    assert not list(cache.glob("*.marshal"))


def test_the_default_place_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(parse_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert parse_cache.directory() == tmp_path / "orq-router-generator"
