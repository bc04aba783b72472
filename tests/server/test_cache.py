"""`cache` exact_match: hits, misses, what the key covers, and time to live."""

from __future__ import annotations

import asyncio

import pytest

from orq_router import Cache, Identity, InternalServerError, Orq, Retry
from orq_router_server import LocalRouter
from orq_router_server.request import parse_body
from tests.router_server import EmbeddingsServer
from tests.server.conftest import KEY, OTHER_KEY, routing_config


def _create(client: Orq, **params: object) -> tuple[str, str, str, bytes]:
    call = {"input": ["cache me"], "model": "test/hash-32", "cache": Cache(ttl=60), **params}
    raw = client.router.embeddings.with_raw_response.create(**call)  # type: ignore[arg-type]
    headers = raw.headers
    return headers["x-orq-cache"], headers["x-orq-attempts"], headers["x-orq-model"], raw.content


def test_a_repeated_request_is_a_hit_with_no_model_call(client: Orq) -> None:
    first = _create(client, model="test/flaky", retry=Retry(count=2))
    second = _create(client, model="test/flaky", retry=Retry(count=2))
    assert first[:3] == ("miss", "3", "test/flaky")
    assert second[:3] == ("hit", "0", "test/flaky")
    assert second[3] == first[3]  # the very same answer


def test_another_api_key_never_shares_an_entry(client: Orq, local_router: EmbeddingsServer) -> None:
    assert _create(client)[0] == "miss"
    assert _create(client)[0] == "hit"
    other = client.with_options(api_key=OTHER_KEY)
    assert _create(other)[0] == "miss"
    assert _create(other)[0] == "hit"


def test_every_field_that_changes_the_answer_is_in_the_key(client: Orq) -> None:
    assert _create(client)[0] == "miss"
    changes: list[dict[str, object]] = [
        {"input": ["cache me too"]},
        {"model": "test/hash-64"},
        {"dimensions": 16},
        {"encoding_format": "float"},  # the SDK asks for base64 unless told
        {"fallbacks": [{"model": "test/hash-64"}]},
        {"retry": {"count": 1}},
        {"timeout": {"call_timeout": 5000}},
        {
            "load_balancer": {
                "type": "weight_based",
                "models": [{"model": "test/hash-32", "weight": 1}],
            }
        },
    ]
    for change in changes:
        assert _create(client, **change)[0] == "miss", change


def test_labels_and_the_ttl_do_not_split_entries(client: Orq) -> None:
    assert _create(client)[0] == "miss"
    same: list[dict[str, object]] = [
        {"input": "cache me"},  # one string or a list of it: the same answer
        {"user": "u-1"},
        {"name": "a trace"},
        {"orq": {"identity": Identity(id="contact_1"), "name": "trace"}},
        {"cache": Cache(ttl=3600)},
        {"cache": None, "orq": {"cache": {"type": "exact_match", "ttl": 10}}},
    ]
    for change in same:
        assert _create(client, **change)[0] == "hit", change


def test_without_cache_nothing_is_kept_or_served(client: Orq) -> None:
    assert _create(client, cache=None)[0] == "miss"
    assert _create(client)[0] == "miss"  # the uncached call filled nothing
    assert _create(client, cache=None)[0] == "miss"  # nor does it read
    assert _create(client)[0] == "hit"


def test_failures_are_not_cached(client: Orq) -> None:
    for _ in range(2):
        with pytest.raises(InternalServerError) as caught:
            client.router.embeddings.create(input="x", model="test/down", cache=Cache(ttl=60))
        assert caught.value.headers["x-orq-attempts"] == "1"  # the model was asked again
        assert caught.value.headers["x-orq-cache"] == "miss"


def test_an_entry_lives_for_its_ttl() -> None:
    now = [1000.0]
    router = LocalRouter(routing_config(), clock=lambda: now[0])
    body = b'{"input": "x", "model": "test/hash-32", "cache": {"type": "exact_match", "ttl": 5}}'
    call = parse_body(body, max_inputs=16)

    def cache_state() -> str:
        return asyncio.run(router.answer(call, KEY)).cache

    assert cache_state() == "miss"
    now[0] += 4.9
    assert cache_state() == "hit"
    now[0] += 0.2
    assert cache_state() == "miss"  # expired: asked the model again, and kept anew
    assert cache_state() == "hit"
    no_ttl = parse_body(
        b'{"input": "y", "model": "test/hash-32", "cache": {"type": "exact_match"}}', max_inputs=16
    )
    asyncio.run(router.answer(no_ttl, KEY))
    now[0] += 1799
    assert asyncio.run(router.answer(no_ttl, KEY)).cache == "hit"  # the spec's default: 1800 s
    now[0] += 2
    assert asyncio.run(router.answer(no_ttl, KEY)).cache == "miss"


def test_the_memory_store_is_bounded_least_recently_used_first() -> None:
    from orq_router_server.state import MemoryStore

    store = MemoryStore(max_bytes=100)
    store.set_many_now({name: b"x" * 40 for name in "abc"}, 60)
    assert store.get_many_now(["a"]) == [None] and len(store) == 2
    assert store.get_many_now(["b"]) == [b"x" * 40]
    store.set_many_now({"d": b"x" * 40}, 60)
    assert store.get_many_now(["c", "b"]) == [None, b"x" * 40]
    store.set_many_now({"huge": b"x" * 101}, 60)
    assert store.get_many_now(["huge"]) == [None]


def test_a_cached_answer_keeps_its_model_and_body_through_the_store() -> None:
    from orq_router_server.cache import ExactMatchCache
    from orq_router_server.state import MemoryStore

    cache = ExactMatchCache(MemoryStore())
    asyncio.run(cache.put("k", body=b'{"data": []}', model="local/\u00e9-model", ttl=60))
    found = asyncio.run(cache.get("k"))
    assert found is not None
    assert (found.body, found.model) == (b'{"data": []}', "local/\u00e9-model")
    assert asyncio.run(cache.get("other")) is None
