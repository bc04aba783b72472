"""`openai` backend: an OpenAI-compatible upstream behind the router's routing.

The upstream here is a second local router (it speaks `/v1/embeddings`), so the vectors
that come back through the first are checkable: the hashing model's own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orq_router import Cache, InternalServerError, Orq, Retry, fallbacks
from orq_router_server import LocalRouter, LocalServer, create_app, parse_config
from tests.router_server import TEST_CONFIG, EmbeddingsServer, vectors

UPSTREAM_KEY = "sk-orq-test-key-0123456789abcdef"  # one of tests/router.toml's keys


@pytest.fixture
def upstream() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer(config=TEST_CONFIG) as server:
        yield server


@pytest.fixture
def front(upstream: EmbeddingsServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Orq]:
    monkeypatch.setenv("ORQ_TEST_UPSTREAM_KEY", UPSTREAM_KEY)
    config = parse_config(
        {
            "models": {
                "up/hash": {
                    "backend": "openai",
                    "base_url": upstream.url + "/v1",
                    "model": "local/hashing-384",
                    "api_key_env": "ORQ_TEST_UPSTREAM_KEY",
                },
                "up/keyless": {
                    "backend": "openai",
                    "base_url": upstream.url + "/v1",
                    "model": "local/hashing-384",
                },
                "up/gone": {
                    "backend": "openai",
                    "base_url": "http://127.0.0.1:9/v1",
                    "model": "x",
                },
                "local/hash": {"backend": "hashing", "dimensions": 16},
            }
        }
    )
    with (
        LocalServer(create_app(LocalRouter(config))) as server,
        Orq(base_url=server.url, max_retries=0) as client,
    ):
        yield client


def test_the_upstream_answers_with_its_vectors_and_usage(
    front: Orq, upstream: EmbeddingsServer
) -> None:
    texts = ["an upstream vector", "another one"]
    answer = front.router.embeddings.create(input=texts, model="up/hash")
    assert answer.model == "up/hash"
    assert answer.to_lists() == vectors(texts, "local/hashing-384")
    assert answer.usage.prompt_tokens == 5
    (sent,) = upstream.exchanges
    assert sent.path == "/v1/embeddings"
    assert sent.headers["authorization"] == f"Bearer {UPSTREAM_KEY}"
    assert sent.json() == {"input": texts, "model": "local/hashing-384", "encoding_format": "float"}


def test_dimensions_are_passed_on(front: Orq, upstream: EmbeddingsServer) -> None:
    answer = front.router.embeddings.create(input="x y", model="up/hash", dimensions=12)
    assert answer.data[0].dimensions == 12
    assert upstream.exchanges[0].json()["dimensions"] == 12


def test_an_upstream_503_is_retried(front: Orq, upstream: EmbeddingsServer) -> None:
    upstream.answer(503, {"error": {"message": "overloaded"}})
    raw = front.router.embeddings.with_raw_response.create(
        input="x", model="up/hash", retry=Retry(count=1)
    )
    assert raw.headers["x-orq-attempts"] == "2"
    assert len(upstream.exchanges) == 2


def test_a_refused_upstream_key_is_502_not_the_clients_401(front: Orq) -> None:
    with pytest.raises(InternalServerError) as caught:
        front.router.embeddings.create(input="x", model="up/keyless")
    assert caught.value.status_code == 502
    assert caught.value.code == "upstream_auth_failed"


def test_an_unreachable_upstream_is_502_and_falls_back(front: Orq) -> None:
    with pytest.raises(InternalServerError) as caught:
        front.router.embeddings.create(input="x", model="up/gone")
    assert (caught.value.status_code, caught.value.code) == (502, "upstream_unreachable")
    answer = front.router.embeddings.create(
        input="x", model="up/gone", fallbacks=fallbacks("local/hash")
    )
    assert answer.model == "local/hash"


def test_an_upstream_answer_that_is_not_a_list_is_502(
    front: Orq, upstream: EmbeddingsServer
) -> None:
    upstream.answer(200, {"object": "list", "data": "nope"})
    with pytest.raises(InternalServerError) as caught:
        front.router.embeddings.create(input="x", model="up/hash")
    assert caught.value.code == "upstream_invalid_answer"


def test_an_upstreams_answers_are_cached_per_input_with_its_usage_shared(
    front: Orq, upstream: EmbeddingsServer
) -> None:
    texts = ["a short one", "and a rather longer text than that"]
    first = front.router.embeddings.with_raw_response.create(
        input=texts, model="up/hash", cache=Cache(ttl=60)
    )
    assert first.headers["x-orq-cache"] == "miss"
    again = front.router.embeddings.with_raw_response.create(
        input=[texts[1], "new"], model="up/hash", cache=Cache(ttl=60)
    )
    assert (again.headers["x-orq-cache"], again.headers["x-orq-attempts"]) == ("partial", "1")
    assert upstream.exchanges[-1].json()["input"] == ["new"]  # only the new text went up
    assert again.parse().to_lists() == vectors([texts[1], "new"], "local/hashing-384")
    whole = front.router.embeddings.with_raw_response.create(
        input=texts, model="up/hash", cache=Cache(ttl=60)
    )
    assert whole.headers["x-orq-cache"] == "hit"
    # The upstream told one total; kept per input by length, it adds up again.
    assert whole.parse().usage.prompt_tokens == first.parse().usage.prompt_tokens
