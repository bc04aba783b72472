"""Limits per API key (or client address): requests and tokens per minute, requests at once.

The buckets' arithmetic is checked against a clock the test moves; the answers (429, the
spec's error body, `Retry-After`, OpenAI's `x-ratelimit-*` headers) live, through our
SDK, whose retries must honour them, and through the two clients nobody here wrote.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import openai
import orq_ai_sdk
import pytest
import urllib3
from orq_ai_sdk import models as orq_models
from prometheus_client.parser import text_string_to_metric_families

from orq_router import Orq, RateLimitError
from orq_router_server import LocalRouter, LocalServer, create_app, parse_config
from orq_router_server.config import Limit
from orq_router_server.limits import MemoryLimiter, RateLimited, caller_id, duration
from tests.server.oracle import check_body

PATH = "/v2/router/embeddings"
http = urllib3.PoolManager(retries=False)


def _config(**top: Any) -> dict[str, Any]:
    return {
        "models": {
            "test/hash-32": {"backend": "hashing", "dimensions": 32},
            "test/slow": {"backend": "fault", "delay_ms": 400, "then": "test/hash-32"},
        },
        **top,
    }


@pytest.fixture
def serve() -> Iterator[Any]:
    """`serve(config_dict)` -> a running router's URL; every one stopped at the end."""
    servers: list[LocalServer] = []

    def start(config: dict[str, Any]) -> str:
        server = LocalServer(create_app(LocalRouter(parse_config(config))))
        server.start()
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


def _post(url: str, key: str | None = None, text: str = "hello") -> urllib3.BaseHTTPResponse:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    body = json.dumps({"input": text, "model": "test/hash-32"}).encode()
    return http.request("POST", url + PATH, body=body, headers=headers)


# --- the buckets, on a clock the test moves ------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _admit(limiter: MemoryLimiter, limit: Limit, caller: str = "c") -> dict[str, str]:
    return asyncio.run(limiter.admit(caller, limit, "req"))


def test_n_requests_per_minute_pass_back_to_back_and_the_next_waits_60_over_n_s() -> None:
    clock = Clock()
    limiter = MemoryLimiter(clock=clock)
    limit = Limit(requests_per_minute=15)  # one request every 4 s
    remaining = [_admit(limiter, limit)["x-ratelimit-remaining-requests"] for _ in range(15)]
    assert remaining == [str(n) for n in range(14, -1, -1)]
    with pytest.raises(RateLimited) as refused:
        _admit(limiter, limit)
    assert refused.value.status == 429
    assert refused.value.headers["retry-after"] == "4"
    assert refused.value.headers["x-ratelimit-remaining-requests"] == "0"
    assert refused.value.headers["x-ratelimit-reset-requests"] == "1m0s"
    clock.now += 3.5
    with pytest.raises(RateLimited) as refused:
        _admit(limiter, limit)
    assert refused.value.headers["retry-after"] == "1"  # half a second, in whole seconds
    clock.now += 0.5
    assert _admit(limiter, limit)["x-ratelimit-remaining-requests"] == "0"
    clock.now += 600
    assert _admit(limiter, limit)["x-ratelimit-remaining-requests"] == "14"  # full, not more
    assert _admit(limiter, limit, caller="another")["x-ratelimit-remaining-requests"] == "14"


def test_tokens_are_charged_after_the_answer_and_refuse_while_the_bucket_is_empty() -> None:
    clock = Clock()
    limiter = MemoryLimiter(clock=clock)
    limit = Limit(tokens_per_minute=600)
    headers = _admit(limiter, limit)
    assert headers["x-ratelimit-limit-tokens"] == "600"
    assert headers["x-ratelimit-remaining-tokens"] == "600"
    assert "x-ratelimit-limit-requests" not in headers  # only the limits that are set
    asyncio.run(limiter.finish("c", limit, "req", 900))  # one large request: 300 below zero
    with pytest.raises(RateLimited) as refused:
        _admit(limiter, limit)
    assert refused.value.what == "tokens"
    assert refused.value.headers["retry-after"] == "31"  # 301 tokens at 10 a second
    clock.now += 31
    assert _admit(limiter, limit)["x-ratelimit-remaining-tokens"] == "10"


def test_max_concurrent_counts_requests_until_they_finish() -> None:
    limiter = MemoryLimiter(clock=Clock())
    limit = Limit(max_concurrent=2)
    _admit(limiter, limit)
    _admit(limiter, limit)
    with pytest.raises(RateLimited) as refused:
        _admit(limiter, limit)
    assert (refused.value.what, refused.value.headers["retry-after"]) == ("concurrent", "1")
    asyncio.run(limiter.finish("c", limit, "req", 0))
    _admit(limiter, limit)


def test_durations_and_caller_ids() -> None:
    assert [duration(s) for s in (0.25, 1, 1.5, 59.9994, 360, 61.2)] == [
        "250ms", "1s", "1.5s", "59.999s", "6m0s", "1m1.2s",
    ]  # fmt: skip
    assert caller_id("sk-secret", "10.0.0.1").startswith("key_")
    assert "sk-secret" not in caller_id("sk-secret", None)
    assert caller_id("sk-secret", None) == caller_id("sk-secret", "other")
    assert caller_id(None, "10.0.0.1") == "addr:10.0.0.1"


# --- live: 429 with the spec's body and OpenAI's headers ------------------------------------


