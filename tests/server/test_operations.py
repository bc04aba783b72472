"""Running the router for a team: probes, metrics, content types, clients that go away."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import urllib3
from prometheus_client.parser import text_string_to_metric_families

from orq_router import Cache, NotFoundError, Orq, RateLimitError, Retry
from orq_router_server import LocalRouter, LocalServer, create_app, parse_config
from orq_router_server.lifecycle import Lifecycle
from orq_router_server.requestlog import LOGGER_NAME
from tests.router_server import EmbeddingsServer
from tests.server.conftest import KEY
from tests.server.oracle import check_body

http = urllib3.PoolManager(retries=False)
PATH = "/v2/router/embeddings"
BODY = json.dumps({"input": "hello", "model": "test/hash-32"}).encode()


def _post(
    url: str, content_type: str | None, *, body: bytes = BODY, key: str | None = KEY
) -> urllib3.BaseHTTPResponse:
    headers = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    return http.request("POST", url + PATH, body=body, headers=headers)


def test_health_and_ready_answer_200_without_a_key(local_router: EmbeddingsServer) -> None:
    health = http.request("GET", local_router.url + "/health")
    assert health.status == 200
    assert json.loads(health.data) == {"status": "ok"}
    ready = http.request("GET", local_router.url + "/ready")
    assert ready.status == 200
    assert json.loads(ready.data)["status"] == "ready"
    assert "test/hash-32" in json.loads(ready.data)["models"]


def test_requests_carry_a_request_id_and_the_probes_and_metrics_do_not(
    local_router: EmbeddingsServer,
) -> None:
    """What the README's "Headers" paragraph says, answer by answer."""
    url = local_router.url
    for path in ("/health", "/ready", "/metrics"):
        assert "x-request-id" not in http.request("GET", url + path).headers, path
    traced = [
        http.request("GET", url + "/v1/models", headers={"Authorization": f"Bearer {KEY}"}),
        http.request("GET", url + "/nowhere"),
        _post(url, "application/json"),
    ]
    assert [answer.status for answer in traced] == [200, 404, 200]
    ids = [answer.headers["x-request-id"] for answer in traced]
    assert all(found.startswith("req_") for found in ids) and len(set(ids)) == 3


@pytest.fixture
def loading() -> Iterator[tuple[Lifecycle, str]]:
    """A served app whose models are not loaded yet (no router), and its URL."""
    lifecycle = Lifecycle()
    with LocalServer(create_app(lifecycle)) as server:
        yield lifecycle, server.url


def test_before_the_models_load_ready_is_503_and_requests_get_a_json_503(
    loading: tuple[Lifecycle, str], spec: dict[str, Any]
) -> None:
    lifecycle, url = loading
    assert http.request("GET", url + "/health").status == 200
    ready = http.request("GET", url + "/ready")
    assert ready.status == 503
    assert json.loads(ready.data)["error"]["code"] == "not_ready"
    answer = _post(url, "application/json", key=None)
    assert answer.status == 503
    assert answer.headers["retry-after"] == "1"
    assert check_body(spec, 503, answer.data)["error"]["code"] == "not_ready"
    assert http.request("GET", url + "/metrics").status == 200  # metrics from the start
    config = parse_config({"models": {"test/hash-32": {"backend": "hashing", "dimensions": 32}}})
    lifecycle.serve(LocalRouter(config, metrics=lifecycle.metrics))
    assert http.request("GET", url + "/ready").status == 200
    assert _post(url, "application/json", key=None).status == 200


def test_while_draining_ready_is_503_and_health_stays_200(
    loading: tuple[Lifecycle, str],
) -> None:
    lifecycle, url = loading
    config = parse_config({"models": {"test/hash-32": {"backend": "hashing", "dimensions": 32}}})
    lifecycle.serve(LocalRouter(config, metrics=lifecycle.metrics))
    lifecycle.draining = True
    ready = http.request("GET", url + "/ready")
    assert ready.status == 503
    assert json.loads(ready.data)["error"]["code"] == "draining"
    assert http.request("GET", url + "/health").status == 200
    assert _post(url, "application/json", key=None).status == 200  # still answered


