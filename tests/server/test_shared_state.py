"""`state = "redis://..."`: the cache and the limits in a real Redis, shared by workers.

Every test here starts its own `redis-server` (Debian's package) on a free loopback port
and stops it; nothing is faked. The last tests run `orq-router serve --workers 2` as a
process and check, through the answers' headers and `/metrics` only, that its two worker
processes share one cache entry and one limit.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import urllib3
from prometheus_client.parser import text_string_to_metric_families

from orq_router_server import LocalRouter, LocalServer, create_app, parse_config
from orq_router_server.config import Limit
from orq_router_server.limits import RateLimited, RedisLimiter
from orq_router_server.state import RedisStore
from tests.processes import redis_server, request_lines, serve_command, serving

PATH = "/v2/router/embeddings"
CACHE: dict[str, Any] = {"type": "exact_match", "ttl": 60}
http = urllib3.PoolManager(retries=False)


@pytest.fixture
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


def _config(state: str, **top: Any) -> dict[str, Any]:
    return {
        "state": state,
        "models": {"test/hash-32": {"backend": "hashing", "dimensions": 32}},
        **top,
    }


def _post(
    url: str, text: str = "shared", *, key: str | None = None, close: bool = False, **body: Any
) -> urllib3.BaseHTTPResponse:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    if close:  # a connection of its own: the other worker may take it
        headers["Connection"] = "close"
    raw = json.dumps({"input": text, "model": "test/hash-32", **body}).encode()
    return http.request("POST", url + PATH, body=raw, headers=headers)


def test_the_redis_store_keeps_values_for_their_ttl_and_clears_only_its_own(redis_url: str) -> None:
    store = RedisStore(redis_url)
    other = redis.Redis.from_url(redis_url)
    other.set("not-ours", b"1")

    async def scenario() -> None:
        await store.set_many({"orq:a": b"\x00bytes", "orq:b": b"two"}, 60)
        assert await store.get_many(["orq:a", "orq:missing", "orq:b"]) == [
            b"\x00bytes",
            None,
            b"two",
        ]
        await store.set_many({"orq:short": b"x"}, 0.05)
        await asyncio.sleep(0.2)
        assert await store.get_many(["orq:short"]) == [None]
        await store.clear()
        assert await store.get_many(["orq:a", "orq:b"]) == [None, None]
        await store.close()

    asyncio.run(scenario())
    assert other.get("not-ours") == b"1"
    other.close()


def test_the_redis_limiter_counts_one_bucket_for_every_client(redis_url: str) -> None:
    limit = Limit(requests_per_minute=3, tokens_per_minute=100, max_concurrent=2)

    async def scenario() -> None:
        first, second = RedisLimiter(RedisStore(redis_url)), RedisLimiter(RedisStore(redis_url))
        headers = await first.admit("key_x", limit, "r1")
        assert headers["x-ratelimit-remaining-requests"] == "2"
        await second.admit("key_x", limit, "r2")  # another process's limiter, same bucket
        with pytest.raises(RateLimited) as refused:
            await first.admit("key_x", limit, "r3")
        assert refused.value.what == "concurrent"  # two running
        await first.finish("key_x", limit, "r1", 150)  # 150 tokens: 50 below zero
        await second.finish("key_x", limit, "r2", 0)
        with pytest.raises(RateLimited) as refused:
            await second.admit("key_x", limit, "r4")
        assert refused.value.what == "tokens"
        assert refused.value.headers["retry-after"] == "31"  # 51 tokens at 100 a minute
        other = await first.admit("key_y", limit, "r5")
        assert other["x-ratelimit-remaining-requests"] == "2"  # another caller, its own

    asyncio.run(scenario())


def test_two_routers_on_one_redis_share_the_cache_and_the_limits(redis_url: str) -> None:
    config = parse_config(_config(redis_url, limits={"requests_per_minute": 3}))
    with (
        LocalServer(create_app(LocalRouter(config))) as one,
        LocalServer(create_app(LocalRouter(config))) as two,
    ):
        assert _post(one.url, cache=CACHE).headers["x-orq-cache"] == "miss"
        hit = _post(two.url, cache=CACHE)
        assert (hit.headers["x-orq-cache"], hit.headers["x-orq-attempts"]) == ("hit", "0")
        assert _post(two.url).status == 200  # the third request of this address
        assert _post(one.url).status == 429  # the fourth, whichever router it reaches


def test_a_redis_that_goes_away_costs_the_cache_not_the_answers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("WARNING")
    with redis_server() as url:
        config = parse_config(_config(url, limits={"requests_per_minute": 100}))
        server = LocalServer(create_app(LocalRouter(config)))
        server.start()
    try:
        # redis-server has stopped: answers go on, uncached and unlimited, and it is logged.
        answer = _post(server.url, cache={"type": "exact_match", "ttl": 60})
        assert answer.status == 200
        assert answer.headers["x-orq-cache"] == "miss"
        assert "going on without it" in caplog.text
    finally:
        server.stop()


# --- orq-router serve --workers 2 -------------------------------------------------------------


@pytest.fixture
def workers(redis_url: str, tmp_path: Path) -> Iterator[Any]:
    config = tmp_path / "router.toml"
    config.write_text(
        f'api_keys = ["key-a", "key-b"]\nstate = "{redis_url}"\n'
        '[limits.keys."key-b"]\nrequests_per_minute = 10\n'
        '[models."test/hash-32"]\nbackend = "hashing"\ndimensions = 32\n'
    )
    command = serve_command("--port", "0", "--workers", "2", "--config", str(config))
    with serving(*command) as served:
        # Both workers ready: 40 probes in a row over two seconds, each on a connection
        # of its own (so whichever worker accepts it answers), say so. A worker still
        # starting accepts nothing yet, so the probes are spread out in time.
        in_a_row = 0
        deadline = time.monotonic() + 60
        while in_a_row < 40:
            assert time.monotonic() < deadline, "the workers never were ready together"
            status = served.get("/ready", headers={"Connection": "close"}).status
            in_a_row = in_a_row + 1 if status == 200 else 0
            time.sleep(0.05)
        yield served


def test_two_workers_share_one_cache_entry_and_one_limit(workers: Any) -> None:
    url = workers.url
    results = [
        _post(url, key="key-a", close=True, cache=CACHE).headers["x-orq-cache"] for _ in range(30)
    ]
    assert results == ["miss"] + ["hit"] * 29
    limited = [_post(url, "limit me", key="key-b", close=True).status for _ in range(15)]
    assert limited.count(200) == 10 and limited.count(429) == 5
    assert limited[:10] == [200] * 10
    total = _total_requests(url)
    assert total == 30 + 15  # every worker's counts, whichever worker answers /metrics
    for _ in range(5):
        assert _total_requests(url) == total
    code, _, err = workers.stop(signal.SIGTERM)
    assert code == 0
    lines = request_lines(err)
    assert len(lines) == 45
    # Both workers answered: the shared entry and the shared limit were shared for real.
    assert len({line["worker"] for line in lines}) == 2
    assert "Traceback" not in err


def _total_requests(url: str) -> float:
    text = http.request("GET", url + "/metrics", headers={"Connection": "close"}).data.decode()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "orq_router_requests_total"
    )


def test_workers_reload_on_sighup_and_stop_cleanly(workers: Any, tmp_path: Path) -> None:
    config = tmp_path / "router.toml"
    config.write_text(
        config.read_text() + '[models."test/hash-64"]\nbackend = "hashing"\ndimensions = 64\n'
    )
    workers.signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    served: set[str] = set()
    while time.monotonic() < deadline:
        answers = [
            http.request(
                "GET",
                workers.url + "/v1/models",
                headers={"Authorization": "Bearer key-a", "Connection": "close"},
            )
            for _ in range(6)
        ]
        served = {str(len(json.loads(a.data)["data"])) for a in answers}
        if served == {"2"}:
            break
        time.sleep(0.1)
    assert served == {"2"}  # every worker reloaded
    code, out, _ = workers.stop(signal.SIGTERM)
    assert code == 0
    assert "stopped (SIGTERM)" in out