def test_over_the_limit_is_429_with_the_error_body_retry_after_and_ratelimit_headers(
    serve: Any, spec: dict[str, Any]
) -> None:
    url = serve(_config(api_keys=["key-a"], limits={"requests_per_minute": 3}))
    answers = [_post(url, "key-a") for _ in range(4)]
    assert [a.status for a in answers] == [200, 200, 200, 429]
    assert [a.headers["x-ratelimit-remaining-requests"] for a in answers] == ["2", "1", "0", "0"]
    refused = answers[-1]
    error = check_body(spec, 429, refused.data)["error"]
    assert (error["code"], error["type"]) == ("rate_limit_exceeded", "rate_limit_error")
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert refused.headers["x-ratelimit-limit-requests"] == "3"
    assert refused.headers["x-ratelimit-reset-requests"].endswith("s")
    assert refused.headers["x-request-id"].startswith("req_")


def test_a_keys_own_limits_apply_to_it_and_the_rest_come_from_limits(serve: Any) -> None:
    url = serve(
        _config(
            api_keys=["key-a", "key-b"],
            limits={"requests_per_minute": 4, "tokens_per_minute": 1000, "keys": {"key-a": {"requests_per_minute": 2}}},
        )
    )  # fmt: skip
    assert [_post(url, "key-a").status for _ in range(3)] == [200, 200, 429]
    answers = [_post(url, "key-b") for _ in range(5)]
    assert [a.status for a in answers] == [200, 200, 200, 200, 429]
    assert answers[0].headers["x-ratelimit-limit-tokens"] == "1000"  # inherited by key-b
    own = _post(url, "key-a")
    assert own.headers["x-ratelimit-limit-tokens"] == "1000"  # and by key-a
    assert own.headers["x-ratelimit-limit-requests"] == "2"


def test_tokens_per_minute_refuse_once_the_tokens_read_are_spent(serve: Any) -> None:
    url = serve(_config(api_keys=["key-a"], limits={"tokens_per_minute": 10}))
    first = _post(url, "key-a", "one two three four five six seven eight nine ten eleven")
    assert first.status == 200
    refused = _post(url, "key-a", "one")
    assert refused.status == 429
    assert refused.headers["x-ratelimit-remaining-tokens"] == "0"
    assert json.loads(refused.data)["error"]["code"] == "rate_limit_exceeded"


def test_without_api_keys_the_limit_is_per_client_address(serve: Any) -> None:
    url = serve(_config(limits={"requests_per_minute": 2}))
    assert [_post(url, key).status for key in ("a", "b", "c")] == [200, 200, 429]


def test_max_concurrent_refuses_at_once_while_the_callers_requests_run(serve: Any) -> None:
    url = serve(_config(api_keys=["key-a"], limits={"max_concurrent": 1}))
    body = json.dumps({"input": "x", "model": "test/slow"}).encode()
    headers = {"Content-Type": "application/json", "Authorization": "Bearer key-a"}
    slow: list[urllib3.BaseHTTPResponse] = []
    thread = threading.Thread(
        target=lambda: slow.append(urllib3.request("POST", url + PATH, body=body, headers=headers))
    )
    thread.start()
    try:
        refused = None
        for _ in range(100):  # until the slow one is in (it takes 400 ms)
            answer = _post(url, "key-a")
            if answer.status == 429:
                refused = answer
                break
            threading.Event().wait(0.005)
        assert refused is not None
        assert refused.headers["retry-after"] == "1"
    finally:
        thread.join()
    assert slow[0].status == 200
    assert _post(url, "key-a").status == 200  # counted out once answered


# --- clients honour the 429 ---------------------------------------------------------------


def test_the_sdks_retries_wait_out_the_429_end_to_end(serve: Any) -> None:
    url = serve(_config(api_keys=["key-a"], limits={"requests_per_minute": 20}))
    with Orq(api_key="key-a", base_url=url, max_retries=0) as strict:
        for _ in range(20):
            strict.router.embeddings.create(input="x", model="test/hash-32")
        with pytest.raises(RateLimitError) as refused:
            strict.router.embeddings.create(input="x", model="test/hash-32")
        assert 1 <= int(refused.value.headers["retry-after"]) <= 3  # a request every 3 s
    # The same caller, with retries: the SDK waits the Retry-After it is given, and the
    # next try passes.
    refused_before = _refusals(url)
    with Orq(api_key="key-a", base_url=url, max_retries=2) as patient:
        raw = patient.router.embeddings.with_raw_response.create(input="x", model="test/hash-32")
        assert raw.status_code == 200
        assert raw.headers["x-ratelimit-limit-requests"] == "20"
    assert _refusals(url) == refused_before + 1  # it was refused once, and waited


def _refusals(url: str) -> float:
    text = http.request("GET", url + "/metrics").data.decode()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "orq_router_rate_limited_total"
    )


def test_openai_and_the_official_sdk_see_the_429_as_a_rate_limit(serve: Any) -> None:
    url = serve(_config(api_keys=["key-a"], limits={"requests_per_minute": 1}))
    assert _post(url, "key-a").status == 200
    with openai.OpenAI(api_key="key-a", base_url=url + "/v1", max_retries=0) as client:
        with pytest.raises(openai.RateLimitError) as caught:
            client.embeddings.create(input="x", model="test/hash-32")
        assert caught.value.code == "rate_limit_exceeded"
        assert caught.value.response.headers["x-ratelimit-limit-requests"] == "1"
    official = orq_ai_sdk.Orq(api_key="key-a", server_url=url)
    with pytest.raises(orq_models.OrqError) as error:
        official.router.embeddings.create(input="x", model="test/hash-32")
    assert error.value.status_code == 429
    assert "rate_limit_exceeded" in error.value.body
