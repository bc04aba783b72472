"""The generated endpoint really talks HTTP: checked against a server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import urllib3

from orq_router_api import Client, MalformedResponse, UnexpectedStatus
from orq_router_api import client as client_module
from orq_router_api.api.embeddings import create_embedding
from orq_router_api.models import CreateEmbeddingRequest, CreateEmbeddingResponse, ErrorResponse
from tests.conftest import FIXTURES
from tests.router_server import EmbeddingsServer

TOKEN = "test-token-123"
"""A key the test router (tests/router.toml) accepts."""


@pytest.fixture
def server() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer() as running:
        yield running


@pytest.fixture
def client(server: EmbeddingsServer) -> Client:
    return Client(base_url=server.url, token=TOKEN)


def test_sync_detailed_sends_the_exact_request(
    server: EmbeddingsServer, client: Client, seed_request: dict[str, Any]
) -> None:
    body = CreateEmbeddingRequest.from_dict(seed_request)
    # The reference's model "<string>" is no provider/model id, so no router serves it:
    # the reference's own example answer is sent back instead.
    server.answer(200, json.loads((FIXTURES / "seed_response.json").read_text()))

    response = create_embedding.sync_detailed(client, body=body)

    (sent,) = server.exchanges
    assert sent.method == "POST"
    assert sent.path == "/v2/router/embeddings"
    assert sent.headers["authorization"] == "Bearer test-token-123"
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["user-agent"].startswith("orq-router-api/")
    assert sent.json() == seed_request
    assert list(sent.json()) == list(seed_request)
    assert sent.body == json.dumps(seed_request, separators=(",", ":")).encode()
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req_0001"
    assert isinstance(response.parsed, CreateEmbeddingResponse)
    assert response.parsed.to_dict() == json.loads(response.content)


def test_sync_returns_the_parsed_body(server: EmbeddingsServer, client: Client) -> None:
    body = CreateEmbeddingRequest(input=["a", "b"], model="openai/text-embedding-3-small")
    result = create_embedding.sync(client, body=body)
    assert [item.index for item in result.data] == [0, 1]
    assert result.model == "openai/text-embedding-3-small"
    assert server.exchanges[0].json() == {
        "input": ["a", "b"],
        "model": "openai/text-embedding-3-small",
    }


def test_a_500_raises_unexpected_status_with_status_headers_and_body(
    server: EmbeddingsServer, client: Client
) -> None:
    error = {"error": {"message": "upstream failed", "type": "server_error", "code": "internal"}}
    server.answer(500, error, {"X-Request-Id": "req_boom"})

    with pytest.raises(UnexpectedStatus) as caught:
        create_embedding.sync_detailed(client, body=CreateEmbeddingRequest(input="a", model="m"))

    assert caught.value.status_code == 500
    assert caught.value.content == json.dumps(error).encode()
    assert caught.value.headers["X-Request-Id"] == "req_boom"
    assert isinstance(caught.value.parsed, ErrorResponse)
    assert caught.value.parsed.error.message == "upstream failed"
    assert "HTTP 500" in str(caught.value)


def test_an_error_body_with_null_optional_fields_is_read(
    server: EmbeddingsServer, client: Client
) -> None:
    """OpenAI-style servers send null for `type`, `param`, `doc_url` they have no value for."""
    error = {
        "error": {
            "message": "dimensions is not supported by this model",
            "type": None,
            "code": "unsupported_parameter",
            "param": None,
            "doc_url": None,
        }
    }
    server.answer(400, error)

    with pytest.raises(UnexpectedStatus) as caught:
        create_embedding.sync(client, body=CreateEmbeddingRequest(input="a", model="m"))

    parsed = caught.value.parsed
    assert isinstance(parsed, ErrorResponse)
    assert parsed.error.message == "dimensions is not supported by this model"
    assert parsed.error.code == "unsupported_parameter"
    assert (parsed.error.type, parsed.error.param, parsed.error.doc_url) == (None, None, None)
    assert parsed.to_dict() == error


def test_an_error_body_that_is_not_json_is_kept_raw(
    server: EmbeddingsServer, client: Client
) -> None:
    server.answer(502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"})
    with pytest.raises(UnexpectedStatus) as caught:
        create_embedding.sync(client, body=CreateEmbeddingRequest(input="a", model="m"))
    assert caught.value.status_code == 502
    assert caught.value.parsed is None
    assert caught.value.content == b"<html>Bad Gateway</html>"


def test_a_success_with_a_malformed_body_raises_malformed_response(
    server: EmbeddingsServer, client: Client
) -> None:
    server.answer(200, {"object": "list", "data": "nope"})
    with pytest.raises(MalformedResponse, match="data") as caught:
        create_embedding.sync(client, body=CreateEmbeddingRequest(input="a", model="m"))
    assert caught.value.content == b'{"object": "list", "data": "nope"}'


def test_the_default_server_refuses_a_request_without_a_token(server: EmbeddingsServer) -> None:
    anonymous = Client(base_url=server.url)
    with pytest.raises(UnexpectedStatus) as caught:
        create_embedding.sync(anonymous, body=CreateEmbeddingRequest(input="a", model="m"))
    assert caught.value.status_code == 401
    assert "authorization" not in server.exchanges[0].headers


def test_network_failures_are_urllib3_errors(server: EmbeddingsServer) -> None:
    dead = Client(base_url="http://127.0.0.1:9", token="t")
    with pytest.raises(urllib3.exceptions.HTTPError):
        create_embedding.sync(dead, body=CreateEmbeddingRequest(input="a", model="m"))


def test_evolved_clients_share_the_pool_and_hide_the_token(client: Client) -> None:
    slower = attrs.evolve(client, timeout=30.0)
    assert slower.pool is client.pool
    assert "test-token-123" not in repr(client)


# --- the client sends straight to the pool of base_url ---------------------------------


def _body() -> CreateEmbeddingRequest:
    return CreateEmbeddingRequest(input="a", model="openai/text-embedding-3-small")


def test_a_closed_or_evicted_pool_is_asked_for_again(server: EmbeddingsServer) -> None:
    manager = urllib3.PoolManager(num_pools=1)  # a second host evicts (closes) the first pool
    client = Client(base_url=server.url, token=TOKEN, pool=manager)
    with EmbeddingsServer() as other:
        elsewhere = Client(base_url=other.url, token=TOKEN, pool=manager)
        for _ in range(2):
            create_embedding.sync(client, body=_body())
            create_embedding.sync(elsewhere, body=_body())
        client.close()  # clears the manager: every pool closed
        create_embedding.sync(client, body=_body())
        assert len(other.exchanges) == 2
    assert len(server.exchanges) == 3


def test_a_base_url_with_a_path_keeps_it_and_the_later_header_wins(
    server: EmbeddingsServer,
) -> None:
    prefixed = Client(
        base_url=server.url + "/proxy/",
        token=TOKEN,
        headers={"user-agent": "mine/1.0", "Accept": "text/plain", "X-Team": "search"},
    )
    with pytest.raises(UnexpectedStatus):  # the test server serves no /proxy/ path
        create_embedding.sync(prefixed, body=_body())
    (sent,) = server.exchanges
    assert sent.path == "/proxy/v2/router/embeddings"
    assert sent.headers["user-agent"] == "mine/1.0"  # the client's, whatever its case
    assert sent.headers["accept"] == "application/json"  # the endpoint's own wins
    assert sent.headers["x-team"] == "search"
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"


def test_ever_new_headers_are_merged_each_time_not_remembered_forever(
    server: EmbeddingsServer, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module._Prepared, "REMEMBERED", 3)
    body = json.dumps(_body().to_dict()).encode()
    for number in range(6):
        headers = {"X-Number": str(number), "Content-Type": "application/json"}
        response = client.request("POST", create_embedding.PATH, body=body, headers=headers)
        assert response.status == 200
    assert [exchange.headers["x-number"] for exchange in server.exchanges] == [str(n) for n in range(6)]  # fmt: skip
    assert len(client._prepared.headers) == 3
