"""A client's mistakes get their 4xx and the spec's error body; the router never 500s."""

from __future__ import annotations

import json
from typing import Any

import pytest
import urllib3

from orq_router import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    Orq,
)
from orq_router_server.errors import RouterError
from tests.router_server import EmbeddingsServer
from tests.server.conftest import KEY, MAX_BODY_BYTES, MAX_INPUTS
from tests.server.oracle import check_body

PATH = "/v2/router/embeddings"
http = urllib3.PoolManager(retries=False)


def _post(
    server: EmbeddingsServer,
    body: bytes | dict[str, Any],
    *,
    key: str | None = KEY,
    path: str = PATH,
    method: str = "POST",
) -> urllib3.BaseHTTPResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    return http.request(method, server.url + path, body=raw, headers=headers)


def test_a_missing_or_wrong_key_is_401(client: Orq, local_router: EmbeddingsServer) -> None:
    with pytest.raises(AuthenticationError) as caught:
        client.with_options(api_key="key-z").router.embeddings.create(
            input="x", model="test/hash-32"
        )
    assert caught.value.code == "invalid_api_key"
    missing = _post(local_router, {"input": "x", "model": "test/hash-32"}, key=None)
    assert missing.status == 401
    assert check_body_of(missing)["error"]["code"] == "missing_api_key"
    not_bearer = http.request(
        "POST",
        local_router.url + PATH,
        body=b'{"input": "x", "model": "test/hash-32"}',
        headers={"Authorization": f"Basic {KEY}"},
    )
    assert not_bearer.status == 401


def test_an_unknown_model_anywhere_in_the_request_is_404_naming_the_field(client: Orq) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.router.embeddings.create(input="x", model="test/nope")
    assert caught.value.code == "model_not_found"
    assert caught.value.error is not None and caught.value.error.param == "model"
    with pytest.raises(NotFoundError) as caught:
        client.router.embeddings.create(
            input="x", model="test/hash-32", fallbacks=[{"model": "test/hash-64"}, {"model": "x/y"}]
        )
    assert caught.value.error is not None and caught.value.error.param == "fallbacks[1].model"
    with pytest.raises(NotFoundError) as caught:
        client.router.embeddings.create(
            input="x",
            model="test/hash-32",
            load_balancer={"type": "weight_based", "models": [{"model": "x/y", "weight": 1}]},
        )
    assert caught.value.error is not None
    assert caught.value.error.param == "load_balancer.models[0].model"


def test_a_body_over_max_body_bytes_is_413(client: Orq, spec: dict[str, Any]) -> None:
    with pytest.raises(APIStatusError) as caught:
        client.router.embeddings.create(input="x" * (MAX_BODY_BYTES + 1), model="test/hash-32")
    assert caught.value.status_code == 413
    assert caught.value.code == "body_too_large"
    check_body(spec, 413, caught.value.content)


def test_a_huge_declared_body_is_refused_before_it_is_read(
    local_router: EmbeddingsServer,
) -> None:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(local_router.url)
    assert parts.hostname and parts.port
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(
            b"POST /v2/router/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + KEY.encode() + b"\r\n"
            b"Content-Length: 100000000000\r\n\r\n{"
        )
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_more_inputs_than_max_inputs_is_400(client: Orq) -> None:
    with pytest.raises(BadRequestError) as caught:
        client.router.embeddings.create(
            input=[f"t{i}" for i in range(MAX_INPUTS + 1)], model="test/hash-32"
        )
    assert caught.value.code == "too_many_inputs"
    assert (
        len(client.router.embeddings.create(input=["t"] * MAX_INPUTS, model="test/hash-32").data)
        == MAX_INPUTS
    )