def test_a_request_past_the_grace_period_gets_a_json_503(spec: dict[str, Any]) -> None:
    config = parse_config(
        {
            "models": {
                "test/hash-32": {"backend": "hashing", "dimensions": 32},
                "test/slow": {"backend": "fault", "delay_ms": 30_000, "then": "test/hash-32"},
            }
        }
    )
    lifecycle = Lifecycle(LocalRouter(config))
    with LocalServer(create_app(lifecycle)) as server:
        pool = urllib3.PoolManager(retries=False)
        body = json.dumps({"input": "x", "model": "test/slow"}).encode()

        async def slow_then_drain() -> urllib3.BaseHTTPResponse:
            request = asyncio.to_thread(
                pool.request,
                "POST",
                server.url + PATH,
                body=body,
                headers={"Content-Type": "application/json"},
            )
            task = asyncio.ensure_future(request)
            while not lifecycle.inflight:
                await asyncio.sleep(0.01)
            # The drain runs on the server's loop, as the SIGTERM handler runs it.
            loop = _server_loop(lifecycle)
            asyncio.run_coroutine_threadsafe(lifecycle.drain(0.2), loop)
            return await task

        answer = asyncio.run(slow_then_drain())
    assert answer.status == 503
    error = check_body(spec, 503, answer.data)["error"]
    assert error["code"] == "shutting_down"
    assert answer.headers["retry-after"] == "1"


def _server_loop(lifecycle: Lifecycle) -> asyncio.AbstractEventLoop:
    (task,) = lifecycle.inflight
    return task.get_loop()


# --- 415: only JSON bodies ------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
     "multipart/form-data; boundary=x", "application/jsonx", None],
)  # fmt: skip
def test_a_body_that_is_not_sent_as_json_is_415_with_the_error_body(
    local_router: EmbeddingsServer, spec: dict[str, Any], content_type: str | None
) -> None:
    answer = _post(local_router.url, content_type)
    assert answer.status == 415
    error = check_body(spec, 415, answer.data)["error"]
    assert error["code"] == "unsupported_media_type"
    assert answer.headers["x-request-id"].startswith("req_")
    assert _post(local_router.url, content_type, body=b"x" * 100_000).status == 415


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
def test_json_with_parameters_or_any_case_is_accepted(
    local_router: EmbeddingsServer, content_type: str
) -> None:
    assert _post(local_router.url, content_type).status == 200


def test_the_openai_route_refuses_non_json_too(local_router: EmbeddingsServer) -> None:
    answer = http.request(
        "POST",
        local_router.url + "/v1/embeddings",
        body=BODY,
        headers={"Content-Type": "text/plain", "Authorization": f"Bearer {KEY}"},
    )
    assert answer.status == 415


def test_a_wrong_key_is_still_401_before_the_content_type(local_router: EmbeddingsServer) -> None:
    assert _post(local_router.url, "text/plain", key="key-z").status == 401


# --- a client that goes away ----------------------------------------------------------------


def test_a_client_gone_mid_body_is_logged_as_499_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("INFO")
    # The router itself (the test server's recorder would read the body first).
    router = LocalRouter(
        parse_config({"api_keys": [KEY], "models": {"t/h": {"backend": "hashing"}}})
    )
    with LocalServer(create_app(router)) as server:
        _send_half_a_body(server.url)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if [r for r in caplog.records if r.name == LOGGER_NAME]:
                break
            time.sleep(0.02)
    (line,) = [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER_NAME]
    assert (line["status"], line["error"]) == (499, "client_disconnected")
    assert not [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "CRITICAL")]
    assert "Traceback" not in caplog.text and "internal_error" not in caplog.text


def _send_half_a_body(url: str) -> None:
    parts = urlsplit(url)
    assert parts.hostname and parts.port
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(
            b"POST /v2/router/embeddings HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nAuthorization: Bearer " + KEY.encode() + b"\r\n"
            b"Content-Length: 1000\r\n\r\n" + b'{"input": "hal'
        )
        time.sleep(0.1)


# --- /metrics ---------------------------------------------------------------------------------


