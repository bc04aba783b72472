"""Retry, fallbacks, weighted load balancing and call timeouts, live, through our SDK."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from orq_router import (
    APIStatusError,
    InternalServerError,
    Orq,
    RateLimitError,
    Retry,
    RouterTimeout,
    fallbacks,
    weighted,
)
from tests.router_server import EmbeddingsServer, vectors
from tests.server.conftest import routing_config
from tests.server.oracle import check_body

CONFIG = routing_config()


def _error_code(error: APIStatusError) -> str | None:
    return error.code


def test_a_model_failing_twice_answers_on_the_third_attempt_with_retry_count_2(
    client: Orq, spec: dict[str, object]
) -> None:
    raw = client.router.embeddings.with_raw_response.create(
        input=["hello world"], model="test/flaky", retry=Retry(count=2)
    )
    assert raw.status_code == 200
    assert raw.headers["x-orq-attempts"] == "3"
    assert raw.headers["x-orq-model"] == "test/flaky"
    assert raw.headers["x-orq-cache"] == "miss"
    result = raw.parse()
    assert result.model == "test/flaky"  # the fault model answered, through its `then`
    assert result.to_lists() == vectors(["hello world"], "test/hash-32", CONFIG)
    check_body(spec, 200, raw.content)


def test_with_one_retry_the_same_model_still_fails_with_its_status(client: Orq) -> None:
    with pytest.raises(InternalServerError) as caught:
        client.router.embeddings.create(input="hello", model="test/flaky", retry=Retry(count=1))
    assert caught.value.status_code == 503
    assert caught.value.code == "fault_injected"
    assert caught.value.headers["x-orq-attempts"] == "2"


def test_failing_with_retry_count_1_the_fallback_serves(client: Orq) -> None:
    raw = client.router.embeddings.with_raw_response.create(
        input="hello",
        model="test/flaky",
        retry=Retry(count=1),
        fallbacks=fallbacks("test/hash-64"),
    )
    assert raw.headers["x-orq-attempts"] == "3"  # flaky twice, then the fallback once
    assert raw.headers["x-orq-model"] == "test/hash-64"
    assert raw.parse().model == "test/hash-64"
    assert raw.parse().data[0].dimensions == 64


def test_a_status_outside_on_codes_is_not_retried(client: Orq) -> None:
    raw = client.router.embeddings.with_raw_response.create(
        input="hello",
        model="test/flaky",
        retry=Retry(count=2, on_codes=[429]),
        fallbacks=fallbacks("test/hash-64"),
    )
    assert raw.headers["x-orq-attempts"] == "2"  # 503 is not in on_codes: straight on
    assert raw.headers["x-orq-model"] == "test/hash-64"


def test_fallbacks_are_tried_in_order_and_the_last_failure_is_the_answer(client: Orq) -> None:
    with pytest.raises(RateLimitError) as caught:
        client.router.embeddings.create(
            input="hello", model="test/down", fallbacks=fallbacks("test/flaky", "test/busy")
        )
    # No retry: one attempt each; the last model's failure (429) is the answer.
    assert caught.value.status_code == 429
    assert caught.value.headers["x-orq-attempts"] == "3"
    assert "test/busy" in (caught.value.message or "")


def test_retries_apply_to_each_fallback_too(client: Orq) -> None:
    raw = client.router.embeddings.with_raw_response.create(
        input="hello", model="test/down", retry=Retry(count=2), fallbacks=fallbacks("test/flaky")
    )
    assert raw.headers["x-orq-attempts"] == "6"  # down 3 times, flaky 3 times (3rd answers)
    assert raw.headers["x-orq-model"] == "test/flaky"


def test_an_attempt_past_call_timeout_is_abandoned_for_the_fallback(client: Orq) -> None:
    raw = client.router.embeddings.with_raw_response.create(
        input="hello",
        model="test/slow",
        timeout=RouterTimeout(call_timeout=50),
        fallbacks=fallbacks("test/hash-64"),
    )
    assert raw.headers["x-orq-attempts"] == "2"
    assert raw.headers["x-orq-model"] == "test/hash-64"


def test_a_timeout_with_nothing_left_is_504_with_the_error_body(
    client: Orq, local_router: EmbeddingsServer, spec: dict[str, object]
) -> None:
    with pytest.raises(InternalServerError) as caught:
        client.router.embeddings.create(
            input="hello", model="test/slow", timeout=RouterTimeout(call_timeout=50)
        )
    error = caught.value
    assert error.status_code == 504
    assert error.code == "call_timeout"
    assert "50 ms" in (error.message or "")
    check_body(spec, 504, error.content)


def test_a_timed_out_attempt_is_retried_since_504_is_a_retry_code(client: Orq) -> None:
    with pytest.raises(InternalServerError) as caught:
        client.router.embeddings.create(
            input="hello",
            model="test/slow",
            timeout=RouterTimeout(call_timeout=30),
            retry=Retry(count=2),
        )
    assert caught.value.status_code == 504
    assert caught.value.headers["x-orq-attempts"] == "3"


def test_a_call_timeout_the_model_meets_changes_nothing(client: Orq) -> None:
    raw = client.router.embeddings.with_raw_response.create(
        input="hello", model="test/slow", timeout=RouterTimeout(call_timeout=5_000)
    )
    assert raw.headers["x-orq-attempts"] == "1"
    assert raw.headers["x-orq-model"] == "test/slow"


# Weighted load balancing. The router's dice are seeded (`seed` in the configuration), so
# the draws repeat run to run; the bound would hold for almost any seed all the same.
WEIGHTS = {"test/a": 0.2, "test/b": 0.3, "test/c": 0.5}
DRAWS = 1500
CHI2_DF2_P_1E6 = -2 * math.log(1e-6)
"""27.6: the chi-square bound (2 degrees of freedom) a correct balancer exceeds with
probability 1e-6. Draws ignoring the weights (uniform) would give about 190 here."""


def test_weighted_frequencies_match_the_weights(client: Orq) -> None:
    counts: Counter[str] = Counter()
    for i in range(DRAWS):
        answer = client.router.embeddings.create(
            input=f"draw {i}", model="test/a", load_balancer=weighted(WEIGHTS)
        )
        counts[answer.model] += 1
    assert set(counts) == set(WEIGHTS)
    chi2 = sum((counts[m] - DRAWS * w) ** 2 / (DRAWS * w) for m, w in WEIGHTS.items())
    assert chi2 < CHI2_DF2_P_1E6, (counts, chi2)


def test_weights_are_relative(client: Orq) -> None:
    counts: Counter[str] = Counter()
    for i in range(400):
        answer = client.router.embeddings.create(
            input=f"draw {i}", model="test/a", load_balancer=weighted({"test/a": 1, "test/b": 3})
        )
        counts[answer.model] += 1
    # Binomial(400, 0.25): mean 100, sd 8.7; 6 sd either side.
    assert abs(counts["test/a"] - 100) < 6 * math.sqrt(400 * 0.25 * 0.75), counts


def test_retries_and_fallbacks_apply_to_the_drawn_model(client: Orq) -> None:
    raw = client.router.embeddings.with_raw_response.create(
        input="hello",
        model="test/a",
        load_balancer=weighted({"test/flaky": 1.0}),
        retry=Retry(count=1),
        fallbacks=fallbacks("test/b"),
    )
    assert raw.headers["x-orq-attempts"] == "3"
    assert raw.headers["x-orq-model"] == "test/b"


def test_extreme_weights_are_drawn_without_overflow(client: Orq) -> None:
    answer = client.router.embeddings.create(
        input="hello",
        model="test/a",
        load_balancer={
            "type": "weight_based",
            "models": [{"model": "test/a", "weight": 1e308}, {"model": "test/b", "weight": 1e308}],
        },
    )
    assert answer.model in ("test/a", "test/b")


def test_the_same_options_under_orq_work_the_same(client: Orq) -> None:
    raw = client.router.embeddings.with_raw_response.create(
        input="hello",
        model="test/flaky",
        orq={"retry": {"count": 1}, "fallbacks": [{"model": "test/hash-64"}]},
    )
    assert raw.headers["x-orq-attempts"] == "3"
    assert raw.headers["x-orq-model"] == "test/hash-64"
    raw = client.router.embeddings.with_raw_response.create(
        input="hello",
        model="test/a",
        orq={
            "load_balancer": {"type": "weight_based", "models": [{"model": "test/c", "weight": 1}]}
        },
    )
    assert raw.headers["x-orq-model"] == "test/c"


def test_top_level_options_win_over_orq(client: Orq) -> None:
    # orq alone would retry twice and succeed; the top-level retry (none) wins, whole.
    with pytest.raises(InternalServerError) as caught:
        client.router.embeddings.create(
            input="hello", model="test/flaky", retry=Retry(count=0), orq={"retry": {"count": 2}}
        )
    assert caught.value.headers["x-orq-attempts"] == "1"
    answer = client.router.embeddings.create(
        input="hello",
        model="test/a",
        load_balancer=weighted({"test/b": 1}),
        orq={
            "load_balancer": {"type": "weight_based", "models": [{"model": "test/c", "weight": 1}]}
        },
    )
    assert answer.model == "test/b"
    raw = client.router.embeddings.with_raw_response.create(
        input="hello",
        model="test/down",
        fallbacks=fallbacks("test/hash-64"),
        orq={"fallbacks": [{"model": "test/busy"}]},
    )
    assert raw.headers["x-orq-model"] == "test/hash-64"
