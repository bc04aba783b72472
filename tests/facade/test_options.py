"""The option helpers and their dict forms: what they send, what they refuse."""

from __future__ import annotations

from typing import Any

import pytest

from orq_router import (
    Cache,
    Contact,
    Fallbacks,
    Identity,
    LoadBalancer,
    OrqOptions,
    Retry,
    RouterTimeout,
    ValidationError,
    fallbacks,
    weighted,
)
from orq_router_api.models import Fallback
from orq_router_api.models import Retry as ApiRetry


def _untyped(value: object) -> Any:
    """A value the type checker would refuse, to show the runtime refuses it too."""
    return value


SEED_IDENTITY: dict[str, Any] = {
    "id": "contact_01ARZ3NDEKTSV4RRFFQ69G5FAV",
    "display_name": "Jane Doe",
    "email": "jane.doe@example.com",
    "metadata": [{"department": "Engineering", "role": "Senior Developer"}],
    "logo_url": "https://example.com/avatars/jane-doe.jpg",
    "tags": ["hr", "engineering"],
}


def test_identity_serialises_to_the_seed_wire_shape() -> None:
    identity = Identity(
        id="contact_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        display_name="Jane Doe",
        email="jane.doe@example.com",
        metadata={"department": "Engineering", "role": "Senior Developer"},
        logo_url="https://example.com/avatars/jane-doe.jpg",
        tags=["hr", "engineering"],
    )
    assert identity.to_model().to_dict() == SEED_IDENTITY
    assert Identity.from_json(SEED_IDENTITY) == identity
    assert Contact.from_json(SEED_IDENTITY).to_model().to_dict() == SEED_IDENTITY
    assert Identity(id="x").to_model().to_dict() == {"id": "x"}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Identity(id=""), "Identity.id: must not be blank"),
        (lambda: Identity(id="   "), "Identity.id: must not be blank"),
        (lambda: Identity(id="c", email="jane"), "Identity.email: must be an email address"),
        (lambda: Identity(id="c", email="a@b"), "Identity.email: must be an email address"),
        (lambda: Identity(id="c", logo_url="example.com/a.png"), "Identity.logo_url: must be an http(s) URL"),
        (lambda: Identity(id="c", logo_url="ftp://example.com/a.png"), "Identity.logo_url: must be an http(s) URL"),
        (lambda: Identity(id="c", metadata={"age": 42}), "Identity.metadata[0].age: must be a string"),
        (lambda: Identity(id="c", metadata=[{"a": "b"}, "x"]), "Identity.metadata[1]: must be a dict"),
        (lambda: Identity(id="c", tags=["ok", _untyped(3)]), "Identity.tags[1]: must be a string"),
        (lambda: Contact(id="c", email="nope"), "Contact.email: must be an email address"),
    ],
)  # fmt: skip
def test_identity_and_contact_refuse_bad_values(build: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert str(caught.value).startswith(message)


def test_fallbacks_helper_and_forms() -> None:
    helper = fallbacks("openai/text-embedding-3-large", "cohere/embed-english-v3.0")
    assert helper == Fallbacks(("openai/text-embedding-3-large", "cohere/embed-english-v3.0"))
    wire = [{"model": "openai/text-embedding-3-large"}, {"model": "cohere/embed-english-v3.0"}]
    assert [item.to_dict() for item in helper.to_model()] == wire
    assert Fallbacks.coerce(wire) == helper
    assert Fallbacks.coerce(list(helper.models)) == helper
    assert Fallbacks.coerce([Fallback(model="openai/text-embedding-3-large")]).models == (
        "openai/text-embedding-3-large",
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: fallbacks(), "Fallbacks: must name at least one model"),
        (lambda: fallbacks("text-embedding-3-large"), "Fallbacks[0]: must be a model id in provider/model form"),
        (lambda: fallbacks("openai/a", "openai/a"), "Fallbacks[1]: 'openai/a' appears twice"),
        (lambda: Fallbacks.coerce("openai/a", "fallbacks"), "fallbacks: must be a list of models"),
        (lambda: Fallbacks.coerce([{"modle": "openai/a"}], "fallbacks"), "fallbacks[0].modle: is not a field of Fallback; did you mean 'model'?"),
    ],
)  # fmt: skip
def test_fallbacks_refuse_bad_values(build: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert str(caught.value).startswith(message)


def test_weighted_load_balancer_keeps_weights_as_given() -> None:
    balancer = weighted({"openai/text-embedding-3-small": 0.7, "azure/text-embedding-3-small": 3})
    assert balancer == LoadBalancer.weighted(
        [("openai/text-embedding-3-small", 0.7), ("azure/text-embedding-3-small", 3)]
    )
    wire = {
        "type": "weight_based",
        "models": [
            {"model": "openai/text-embedding-3-small", "weight": 0.7},
            {"model": "azure/text-embedding-3-small", "weight": 3},
        ],
    }
    assert balancer.to_model().to_dict() == wire  # not normalised
    assert LoadBalancer.coerce(wire) == balancer


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: weighted({}), "LoadBalancer.models: must name at least one model"),
        (lambda: weighted({"openai/a": 0}), "LoadBalancer.models[0].weight: must be greater than 0, got 0"),
        (lambda: weighted({"openai/a": -1.5}), "LoadBalancer.models[0].weight: must be greater than 0"),
        (lambda: weighted({"openai/a": float("inf")}), "LoadBalancer.models[0].weight: must be greater than 0"),
        (lambda: weighted({"openai/a": True}), "LoadBalancer.models[0].weight: must be a number"),
        (lambda: weighted({"gpt-4o": 1}), "LoadBalancer.models[0].model: must be a model id"),
        (lambda: weighted([("openai/a", 1), ("openai/a", 2)]), "LoadBalancer.models[1]: 'openai/a' appears twice"),
        (lambda: LoadBalancer.coerce({"type": "round_robin", "models": [{"model": "a/b", "weight": 1}]}, "load_balancer"), "load_balancer.type: must be one of 'weight_based'"),
        (lambda: LoadBalancer.coerce({"type": "weight_based", "models": [{"model": "a/b", "weight": 0}]}, "load_balancer"), "load_balancer.models[0].weight: must be greater than 0"),
    ],
)  # fmt: skip
def test_load_balancer_refuses_bad_values(build: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert str(caught.value).startswith(message)


def test_retry_cache_timeout_helpers_and_their_dicts() -> None:
    assert Retry(count=3, on_codes=[429, 503]).to_model().to_dict() == {
        "count": 3,
        "on_codes": [429, 503],
    }
    assert Retry.coerce({"count": 0}) == Retry(count=0)
    assert Retry.coerce(ApiRetry(count=2)) == Retry(count=2)
    assert Cache(ttl=3600).to_model().to_dict() == {"type": "exact_match", "ttl": 3600}
    assert Cache().to_model().to_dict() == {"type": "exact_match"}
    assert Cache.coerce({"type": "exact_match", "ttl": 60}) == Cache(ttl=60)
    assert RouterTimeout(30000).to_model().to_dict() == {"call_timeout": 30000}
    assert RouterTimeout.seconds(2.5) == RouterTimeout(2500)
    assert RouterTimeout.coerce({"call_timeout": 5}) == RouterTimeout(5)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Retry(count=9), "Retry.count: must be at most 5, got 9"),
        (lambda: Retry(count=-1), "Retry.count: must be at least 0"),
        (lambda: Retry(on_codes=[42]), "Retry.on_codes[0]: must be at least 100"),
        (lambda: Retry.coerce({"count": 3, "codes": [429]}, "retry"), "retry.codes: is not a field of Retry; did you mean 'on_codes'?"),
        (lambda: Cache(ttl=0), "Cache.ttl: must be at least 1, got 0"),
        (lambda: Cache(ttl=259201), "Cache.ttl: must be at most 259200"),
        (lambda: Cache(type="lru"), "Cache.type: must be one of 'exact_match', got 'lru'"),  # type: ignore[arg-type]
        (lambda: Cache.coerce({"ttl": 10}, "cache"), "cache.type: is required"),
        (lambda: RouterTimeout(0), "RouterTimeout.call_timeout: must be at least 1, got 0"),
        (lambda: RouterTimeout.coerce({"call_timeout": "30s"}, "timeout"), "timeout.call_timeout: must be an integer"),
        (lambda: Retry.coerce(3, "retry"), "retry: must be built from a JSON object"),
    ],
)  # fmt: skip
def test_retry_cache_timeout_refuse_bad_values(build: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, ValueError)