def _metrics(url: str) -> dict[str, list[tuple[str, dict[str, str], float]]]:
    """Every sample by metric family name: (sample name, labels, value)."""
    answer = http.request("GET", url + "/metrics")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/plain")
    found: dict[str, list[tuple[str, dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(answer.data.decode()):
        found[family.name] = [(s.name, s.labels, s.value) for s in family.samples]
    return found


def _value(samples: list[tuple[str, dict[str, str], float]], name: str, **labels: str) -> float:
    matching = [
        value
        for sample, found, value in samples
        if sample == name and all(found.get(k) == v for k, v in labels.items())
    ]
    return sum(matching)


def test_metrics_count_requests_attempts_cache_inputs_and_tokens_in_prometheus_text() -> None:
    config = parse_config(
        {
            "api_keys": ["key-a"],
            "limits": {"keys": {"key-a": {"requests_per_minute": 5}}},
            "models": {
                "test/hash-32": {"backend": "hashing", "dimensions": 32},
                "test/flaky": {"backend": "fault", "fail_with": [503], "then": "test/hash-32"},
            },
        }
    )
    with LocalServer(create_app(LocalRouter(config))) as server:
        with Orq(api_key="key-a", base_url=server.url, max_retries=0) as client:
            client.router.embeddings.create(
                input=["a b", "c"], model="test/hash-32", cache=Cache(ttl=60)
            )
            client.router.embeddings.create(
                input=["a b", "c"], model="test/hash-32", cache=Cache(ttl=60)
            )
            client.router.embeddings.create(input="x", model="test/flaky", retry=Retry(count=1))
            with pytest.raises(NotFoundError):
                client.router.embeddings.create(input="x", model="test/nope")
            client.router.embeddings.create(input="x", model="test/hash-32")  # the fifth
            with pytest.raises(RateLimitError):  # the sixth request of the minute
                client.router.embeddings.create(input="x", model="test/hash-32")
        metrics = _metrics(server.url)
    requests = metrics["orq_router_requests"]
    route = "/v2/router/embeddings"
    assert (
        _value(
            requests, "orq_router_requests_total", route=route, model="test/hash-32", status="200"
        )
        == 3
    )
    assert (
        _value(requests, "orq_router_requests_total", route=route, model="test/flaky", status="200")
        == 1
    )
    assert _value(requests, "orq_router_requests_total", route=route, model="", status="404") == 1
    assert _value(requests, "orq_router_requests_total", route=route, status="429") == 1
    seconds = metrics["orq_router_request_seconds"]
    assert _value(seconds, "orq_router_request_seconds_count", route=route) == 6
    assert _value(seconds, "orq_router_request_seconds_bucket", route=route, le="+Inf") == 6
    attempts = metrics["orq_router_model_attempts"]
    assert (
        _value(
            attempts,
            "orq_router_model_attempts_total",
            model="test/flaky",
            outcome="fault_injected",
        )
        == 1
    )
    assert (
        _value(attempts, "orq_router_model_attempts_total", model="test/flaky", outcome="ok") == 1
    )
    assert (
        _value(attempts, "orq_router_model_attempts_total", model="test/hash-32", outcome="ok") == 2
    )
    cache = metrics["orq_router_cache"]
    assert _value(cache, "orq_router_cache_total", result="miss") == 1
    assert _value(cache, "orq_router_cache_total", result="hit") == 1
    assert (
        _value(metrics["orq_router_inputs"], "orq_router_inputs_total", model="test/hash-32")
        == 2 + 1
    )
    assert (
        _value(metrics["orq_router_tokens"], "orq_router_tokens_total", model="test/hash-32")
        == 3 + 1
    )
    assert (
        _value(metrics["orq_router_queue_inputs"], "orq_router_queue_inputs", model="test/hash-32")
        == 0
    )
    limited = metrics["orq_router_rate_limited"]
    ((_, labels, value),) = [s for s in limited if s[0] == "orq_router_rate_limited_total"]
    assert value == 1
    assert labels["key_id"].startswith("key_") and "key-a" not in labels["key_id"]
    assert "orq_router_batch_inputs" in metrics
    assert "orq_router_queue_wait_seconds" in metrics
    assert "orq_router_model_cooldowns" in metrics


def test_metrics_leave_out_probes_and_never_show_a_key(local_router: EmbeddingsServer) -> None:
    for path in ("/health", "/ready"):
        http.request("GET", local_router.url + path)
    text = http.request("GET", local_router.url + "/metrics").data.decode()
    assert "/health" not in text and "/ready" not in text
    assert KEY not in text
