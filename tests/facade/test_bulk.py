"""`embed_many`: batches, order, usage, and what a failed batch reports."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from vcr.cassette import Cassette

from orq_router import (
    BadRequestError,
    BulkEmbeddings,
    EmbedManyError,
    InternalServerError,
    Orq,
    ValidationError,
    _vectors,
)
from tests.router_server import EmbeddingsServer, dimensions_of, vectors

MODEL = "openai/text-embedding-3-small"
TEXTS = [f"sentence number {i}" for i in range(10)]
DIMENSIONS = dimensions_of(MODEL)


def _expected(texts: list[str]) -> list[list[float]]:
    """The local router's vectors (hashing: each input's own), so order mistakes show."""
    return vectors(texts, MODEL)


@pytest.mark.vcr
def test_batches_come_back_as_one_matrix_in_input_order(client: Orq, vcr: Cassette) -> None:
    result = client.router.embeddings.embed_many(TEXTS, model=MODEL, batch_size=3, max_workers=1)
    assert isinstance(result, BulkEmbeddings)
    assert [len(request.body or b"") > 0 for request in vcr.requests] == [True] * 4
    assert isinstance(result.embeddings, np.ndarray)
    assert result.embeddings.shape == (10, DIMENSIONS)
    assert result.embeddings.dtype == np.float32
    assert result.embeddings.tolist() == _expected(TEXTS)
    assert result.usage.prompt_tokens == 30 and result.usage.total_tokens == 30
    assert result.models == (MODEL,)
    assert len(result) == 10


@pytest.mark.vcr
def test_every_batch_carries_the_same_options(client: Orq, vcr: Cassette) -> None:
    client.router.embeddings.embed_many(
        TEXTS[:4], model=MODEL, batch_size=2, max_workers=1, dimensions=4, user="u-1"
    )
    bodies = [json.loads(request.body) for request in vcr.requests]
    assert [body["input"] for body in bodies] == [TEXTS[0:2], TEXTS[2:4]]
    assert {(body["dimensions"], body["user"], body["model"]) for body in bodies} == {
        (4, "u-1", MODEL)
    }


@pytest.mark.vcr
def test_a_batch_failing_after_retries_reports_its_range_and_keeps_the_rest(
    client: Orq, router: Any, vcr: Cassette, sleeps: list[float]
) -> None:
    # Batch 0 is answered normally; batch 1 fails its three tries; 2 and 3 are never sent.
    router.answer_normally()
    for _ in range(3):
        router.answer(500, {"error": {"message": "upstream down", "code": "upstream"}})

    with pytest.raises(EmbedManyError) as caught:
        client.router.embeddings.embed_many(TEXTS, model=MODEL, batch_size=3, max_workers=1)

    error = caught.value
    assert len(vcr.requests) == 4  # batch 0, then batch 1 three times
    (failure,) = error.failures
    assert (failure.start, failure.stop) == (3, 6)
    assert isinstance(failure.error, InternalServerError)
    assert error.__cause__ is failure.error
    assert error.completed == (range(0, 3),)
    assert error.not_attempted == (range(6, 9), range(9, 10))
    assert "inputs 3..5 failed: InternalServerError" in str(error)
    assert "inputs 6..8 were not sent" in str(error)
    assert "3 of 10 inputs embedded" in str(error)
    assert isinstance(error.embeddings, np.ndarray)
    assert error.embeddings[:3].tolist() == _expected(TEXTS[:3])
    assert np.isnan(error.embeddings[3:]).all()
    assert error.usage.total_tokens == 9


@pytest.mark.vcr
def test_without_numpy_the_result_is_lists_and_missing_rows_are_none(
    client: Orq, router: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_vectors, "numpy_or_none", lambda: None)
    router.answer(400, {"error": {"message": "bad batch", "code": "bad"}})
    with pytest.raises(EmbedManyError) as caught:
        client.router.embeddings.embed_many(TEXTS[:4], model=MODEL, batch_size=2, max_workers=1)
    error = caught.value
    assert isinstance(error.failures[0].error, BadRequestError)
    assert error.embeddings == [None, None, None, None]
    assert error.not_attempted == (range(2, 4),)


@pytest.mark.vcr
def test_without_numpy_a_full_result_is_a_list_of_float_lists(
    client: Orq, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_vectors, "numpy_or_none", lambda: None)
    result = client.router.embeddings.embed_many(
        TEXTS[:5], model=MODEL, batch_size=2, max_workers=1
    )
    assert result.embeddings == _expected(TEXTS[:5])


def test_concurrent_batches_share_the_pool_and_keep_order(
    live: EmbeddingsServer, live_client: Orq
) -> None:
    texts = [f"text {i}" for i in range(200)]
    result = live_client.router.embeddings.embed_many(
        texts, model=MODEL, batch_size=7, max_workers=4
    )
    assert result.embeddings.tolist() == _expected(texts)  # type: ignore[union-attr]
    assert len(live.exchanges) == math.ceil(200 / 7)
    sent = sorted(text for exchange in live.exchanges for text in exchange.json()["input"])
    assert sent == sorted(texts)


def test_inputs_are_all_checked_before_any_batch_is_sent(
    live: EmbeddingsServer, live_client: Orq
) -> None:
    texts = ["fine"] * 7 + [""] + ["fine"] * 2
    with pytest.raises(ValidationError) as caught:
        live_client.router.embeddings.embed_many(texts, model=MODEL, batch_size=3)
    assert caught.value.location == "texts[7]"
    assert live.exchanges == []


@pytest.mark.parametrize(
    ("arguments", "location"),
    [
        ({"texts": "one string"}, "texts"),
        ({"texts": []}, "texts"),
        ({"texts": ["a"], "batch_size": 0}, "batch_size"),
        ({"texts": ["a"], "max_workers": 0}, "max_workers"),
        ({"texts": ["a"], "dimensions": 0}, "dimensions"),
        ({"texts": ["a"], "input": ["b"]}, "input"),
    ],
)
def test_bad_arguments_are_refused(
    live: EmbeddingsServer, live_client: Orq, arguments: dict[str, Any], location: str
) -> None:
    texts = arguments.pop("texts")
    with pytest.raises(ValidationError) as caught:
        live_client.router.embeddings.embed_many(texts, model=MODEL, **arguments)
    assert caught.value.location == location
    assert live.exchanges == []


def test_progress_shows_a_tqdm_bar(live_client: Orq, capsys: pytest.CaptureFixture[str]) -> None:
    live_client.router.embeddings.embed_many(TEXTS, model=MODEL, batch_size=4, progress=True)
    err = capsys.readouterr().err
    assert "embedding" in err and "10/10" in err


def test_a_batch_wider_than_the_earlier_ones_fails_and_the_rows_before_it_stay() -> None:
    from orq_router import APIResponseValidationError
    from tests.scripted_server import WIDTH, ScriptedServer, normal, reply
    from tests.scripted_server import vector as scripted_vector

    wider = json.dumps(
        {
            "object": "list",
            "data": [{"object": "embedding", "embedding": [0.5] * (WIDTH + 1), "index": i} for i in range(2)],
            "model": "a/b",
            "usage": {"prompt_tokens": 2, "total_tokens": 2},
        }
    ).encode()  # fmt: skip
    texts = ["a", "b", "c", "d", "e"]
    with ScriptedServer() as server:
        server.script(normal, reply(200, wider))
        client = Orq(base_url=server.url, max_retries=0)
        with pytest.raises(EmbedManyError) as caught:
            client.router.embeddings.embed_many(texts, model=MODEL, batch_size=2, max_workers=1)
    error = caught.value
    (failure,) = error.failures
    assert isinstance(failure.error, APIResponseValidationError)
    assert (
        f"vectors of {WIDTH + 1} dimensions for inputs 2..3, where earlier batches had {WIDTH}"
        in str(failure.error)
    )
    assert error.completed == (range(0, 2),) and error.not_attempted == (range(4, 5),)
    assert isinstance(error.embeddings, np.ndarray) and error.embeddings.shape == (5, WIDTH)
    assert error.embeddings[:2].tolist() == [scripted_vector(text) for text in texts[:2]]
    assert np.isnan(error.embeddings[2:]).all()


def test_many_concurrent_batches_fill_one_matrix_with_and_without_numpy(
    live: EmbeddingsServer, live_client: Orq, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [f"text {i}" for i in range(301)]
    result = live_client.router.embeddings.embed_many(
        texts, model=MODEL, batch_size=8, max_workers=8
    )
    assert isinstance(result.embeddings, np.ndarray) and result.embeddings.flags.writeable
    assert result.embeddings.tolist() == _expected(texts)
    assert len(live.exchanges) == math.ceil(301 / 8)
    monkeypatch.setattr(_vectors, "numpy_or_none", lambda: None)
    lists = live_client.router.embeddings.embed_many(
        texts, model=MODEL, batch_size=8, max_workers=8
    )
    assert lists.embeddings == _expected(texts)
