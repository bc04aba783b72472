"""Fixtures of the corpora tests: the local router on a free loopback port, and tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.facade.conftest import TEST_KEY
from tests.router_server import EmbeddingsServer

MODEL = "openai/text-embedding-3-small"


@pytest.fixture(scope="module")
def _router() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer() as server:
        yield server


@pytest.fixture
def router(_router: EmbeddingsServer, monkeypatch: pytest.MonkeyPatch) -> EmbeddingsServer:
    """The local router (hashing models), fresh for each test; ORQ_API_KEY is its key."""
    monkeypatch.setenv("ORQ_API_KEY", TEST_KEY)
    _router.reset()
    return _router


def sent_inputs(router: EmbeddingsServer) -> list[str]:
    """Every input the router was asked to embed, in arrival order."""
    return [text for exchange in router.exchanges for text in exchange.json()["input"]]
