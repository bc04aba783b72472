"""`cache` exact_match, per input: hits, partial hits, misses, what the key covers, time to live."""

from __future__ import annotations

import asyncio
import json
import tomllib

import numpy as np
import pytest

from orq_router import Cache, Identity, InternalServerError, Orq, Retry
from orq_router_server import LocalRouter, parse_config
from orq_router_server.backends import Embedded, Job
from orq_router_server.request import Input, parse_body
from orq_router_server.router import Answer
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


def test_every_field_that_decides_a_vector_is_in_the_key(client: Orq) -> None:
    assert _create(client)[0] == "miss"
    changes: list[dict[str, object]] = [
        {"input": ["cache me too"]},
        {"model": "test/hash-64"},
        {"dimensions": 16},
        {"input": [[7, 8, 9]]},  # token ids are not a text
    ]
    for change in changes:
        assert _create(client, **change)[0] == "miss", change


def test_the_encoding_labels_the_ttl_and_the_retry_policy_do_not_split_entries(
    client: Orq,
) -> None:
    first = _create(client)
    assert first[0] == "miss"
    same: list[dict[str, object]] = [
        {"input": "cache me"},  # one string or a list of it: the same input
        {"user": "u-1"},
        {"name": "a trace"},
        {"orq": {"identity": Identity(id="contact_1"), "name": "trace"}},
        {"cache": Cache(ttl=3600)},
        {"cache": None, "orq": {"cache": {"type": "exact_match", "ttl": 10}}},
        {"retry": {"count": 1}},
        {"timeout": {"call_timeout": 5000}},
        # The first model serves: the fallbacks and a one-model balancer decide nothing.
        {"fallbacks": [{"model": "test/hash-64"}]},
        {
            "load_balancer": {
                "type": "weight_based",
                "models": [{"model": "test/hash-32", "weight": 1}],
            }
        },
    ]
    for change in same:
        assert _create(client, **change)[0] == "hit", change
    # Encoding is only how the same float32 numbers are written.
    as_float = client.router.embeddings.with_raw_response.create(
        input=["cache me"], model="test/hash-32", cache=Cache(ttl=60), encoding_format="float"
    )
    assert as_float.headers["x-orq-cache"] == "hit"
    as_base64 = client.router.embeddings.create(input=["cache me"], model="test/hash-32")
    assert as_float.parse().to_lists() == as_base64.to_lists()


def test_a_batch_with_one_new_text_computes_only_that_text() -> None:
    router = LocalRouter(routing_config())
    seen = _record_jobs(router, "test/hash-32")

    def answer(inputs: list[str]) -> Answer:
        call = parse_body(
            json.dumps(
                {"input": inputs, "model": "test/hash-32", "cache": {"type": "exact_match"}}
            ).encode(),
            max_inputs=16,
        )
        return asyncio.run(router.answer(call, KEY))

    first = answer(["alpha", "beta"])
    assert (first.cache, first.attempts) == ("miss", 1)
    second = answer(["alpha", "beta", "gamma"])
    assert (second.cache, second.attempts) == ("partial", 1)
    assert seen == [("alpha", "beta"), ("gamma",)]
    third = answer(["gamma", "alpha"])
    assert (third.cache, third.attempts, third.prompt_tokens) == ("hit", 0, None)
    assert len(seen) == 2
    # The answer is the one a model call for the whole batch gives, usage included.
    whole = parse_body(
        b'{"input": ["alpha", "beta", "gamma"], "model": "test/hash-32"}', max_inputs=16
    )
    assert second.body == asyncio.run(router.answer(whole, KEY)).body
    assert second.prompt_tokens == 1  # what the model read this time: "gamma"
    assert json.loads(second.body)["usage"]["prompt_tokens"] == 3
    registry = router.metrics.registry
    counts = {
        r: registry.get_sample_value("orq_router_cache_total", {"result": r})
        for r in ("hit", "miss", "partial")
    }
    assert counts == {"hit": 1.0, "miss": 1.0, "partial": 1.0}


def test_an_input_repeated_in_one_request_is_computed_once() -> None:
    router = LocalRouter(routing_config())
    seen = _record_jobs(router, "test/hash-32")
    body = b'{"input": ["echo", "echo", "other", "echo"], "model": "test/hash-32", "cache": {"type": "exact_match"}}'
    answer = asyncio.run(router.answer(parse_body(body, max_inputs=16), KEY))
    assert seen == [("echo", "other")]
    rows = [row["embedding"] for row in json.loads(answer.body)["data"]]
    assert rows[0] == rows[1] == rows[3] != rows[2]


