"""What both clients take the same way: per-call options, concurrency, "not given", copies.

Every test here runs with `Orq` and with `AsyncOrq` (`make_client`), against a loopback
server that records what arrives: the headers and body of each request, how many were
in flight at once, and on how many connections.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import urllib3

from orq_router import (
    NOT_GIVEN,
    APITimeoutError,
    AsyncOrq,
    Orq,
    ValidationError,
)
from orq_router._pool import CHECKED_URLLIB3
from tests.facade.conftest import TEST_KEY
from tests.scripted_server import Connection, ScriptedServer, normal, trickle, vector

MODEL = "openai/text-embedding-3-small"
MakeClient = Callable[..., Orq]


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


class Meter:
    """An action that answers after `delay`, counting requests in flight and connections."""

    def __init__(self, delay: float) -> None:
        self._delay = delay
        self._lock = threading.Lock()
        self._now = 0
        self.peak = 0
        self.connections: set[int] = set()

    def __call__(self, connection: Connection) -> None:
        with self._lock:
            self._now += 1
            self.peak = max(self.peak, self._now)
            self.connections.add(connection.sock.getpeername()[1])
        connection.wait(self._delay)
        with self._lock:
            self._now -= 1
        normal(connection)


# --- per-call options ----------------------------------------------------------------------


def test_extra_headers_body_and_timeout_reach_the_wire_on_every_call(
    make_client: MakeClient, scripted: ScriptedServer
) -> None:
    client = make_client(base_url=scripted.url, default_headers={"X-Team": "search"})
    options: dict[str, Any] = {
        "extra_headers": {"X-Trace": "t-1", "x-team": "override"},
        "extra_body": {"routing_hint": {"region": "eu"}, "user": "from-extra"},
        "http_timeout": 30.0,
    }
    embeddings = client.router.embeddings
    embeddings.create(input="a", model=MODEL, user="u", **options)
    embeddings.embed_many(["b", "c"], model=MODEL, batch_size=1, **options)
    list(embeddings.embed_many_iter(iter(["d"]), model=MODEL, **options))
    embeddings.create(input="e", model=MODEL)  # the options were the calls' own
    assert len(scripted.requests) == 5
    for request in scripted.requests[:4]:
        assert request.headers["x-trace"] == "t-1"
        assert request.headers["x-team"] == "override"
        body = request.json()
        assert body["routing_hint"] == {"region": "eu"} and body["user"] == "from-extra"
        assert body["model"] == MODEL and body["encoding_format"] == "base64"
    last = scripted.requests[4]
    assert "x-trace" not in last.headers and last.headers["x-team"] == "search"
    assert "routing_hint" not in last.json()


def test_a_per_call_http_timeout_bounds_that_call_only(
    make_client: MakeClient, scripted: ScriptedServer
) -> None:
    client = make_client(base_url=scripted.url, max_retries=0)  # 60 s by default
    scripted.script(trickle(every=0.02))
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match=r"no whole answer within 0\.3 s"):
        client.router.embeddings.create(input="a", model=MODEL, http_timeout=0.3)
    assert time.monotonic() - started < 1.5
    assert client.router.embeddings.create(input="b", model=MODEL).data[0].embedding == vector("b")


@pytest.mark.parametrize(
    ("options", "location", "message"),
    [
        ({"extra_headers": {"X-Bad": "a\r\nInjected: 1"}}, "extra_headers", "line break"),
        ({"extra_headers": {"bad name": "x"}}, "extra_headers", "not a valid header name"),
        ({"extra_body": {"when": object()}}, "extra_body.when", "is not JSON"),
        ({"extra_body": {"x": float("nan")}}, "extra_body.x", "is not JSON"),
        ({"extra_body": ["not", "a", "mapping"]}, "extra_body", "must be a mapping"),
        ({"http_timeout": 0}, "http_timeout", "must be seconds > 0"),
        ({"http_timeout": "5"}, "http_timeout", "must be seconds > 0"),
        ({"max_concurrency": 0}, "max_concurrency", "at least 1"),
        ({"max_concurrency": 2, "max_workers": 2}, "max_workers", "give max_concurrency only"),
    ],
)
def test_bad_per_call_options_are_refused_before_anything_is_sent(
    make_client: MakeClient,
    scripted: ScriptedServer,
    options: dict[str, Any],
    location: str,
    message: str,
) -> None:
    client = make_client(base_url=scripted.url)
    bulk = {"max_concurrency", "max_workers"} & set(options)
    with pytest.raises(ValidationError, match=message) as caught:
        if bulk:
            client.router.embeddings.embed_many(["a"], model=MODEL, **options)
        else:
            client.router.embeddings.create(input="a", model=MODEL, **options)
    assert caught.value.location == location
    assert "Injected" not in str(caught.value)
    assert scripted.requests == []


# --- concurrency and connections ------------------------------------------------------------


@pytest.mark.parametrize(("concurrency", "connections"), [(3, 16), (8, 2)])
def test_embed_many_keeps_max_concurrency_in_flight_on_as_many_connections(
    make_client: MakeClient, scripted: ScriptedServer, concurrency: int, connections: int
) -> None:
    meter = Meter(delay=0.05)
    scripted.default = meter
    client = make_client(base_url=scripted.url, max_connections=connections)
    texts = [f"text {i}" for i in range(60)]
    for _ in range(2):  # a second run reuses the connections the first one kept
        result = client.router.embeddings.embed_many(
            texts, model=MODEL, batch_size=2, max_concurrency=concurrency
        )
        assert result.to_numpy().tolist() == [vector(text) for text in texts]
    assert meter.peak == concurrency  # observed on the server: never more, and used
    assert len(meter.connections) <= concurrency  # no socket opened only to be dropped


def test_embed_many_iter_takes_max_concurrency_too(
    make_client: MakeClient, scripted: ScriptedServer
) -> None:
    meter = Meter(delay=0.05)
    scripted.default = meter
    client = make_client(base_url=scripted.url)
    batches = client.router.embeddings.embed_many_iter(
        (f"t{i}" for i in range(40)), model=MODEL, batch_size=2, max_concurrency=5
    )
    assert [batch.start for batch in batches] == list(range(0, 40, 2))
    assert meter.peak == 5 and len(meter.connections) <= 5


def test_max_workers_still_works_with_a_deprecation_warning(
    make_client: MakeClient, scripted: ScriptedServer
) -> None:
    meter = Meter(delay=0.05)
    scripted.default = meter
    client = make_client(base_url=scripted.url)
    with pytest.warns(DeprecationWarning, match="max_workers is deprecated") as warned:
        client.router.embeddings.embed_many(
            [f"t{i}" for i in range(12)], model=MODEL, batch_size=2, max_workers=3
        )
    assert meter.peak == 3
    # It points at the caller's line (here, or the adapter that awaits for this test).
    assert warned[0].filename.endswith(("test_one_core.py", "facade/aio.py"))


def test_the_sync_pool_keeps_every_connection_a_bulk_run_opens(
    scripted: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    scripted.default = Meter(delay=0.02)
    caplog.set_level(logging.WARNING, logger="urllib3")
    with Orq(base_url=scripted.url, max_connections=1) as client:
        client.router.embeddings.embed_many(
            [f"t{i}" for i in range(40)], model=MODEL, batch_size=1, max_concurrency=6
        )
        pool = client.api.pool.connection_from_url(scripted.url)
        assert isinstance(pool, urllib3.HTTPConnectionPool)
        assert pool.num_connections <= 6
    assert "discarding connection" not in caplog.text


# --- "not given", copies --------------------------------------------------------------------


@pytest.mark.parametrize("cls", [Orq, AsyncOrq])
def test_with_options_tells_none_from_not_given(cls: type[Orq]) -> None:
    client = cls(api_key=TEST_KEY, http_timeout=5.0, max_retries=1)
    assert client.with_options().http_timeout == 5.0  # not given: kept
    assert client.with_options(http_timeout=NOT_GIVEN).http_timeout == 5.0
    assert client.with_options(http_timeout=None).http_timeout is None  # None: no limit
    assert client.with_options(max_retries=0).max_retries == 0
    assert client.with_options(http_timeout=None).max_retries == 1
    assert repr(NOT_GIVEN) == "NOT_GIVEN" and not NOT_GIVEN


@pytest.mark.parametrize("cls", [Orq, AsyncOrq])
def test_with_options_builds_through_the_constructor_and_shares_the_pool(
    cls: type[Orq], monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[dict[str, Any]] = []

    class Mine(cls):  # type: ignore[valid-type, misc]
        def __init__(self, **settings: Any) -> None:
            made.append(settings)
            super().__init__(**settings)

    monkeypatch.delenv("ORQ_API_KEY", raising=False)
    client = Mine(base_url="http://127.0.0.1:9", defaults={"model": MODEL})
    copy = client.with_options(max_retries=0, defaults={"dimensions": 8})
    assert type(copy) is Mine and len(made) == 2
    assert made[1]["max_retries"] == 0 and made[1]["base_url"] == "http://127.0.0.1:9"
    assert copy.defaults == {"model": MODEL, "dimensions": 8}
    assert copy._pool is client._pool  # one pool: closing one closes both
    monkeypatch.setenv("ORQ_API_KEY", TEST_KEY)
    assert client.with_options().api_key is None  # no key stays no key
    assert client.with_options(api_key=None).api_key == "****cdef"  # None: $ORQ_API_KEY


def test_the_urllib3_internals_are_those_of_a_checked_release() -> None:
    """`_pool` reaches into urllib3's private parts; a new urllib3 must be read first."""
    from urllib3.util.timeout import _DEFAULT_TIMEOUT  # noqa: F401  # still there

    version = importlib.metadata.version("urllib3")
    release = ".".join(version.split(".")[:2])
    assert release in CHECKED_URLLIB3, (
        f"urllib3 {version} was not checked: read orq_router/_pool.py against"
        " it, run the tests, then add it to CHECKED_URLLIB3"
    )
    pool = urllib3.HTTPConnectionPool("127.0.0.1", maxsize=2)
    assert callable(pool._make_request) and callable(pool._get_timeout)
    assert pool.pool is not None and pool.pool.maxsize == 2


def test_json_is_what_extra_body_sends(make_client: MakeClient, scripted: ScriptedServer) -> None:
    client = make_client(base_url=scripted.url)
    client.router.embeddings.create(
        input="a", model=MODEL, extra_body={"text": "ünïcode", "n": 1.5, "list": [1, None]}
    )
    raw = scripted.requests[0].body
    assert json.loads(raw)["text"] == "ünïcode" and "ünïcode".encode() in raw
