"""Fixtures of the facade's tests: cassettes, the recording server, the client.

Integration tests are marked `@pytest.mark.vcr` and replay cassettes in `cassettes/`.
The cassettes are recorded (`nox -s record`) from real HTTP exchanges with the local
router (`src/orq_router_server`, run by `tests/router_server.py` with `tests/router.toml`)
on 127.0.0.1:8787; the `router` fixture starts it only while recording, and its
`answer(...)` calls (scripted errors, delays) are then sent for real. On replay `router`
is a stand-in that ignores them: the cassette already holds the answers. `Authorization`
is filtered before anything is written.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from orq_router import Orq
from tests.router_server import EmbeddingsServer

RECORDING_PORT = 8787
RECORDING_URL = f"http://127.0.0.1:{RECORDING_PORT}"
TEST_KEY = "sk-orq-test-key-0123456789abcdef"
"""A key shape the cassette scan looks for; no real key is ever used in tests."""


def _drop_volatile_headers(response: dict[str, Any]) -> dict[str, Any]:
    for name in ("Date", "date", "Server", "server"):
        response["headers"].pop(name, None)
    return response


@pytest.fixture(scope="session")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": ["authorization"],
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
        "before_record_response": _drop_volatile_headers,
    }


class _Replay:
    """The recording server's stand-in on replay: scripted answers are in the cassette."""

    def answer(self, *args: Any, **kwargs: Any) -> None:
        pass

    def answer_normally(self, times: int = 1) -> None:
        pass


@pytest.fixture(scope="session")
def _recording_server(record_mode: str) -> Iterator[EmbeddingsServer | None]:
    if record_mode == "none":
        yield None
        return
    with EmbeddingsServer(port=RECORDING_PORT) as server:
        yield server


@pytest.fixture
def router(_recording_server: EmbeddingsServer | None) -> EmbeddingsServer | _Replay:
    """Script the recording server's answers (ignored on replay)."""
    if _recording_server is None:
        return _Replay()
    _recording_server.reset()
    return _recording_server


@pytest.fixture
def client(router: Any) -> Iterator[Orq]:
    """A client of the recording address, as the cassettes were recorded with."""
    with Orq(api_key=TEST_KEY, base_url=RECORDING_URL) as orq:
        yield orq


@pytest.fixture
def live() -> Iterator[EmbeddingsServer]:
    """The local router on a free loopback port, for what a cassette cannot hold:
    timeouts, refused connections, concurrency."""
    with EmbeddingsServer() as server:
        yield server


@pytest.fixture
def live_client(live: EmbeddingsServer) -> Iterator[Orq]:
    with Orq(api_key=TEST_KEY, base_url=live.url) as orq:
        yield orq


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits urllib3's retry policy asks for, recorded instead of slept."""
    waits: list[float] = []
    # urllib3's Retry calls time.sleep; nothing else in these tests sleeps.
    monkeypatch.setattr(time, "sleep", waits.append)
    return waits
