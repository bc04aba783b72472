"""The checks' shortcuts: a list checked in C-level passes says "valid" only when every
item passes its own check, and a vector's floats are refused as they were, plus
infinities (a JSON number too large for a float reads as one)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orq_router_api import ValidationError, _decode
from orq_router_api import validation as v
from orq_router_api.models import (
    CreateEmbeddingResponse,
    EncodingFormat,
    Fallback,
)

CHECKS: list[v.Check] = [
    v.string(),
    v.string(min_length=1),
    v.string(min_length=3),
    v.string(max_length=2),
    v.string(format="email"),
    v.integer(),
    v.integer(minimum=0, maximum=5),
    v.integer(exclusive_minimum=0, exclusive_maximum=10),
    v.number(),
    v.number(exclusive_minimum=0),
    v.boolean(),
    v.member(EncodingFormat),
    v.instance(Fallback),
    v.nullable(v.string(min_length=1)),
    v.titled("token id", v.integer()),
    v.one_of(v.string(min_length=1), v.array(v.titled("token id", v.integer()), min_items=1)),
    v.any_of(v.string(), v.integer()),
    v.one_of(v.integer(), v.number()),  # an int fits both: refused as ambiguous
    v.array(v.string()),
    v.anything(),
    v.vector(),
]

scalars = st.one_of(
    st.text(max_size=6),  # lone surrogates included
    st.text(alphabet="ab@.c", max_size=8),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),  # NaN and infinities included
    st.booleans(),
    st.none(),
    st.sampled_from([*EncodingFormat, "float", "base64"]),
    st.just(Fallback(model="a/b")),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


def _passes(check: v.Check, value: Any) -> bool:
    try:
        check(value)
    except ValidationError:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(check=st.sampled_from(CHECKS), items=st.lists(values, max_size=5))
def test_all_valid_says_so_only_when_every_item_passes(check: v.Check, items: list[Any]) -> None:
    if check.all_valid(items):
        assert all(_passes(check, item) for item in items)


def test_all_valid_is_taken_for_the_lists_that_are_long_in_practice() -> None:
    # A batch of texts, a list of models: one pass over the list, no call per item.
    inputs = v.one_of(
        v.string(min_length=1), v.array(v.titled("token id", v.integer()), min_items=1)
    )
    assert inputs.all_valid(["a text", "another"])
    assert v.instance(Fallback).all_valid([Fallback(model="a/b")] * 3)
    assert v.integer(minimum=100, maximum=599).all_valid([429, 500])
    assert v.member(EncodingFormat).all_valid([EncodingFormat.FLOAT])
    assert not inputs.all_valid(["a text", ""])  # then each item is checked, and named
    assert not v.string().all_valid(["caf\ud800"])


def _row(values: str) -> bytes:
    return (
        b'{"object":"list","model":"a/b","usage":{"prompt_tokens":1,"total_tokens":1},'
        b'"data":[{"object":"embedding","index":0,"embedding":[' + values.encode() + b"]}]}"
    )


@pytest.mark.parametrize("literal", ["1e999", "-1e999", "0.5, 1e400"])
def test_a_vector_with_a_number_too_large_for_a_float_is_refused(literal: str) -> None:
    with pytest.raises(ValueError, match=r"embedding\[\d\]: must be a finite number"):
        _decode.parse(_row(literal), CreateEmbeddingResponse.from_dict)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_a_vector_holding_an_infinity_or_nan_names_its_index(bad: float) -> None:
    with pytest.raises(ValidationError) as caught:
        v.vector()([0.5, bad, 0.25])
    assert str(caught.value) == f"[1]: must be a finite number, got {bad}"


def test_finite_floats_whose_sum_overflows_are_still_a_vector() -> None:
    v.vector()([1.7e308, 1.7e308])  # the sum is infinite, no item is
    v.vector()([1, 2.5, 10**30])  # ints take the slower path, and pass
