"""The `fast` extra (orjson, pybase64): used when installed, with the standard library's
results. Each answer below is read both ways, and the two outcomes must be the same:
the same floats and fields for an accepted answer, the same error class and message for
a refused one."""

from __future__ import annotations

import base64
import functools
import json
import tomllib
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from orq_router import _vectors
from orq_router.responses import EmbeddingResponse
from orq_router_api import _decode
from orq_router_api.models import CreateEmbeddingResponse
from tests.conftest import ROOT


def _answer(rows: list[str], inputs: int | None = None, usage: str = "2") -> bytes:
    data = ",".join(
        f'{{"object":"embedding","index":{index},"embedding":{row}}}'
        for index, row in enumerate(rows)
    )
    return (
        f'{{"object":"list","model":"a/b","usage":{{"prompt_tokens":{usage},'
        f'"total_tokens":{usage}}},"data":[{data}]}}'
    ).encode()


def _b64(*values: float) -> str:
    return '"' + base64.b64encode(np.array(values, dtype="<f4").tobytes()).decode() + '"'


def _outcome(body: bytes, inputs: int) -> tuple[str, Any]:
    """What the facade makes of a 200 body: its vectors and fields, or its error."""
    try:
        parsed = _decode.parse(body, CreateEmbeddingResponse.from_dict)
        response = EmbeddingResponse.from_api(
            parsed, request_id=None, keep_base64=True, inputs=inputs
        )
        matrix = response.to_numpy()
    except Exception as error:
        return "refused", (type(error).__name__, str(error))
    return "accepted", (
        response.to_lists(),
        matrix.tobytes(),
        [item.base64 for item in response.data],
        response.model,
        response.usage,
        dict(response.extra),
    )


def _both_ways(monkeypatch: pytest.MonkeyPatch, read: Callable[[], Any]) -> tuple[Any, Any]:
    assert _decode._fast_loads is not None and _vectors._fast_b64decode is not None
    fast = read()
    with monkeypatch.context() as patch:
        patch.setattr(_decode, "_fast_loads", None)
        patch.setattr(_vectors, "_fast_b64decode", None)
        stdlib = read()
    return fast, stdlib


ANSWERS = [
    ("base64 rows", _answer([_b64(0.5, -1.25), _b64(3.0, 1e-30)]), 2),
    ("float rows", _answer(["[0.5,-1.25]", "[3.0,1e-30]"]), 2),
    ("a mix", _answer([_b64(0.5, -1.25), "[3,1e-30]"]), 2),
    ("unknown keys kept", _answer([_b64(1.0)])[:-1] + b',"provider":{"x":[1,"y",null]}}', 1),
    ("escaped text", _answer(["[1.0]"]).replace(b'"a/b"', b'"a\\/b \\u00e9\\ud83d\\ude00"'), 1),
    ("NaN", _answer(["[NaN]"]), 1),
    ("Infinity", _answer(["[1.0,-Infinity]"]), 1),
    ("a number too large for a float", _answer(["[0.5,1e999]"]), 1),
    ("an escaped lone surrogate", _answer(["[1.0]"]).replace(b'"a/b"', b'"a\\ud800"'), 1),
    ("not UTF-8", _answer(["[1.0]"]).replace(b'"a/b"', b'"a\xff"'), 1),
    ("too deep", b"[" * 5000 + b"]" * 5000, 1),
    ("trailing data", _answer(["[1.0]"]) + b" x", 1),
    ("a string in a vector", _answer(['[0.5,"0.5"]']), 1),
    ("a boolean in a vector", _answer(["[0.5,true]"]), 1),
    ("data after the padding", _answer(['"AACAPw==AAAA"']), 1),
    ("outside the alphabet", _answer(['"AACA*wAA"']), 1),
    ("whitespace", _answer(['"AACA PwAA"']), 1),
    ("missing padding", _answer(['"AACAPw"']), 1),
    ("not whole float32 values", _answer(['"AACA"']), 1),
    ("rows of two widths", _answer([_b64(1.0), _b64(1.0, 2.0)]), 2),
    ("a duplicated index", _answer([_b64(1.0), _b64(2.0)]).replace(b'"index":1', b'"index":0'), 2),
    ("a token count of 19 digits", _answer(["[1.0]"], usage="9" * 19), 1),
]


@pytest.mark.parametrize(("case", "body", "inputs"), ANSWERS, ids=[case for case, *_ in ANSWERS])
def test_every_answer_reads_the_same_with_and_without_the_extra(
    monkeypatch: pytest.MonkeyPatch, case: str, body: bytes, inputs: int
) -> None:
    fast, stdlib = _both_ways(monkeypatch, lambda: _outcome(body, inputs))
    assert fast == stdlib


def test_refusals_are_worded_by_the_standard_library() -> None:
    # orjson refuses first; the standard library reads again and says why, as it would.
    with pytest.raises(ValueError, match="NaN is not a JSON number"):
        _decode.loads(b"[NaN]")
    with pytest.raises(ValueError, match="not strict base64: Excess data after padding"):
        _vectors.decode_rows(["AACAPw==AAAA"])


float32 = hnp.arrays(
    np.float32,
    st.tuples(st.integers(1, 4), st.integers(1, 8)),
    elements=st.floats(width=32, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=150, deadline=None)
@given(matrix=float32)
def test_random_vectors_read_to_the_same_floats_both_ways(matrix: np.ndarray) -> None:
    rows = [row.astype("<f4") for row in matrix]
    as_floats = _answer(["[" + ",".join(str(value) for value in row) + "]" for row in rows])
    as_base64 = _answer([_b64(*row) for row in rows])
    with pytest.MonkeyPatch.context() as monkeypatch:
        for body in (as_floats, as_base64):
            fast, stdlib = _both_ways(monkeypatch, functools.partial(_outcome, body, len(rows)))
            assert fast == stdlib
            assert fast[0] == "accepted"
            assert np.array_equal(np.frombuffer(fast[1][1], np.float32), matrix.ravel())


def test_integers_beyond_64_bits_are_the_one_documented_difference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A token count of 20 digits: JSON allows it, orjson reads it as a float, which the
    # integer field refuses; the standard library then reads the answer again and keeps it.
    body = _answer(["[1.0]"], usage="9" * 20)
    fast, stdlib = _both_ways(monkeypatch, lambda: _outcome(body, 1))
    assert fast == stdlib and fast[0] == "accepted"
    # Where no field refuses the float (a key the spec does not name), the two differ.
    extra = _answer(["[1.0]"])[:-1] + b',"big":' + b"9" * 20 + b"}"
    fast, stdlib = _both_ways(monkeypatch, lambda: _outcome(extra, 1))
    assert fast[1][5] == {"big": float("9" * 20)} and stdlib[1][5] == {"big": int("9" * 20)}


def test_the_extra_names_the_readers_it_speeds_up() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {req.split(">")[0].split("=")[0] for req in project["optional-dependencies"]["fast"]}
    assert names == {"orjson", "pybase64"}
    assert "orjson" in (_decode.loads.__doc__ or "") and "pybase64" in (_vectors.__doc__ or "")


def test_json_floats_are_read_exactly_as_python_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = json.dumps([0.1, 1 / 3, 2.5e-310, 1.7976931348623157e308, -0.0])
    fast, stdlib = _both_ways(monkeypatch, lambda: _decode.loads(text.encode()))
    assert fast == stdlib == json.loads(text)
