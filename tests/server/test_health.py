"""Health-aware routing: cooldowns after failures in a row, backpressure, upstream Retry-After.

Cooldowns run on a clock the test moves (`LocalRouter(clock=...)`), so "skipped for 30
seconds" is checked without waiting 30 seconds.
"""

from __future__ import annotations

import email.utils
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import urllib3

import orq_router_server.routing as routing_module
from orq_router_server import LocalRouter, LocalServer, create_app, parse_config
from orq_router_server.errors import RouterError
from orq_router_server.request import parse_body
from orq_router_server.routing import (
    FIRST_BACKOFF_S,
    MAX_UPSTREAM_WAIT_S,
    _wait,
    backoff,
    jittered,
    retry_after_s,
)
from tests.router_server import EmbeddingsServer
from tests.server.oracle import check_body

PATH = "/v2/router/embeddings"
http = urllib3.PoolManager(retries=False)

MODELS: dict[str, Any] = {
    "test/hash-32": {"backend": "hashing", "dimensions": 32},
    "test/hash-64": {"backend": "hashing", "dimensions": 64},
    "test/down": {"backend": "fault", "fail_with": [500]},
    "test/busy": {"backend": "fault", "fail_with": [429], "cooldown_failures": 0},
    "test/picky": {"backend": "fault", "fail_with": [400]},
    "test/slow": {"backend": "fault", "delay_ms": 300, "then": "test/hash-32"},
    "test/queue": {
        "backend": "fault",
        "delay_ms": 400,
        "then": "test/hash-32",
        "max_queue_inputs": 4,
    },
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def router(clock: Clock) -> Iterator[tuple[LocalRouter, str]]:
    config = parse_config({"cooldown_failures": 2, "cooldown_seconds": 30, "models": MODELS})
    local = LocalRouter(config, clock=clock)
    with LocalServer(create_app(local)) as server:
        yield local, server.url


def _post(url: str, **body: Any) -> urllib3.BaseHTTPResponse:
    raw = json.dumps({"input": "hello", **body}).encode()
    return http.request("POST", url + PATH, body=raw, headers={"Content-Type": "application/json"})


def test_a_model_failing_n_times_in_a_row_is_skipped_by_fallbacks_until_it_cools_down(
    router: tuple[LocalRouter, str], clock: Clock, spec: dict[str, Any]
) -> None:
    local, url = router
    for _ in range(2):
        assert _post(url, model="test/down").status == 500
    assert local.guard.cooling("test/down") == 30
    # Skipped: the fallback serves at once, no attempt at the model cooling down.
    skipped = _post(url, model="test/down", fallbacks=[{"model": "test/hash-64"}])
    assert skipped.status == 200
    assert (skipped.headers["x-orq-attempts"], skipped.headers["x-orq-model"]) == (
        "1",
        "test/hash-64",
    )
    # Alone, it is 503 at once, with the time until it is back.
    alone = _post(url, model="test/down")
    assert alone.status == 503
    assert check_body(spec, 503, alone.data)["error"]["code"] == "model_cooldown"
    assert alone.headers["retry-after"] == "30"
    assert alone.headers["x-orq-attempts"] == "0"
    clock.now += 20
    assert _post(url, model="test/down").headers["retry-after"] == "10"
    clock.now += 10
    back = _post(url, model="test/down")
    assert (back.status, back.headers["x-orq-attempts"]) == (500, "1")  # tried again
    metrics = http.request("GET", url + "/metrics").data.decode()
    assert 'orq_router_model_cooldowns_total{model="test/down"} 1.0' in metrics


def test_the_load_balancer_draws_only_among_models_not_cooling_down(
    router: tuple[LocalRouter, str],
) -> None:
    _, url = router
    for _ in range(2):
        _post(url, model="test/down")
    balancer = {
        "type": "weight_based",
        "models": [{"model": "test/down", "weight": 1000}, {"model": "test/hash-32", "weight": 1}],
    }
    served = {
        _post(url, model="test/hash-32", load_balancer=balancer).headers["x-orq-model"]
        for _ in range(20)
    }
    assert served == {"test/hash-32"}


def test_a_success_starts_the_count_again_and_client_errors_do_not_count(
    router: tuple[LocalRouter, str],
) -> None:
    local, url = router
    assert _post(url, model="test/down").status == 500
    local.guard.succeeded("test/down", 0, 0)
    assert _post(url, model="test/down").status == 500
    assert not local.guard.cooling("test/down")  # one failure in a row, not two
    for _ in range(3):
        assert _post(url, model="test/picky").status == 400
    assert not local.guard.cooling("test/picky")  # a 400 says nothing of the model's health
    for _ in range(3):
        assert _post(url, model="test/slow", timeout={"call_timeout": 10}).status == 504
    assert not local.guard.cooling("test/slow")  # nor does the caller's own call_timeout


def test_a_per_model_override_of_zero_never_cools_a_model_down(
    router: tuple[LocalRouter, str],
) -> None:
    local, url = router
    for _ in range(4):
        assert _post(url, model="test/busy").status == 429
    assert not local.guard.cooling("test/busy")


def test_retries_stop_once_the_model_cools_down_and_the_fallback_serves(
    router: tuple[LocalRouter, str],
) -> None:
    _, url = router
    answer = _post(
        url, model="test/down", retry={"count": 5}, fallbacks=[{"model": "test/hash-32"}]
    )
    assert answer.status == 200
    # Two attempts at test/down (then it cools down, so no third), one at the fallback.
    assert answer.headers["x-orq-attempts"] == "3"


def test_the_routing_tests_own_config_turns_cooldowns_off(local_router: EmbeddingsServer) -> None:
    assert local_router.router.config.cooldown.failures == 0


# --- backpressure: max_queue_inputs ----------------------------------------------------------


def test_a_request_that_would_pass_max_queue_inputs_is_429_at_once(
    router: tuple[LocalRouter, str], spec: dict[str, Any]
) -> None:
    local, url = router
    first: list[urllib3.BaseHTTPResponse] = []
    pool = urllib3.PoolManager(retries=False)
    body = json.dumps({"input": ["a", "b", "c"], "model": "test/queue"}).encode()
    thread = threading.Thread(
        target=lambda: first.append(
            pool.request(
                "POST", url + PATH, body=body, headers={"Content-Type": "application/json"}
            )
        )
    )
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while local.guard.queued("test/queue") == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        assert local.guard.queued("test/queue") == 3
        metrics = http.request("GET", url + "/metrics").data.decode()
        assert 'orq_router_queue_inputs{model="test/queue"} 3.0' in metrics
        refused = _post(url, model="test/queue", input=["d", "e"])
        assert local.guard.queued("test/queue") == 3  # answered while the first one waits
        assert refused.status == 429
        assert check_body(spec, 429, refused.data)["error"]["code"] == "queue_full"
        assert refused.headers["retry-after"] == "1"
        # One input still fits; and a fallback takes what does not.
        fallback = _post(
            url, model="test/queue", input=["d", "e"], fallbacks=[{"model": "test/hash-32"}]
        )
        assert (fallback.status, fallback.headers["x-orq-model"]) == (200, "test/hash-32")
    finally:
        thread.join()
    assert first[0].status == 200
    assert local.guard.queued("test/queue") == 0
    # A request alone is always admitted, however large.
    assert _post(url, model="test/queue", input=[str(i) for i in range(10)]).status == 200


# --- waits before a retry: jitter, upstream Retry-After ----------------------------------------


def test_backoff_doubles_and_jitter_spreads_it_between_half_and_one_and_a_half() -> None:
    assert [backoff(n) for n in (1, 2, 3, 5, 9)] == [0.02, 0.04, 0.08, 0.32, 0.32]
    draws = [jittered(1) for _ in range(500)]
    assert all(0.5 * FIRST_BACKOFF_S <= d < 1.5 * FIRST_BACKOFF_S for d in draws)
    assert len(set(draws)) > 400  # not one fixed wait


def _call(timeout_ms: int | None = None) -> Any:
    body: dict[str, Any] = {"input": "x", "model": "m/x"}
    if timeout_ms is not None:
        body["timeout"] = {"call_timeout": timeout_ms}
    return parse_body(json.dumps(body).encode(), max_inputs=8)


def test_an_upstream_retry_after_is_waited_for_capped_by_call_timeout() -> None:
    asks_2s = RouterError(429, "upstream_error", "busy", headers={"retry-after": "2"})
    assert _wait(1, asks_2s, _call()) == 2.0
    assert _wait(1, asks_2s, _call(timeout_ms=500)) == 0.5  # capped by call_timeout
    asks_hour = RouterError(503, "upstream_error", "later", headers={"retry-after": "3600"})
    assert _wait(1, asks_hour, _call()) == MAX_UPSTREAM_WAIT_S
    shorter = RouterError(503, "upstream_error", "now", headers={"retry-after": "0"})
    assert _wait(1, shorter, _call()) < 1.5 * FIRST_BACKOFF_S  # the backoff, then
    date = email.utils.formatdate(time.time() + 5, usegmt=True)
    assert 3.5 < (retry_after_s(date) or 0) <= 5
    assert retry_after_s("soon") is None and retry_after_s("") is None
    assert retry_after_s("nan") is None


def test_an_upstreams_retry_after_is_honoured_and_passed_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with EmbeddingsServer() as upstream:
        config = parse_config(
            {
                "models": {
                    "up/hash": {
                        "backend": "openai",
                        "base_url": upstream.url + "/v1",
                        "model": "local/hashing-384",
                        "api_key_env": "ORQ_TEST_UPSTREAM_KEY",
                    }
                }
            }
        )
        monkeypatch.setenv("ORQ_TEST_UPSTREAM_KEY", "sk-orq-test-key-0123456789abcdef")
        with LocalServer(create_app(LocalRouter(config))) as front:
            waits: list[float] = []

            async def recorded(delay: float) -> None:
                waits.append(delay)  # and no wait: the test need not sleep 7 s

            monkeypatch.setattr(routing_module, "_sleep", recorded)
            upstream.answer(429, {"error": {"message": "slow down"}}, {"Retry-After": "7"})
            served = _post(front.url, model="up/hash", retry={"count": 1})
            assert served.status == 200
            assert waits == [7.0]  # the upstream's wait, not the 20 ms backoff
            upstream.answer(429, {"error": {"message": "slow down"}}, {"Retry-After": "7"})
            refused = _post(front.url, model="up/hash")
            assert refused.status == 429
            assert refused.headers["retry-after"] == "7"  # passed on to the client
