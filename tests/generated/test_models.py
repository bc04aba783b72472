"""The generated attrs models: exact round trips, unknown keys, every spec constraint."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from orq_router_api import UNSET, ValidationError
from orq_router_api.models import (
    Cache,
    CacheType,
    CreateEmbeddingRequest,
    CreateEmbeddingResponse,
    EncodingFormat,
    ErrorResponse,
    Identity,
    LoadBalancer,
    LoadBalancerModel,
    LoadBalancerType,
    OrqSettings,
    Retry,
    Timeout,
)


def test_seed_request_round_trips_exactly(seed_request: dict[str, Any]) -> None:
    model = CreateEmbeddingRequest.from_dict(seed_request)
    assert model.to_dict() == seed_request
    # Same keys in the same order: the JSON text is identical too.
    assert json.dumps(model.to_dict()) == json.dumps(seed_request)


def test_seed_request_fields_survive_typed(seed_request: dict[str, Any]) -> None:
    model = CreateEmbeddingRequest.from_dict(seed_request)
    assert model.encoding_format is EncodingFormat.FLOAT
    assert isinstance(model.orq, OrqSettings)
    assert isinstance(model.orq.identity, Identity) and isinstance(model.orq.contact, Identity)
    assert model.orq.identity.logo_url == "https://example.com/avatars/jane-doe.jpg"
    assert model.orq.contact.logo_url == "https://example.com/avatars/jane-doe.jpg"
    assert model.orq.identity.metadata == [
        {"department": "Engineering", "role": "Senior Developer"}
    ]
    assert isinstance(model.load_balancer, LoadBalancer)
    assert model.load_balancer.type is LoadBalancerType.WEIGHT_BASED
    assert isinstance(model.cache, Cache) and model.cache.type is CacheType.EXACT_MATCH


def test_seed_response_round_trips_exactly(seed_response: dict[str, Any]) -> None:
    model = CreateEmbeddingResponse.from_dict(seed_response)
    assert model.to_dict() == seed_response
    assert json.dumps(model.to_dict()) == json.dumps(seed_response)
    assert model.data[0].embedding == [123]
    assert model.usage.total_tokens == 123


def test_unset_fields_are_left_out_and_defaults_are_not_filled_in() -> None:
    model = CreateEmbeddingRequest(input="hello", model="openai/text-embedding-3-small")
    assert model.encoding_format is UNSET and model.dimensions is UNSET
    assert model.to_dict() == {"input": "hello", "model": "openai/text-embedding-3-small"}
    assert Cache(type=CacheType.EXACT_MATCH).to_dict() == {"type": "exact_match"}
    assert CreateEmbeddingRequest.from_dict({"input": "a", "model": "m"}).to_dict() == {
        "input": "a",
        "model": "m",
    }


def test_null_is_not_the_same_as_omitted() -> None:
    with pytest.raises(
        ValidationError, match=r"CreateEmbeddingRequest\.user: must be a string, got None"
    ):
        CreateEmbeddingRequest.from_dict({"input": "a", "model": "m", "user": None})


def test_request_models_reject_unknown_keys_with_a_suggestion(
    seed_request: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError, match="did you mean 'dimensions'") as caught:
        CreateEmbeddingRequest.from_dict({**seed_request, "dimension": 3})
    assert caught.value.path == ("dimension",)
    nested = copy.deepcopy(seed_request)
    nested["orq"]["identity"]["logo"] = "x"
    with pytest.raises(ValidationError, match=r"orq\.identity\.logo: is not a field"):
        CreateEmbeddingRequest.from_dict(nested)


def test_response_models_keep_unknown_keys_and_send_them_back(
    seed_response: dict[str, Any],
) -> None:
    extended = copy.deepcopy(seed_response)
    extended["created"] = 1700000000
    extended["usage"]["cached_tokens"] = 5
    extended["data"][0]["provider"] = "openai"
    model = CreateEmbeddingResponse.from_dict(extended)
    assert model.additional_properties == {"created": 1700000000}
    assert model.usage.additional_properties == {"cached_tokens": 5}
    assert model.to_dict() == extended


def test_error_body_parses_and_keeps_extra_fields() -> None:
    body = {"error": {"message": "bad key", "code": "invalid_api_key", "doc_url": "https://x"}}
    model = ErrorResponse.from_dict(body)
    assert model.error.code == "invalid_api_key"
    assert model.to_dict() == body


BAD_REQUESTS = [
    ({"input": ""}, "input", "must not be empty"),
    ({"input": []}, "input", "must not be empty"),
    ({"input": ["ok", ""]}, "input[1]", "must not be empty"),
    ({"input": [[]]}, "input[0]", "must not be empty"),
    ({"input": [[1, "2"]]}, "input[0][1]", "must be a token id (an integer), got str '2'"),
    (
        {"input": ["ok", 1.5]},
        "input[1]",
        "must be a string or a list of token ids (integers), got float 1.5",
    ),
    ({"input": 5}, "input", "must be a string or a list"),
    ({"dimensions": 0}, "dimensions", "must be at least 1, got 0"),
    ({"dimensions": -3}, "dimensions", "must be at least 1"),
    ({"dimensions": 1.5}, "dimensions", "must be an integer"),
    ({"dimensions": True}, "dimensions", "must be an integer, got bool"),
    ({"encoding_format": "binary"}, "encoding_format", "must be one of 'float', 'base64'"),
    ({"retry": {"count": 9}}, "retry.count", "must be at most 5, got 9"),
    ({"retry": {"count": -1}}, "retry.count", "must be at least 0"),
    ({"retry": {"on_codes": [429, 99]}}, "retry.on_codes[1]", "must be at least 100"),
    ({"cache": {"type": "exact_match", "ttl": 0}}, "cache.ttl", "must be at least 1, got 0"),
    ({"cache": {"type": "exact_match", "ttl": 259201}}, "cache.ttl", "must be at most 259200"),
    ({"cache": {"type": "lru"}}, "cache.type", "must be one of 'exact_match'"),
    ({"cache": {"ttl": 10}}, "cache.type", "is required"),
    (
        {"load_balancer": {"type": "weight_based", "models": [{"model": "a/b", "weight": 0}]}},
        "load_balancer.models[0].weight",
        "must be greater than 0, got 0",
    ),
    (
        {"load_balancer": {"type": "weight_based", "models": []}},
        "load_balancer.models",
        "must not be empty",
    ),
    (
        {"load_balancer": {"type": "round_robin", "models": [{"model": "a/b", "weight": 1}]}},
        "load_balancer.type",
        "must be one of 'weight_based'",
    ),
    ({"timeout": {"call_timeout": 0}}, "timeout.call_timeout", "must be at least 1"),
    ({"fallbacks": [{"name": "x"}]}, "fallbacks[0].name", "is not a field"),
    ({"orq": {"retry": {"count": 9}}}, "orq.retry.count", "must be at most 5"),
    ({"orq": {"identity": {"id": ""}}}, "orq.identity.id", "must not be empty"),
    (
        {"orq": {"identity": {"id": "c1", "email": "jane"}}},
        "orq.identity.email",
        "must be an email address",
    ),
    (
        {"orq": {"contact": {"id": "c1", "logo_url": "not a url"}}},
        "orq.contact.logo_url",
        "must be an absolute URI",
    ),
    (
        {"orq": {"identity": {"id": "c1", "metadata": [{"age": 3}]}}},
        "orq.identity.metadata[0].age",
        "must be a string",
    ),
    (
        {"orq": {"identity": {"id": "c1", "tags": ["a", 1]}}},
        "orq.identity.tags[1]",
        "must be a string",
    ),
]


@pytest.mark.parametrize(("change", "location", "message"), BAD_REQUESTS)
def test_from_dict_refuses_what_the_spec_forbids_naming_the_field(
    seed_request: dict[str, Any], change: dict[str, Any], location: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        CreateEmbeddingRequest.from_dict({**seed_request, **change})
    assert caught.value.model == "CreateEmbeddingRequest"
    assert caught.value.location == location
    assert message in caught.value.message
    assert str(caught.value).startswith(f"CreateEmbeddingRequest.{location}: ")
    assert isinstance(caught.value, ValueError)


def _untyped(value: object) -> Any:
    """A value the type checker would refuse, to show the runtime refuses it too."""
    return value


def test_building_a_model_checks_it_too() -> None:
    cases: list[tuple[Callable[[], object], str]] = [
        (
            lambda: CreateEmbeddingRequest(input="", model="m"),
            "CreateEmbeddingRequest.input: must not be empty",
        ),
        (
            lambda: CreateEmbeddingRequest(input=[], model="m"),
            "CreateEmbeddingRequest.input: must not be empty",
        ),
        (
            lambda: CreateEmbeddingRequest(input="a", model="m", dimensions=0),
            "CreateEmbeddingRequest.dimensions: must be at least 1, got 0",
        ),
        (lambda: Retry(count=9), "Retry.count: must be at most 5, got 9"),
        (lambda: Cache(type=CacheType.EXACT_MATCH, ttl=0), "Cache.ttl: must be at least 1, got 0"),
        (
            lambda: LoadBalancerModel(model="a/b", weight=0),
            "LoadBalancerModel.weight: must be greater than 0, got 0",
        ),
        (
            lambda: LoadBalancerModel(model="a/b", weight=float("nan")),
            "LoadBalancerModel.weight: must be a finite number",
        ),
        (lambda: Timeout(call_timeout=0), "Timeout.call_timeout: must be at least 1, got 0"),
        (
            lambda: CreateEmbeddingRequest(
                input="a", model="m", encoding_format=_untyped("binary")
            ),
            "CreateEmbeddingRequest.encoding_format: must be one of 'float', 'base64'",
        ),
        (
            lambda: CreateEmbeddingRequest(input="a", model="m", encoding_format=_untyped("float")),
            "must be EncodingFormat.FLOAT, not the plain 'float'",
        ),
        (
            lambda: OrqSettings(retry=_untyped({"count": 1})),
            "OrqSettings.retry: must be a Retry, got a dict (build it with Retry.from_dict)",
        ),
        (lambda: Identity(id="c", email="no-at-sign"), "Identity.email: must be an email address"),
    ]
    for build, message in cases:
        with pytest.raises(ValidationError) as caught:
            build()
        assert message in str(caught.value)


def test_models_are_frozen_and_evolve_revalidates() -> None:
    retry = Retry(count=3)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        retry.count = 4  # type: ignore[misc]
    assert attrs.evolve(retry, count=4).count == 4
    with pytest.raises(ValidationError, match=r"Retry\.count"):
        attrs.evolve(retry, count=6)


def test_unset_and_errors_survive_copy_and_pickle() -> None:
    assert copy.deepcopy(UNSET) is UNSET
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET
    error = ValidationError("must be at most 5", path=("orq", "retry", "count"), model="X")
    restored = pickle.loads(pickle.dumps(error))
    assert (restored.path, restored.model, str(restored)) == (error.path, error.model, str(error))


token_ids = st.lists(st.integers(min_value=0, max_value=200_000), min_size=1, max_size=5)
texts = st.text(min_size=1, max_size=20)
valid_inputs = st.one_of(texts, st.lists(st.one_of(texts, token_ids), min_size=1, max_size=5))


@given(valid_inputs)
def test_every_valid_input_shape_is_accepted_and_round_trips(value: Any) -> None:
    body = {"input": value, "model": "m"}
    assert CreateEmbeddingRequest.from_dict(body).to_dict() == body


invalid_inputs = st.one_of(
    st.just(""),
    st.just([]),
    st.lists(st.one_of(texts, token_ids), max_size=3).map(lambda items: [*items, ""]),
    st.lists(st.one_of(texts, token_ids), max_size=3).map(lambda items: [*items, []]),
    st.lists(st.floats(allow_nan=False), min_size=1, max_size=3).map(lambda floats: [floats]),
    st.integers(),
    st.none(),
    st.dictionaries(st.text(), st.text()),
)


@given(invalid_inputs)
def test_every_invalid_input_shape_is_refused_naming_input(value: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        CreateEmbeddingRequest.from_dict({"input": value, "model": "m"})
    assert caught.value.path[0] == "input"
