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
