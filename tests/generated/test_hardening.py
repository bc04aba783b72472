"""The generated layer refuses what would otherwise slip through as a wrong value or
escape as a raw Python exception: non-numbers in vectors, numbers no float can hold,
strings UTF-8 cannot carry, and JSON that is not JSON (NaN) or too deep to parse."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from orq_router_api import Client, MalformedResponse, UnexpectedStatus, ValidationError, _decode
from orq_router_api.api.embeddings import create_embedding
from orq_router_api.models import (
    Cache,
    CacheType,
    CreateEmbeddingRequest,
    Embedding,
    EmbeddingObject,
    Identity,
    LoadBalancerModel,
    Retry,
)
from tests.router_server import EmbeddingsServer

# Every answer is read with the `fast` extra's readers and with the stdlib's alone.
pytestmark = pytest.mark.usefixtures("readers")


def _vector(values: list[Any]) -> Embedding:
    return Embedding(object=EmbeddingObject.EMBEDDING, embedding=values, index=0)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([0.5, "0.5"], "Embedding.embedding[1]: must be a number, got str '0.5'"),
        ([None], "Embedding.embedding[0]: must be a number, got None"),
        ([0.5, 1, False], "Embedding.embedding[2]: must be a number, got bool False"),
        ([[0.5]], "Embedding.embedding[0]: must be a number, got list [0.5]"),
    ],
)
def test_a_vector_holds_only_numbers(values: list[Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _vector(values)
    assert str(caught.value) == message


def test_a_vector_of_floats_ints_and_float_subclasses_is_accepted() -> None:
    assert _vector([0.5, 1, -2.0]).embedding == [0.5, 1, -2.0]
    assert _vector([np.float64(0.5)]).embedding == [0.5]  # a float subclass: the slow path


HUGE = 10**400


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Retry(count=HUGE), "Retry.count: must be at most 5, got an integer of about 401 digits"),
        (lambda: Cache(type=CacheType.EXACT_MATCH, ttl=-HUGE), "Cache.ttl: must be at least 1, got a negative integer of about 401 digits"),
        (lambda: LoadBalancerModel(model="a/b", weight=HUGE), "LoadBalancerModel.weight: must be within the range of a float"),
        (lambda: CreateEmbeddingRequest(input="a", model="m", dimensions=10**5000), "dimensions: must be within the range of a float (about 1.8e308), got an integer of about 5001 digits"),
        (lambda: CreateEmbeddingRequest(input=[[1, HUGE]], model="m"), "input[0][1]: must be within the range of a float"),
    ],
)  # fmt: skip
def test_integers_too_large_for_a_float_are_validation_errors(build: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert message in str(caught.value)


def test_the_largest_integer_a_float_holds_is_still_accepted() -> None:
    largest = int(1.7976931348623157e308)
    assert LoadBalancerModel(model="a/b", weight=largest).weight == largest


@pytest.mark.parametrize(
    ("build", "location"),
    [
        (lambda: CreateEmbeddingRequest(input="a\ud800", model="m"), "input"),
        (lambda: CreateEmbeddingRequest(input=["ok", "\udfffb"], model="m"), "input[1]"),
        (lambda: CreateEmbeddingRequest(input="a", model="m", user="\ud83d"), "user"),
        (lambda: Identity(id="c", metadata=[{"k": "v\udc80"}]), "metadata[0].k"),
        (lambda: Identity(id="c", metadata=[{"k\udc80": "v"}]), "metadata[0]"),
    ],
)
def test_strings_utf8_cannot_carry_are_refused_naming_the_field(build: Any, location: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert caught.value.location == location
    assert "lone surrogate" in caught.value.message


def test_text_with_real_non_ascii_characters_is_fine() -> None:
    request = CreateEmbeddingRequest(input=["café", "日本語", "🙂"], model="m")
    assert json.dumps(request.to_dict(), ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[NaN]", "NaN is not a JSON number"),
        (b'{"a": -Infinity}', "-Infinity is not a JSON number"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"a": "\xff"}', "can't decode byte 0xff"),
    ],
)
def test_loads_refuses_what_is_not_json_with_a_value_error(content: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _decode.loads(content)


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer() as running:
        yield running


DEEP = b"[" * 100_000 + b"]" * 100_000


def test_a_deeply_nested_success_body_is_a_malformed_response(server: EmbeddingsServer) -> None:
    server.answer(200, DEEP)
    with pytest.raises(MalformedResponse, match="nested too deeply") as caught:
        create_embedding.sync(Client(base_url=server.url), body=CreateEmbeddingRequest(input="a", model="m"))  # fmt: skip
    assert caught.value.content == DEEP


def test_a_deeply_nested_error_body_keeps_its_status_and_bytes(server: EmbeddingsServer) -> None:
    server.answer(503, DEEP)
    with pytest.raises(UnexpectedStatus) as caught:
        create_embedding.sync(Client(base_url=server.url), body=CreateEmbeddingRequest(input="a", model="m"))  # fmt: skip
    assert caught.value.status_code == 503 and caught.value.parsed is None
    assert caught.value.content == DEEP