MALFORMED = [
    (b"{", 400, "invalid_json", None),
    (b"", 400, "invalid_json", None),
    (b"\xff\xfe", 400, "invalid_json", None),
    (b'{"input": NaN, "model": "m"}', 400, "invalid_json", None),
    (b"[1, 2]", 400, "invalid_json", None),
    (b'"text"', 400, "invalid_json", None),
    (b"[" * 50_000, 400, "invalid_json", None),
    (b'{"model": "test/hash-32"}', 422, "invalid_request", "input"),
    (b'{"input": "x"}', 422, "invalid_request", "model"),
    (b'{"input": "", "model": "test/hash-32"}', 422, "invalid_request", "input"),
    (b'{"input": [], "model": "test/hash-32"}', 422, "invalid_request", "input"),
    (b'{"input": ["a", ""], "model": "test/hash-32"}', 422, "invalid_request", "input[1]"),
    (b'{"input": [[]], "model": "test/hash-32"}', 422, "invalid_request", "input[0]"),
    (b'{"input": [[1, 2.5]], "model": "test/hash-32"}', 422, "invalid_request", "input[0][1]"),
    (b'{"input": [1, 2], "model": "test/hash-32"}', 422, "invalid_request", "input[0]"),
    (b'{"input": 7, "model": "test/hash-32"}', 422, "invalid_request", "input"),
    (b'{"input": "x", "model": 7}', 422, "invalid_request", "model"),
    (b'{"input": "x", "model": "test/hash-32", "dimension": 3}', 422, "invalid_request", "dimension"),
    (b'{"input": "x", "model": "test/hash-32", "dimensions": 0}', 422, "invalid_request", "dimensions"),
    (b'{"input": "x", "model": "test/hash-32", "dimensions": true}', 422, "invalid_request", "dimensions"),
    (b'{"input": "x", "model": "test/hash-32", "dimensions": 2.5}', 422, "invalid_request", "dimensions"),
    (b'{"input": "x", "model": "test/hash-32", "encoding_format": "binary"}', 422, "invalid_request", "encoding_format"),
    (b'{"input": "x", "model": "test/hash-32", "retry": {"count": 6}}', 422, "invalid_request", "retry.count"),
    (b'{"input": "x", "model": "test/hash-32", "retry": {"on_codes": [99]}}', 422, "invalid_request", "retry.on_codes[0]"),
    (b'{"input": "x", "model": "test/hash-32", "cache": {"type": "semantic"}}', 422, "invalid_request", "cache.type"),
    (b'{"input": "x", "model": "test/hash-32", "cache": {"ttl": 5}}', 422, "invalid_request", "cache.type"),
    (b'{"input": "x", "model": "test/hash-32", "cache": {"type": "exact_match", "ttl": 259201}}', 422, "invalid_request", "cache.ttl"),
    (b'{"input": "x", "model": "test/hash-32", "load_balancer": {"type": "weight_based", "models": []}}', 422, "invalid_request", "load_balancer.models"),
    (b'{"input": "x", "model": "test/hash-32", "load_balancer": {"type": "weight_based", "models": [{"model": "test/a", "weight": 0}]}}', 422, "invalid_request", "load_balancer.models[0].weight"),
    (b'{"input": "x", "model": "test/hash-32", "timeout": {"call_timeout": 0}}', 422, "invalid_request", "timeout.call_timeout"),
    (b'{"input": "x", "model": "test/hash-32", "timeout": 30}', 422, "invalid_request", "timeout"),
    (b'{"input": "x", "model": "test/hash-32", "fallbacks": ["test/a"]}', 422, "invalid_request", "fallbacks[0]"),
    (b'{"input": "x", "model": "test/hash-32", "orq": {"retry": {"count": 9}}}', 422, "invalid_request", "orq.retry.count"),
    (b'{"input": "x", "model": "test/hash-32", "orq": {"identity": {"id": "c", "email": "jane"}}}', 422, "invalid_request", "orq.identity.email"),
    (b'{"input": "x", "model": "test/hash-32", "orq": {"contact": {"id": ""}}}', 422, "invalid_request", "orq.contact.id"),
    (b'{"input": "x", "model": "test/hash-32", "orq": {"identity": {"id": "c", "metadata": [{"k": 1}]}}}', 422, "invalid_request", "orq.identity.metadata[0].k"),
    (b'{"input": "x", "model": "test/hash-32", "orq": {"identity": {"id": "c", "logo_url": "not a uri"}}}', 422, "invalid_request", "orq.identity.logo_url"),
    (b'{"input": "x", "model": "test/hash-32", "orq": {"tenant": "t"}}', 422, "invalid_request", "orq.tenant"),
    (b'{"input": "\\ud800", "model": "test/hash-32"}', 400, "invalid_unicode", "input"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "status", "code", "param"), MALFORMED)
def test_each_malformed_body_gets_its_4xx_and_the_spec_error_body(
    local_router: EmbeddingsServer,
    spec: dict[str, Any],
    body: bytes,
    status: int,
    code: str,
    param: str | None,
) -> None:
    answer = _post(local_router, body)
    assert answer.status == status, answer.data
    error = check_body(spec, status, answer.data)["error"]
    assert error["code"] == code
    assert error.get("param") == param
    assert answer.headers["x-request-id"].startswith("req_")


def test_integral_floats_count_as_integers_as_json_schema_says(
    local_router: EmbeddingsServer,
) -> None:
    answer = _post(local_router, {"input": [[1.0, 2]], "model": "test/hash-32", "dimensions": 8.0})
    assert answer.status == 200
    assert len(json.loads(answer.data)["data"][0]["embedding"]) == 8


def test_unknown_routes_and_methods_get_the_error_body(local_router: EmbeddingsServer) -> None:
    missing = _post(local_router, {}, path="/v2/router/embedding")
    assert missing.status == 404
    assert check_body_of(missing)["error"]["code"] == "not_found"
    wrong = _post(local_router, b"", method="GET")
    assert wrong.status == 405
    assert wrong.headers["allow"] == "POST"
    assert check_body_of(wrong)["error"]["code"] == "method_not_allowed"


def test_the_server_keeps_answering_after_every_mistake(
    client: Orq, local_router: EmbeddingsServer
) -> None:
    for body, *_ in MALFORMED:
        _post(local_router, body)
    assert client.router.embeddings.create(input="still here", model="test/hash-32").data


def check_body_of(answer: urllib3.BaseHTTPResponse) -> Any:
    body = json.loads(answer.data)
    assert set(body) == {"error"} and isinstance(body["error"]["message"], str)
    return body


VALID = [
    b'{"input": "x", "model": "test/hash-32"}',
    b'{"input": ["a", [1, 2]], "model": "m/x", "dimensions": 8.0, "user": "\\u00e9\\ud83d\\ude00"}',
    b'{"input": "x", "model": "m/x", "dimensions": 3, "dimensions": 4}',
    b'{"input": [[1.0, 2]], "model": "m/x", "load_balancer": {"type": "weight_based", "models": [{"model": "a/b", "weight": 1e308}]}}',
    b'{"input": "x", "model": "m/x", "retry": {"count": 10000000000000000000000}}',
    '{"input": "x", "model": "m/x"}'.encode("utf-16"),
]  # fmt: skip


@pytest.mark.parametrize("body", [body for body, *_ in MALFORMED] + VALID)
def test_a_body_reads_the_same_with_or_without_orjson(
    body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orq_router_server import request

    def outcome() -> Any:
        try:
            return request.parse_body(body, max_inputs=MAX_INPUTS)
        except RouterError as error:
            return (error.status, error.code, error.param, error.message)

    assert request._orjson_loads is not None, "orjson is missing from the test environment"
    fast = outcome()
    monkeypatch.setattr(request, "_orjson_loads", None)
    assert outcome() == fast
