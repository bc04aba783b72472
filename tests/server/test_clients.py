"""Clients nobody here wrote: the official orq-ai-sdk and the openai SDK, unchanged."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import numpy as np
import openai
import orq_ai_sdk
import pytest
from orq_ai_sdk import models as orq_models

from tests.router_server import EmbeddingsServer, vectors
from tests.server.conftest import KEY, routing_config

CONFIG = routing_config()
TEXTS: list[str | list[int]] = ["The food was delicious", "And the waiter was friendly"]
STRINGS = ["The food was delicious", "And the waiter was friendly"]


@pytest.fixture
def official(local_router: EmbeddingsServer) -> orq_ai_sdk.Orq:
    return orq_ai_sdk.Orq(api_key=KEY, server_url=local_router.url)


@pytest.fixture
def oai(local_router: EmbeddingsServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(api_key=KEY, base_url=local_router.url + "/v1", max_retries=0) as client:
        yield client


def test_the_official_sdk_embeds_through_the_local_router(
    official: orq_ai_sdk.Orq, local_router: EmbeddingsServer
) -> None:
    result = official.router.embeddings.create(input=TEXTS, model="test/hash-32")
    assert local_router.exchanges[0].path == "/v2/router/embeddings"
    assert result.model == "test/hash-32"
    assert result.data is not None
    assert [item.embedding for item in result.data] == vectors(STRINGS, "test/hash-32", CONFIG)
    assert result.usage is not None and result.usage.prompt_tokens == 9


def test_the_official_sdk_routing_options_work(
    official: orq_ai_sdk.Orq, local_router: EmbeddingsServer
) -> None:
    fallback: list[orq_models.FallbackConfigTypedDict] = [{"model": "test/hash-64"}]
    result = official.router.embeddings.create(
        input="hello",
        model="test/flaky",
        retry={"count": 1, "on_codes": [503]},
        fallbacks=fallback,
        cache={"type": "exact_match", "ttl": 60},
        timeout={"call_timeout": 5000},
        dimensions=16,
        encoding_format="base64",
    )
    assert result.model == "test/hash-64"
    assert result.data is not None
    packed = result.data[0].embedding
    assert isinstance(packed, str)  # the official SDK hands base64 back raw
    floats = np.frombuffer(base64.b64decode(packed), dtype="<f4")
    assert floats.shape == (16,)
    assert abs(float(np.linalg.norm(floats)) - 1) < 1e-6


def test_the_official_sdk_sees_the_routers_errors(official: orq_ai_sdk.Orq) -> None:
    with pytest.raises(orq_models.OrqError) as caught:
        official.router.embeddings.create(input="hello", model="test/nope")
    assert caught.value.status_code == 404
    assert "test/nope" in caught.value.body


def test_the_openai_sdk_embeds_through_v1(
    oai: openai.OpenAI, local_router: EmbeddingsServer
) -> None:
    result = oai.embeddings.create(input=STRINGS, model="test/hash-32")
    sent = local_router.exchanges[0]
    assert sent.path == "/v1/embeddings"
    assert sent.json()["encoding_format"] == "base64"  # openai's default, decoded by it
    assert result.model == "test/hash-32"
    assert [item.embedding for item in result.data] == vectors(STRINGS, "test/hash-32", CONFIG)
    assert result.usage.prompt_tokens == result.usage.total_tokens == 9


def test_the_openai_sdk_floats_dimensions_and_token_ids(oai: openai.OpenAI) -> None:
    floats = oai.embeddings.create(
        input="hello there", model="test/hash-64", encoding_format="float", dimensions=8
    )
    assert len(floats.data[0].embedding) == 8
    tokens = oai.embeddings.create(input=[101, 7592, 102], model="test/hash-32")
    assert len(tokens.data) == 1  # OpenAI's form: one flat list of ids is one input
    many = oai.embeddings.create(input=[[1, 2], [3]], model="test/hash-32")
    assert [item.index for item in many.data] == [0, 1]


def test_the_openai_sdk_can_route_with_extra_body(oai: openai.OpenAI) -> None:
    result = oai.embeddings.create(
        input="hello",
        model="test/flaky",
        extra_body={"retry": {"count": 2}, "orq": {"name": "from-openai"}},
    )
    assert result.model == "test/flaky"


def test_the_openai_sdk_sees_401_404_and_lists_models(
    oai: openai.OpenAI, local_router: EmbeddingsServer
) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        oai.embeddings.create(input="x", model="test/nope")
    assert missing.value.code == "model_not_found"
    with pytest.raises(openai.AuthenticationError):
        oai.with_options(api_key="key-z").embeddings.create(input="x", model="test/hash-32")
    with pytest.raises(openai.UnprocessableEntityError):
        oai.embeddings.create(input="", model="test/hash-32")
    assert {model.id for model in oai.models.list()} == set(CONFIG.models)
