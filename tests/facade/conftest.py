"""Fixtures of the facade's tests: cassettes, the recording server, the client.

Integration tests are marked `@pytest.mark.vcr` and replay cassettes in `cassettes/`.
The cassettes are recorded (`nox -s record`) from real HTTP exchanges with the local
router (`src/orq_router_server`, run by `tests/router_server.py` with `tests/router.toml`)
on 127.0.0.1:8787; the `router` fixture starts it only while recording, and its
`answer(...)` calls (scripted errors, delays) are then sent for real. On replay `router`
is a stand-in that ignores them: the cassette already holds the answers. `Authorization`
is filtered before anything is written.

The tests that take `client` or `live_client` (or `make_client`) run twice: with `Orq`
(`[sync]`) and with `AsyncOrq` (`[async]`, driven through `tests.facade.aio.Blocking` on
one event loop a test, every warning an error, and nothing left behind). Both replay
the same cassette: vcrpy replays aiohttp too, matching the same method, URL and body.
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest

from orq_router import Orq
from orq_router import _async_transport as async_transport
from tests.facade.aio import Blocking, Loop
from tests.router_server import EmbeddingsServer

RECORDING_PORT = 8787
RECORDING_URL = f"http://127.0.0.1:{RECORDING_PORT}"
TEST_KEY = "sk-orq-test-key-0123456789abcdef"
"""A key shape the cassette scan looks for; no real key is ever used in tests."""


def _drop_volatile_headers(response: dict[str, Any]) -> dict[str, Any]:
    for name in ("Date", "date", "Server", "server"):
        response["headers"].pop(name, None)
    return response


#: Tests of `Orq` only, and why; every other test of a parametrised fixture runs on both.
SYNC_ONLY = {
    "test_with_options_changes_settings_and_shares_the_pool": (
        "reads the urllib3 pool (`api.pool`); test_async.py checks that AsyncOrq's copies"
        " share their session"
    ),
}

CLIENT_KINDS = ("sync", "async")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Drop the `[async]` run of the tests in `SYNC_ONLY`, and give each run of a test its
    own copy of its parameters (a test may change the dict it was given: the `[sync]`
    run must not change what the `[async]` run gets)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None:
            for name, value in callspec.params.items():
                callspec.params[name] = copy.deepcopy(value)
    items[:] = [
        item
        for item in items
        if not (
            getattr(item, "originalname", "") in SYNC_ONLY
            and getattr(item, "callspec", None) is not None
            and item.callspec.params.get("client_kind") == "async"  # type: ignore[attr-defined]
        )
    ]


@pytest.fixture(params=CLIENT_KINDS)
def client_kind(request: pytest.FixtureRequest) -> str:
    """`sync` (`Orq`) or `async` (`AsyncOrq`, through `Blocking`)."""
    return str(request.param)


@pytest.fixture
def make_client(client_kind: str) -> Iterator[Callable[..., Orq]]:
    """`make_client(**settings)`: an `Orq`, or an `AsyncOrq` on this test's event loop
    behind `Blocking` (typed as `Orq`: the tests call it as one). Closed at the end."""
    made: list[Any] = []
    loop = Loop() if client_kind == "async" else None

    def make(**settings: Any) -> Orq:
        client: Any
        if loop is None:
            client = Orq(**settings)
        else:
            from orq_router import AsyncOrq

            client = Blocking(AsyncOrq(**settings), loop)
        made.append(client)
        return cast(Orq, client)

    yield make
    for client in made:
        client.close()
    if loop is not None:
        loop.close()


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    """The test's name without its client kind: `[sync]` and `[async]` share a cassette."""
    name = request.node.name
    kinds = "|".join(CLIENT_KINDS)
    name = re.sub(rf"\[({kinds})\]$", "", name)
    name = re.sub(rf"(?<=\[)({kinds})-|-({kinds})(?=\])", "", name)
    return name.replace("/", "-").replace(":", "-")


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
def client(router: Any, make_client: Callable[..., Orq]) -> Orq:
    """A client of the recording address, as the cassettes were recorded with."""
    return make_client(api_key=TEST_KEY, base_url=RECORDING_URL)


@pytest.fixture
def live() -> Iterator[EmbeddingsServer]:
    """The local router on a free loopback port, for what a cassette cannot hold:
    timeouts, refused connections, concurrency."""
    with EmbeddingsServer() as server:
        yield server


@pytest.fixture
def live_client(live: EmbeddingsServer, make_client: Callable[..., Orq]) -> Orq:
    return make_client(api_key=TEST_KEY, base_url=live.url)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits urllib3's retry policy asks for, recorded instead of slept."""
    waits: list[float] = []
    # urllib3's Retry calls time.sleep; nothing else in these tests sleeps.
    monkeypatch.setattr(time, "sleep", waits.append)

    async def wait(seconds: float) -> None:  # AsyncOrq's waits between tries
        waits.append(seconds)

    monkeypatch.setattr(async_transport, "sleep", wait)
    return waits
