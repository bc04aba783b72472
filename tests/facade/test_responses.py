"""The result types, and the public surface's documentation."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import orq_router
from orq_router import BulkEmbeddings, Embedding, EmbeddingResponse, Usage
from orq_router_api.models import CreateEmbeddingResponse


def _response(extra: dict[str, object] | None = None) -> CreateEmbeddingResponse:
    packed = "AACAPwAAAEA="  # float32 [1.0, 2.0], little-endian
    return CreateEmbeddingResponse.from_dict(
        {
            "object": "list",
            "data": [
                {"object": "embedding", "embedding": [3.0, 4.0], "index": 1},
                {"object": "embedding", "embedding": packed, "index": 0},
            ],
            "model": "a/b",
            "usage": {"prompt_tokens": 2, "total_tokens": 2},
            **(extra or {}),
        }
    )


def test_data_is_sorted_by_index_and_unknown_top_level_keys_are_kept() -> None:
    result = EmbeddingResponse.from_api(
        _response({"provider": "openai"}), request_id="req_9", keep_base64=True, inputs=2
    )
    assert [item.index for item in result.data] == [0, 1]
    assert result.to_lists() == [[1.0, 2.0], [3.0, 4.0]]
    assert result.extra == {"provider": "openai"}
    assert result.data[0].base64 == "AACAPwAAAEA=" and result.data[1].base64 is None
    assert result.to_numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert repr(result.data[0]) == "Embedding(index=0, dimensions=2)"


def test_embeddings_compare_by_index_and_values() -> None:
    packed = np.array([1.0, 2.0], dtype="<f4").tobytes()
    assert Embedding(index=0, packed=packed) == Embedding(index=0, floats=[1.0, 2.0])
    assert Embedding(index=0, packed=packed) != Embedding(index=1, floats=[1.0, 2.0])
    with pytest.raises(ValueError, match="either floats or packed"):
        Embedding(index=0)


def test_vectors_of_different_lengths_do_not_make_a_matrix() -> None:
    rows = [Embedding(index=0, floats=[1.0, 2.0]), Embedding(index=1, floats=[1.0])]
    result = EmbeddingResponse(data=rows, model="a/b", usage=Usage(prompt_tokens=1, total_tokens=1))
    with pytest.raises(ValueError, match="different lengths"):
        result.to_numpy()


def test_bulk_embeddings_to_numpy_from_lists() -> None:
    bulk = BulkEmbeddings(
        embeddings=[[1.0, 2.0], [3.0, 4.0]],
        usage=Usage(prompt_tokens=1, total_tokens=1),
        models=("a/b",),
    )
    matrix = bulk.to_numpy()
    assert matrix.dtype == np.float32 and matrix.shape == (2, 2) and len(bulk) == 2


def _public_members(obj: object) -> list[tuple[str, object]]:
    return [
        (name, member)
        for name, member in vars(obj).items()
        if not name.startswith("_") and (inspect.isfunction(member) or isinstance(member, property))
    ]


def test_every_public_name_and_method_has_a_docstring() -> None:
    undocumented = []
    for name in orq_router.__all__:
        value = getattr(orq_router, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            if not inspect.getdoc(value):
                undocumented.append(name)
            if inspect.isclass(value) and value.__module__.startswith("orq_router."):
                undocumented += [
                    f"{name}.{member}"
                    for member, attribute in _public_members(value)
                    if not inspect.getdoc(attribute)
                ]
    assert undocumented == []
