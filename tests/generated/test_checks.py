"""The checks' shortcuts: a list checked in C-level passes says "valid" only when every
item passes its own check; a vector's floats are refused as they were, plus infinities
(a JSON number too large for a float reads as one); and what `from_dict` builds on its
quick path (no validator call) is what attrs' validators pass."""

from __future__ import annotations

import copy
import functools
import json
import math
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orq_router_api import ValidationError, _decode, _encode
from orq_router_api import validation as v
from orq_router_api.models import (
    Cache,
    CacheType,
    CreateEmbeddingRequest,
    CreateEmbeddingResponse,
    Embedding,
    EncodingFormat,
    ErrorResponse,
    Fallback,
    Retry,
    Timeout,
    Usage,
)
from tests.conftest import FIXTURES

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


# --- from_dict's quick path builds only what attrs' validators would pass -------------------

SEEDS = (
    json.loads((FIXTURES / "seed_request.json").read_text()),
    json.loads((FIXTURES / "seed_response.json").read_text()),
)
_B64_ROW = {"object": "embedding", "embedding": "AACAPwAAAEA=", "index": 0}
DOCUMENTS: list[tuple[type[Any], Any]] = [
    (CreateEmbeddingRequest, SEEDS[0]),
    (CreateEmbeddingRequest, {"input": ["a", "b"], "model": "a/b", "encoding_format": "base64"}),
    (CreateEmbeddingResponse, SEEDS[1]),
    (CreateEmbeddingResponse, {**SEEDS[1], "data": [_B64_ROW, {**_B64_ROW, "index": 1}]}),
    (ErrorResponse, {"error": {"message": "m", "type": None, "code": "c"}}),
]

junk = st.one_of(
    st.sampled_from(["", "a", "é", "\ud800", "float", "base64", "embedding", "list", "exact_match",
                     "weight_based", "AACAPw==", "a/b", "x@y.z"]),
    st.sampled_from([0, 1, -1, 5, 6, 99, 100, 599, 600, 2**63, -(2**63), 10**308, 10**309]),
    st.sampled_from([0.0, -0.0, 0.5, 1.7e308, math.inf, -math.inf, math.nan]),
    st.booleans(),
    st.none(),
    st.lists(st.one_of(st.floats(), st.integers(), st.booleans(), st.text(max_size=3)), max_size=3),
    st.dictionaries(st.sampled_from(["model", "count", "x", "id"]), st.integers(), max_size=2),
)  # fmt: skip


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        yield from _paths(item, (*prefix, key))


def _near(value: Any) -> st.SearchStrategy[Any]:
    """Values of the same type as `value`, at the edges its checks draw lines on."""
    if isinstance(value, bool):
        return st.just(not value)
    if isinstance(value, str):
        return st.sampled_from(["", "a", "é", "\ud800", "AACAPw==", "float", value, value * 2])
    if isinstance(value, int):
        return st.sampled_from([0, 1, -1, 5, 6, 100, 599, 600, 10**308, 10**309, -value])
    if isinstance(value, float):
        return st.sampled_from([0.0, -0.5, 1.7e308, math.inf, math.nan, 2.5])
    if isinstance(value, list):
        return st.sampled_from([[], value[:1], value * 2, value[::-1]])
    if isinstance(value, dict):
        return st.sampled_from([{}, dict(list(value.items())[1:]), value])
    return junk


@st.composite
def _mutated(draw: st.DrawFn, document: Any) -> Any:
    """The document with one to three values changed: to another of the same type at
    an edge, to junk of any type, or removed."""
    result = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(result))[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = functools.reduce(lambda node, key: node[key], path[:-1], result)
        how = draw(st.sampled_from(["near", "near", "junk", "remove"]))
        if how == "remove" and isinstance(parent, dict):
            del parent[path[-1]]
        elif how == "junk":
            parent[path[-1]] = draw(junk)
        else:
            parent[path[-1]] = draw(_near(parent[path[-1]]))
    return result


def _revalidated(model: Any) -> None:
    """Build the model again through `__init__` (every validator runs), recursively."""
    for field in attrs.fields(type(model)):
        value = getattr(model, field.name)
        for item in value if isinstance(value, list) else [value]:
            if attrs.has(type(item)):
                _revalidated(item)
    assert attrs.evolve(model) == model


@settings(max_examples=1000, deadline=None)
@given(data=st.data())
def test_whatever_from_dict_builds_passes_its_own_validators(data: st.DataObject) -> None:
    cls, document = data.draw(st.sampled_from(DOCUMENTS))
    source = data.draw(_mutated(document))
    try:
        built = cls.from_dict(source)
    except ValidationError:
        return
    _revalidated(built)


def test_plain_documents_take_the_quick_path(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    for cls in (CreateEmbeddingRequest, CreateEmbeddingResponse, Embedding, Usage):
        init = cls.__init__

        def counting(self: Any, *args: Any, __init: Any = init, **kwargs: Any) -> None:
            built.append(type(self).__name__)
            __init(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting)
    CreateEmbeddingRequest.from_dict(DOCUMENTS[1][1])
    CreateEmbeddingResponse.from_dict(DOCUMENTS[3][1])
    assert built == []  # no __init__, so no validator call: the quick forms held
    with pytest.raises(ValidationError, match=r"usage\.prompt_tokens: must be an integer"):
        CreateEmbeddingResponse.from_dict({**DOCUMENTS[3][1], "usage": {"prompt_tokens": 1.5, "total_tokens": 1}})  # fmt: skip
    assert built == ["Usage"]  # a value no quick form passes goes through __init__'s checks


OPTION_FORMS: dict[str, list[Any]] = {
    "encoding_format": [EncodingFormat.BASE64, "float", "nope", None, 1],
    "dimensions": [1, 0, 3, True, 1.5, None, 10**400],
    "user": ["u", "é", "\ud800", "", None, 5],
    "name": ["n", None, ["n"]],
    "fallbacks": [[Fallback(model="a/b")], [{"model": "a/b"}], (Fallback(model="a/b"),), [], None, [1]],
    "retry": [Retry(count=2), {"count": 9}, {"count": 2}, None, "x"],
    "cache": [Cache(type=CacheType.EXACT_MATCH), {"type": "exact_match", "ttl": 0}, None],
    "timeout": [Timeout(call_timeout=5), {"call_timeout": 1}, None],
}  # fmt: skip
INPUTS = ["a", "", ["a", "b"], ["a", ""], [[1, 2]], ("a",), [], ["é\ud800"], 5]


@settings(max_examples=400, deadline=None)
@given(
    data=st.data(),
    given_input=st.sampled_from(INPUTS),
    model=st.sampled_from(["a/b", "", "é", 7]),
)
def test_from_params_builds_on_its_quick_path_only_what_from_dict_builds(
    data: st.DataObject, given_input: Any, model: Any
) -> None:
    names = data.draw(st.sets(st.sampled_from(sorted(OPTION_FORMS)), max_size=4))
    options = {name: data.draw(st.sampled_from(OPTION_FORMS[name])) for name in names}
    try:
        built = CreateEmbeddingRequest.from_params(input=given_input, model=model, **options)
    except ValidationError as error:
        with pytest.raises(ValidationError) as again:  # from JSON, the same refusal
            CreateEmbeddingRequest.from_dict(_encode.params({"input": given_input, "model": model}, options, {}))  # fmt: skip
        assert str(again.value) == str(error)
        return
    _revalidated(built)
    assert built == CreateEmbeddingRequest.from_dict(built.to_dict())