def test_orq_options_take_helpers_or_dicts_and_send_the_seed_shape(
    seed_request: dict[str, Any],
) -> None:
    seed_orq = seed_request["orq"]
    from_dict = OrqOptions.coerce(seed_orq)
    assert from_dict.to_model().to_dict() == seed_orq
    mixed = OrqOptions.coerce({**seed_orq, "identity": Identity.from_json(SEED_IDENTITY)})
    assert mixed.to_model().to_dict() == seed_orq
    assert isinstance(from_dict.identity, Identity) and isinstance(from_dict.contact, Contact)


def test_orq_options_merge_field_by_field() -> None:
    default = OrqOptions(name="default", identity=Identity(id="c1"), retry=Retry(count=1))
    call = OrqOptions(name="call", cache=Cache(ttl=5))
    merged = default.merged(call)
    assert merged.to_model().to_dict() == {
        "name": "call",
        "cache": {"type": "exact_match", "ttl": 5},
        "retry": {"count": 1},
        "identity": {"id": "c1"},
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"identiy": {"id": "c"}}, "orq.identiy: is not a field of orq; did you mean 'identity'?"),
        ({"identity": {"id": "c", "mail": "a@b.co"}}, "orq.identity.mail: is not a field of Identity; did you mean 'email'?"),
        ({"retry": {"count": 9}}, "orq.retry.count: must be at most 5, got 9"),
        ({"cache": {"type": "exact_match", "ttl": 0}}, "orq.cache.ttl: must be at least 1"),
        ({"load_balancer": {"type": "weight_based", "models": [{"model": "a/b", "weight": 0}]}}, "orq.load_balancer.models[0].weight: must be greater than 0"),
        ({"timeout": {"call_timeout": 0}}, "orq.timeout.call_timeout: must be at least 1"),
        ({"fallbacks": ["nope"]}, "orq.fallbacks[0]: must be a model id"),
        ({"contact": {"id": "c", "logo_url": "nope"}}, "orq.contact.logo_url: must be an absolute URI"),
        ({"contact": {"id": "c", "logo_url": "ftp://a.b/c.png"}}, "orq.contact.logo_url: must be an http(s) URL"),
        ({"name": 3}, "orq.name: must be a string"),
    ],
)  # fmt: skip
def test_orq_dicts_are_checked_like_helpers(value: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        OrqOptions.coerce(value, "orq")
    assert str(caught.value).startswith(message)
