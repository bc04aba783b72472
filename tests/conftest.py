"""Fixtures shared by every layer's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def seed_request() -> dict[str, Any]:
    """The API reference's example request body, every field set (copied verbatim)."""
    return json.loads((FIXTURES / "seed_request.json").read_text())  # type: ignore[no-any-return]


@pytest.fixture
def seed_response() -> dict[str, Any]:
    """The API reference's example response body (copied verbatim)."""
    return json.loads((FIXTURES / "seed_response.json").read_text())  # type: ignore[no-any-return]


@pytest.fixture(params=["fast", "stdlib"])
def readers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test run twice: with the `fast` extra's readers (orjson for JSON, pybase64
    for base64) and with the standard library's alone (the extra's monkeypatched away),
    so that the same assertions hold on both paths."""
    from orq_router import _vectors
    from orq_router_api import _decode

    if request.param == "stdlib":
        monkeypatch.setattr(_decode, "_fast_loads", None)
        monkeypatch.setattr(_vectors, "_fast_b64decode", None)
    else:
        assert _decode._fast_loads is not None, "orjson is missing from the test environment"
        assert _vectors._fast_b64decode is not None, "pybase64 is missing too"
    return str(request.param)
