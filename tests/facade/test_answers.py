"""Answers that must be refused: never a silently wrong vector.

Each case scripts a loopback server to send one bad 200 (or error) body and checks
that the call raises `APIResponseValidationError` (or the status's error) with the raw
body kept, and never a raw Python exception.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from orq_router import APIResponseValidationError, InternalServerError, Orq
from tests.facade.conftest import TEST_KEY
from tests.router_server import EmbeddingsServer

MODEL = "openai/text-embedding-3-small"

# Every answer is read with the `fast` extra's readers and with the stdlib's alone.
pytestmark = pytest.mark.usefixtures("readers")


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer() as running:
        yield running


@pytest.fixture
def client(server: EmbeddingsServer, make_client: Callable[..., Orq]) -> Orq:
    server.reset()
    return make_client(api_key=TEST_KEY, base_url=server.url, max_retries=0)


def _row(embedding: object, index: int) -> dict[str, Any]:
    return {"object": "embedding", "embedding": embedding, "index": index}


def _answer(*rows: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "list",
        "data": list(rows),
        "model": MODEL,
        "usage": {"prompt_tokens": 2, "total_tokens": 2},
    }


def _b64(*values: float) -> str:
    return base64.b64encode(np.array(values, dtype="<f4").tobytes()).decode()


def _refused(client: Orq, server: EmbeddingsServer, body: bytes, inputs: list[str]) -> str:
    server.answer(200, body)
    with pytest.raises(APIResponseValidationError) as caught:
        client.router.embeddings.create(input=inputs, model=MODEL)
    assert caught.value.content == body  # the raw body is kept
    return str(caught.value)


ROW_INDEX_CASES = [
    ("duplicated", [_row([1.0], 0), _row([2.0], 0)], "row index 0 appears more than once"),
    ("missing", [_row([1.0], 0), _row([2.0], 2)], "no row for input 1"),
    ("negative", [_row([1.0], -1), _row([2.0], 1)], "row index -1 is out of range 0..1"),
    ("out of range", [_row([1.0], 0), _row([2.0], 5)], "row index 5 is out of range 0..1"),
    ("too few rows", [_row([1.0], 0)], "1 rows came back for 2 inputs"),
    ("too many rows", [_row([1.0], 0), _row([2.0], 1), _row([3.0], 2)], "3 rows came back for 2 inputs"),
    ("no rows", [], "0 rows came back for 2 inputs"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "rows", "message"), ROW_INDEX_CASES)
def test_row_indexes_must_give_every_input_exactly_one_row(
    client: Orq, server: EmbeddingsServer, case: str, rows: list[dict[str, Any]], message: str
) -> None:
    text = _refused(client, server, json.dumps(_answer(*rows)).encode(), ["a", "b"])
    assert message in text


FLOAT_CASES = [
    ("a string", [1.0, "2.0"], "embedding[1]: must be a number, got str '2.0'"),
    ("null", [1.0, None], "embedding[1]: must be a number, got None"),
    ("a boolean", [True, 1.0], "embedding[0]: must be a number, got bool True"),
    ("a nested list", [1.0, [2.0]], "embedding[1]: must be a number, got list [2.0]"),
    ("an object", [{"x": 1}], "embedding[0]: must be a number, got dict"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "vector", "message"), FLOAT_CASES)
def test_float_vectors_must_hold_only_numbers(
    client: Orq, server: EmbeddingsServer, case: str, vector: list[Any], message: str
) -> None:
    text = _refused(client, server, json.dumps(_answer(_row(vector, 0))).encode(), ["a"])
    assert message in text


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_nan_and_infinity_are_not_json_numbers(
    client: Orq, server: EmbeddingsServer, literal: bytes
) -> None:
    body = json.dumps(_answer(_row([1.0, 0.5], 0))).encode().replace(b"0.5", literal)
    assert f"{literal.decode()} is not a JSON number" in _refused(client, server, body, ["a"])


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([_row([], 0)], "the vector of input 0 is empty"),
        ([_row("", 0)], "the vector of input 0 is empty"),
        ([_row([1.0, 2.0], 0), _row([1.0], 1)], "vectors of [1, 2] dimensions in one answer"),
        ([_row(_b64(1, 2), 0), _row(_b64(1, 2, 3), 1)], "vectors of [2, 3] dimensions in one answer"),
        ([_row(_b64(1, 2), 0), _row([1.0, 2.0, 3.0], 1)], "vectors of [2, 3] dimensions in one answer"),
    ],
)  # fmt: skip
def test_vectors_must_be_non_empty_and_of_one_width(
    client: Orq, server: EmbeddingsServer, rows: list[dict[str, Any]], message: str
) -> None:
    inputs = ["a", "b"][: len(rows)]
    assert message in _refused(client, server, json.dumps(_answer(*rows)).encode(), inputs)


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        (_b64(1.0) + "AAAA", "not strict base64"),  # data after the padding
        ("AACA*wAA", "not strict base64"),  # a character outside the alphabet
        ("AACA PwAA", "not strict base64"),  # whitespace is not skipped either
        ("AACAPw", "not strict base64"),  # missing padding
        ("AACAPwA=", "whole float32 values"),  # 5 bytes
        ("AACAPwAAAA==", "whole float32 values"),  # 7 bytes... after strict decoding
    ],
)
def test_base64_must_be_strict_and_whole_float32_values(
    client: Orq, server: EmbeddingsServer, encoded: str, message: str
) -> None:
    text = _refused(client, server, json.dumps(_answer(_row(encoded, 0))).encode(), ["a"])
    assert message in text


def test_a_good_answer_still_passes_every_check(client: Orq, server: EmbeddingsServer) -> None:
    body = json.dumps(_answer(_row([3.0, 4.0], 1), _row(_b64(1.0, 2.0), 0))).encode()
    server.answer(200, body)
    result = client.router.embeddings.create(input=["a", "b"], model=MODEL)
    assert result.to_lists() == [[1.0, 2.0], [3.0, 4.0]]


DEEP = b"[" * 200_000 + b"]" * 200_000


def test_deeply_nested_json_in_a_200_is_a_typed_error_not_a_recursion_error(
    client: Orq, server: EmbeddingsServer
) -> None:
    server.answer(200, DEEP)
    with pytest.raises(APIResponseValidationError, match="nested too deeply") as caught:
        client.router.embeddings.create(input="a", model=MODEL)
    assert caught.value.content == DEEP


def test_deeply_nested_json_in_an_error_status_keeps_the_status(
    client: Orq, server: EmbeddingsServer
) -> None:
    server.answer(500, DEEP)
    with pytest.raises(InternalServerError) as caught:
        client.router.embeddings.create(input="a", model=MODEL)
    assert caught.value.status_code == 500
    assert caught.value.error is None and caught.value.content == DEEP
    assert isinstance(caught.value.body, str)  # kept as text, since it cannot be read


def test_deep_nesting_inside_a_vector_is_refused_too(client: Orq, server: EmbeddingsServer) -> None:
    nested = b"[" * 100_000 + b"1.0" + b"]" * 100_000
    body = json.dumps(_answer(_row([0.0], 0))).encode().replace(b"[0.0]", nested)
    _refused(client, server, body, ["a"])
