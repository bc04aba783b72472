"""Failures that must be typed, hangs that must end, and a client that stays closed.

Every case that involves a server scripts a loopback one to misbehave: trickle,
fall silent, redirect, send a `Retry-After` nobody can read.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import urllib3

from orq_router import (
    APIStatusError,
    APITimeoutError,
    Cache,
    ClientClosedError,
    ConfigError,
    EmbedManyInterrupted,
    Orq,
    RateLimitError,
    Retry,
    RouterTimeout,
    ValidationError,
    weighted,
)
from orq_router._client import CONNECT_TIMEOUT
from tests.conftest import ROOT
from tests.facade.conftest import TEST_KEY
from tests.router_server import EmbeddingsServer
from tests.scripted_server import (
    WIDTH,
    Connection,
    ScriptedServer,
    normal,
    silence,
    trickle,
    vector,
)

MODEL = "openai/text-embedding-3-small"


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


@pytest.fixture(scope="module")
def _server() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer() as running:
        yield running


@pytest.fixture
def server(_server: EmbeddingsServer) -> EmbeddingsServer:
    """The endpoint's test server, shared by this module's tests, reset for each."""
    _server.reset()
    return _server


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[EmbeddingsServer]:
    """Another host, where a redirect points: it must never see a request."""
    with EmbeddingsServer() as running:
        yield running


# --- API keys that cannot be a header ------------------------------------------------

BAD_KEYS = [
    ("sk-orq-0123456789abcdef\n", "leading or trailing whitespace"),
    (" sk-orq-0123456789abcdef", "leading or trailing whitespace"),
    ("sk-orq-0123\r\n456789abcdef", "a control or space character (U+000D) at position 11"),
    ("sk-orq-0123\x00456789abcdef", "a control or space character (U+0000) at position 11"),
    ("sk-orq-0123 456789abcdef", "a control or space character (U+0020) at position 11"),
    ("sk-orq-0123é456789abcdef", "a non-ASCII character (U+00E9) at position 11"),
    ("sk-orq-0123€456789abcdef", "a non-ASCII character (U+20AC) at position 11"),
    ("sk-orq-0123\ud800456789abcdef", "a non-ASCII character (U+D800) at position 11"),
    ("", "api_key is empty"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "message"), BAD_KEYS)
def test_a_key_that_cannot_be_a_header_is_refused_when_the_client_is_made(
    key: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        Orq(api_key=key, base_url="http://127.0.0.1:9")
    text = str(caught.value)
    assert message in text
    assert "0123" not in text and "456789" not in text  # no part of the key


def test_a_key_from_the_environment_is_checked_the_same_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ORQ_API_KEY", "sk-orq-from-a-file-0123456789\n")
    with pytest.raises(ConfigError, match="whitespace") as caught:
        Orq()
    assert "0123456789" not in str(caught.value)
    with pytest.raises(ConfigError, match="non-ASCII"):
        Orq(api_key=TEST_KEY).with_options(api_key="sk-ключ-0123456789")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"X-Team": "a\r\nInjected: yes"}, "line break"),
        ({"X-Team": "€"}, "cannot carry"),
        ({"Bad Name": "x"}, "not a valid header name"),
        ({"X-Count": 3}, "must be a str"),
    ],
)
def test_default_headers_that_cannot_be_sent_are_refused_without_their_value(
    headers: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        Orq(api_key=TEST_KEY, default_headers=headers)
    assert "Injected" not in str(caught.value) and "€" not in str(caught.value)


# --- Retry-After that cannot be read ---------------------------------------------------


@pytest.mark.parametrize("value", ["soon", "1.5", "-1", "", "Wed, 99 Foo 2026"])
def test_an_unreadable_retry_after_counts_as_absent(
    value: str, sleeps: list[float], server: EmbeddingsServer
) -> None:
    client = Orq(api_key=TEST_KEY, base_url=server.url)
    server.answer(429, {"error": {"message": "slow down"}}, {"Retry-After": value})
    server.answer(503, {"error": {"message": "busy"}}, {"Retry-After": value})
    result = client.router.embeddings.create(input="hi", model=MODEL)
    assert len(server.exchanges) == 3  # retried as usual, and the third answered
    assert result.request_id == "req_0003"
    # The usual backoff: the first retry at once, the second after 1 s + jitter.
    assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 1.25

    server.answer(429, {"error": {"message": "slow down", "code": "rate"}}, {"Retry-After": value})
    with pytest.raises(RateLimitError) as caught:
        client.with_options(max_retries=0).router.embeddings.create(input="hi", model=MODEL)
    assert caught.value.code == "rate" and "slow down" in str(caught.value)


# --- numbers too large for a float, strings UTF-8 cannot carry --------------------------

HUGE = 10**400

HUGE_OPTIONS: list[tuple[Callable[[], object], str]] = [
    (lambda: {"retry": {"count": HUGE}}, "retry.count"),
    (lambda: {"retry": Retry(count=1, on_codes=(HUGE,))}, "Retry.on_codes[0]"),
    (lambda: {"cache": {"type": "exact_match", "ttl": HUGE}}, "cache.ttl"),
    (lambda: {"timeout": {"call_timeout": HUGE}}, "timeout.call_timeout"),
    (lambda: {"dimensions": HUGE}, "dimensions"),
    (lambda: {"dimensions": 10**5000}, "dimensions"),
    (lambda: {"input": [[1, HUGE]]}, "input[0][1]"),
    (lambda: {"load_balancer": weighted({"a/x": HUGE})}, "LoadBalancer.models[0].weight"),
    (lambda: {"load_balancer": {"type": "weight_based", "models": [{"model": "a/x", "weight": HUGE}]}}, "load_balancer.models[0].weight"),
    (lambda: {"orq": {"retry": {"count": -HUGE}}}, "orq.retry.count"),
    (lambda: {"timeout": RouterTimeout.seconds(1e308)}, "RouterTimeout.call_timeout"),
    (lambda: {"timeout": RouterTimeout.seconds(float("nan"))}, "RouterTimeout.call_timeout"),
    (lambda: {"cache": Cache(ttl=HUGE)}, "Cache.ttl"),
]  # fmt: skip


@pytest.mark.parametrize(("options", "location"), HUGE_OPTIONS)
def test_integers_too_large_for_a_float_are_validation_errors(
    options: Callable[[], dict[str, Any]], location: str, server: EmbeddingsServer
) -> None:
    with Orq(api_key=TEST_KEY, base_url=server.url) as client:
        with pytest.raises(ValidationError) as caught:
            client.router.embeddings.create(**{"input": "hi", "model": MODEL, **options()})
        assert str(caught.value).split(":")[0].endswith(location)
        assert len(str(caught.value)) < 300  # the number is described, not printed
        assert server.exchanges == []


SURROGATE = "bad \ud800 text"

SURROGATE_FIELDS: list[tuple[dict[str, Any], str]] = [
    ({"input": SURROGATE}, "input"),
    ({"input": ["fine", SURROGATE]}, "input[1]"),
    ({"user": SURROGATE}, "user"),
    ({"name": SURROGATE}, "name"),
    ({"orq": {"name": SURROGATE}}, "orq.name"),
    ({"orq": {"identity": {"id": SURROGATE}}}, "orq.identity.id"),
    ({"orq": {"contact": {"id": "c", "display_name": SURROGATE}}}, "orq.contact.display_name"),
    ({"orq": {"identity": {"id": "c", "metadata": [{"k": SURROGATE}]}}}, "orq.identity.metadata[0].k"),
    ({"orq": {"identity": {"id": "c", "metadata": [{SURROGATE: "v"}]}}}, "orq.identity.metadata[0]"),
    ({"orq": {"identity": {"id": "c", "tags": [SURROGATE]}}}, "orq.identity.tags[0]"),
    ({"fallbacks": ["openai/x\udfff"]}, "fallbacks[0].model"),
    ({"model": "openai/\udfff"}, "model"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "location"), SURROGATE_FIELDS)
def test_lone_surrogates_anywhere_in_the_body_are_validation_errors_naming_the_field(
    fields: dict[str, Any], location: str, server: EmbeddingsServer
) -> None:
    with Orq(api_key=TEST_KEY, base_url=server.url) as client:
        with pytest.raises(ValidationError) as caught:
            client.router.embeddings.create(**{"input": "hi", "model": MODEL, **fields})
        assert caught.value.location == location
        assert "surrogate" in caught.value.message
        assert server.exchanges == []


# --- redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_an_api_status_error_and_the_key_goes_nowhere_else(
    status: int, server: EmbeddingsServer, elsewhere: EmbeddingsServer
) -> None:
    target = f"{elsewhere.url}/v2/router/embeddings"
    server.answer(status, b"", {"Location": target})
    client = Orq(api_key=TEST_KEY, base_url=server.url)
    with pytest.raises(APIStatusError) as caught:
        client.router.embeddings.create(input="hi", model=MODEL)
    error = caught.value
    assert type(error) is APIStatusError and error.status_code == status
    assert f"redirect to {target}, not followed" in str(error)
    assert len(server.exchanges) == 1  # not retried
    assert elsewhere.exchanges == []  # nothing, so no key, went to the other host


def test_a_redirect_without_a_location_says_so(server: EmbeddingsServer) -> None:
    server.answer(302, {"error": {"message": "moved"}})
    client = Orq(api_key=TEST_KEY, base_url=server.url)
    with pytest.raises(APIStatusError, match=r"redirect with no Location header.*moved"):
        client.router.embeddings.create(input="hi", model=MODEL)


# --- http_timeout bounds a whole attempt ---------------------------------------------------


@pytest.mark.parametrize("head_too", [False, True])
def test_a_trickling_server_cannot_keep_a_call_alive_past_http_timeout(
    scripted: ScriptedServer, head_too: bool
) -> None:
    scripted.script(trickle(every=0.02, head_too=head_too))
    client = Orq(base_url=scripted.url, http_timeout=0.4, max_retries=0)
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match=r"no whole answer within 0\.4 s"):
        client.router.embeddings.create(input="hi", model=MODEL)
    assert time.monotonic() - started < 1.5  # without the limit: 100 000 bytes x 20 ms


def test_each_retry_is_a_new_attempt_with_its_own_limit(
    scripted: ScriptedServer, sleeps: list[float]
) -> None:
    scripted.script(trickle(every=0.02), trickle(every=0.02))
    client = Orq(base_url=scripted.url, http_timeout=0.3, max_retries=2)
    result = client.router.embeddings.create(input="hi", model=MODEL)
    assert len(scripted.requests) == 3  # two attempts cut off, the third answered
    assert result.data[0].embedding == vector("hi")


def test_a_silent_server_is_given_up_on_after_the_timeout_and_the_retries(
    scripted: ScriptedServer, sleeps: list[float]
) -> None:
    scripted.script(silence(), silence(), silence())
    client = Orq(base_url=scripted.url, http_timeout=0.2, max_retries=2)
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        client.router.embeddings.create(input="hi", model=MODEL)
    assert time.monotonic() - started < 2.0  # three attempts of 0.2 s (backoff patched)
    assert len(scripted.requests) == 3


def test_a_default_client_never_waits_more_than_a_few_minutes_for_a_silent_server() -> None:
    """The worst case of the defaults, read from the client's own settings: every
    attempt used up, the longest backoff (with full jitter) between them."""
    client = Orq(api_key=TEST_KEY)
    timeout = client.api.timeout
    assert isinstance(timeout, urllib3.Timeout) and timeout.total == 60.0
    assert timeout.connect_timeout == CONNECT_TIMEOUT
    retries = client.api.retries
    assert isinstance(retries, urllib3.Retry) and retries.total == 2
    waits = []
    for _ in range(retries.total):
        timed_out = urllib3.exceptions.ReadTimeoutError(None, "/", "t")  # type: ignore[arg-type]
        retries = retries.increment("POST", "/", error=timed_out)
        waits.append(retries.get_backoff_time() + retries.backoff_jitter)
    worst = timeout.total * (client.max_retries + 1) + sum(waits)
    assert worst <= 4 * 60  # about 3 minutes


def test_the_default_timeout_is_stated_in_the_readme_and_the_docstring() -> None:
    text = (ROOT / "README.md").read_text()
    assert "http_timeout=60.0" in text and "whole attempt" in text
    assert "Default 60 s" in (Orq.__doc__ or "") and "last byte" in (Orq.__doc__ or "")


# --- Ctrl-C during embed_many ---------------------------------------------------------------


class _CtrlC:
    """Sends SIGINT to the main thread (as Ctrl-C does) after `seconds`; `sent` is when."""

    def __init__(self, seconds: float) -> None:
        main = threading.main_thread().ident
        assert main is not None and threading.current_thread() is threading.main_thread()
        self.sent = float("inf")

        def interrupt() -> None:
            self.sent = time.monotonic()
            signal.pthread_kill(main, signal.SIGINT)

        self._timer = threading.Timer(seconds, interrupt)
        self._timer.start()

    def latency(self) -> float:
        """Seconds from the signal to now (where the caller got control back)."""
        return time.monotonic() - self.sent


def test_ctrl_c_during_embed_many_returns_at_once_and_keeps_the_finished_rows(
    scripted: ScriptedServer,
) -> None:
    # Batches 0 and 1 are answered; every other batch hangs: 2 and 3 at once, then 4 and
    # 5 as 0 and 1 finish; that is four in flight, and 6..9 wait their turn.
    texts = [f"text {i}" for i in range(20)]
    hang = silence()

    def first_two_batches(connection: Connection) -> None:
        answered = connection.request.inputs()[0] in texts[:4]
        (normal if answered else hang)(connection)

    scripted.default = first_two_batches
    client = Orq(base_url=scripted.url, max_retries=2)
    ctrl_c = _CtrlC(0.5)
    with pytest.raises(EmbedManyInterrupted) as caught:
        client.router.embeddings.embed_many(texts, model=MODEL, batch_size=2, max_workers=4)
    latency = ctrl_c.latency()
    assert latency < 1.0, f"returned {latency:.2f} s after Ctrl-C"
    print(f"ctrl-c latency {latency:.3f}")
    error = caught.value
    assert isinstance(error, KeyboardInterrupt)
    done = [i for span in error.completed for i in span]
    assert sorted(done) == [0, 1, 2, 3]
    assert isinstance(error.embeddings, np.ndarray)
    assert error.embeddings[:4].tolist() == [vector(text) for text in texts[:4]]
    assert len(error.cancelled) == 4  # in flight, abandoned
    sent_before = len(scripted.requests)
    time.sleep(0.3)
    assert len(scripted.requests) == sent_before == 6  # no new batch, no retry
    assert error.embeddings.shape == (20, WIDTH)


# --- a closed client ----------------------------------------------------------------------


def test_a_closed_client_refuses_new_calls_and_so_do_its_copies(
    server: EmbeddingsServer,
) -> None:
    with Orq(api_key=TEST_KEY, base_url=server.url) as client:
        copy = client.with_options(max_retries=0)
        client.router.embeddings.create(input="hi", model=MODEL)
    calls: list[Callable[[], object]] = [
        lambda: client.router.embeddings.create(input="hi", model=MODEL),
        lambda: copy.router.embeddings.create(input="hi", model=MODEL),
        lambda: client.router.embeddings.with_raw_response.create(input="hi", model=MODEL),
        lambda: client.router.embeddings.embed_many(["a", "b"], model=MODEL),
        lambda: client.router.embeddings.embed_many_iter(["a", "b"], model=MODEL),
        lambda: client.with_options(max_retries=1).router.embeddings.create(input="hi", model=MODEL),
        lambda: client.api.pool.request("POST", server.url),
    ]  # fmt: skip
    for call in calls:
        with pytest.raises(ClientClosedError, match="client was closed"):
            call()
    assert len(server.exchanges) == 1
