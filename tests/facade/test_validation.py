"""Every constraint the spec states is refused by `create` before a request is sent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orq_router import Orq, ValidationError
from tests.facade.conftest import TEST_KEY
from tests.router_server import EmbeddingsServer

MODEL = "openai/text-embedding-3-small"


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer() as running:
        yield running


@pytest.fixture(scope="module")
def client(server: EmbeddingsServer) -> Iterator[Orq]:
    with Orq(api_key=TEST_KEY, base_url=server.url, max_retries=0) as orq:
        yield orq


BAD_CALLS = [
    ({"input": ""}, "input", "must not be empty"),
    ({"input": []}, "input", "must not be empty"),
    ({"input": ["a", ""]}, "input[1]", "must not be empty"),
    ({"input": [[]]}, "input[0]", "must not be empty"),
    ({"input": [[1, 2.5]]}, "input[0][1]", "must be a token id (an integer), got float 2.5"),
    ({"input": ["ok", 1.5]}, "input[1]", "must be a string or a list of token ids (integers), got float 1.5"),
    ({"input": None}, "input", "is required"),
    ({"input": 7}, "input", "must be a string or a list"),
    ({"model": 3}, "model", "must be a model id in provider/model form"),
    ({"model": ""}, "model", "must be a model id in provider/model form"),
    ({"model": "text-embedding-3-small"}, "model", "must be a model id in provider/model form"),
    ({"model": "openai/"}, "model", "must be a model id in provider/model form"),
    ({"model": "openai/a b"}, "model", "must be a model id in provider/model form"),
    ({"model": "openai/\ud800"}, "model", "lone surrogate"),
    ({"dimensions": 0}, "dimensions", "must be at least 1, got 0"),
    ({"dimensions": -1}, "dimensions", "must be at least 1"),
    ({"dimensions": 3.0}, "dimensions", "must be an integer"),
    ({"dimensions": True}, "dimensions", "must be an integer"),
    ({"encoding_format": "binary"}, "encoding_format", "must be one of 'float', 'base64'"),
    ({"user": 5}, "user", "must be a string"),
    ({"name": ["x"]}, "name", "must be a string"),
    ({"fallbacks": []}, "fallbacks", "must name at least one model"),
    ({"fallbacks": ["gpt-4o"]}, "fallbacks[0]", "provider/model form"),
    ({"fallbacks": [{"model": "a/b", "weight": 1}]}, "fallbacks[0].weight", "is not a field of Fallback"),
    ({"retry": {"count": 9}}, "retry.count", "must be at most 5, got 9"),
    ({"retry": {"count": 1, "on_codes": [99]}}, "retry.on_codes[0]", "must be at least 100"),
    ({"retry": {"cnt": 1}}, "retry.cnt", "did you mean 'count'?"),
    ({"cache": {"type": "exact_match", "ttl": 0}}, "cache.ttl", "must be at least 1, got 0"),
    ({"cache": {"type": "semantic"}}, "cache.type", "must be one of 'exact_match'"),
    ({"load_balancer": {"type": "weight_based", "models": []}}, "load_balancer.models", "must not be empty"),
    ({"load_balancer": {"type": "weight_based", "models": [{"model": "a/b", "weight": 0}]}}, "load_balancer.models[0].weight", "must be greater than 0, got 0"),
    ({"timeout": {"call_timeout": 0}}, "timeout.call_timeout", "must be at least 1, got 0"),
    ({"timeout": 30}, "timeout", "must be built from a JSON object"),
    ({"orq": {"retry": {"count": 9}}}, "orq.retry.count", "must be at most 5"),
    ({"orq": {"identity": {"id": "c", "email": "jane"}}}, "orq.identity.email", "must be an email address"),
    ({"orq": {"contact": {"id": ""}}}, "orq.contact.id", "must not be empty"),
    ({"orq": {"identity": {"id": "c", "metadata": [{"k": 1}]}}}, "orq.identity.metadata[0].k", "must be a string"),
    ({"dimension": 3}, "dimension", "did you mean 'dimensions'?"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "location", "message"), BAD_CALLS)
def test_create_refuses_before_sending(
    client: Orq, server: EmbeddingsServer, change: dict[str, Any], location: str, message: str
) -> None:
    server.reset()
    call: dict[str, Any] = {"input": "hello", "model": MODEL, **change}
    with pytest.raises(ValidationError) as caught:
        client.router.embeddings.create(**call)
    assert caught.value.location == location
    assert message in caught.value.message
    assert server.exchanges == []


def test_model_follows_the_one_rule_of_the_fallback_and_load_balancer_helpers(
    client: Orq, server: EmbeddingsServer
) -> None:
    """`model`, a fallback and a load balancer's model are refused with one message."""
    messages = []
    for call in (
        {"model": ""},
        {"model": "m/x", "fallbacks": [""]},
        {
            "model": "m/x",
            "load_balancer": {"type": "weight_based", "models": [{"model": "", "weight": 1}]},
        },
    ):
        with pytest.raises(ValidationError) as caught:
            client.router.embeddings.create(input="hello", **call)
        messages.append(caught.value.message)
    assert len(set(messages)) == 1
    assert messages[0] == (
        "must be a model id in provider/model form, like 'openai/text-embedding-3-small', got ''"
    )
    assert server.exchanges == []


texts = st.text(min_size=1, max_size=12)
token_ids = st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=4)
good_inputs = st.one_of(
    texts,
    st.lists(texts, min_size=1, max_size=4),
    st.lists(token_ids, min_size=1, max_size=3),
    st.lists(st.one_of(texts, token_ids), min_size=1, max_size=4),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(good_inputs)
def test_every_valid_input_shape_reaches_the_wire_unchanged(
    client: Orq, server: EmbeddingsServer, value: Any
) -> None:
    server.reset()
    result = client.router.embeddings.create(input=value, model=MODEL)
    assert server.exchanges[0].json()["input"] == value
    assert len(result.data) == (1 if isinstance(value, str) else len(value))


bad_inputs = st.one_of(
    st.just(""),
    st.just([]),
    st.lists(texts, max_size=3).map(lambda items: [*items, ""]),
    st.lists(token_ids, max_size=3).map(lambda items: [*items, []]),
    st.lists(st.floats(allow_nan=False), min_size=1, max_size=3).map(lambda floats: [floats]),
    st.integers(),
    st.dictionaries(st.text(), st.text(), min_size=1),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad_inputs)
def test_every_invalid_input_shape_is_refused_naming_input(
    client: Orq, server: EmbeddingsServer, value: Any
) -> None:
    server.reset()
    with pytest.raises(ValidationError) as caught:
        client.router.embeddings.create(input=value, model=MODEL)
    assert caught.value.path[0] == "input"
    assert server.exchanges == []
