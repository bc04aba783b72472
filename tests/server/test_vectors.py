"""What comes back: dimensions, base64, usage, token ids, the hashing model's contract."""

from __future__ import annotations

import base64
import json
import struct

import numpy as np
import pytest

from orq_router import BadRequestError, Orq
from orq_router_server.backends import hashing
from orq_router_server.request import Input
from tests.server.oracle import check_body


def test_dimensions_is_the_renormalised_prefix(client: Orq) -> None:
    full = client.router.embeddings.create(input="the quick brown fox", model="test/hash-64")
    cut = client.router.embeddings.create(
        input="the quick brown fox", model="test/hash-64", dimensions=48
    )
    whole = full.to_numpy()[0].astype(np.float64)
    expected = whole[:48] / np.linalg.norm(whole[:48])
    assert cut.data[0].dimensions == 48
    assert np.allclose(cut.to_numpy()[0], expected, atol=1e-7)
    assert abs(np.linalg.norm(cut.to_numpy()[0]) - 1) < 1e-6


def test_dimensions_equal_to_the_models_change_nothing(client: Orq) -> None:
    a = client.router.embeddings.create(input="fox", model="test/hash-64")
    b = client.router.embeddings.create(input="fox", model="test/hash-64", dimensions=64)
    assert a.to_lists() == b.to_lists()


def test_more_dimensions_than_the_model_has_is_400(client: Orq, spec: dict[str, object]) -> None:
    with pytest.raises(BadRequestError) as caught:
        client.router.embeddings.create(input="fox", model="test/hash-32", dimensions=33)
    error = caught.value
    assert error.code == "dimensions_too_large"
    assert error.error is not None and error.error.param == "dimensions"
    assert "32 dimensions" in (error.message or "")
    check_body(spec, 400, error.content)


def test_base64_is_little_endian_float32_of_the_float_answer(
    client: Orq, spec: dict[str, object]
) -> None:
    texts = ["alpha beta", "gamma"]
    raw64 = client.router.embeddings.with_raw_response.create(
        input=texts, model="test/hash-32", encoding_format="base64"
    )
    raw_floats = client.router.embeddings.with_raw_response.create(
        input=texts, model="test/hash-32", encoding_format="float"
    )
    body64 = check_body(spec, 200, raw64.content)
    floats = check_body(spec, 200, raw_floats.content)
    for packed, plain in zip(body64["data"], floats["data"], strict=True):
        raw = base64.b64decode(packed["embedding"])
        assert len(raw) == 4 * 32
        assert list(struct.unpack("<32f", raw)) == plain["embedding"]  # bit for bit


def test_float_answers_are_exact_float32_values(client: Orq) -> None:
    raw = client.router.embeddings.with_raw_response.create(
        input="gamma", model="test/hash-32", encoding_format="float"
    )
    values = json.loads(raw.content)["data"][0]["embedding"]
    assert values == np.asarray(values, dtype=np.float32).tolist()


def test_usage_counts_the_hashing_models_tokens(client: Orq) -> None:
    answer = client.router.embeddings.create(
        input=["Hello, world!", "one two three", [5, 6, 7, 8]], model="test/hash-32"
    )
    # "hello" "," "world" "!" + three words + four ids
    assert answer.usage.prompt_tokens == 4 + 3 + 4
    assert answer.usage.total_tokens == answer.usage.prompt_tokens


def test_the_hashing_model_is_deterministic_unit_length_and_lexical() -> None:
    matrix, _ = hashing.embed(["a cat on the mat", "a cat on a mat", "stock prices fell"], 384)
    again, _ = hashing.embed(["a cat on the mat", "a cat on a mat", "stock prices fell"], 384)
    assert np.array_equal(matrix, again)
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1, atol=1e-6)
    similar, unrelated = matrix[0] @ matrix[1], matrix[0] @ matrix[2]
    assert similar > 0.7 and unrelated < 0.3


def test_the_hashing_model_gives_the_same_vectors_in_another_process() -> None:
    import subprocess
    import sys

    code = "from orq_router_server.backends import hashing; print(hashing.embed(['x y'], 8)[0].tolist())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == hashing.embed(["x y"], 8)[0].tolist()


def test_whitespace_and_token_ids_still_give_unit_vectors() -> None:
    matrix, tokens = hashing.embed(["   ", (1, 2, 3), "\u00e9t\u00e9 \u2603"], 16)
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1, atol=1e-6)
    assert tokens == 0 + 3 + 2


def _hashing_by_feature(inputs: list[Input], dimensions: int) -> np.ndarray:
    """The hashing model as first written: every feature hashed into a float64 array by
    `np.bincount`, then sign * sqrt, `np.linalg.norm`. The per-word implementation must
    give these very bits (cassettes and other machines' vectors depend on them)."""
    matrix = np.zeros((len(inputs), dimensions), dtype=np.float64)
    for row, item in enumerate(inputs):
        features, _ = hashing._features(item)
        hashes = np.fromiter((hashing._hash(f) for f in features), dtype=np.uint64)
        slots = (hashes % np.uint64(dimensions)).astype(np.intp)
        signs = np.where((hashes >> np.uint64(63)) == 1, -1.0, 1.0)
        counts = np.bincount(slots, weights=signs, minlength=dimensions)
        matrix[row] = np.sign(counts) * np.sqrt(np.abs(counts))
    norms = np.linalg.norm(matrix, axis=1)
    for empty in np.flatnonzero(norms == 0).tolist():
        matrix[empty, hashing._hash(hashing._features(inputs[empty])[0][0]) % dimensions] = 1.0
        norms[empty] = 1.0
    matrix /= norms[:, None]
    return matrix.astype(np.float32)


def test_the_hashing_model_gives_the_bits_of_its_first_implementation() -> None:
    import random
    import string

    rng = random.Random(20261127)
    alphabet = string.ascii_letters + string.digits + " .,;!?'-éü日本\t\n"
    for _ in range(300):
        inputs: list[Input] = []
        for _ in range(rng.randint(1, 4)):
            kind = rng.random()
            if kind < 0.1:
                inputs.append(tuple(rng.randint(0, 40_000) for _ in range(rng.randint(1, 20))))
            elif kind < 0.15:
                inputs.append(" " * rng.randint(1, 3))
            else:
                inputs.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 200))))
        for dimensions in (1, 2, 7, 32, 129, 384, 1000):
            ours, _ = hashing.embed(inputs, dimensions)
            assert ours.tobytes() == _hashing_by_feature(inputs, dimensions).tobytes()


def test_a_base64_body_is_what_json_dumps_writes() -> None:
    from orq_router_server.vectors import body

    rng = np.random.default_rng(1)
    for rows in (1, 3):
        for model in ("local/hashing-384", 'x/\u00e9-"quoted"\\'):
            vectors = rng.standard_normal((rows, 16)).astype(np.float32)
            data = [
                {"object": "embedding", "embedding": base64.b64encode(row.astype("<f4").tobytes()).decode(), "index": i}
                for i, row in enumerate(vectors)
            ]  # fmt: skip
            usage = {"prompt_tokens": 5, "total_tokens": 5}
            expected = {"object": "list", "data": data, "model": model, "usage": usage}
            ours = body(model=model, vectors=vectors, prompt_tokens=5, encoding_format="base64")
            assert ours == json.dumps(expected, separators=(",", ":")).encode()