def test_a_fallbacks_vectors_never_sit_beside_the_first_models() -> None:
    """Inputs found under the first model, others served by a fallback: every row is the
    fallback's, found under it or computed by it; the answer names it."""
    router = LocalRouter(parse_config(tomllib.loads(FALLBACK_TOML)))

    def answer(inputs: list[str], **routing: object) -> Answer:
        body = {
            "input": inputs,
            "model": "m/first",
            "dimensions": 16,
            "cache": {"type": "exact_match"},
            **routing,
        }
        return asyncio.run(router.answer(parse_body(json.dumps(body).encode(), max_inputs=16), KEY))

    def vectors(answer: Answer) -> list[list[float]]:
        return [row["embedding"] for row in json.loads(answer.body)["data"]]

    # m/first fails its first attempt of each request, then answers: retried, it serves.
    kept = answer(["x"], retry={"count": 1, "on_codes": [503]})
    assert (kept.model, kept.cache, kept.attempts) == ("m/first", "miss", 2)
    # Without retry it fails and m/second (another width, so other vectors) serves "y";
    # "x" was m/first's: m/second computes it too.
    mixed = answer(["x", "y"], fallbacks=[{"model": "m/second"}])
    assert (mixed.model, mixed.cache, mixed.attempts) == ("m/second", "miss", 3)
    alone = asyncio.run(
        router.answer(
            parse_body(
                b'{"input": ["x", "y"], "model": "m/second", "dimensions": 16}', max_inputs=16
            ),
            KEY,
        )
    )
    assert vectors(mixed) == vectors(alone) != vectors(kept) + vectors(alone)[1:]
    # Now both are kept under m/second: found there after the same failure, no second call.
    again = answer(["x", "y"], fallbacks=[{"model": "m/second"}])
    assert (again.model, again.cache, again.attempts) == ("m/second", "partial", 2)
    assert vectors(again) == vectors(alone)


FALLBACK_TOML = """
[models."m/hash-16"]
backend = "hashing"
dimensions = 16

[models."m/first"]
backend = "fault"
fail_with = [503]
then = "m/hash-16"

[models."m/second"]
backend = "hashing"
dimensions = 32
"""


def _record_jobs(router: LocalRouter, model: str) -> list[tuple[Input, ...]]:
    """The inputs of every job the model gets (its backend wrapped, still answering)."""
    seen: list[tuple[Input, ...]] = []
    backend = router.backends[model]

    class Recording:
        dimensions = backend.dimensions

        async def embed(self, job: Job, attempt: int) -> Embedded:
            seen.append(job.inputs)
            return await backend.embed(job, attempt)

    router.backends[model] = Recording()
    return seen


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


def test_an_entry_keeps_its_vector_tokens_and_cut_through_the_store() -> None:
    from orq_router_server.cache import Entry, InputCache, apportion, entry_key
    from orq_router_server.state import MemoryStore

    cache = InputCache(MemoryStore())
    vector = np.array([0.6, -0.8, 1e-38], dtype=np.float32)
    entry = Entry(vector=vector, tokens=300, truncated=True)
    asyncio.run(cache.put("key", "local/\u00e9-model", None, [("a text", entry)], 60))
    found, absent = asyncio.run(cache.get("key", "local/\u00e9-model", None, ["a text", "b"]))
    assert absent is None and found is not None
    assert (found.vector.tobytes(), found.tokens, found.truncated) == (vector.tobytes(), 300, True)
    # Another key, model or width: another entry.
    assert asyncio.run(cache.get("other", "local/\u00e9-model", None, ["a text"])) == [None]
    assert asyncio.run(cache.get("key", "local/other", None, ["a text"])) == [None]
    assert asyncio.run(cache.get("key", "local/\u00e9-model", 3, ["a text"])) == [None]
    assert entry_key(None, "m", None, "[1]") != entry_key(None, "m", None, (1,))
    # An upstream's total is shared by length and sums back exactly.
    assert apportion(10, ["aaaa", "a", "aaaaa"]) == (4, 1, 5)
    assert sum(apportion(7, ["ab", "abc", "a", "abcd"])) == 7
