"""The real model: the router's vectors are sentence-transformers' own for the same texts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from orq_router import BadRequestError, Orq
from orq_router_server import MINILM_MODEL
from tests.server.conftest import needs_minilm

pytestmark = needs_minilm

TEXTS = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The new movie is awesome.",
    "Pythons are snakes; Python is also a programming language.",
]


@pytest.fixture(scope="module")
def model() -> Any:
    """The same weights, loaded by sentence-transformers itself (once per process)."""
    from orq_router_server.backends.minilm import load_model

    return load_model()


def test_the_vectors_equal_sentence_transformers_own(client: Orq, model: Any) -> None:
    answer = client.router.embeddings.create(input=TEXTS, model=MINILM_MODEL)
    theirs = model.encode(TEXTS, batch_size=32, convert_to_numpy=True)
    ours = answer.to_numpy()
    assert ours.shape == (4, 384)
    assert answer.model == MINILM_MODEL
    # The same weights, the same batch, float32 all the way (base64 on the wire): equal
    # to the last bit.
    assert np.array_equal(ours, theirs)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)


def test_one_text_at_a_time_gives_the_same_vectors(client: Orq, model: Any) -> None:
    for text in TEXTS[:2]:
        ours = client.router.embeddings.create(input=text, model=MINILM_MODEL).to_numpy()[0]
        assert np.allclose(ours, model.encode([text])[0], atol=1e-6)


def test_it_is_semantic(client: Orq) -> None:
    vectors = client.router.embeddings.create(
        input=["How do I bake bread?", "A recipe for a sourdough loaf", "Quarterly tax filing"],
        model=MINILM_MODEL,
    ).to_numpy()
    related, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert related > unrelated + 0.2


def test_usage_counts_word_pieces_with_cls_and_sep(client: Orq, model: Any) -> None:
    answer = client.router.embeddings.create(input=["hello world", "Hi"], model=MINILM_MODEL)
    expected = sum(len(model.tokenizer(t)["input_ids"]) for t in ["hello world", "Hi"])
    assert answer.usage.prompt_tokens == expected == 4 + 3


def test_token_ids_are_the_models_word_pieces(client: Orq, model: Any) -> None:
    ids = model.tokenizer("A man is eating food.", add_special_tokens=False)["input_ids"]
    answer = client.router.embeddings.create(
        input=[ids, "The new movie is awesome."], model=MINILM_MODEL
    )
    vectors = answer.to_numpy()
    assert np.allclose(vectors[0], model.encode([TEXTS[0]])[0], atol=1e-5)
    assert np.allclose(vectors[1], model.encode([TEXTS[2]])[0], atol=1e-5)
    with pytest.raises(BadRequestError) as caught:
        client.router.embeddings.create(input=[[101, 30522]], model=MINILM_MODEL)
    assert caught.value.code == "invalid_token_id"
    assert caught.value.error is not None and caught.value.error.param == "input[0][1]"


def test_dimensions_cut_the_real_model_too(client: Orq) -> None:
    full = client.router.embeddings.create(input="bread", model=MINILM_MODEL).to_numpy()[0]
    cut = client.router.embeddings.create(input="bread", model=MINILM_MODEL, dimensions=128)
    assert np.allclose(cut.to_numpy()[0], full[:128] / np.linalg.norm(full[:128]), atol=1e-6)
    with pytest.raises(BadRequestError):
        client.router.embeddings.create(input="bread", model=MINILM_MODEL, dimensions=385)
