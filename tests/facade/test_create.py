"""`client.router.embeddings.create`: what reaches the wire, and what comes back."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from vcr.cassette import Cassette

from orq_router import (
    Cache,
    Contact,
    EmbeddingResponse,
    Identity,
    Orq,
    OrqOptions,
    RawResponse,
    Retry,
    RouterTimeout,
    _vectors,
    fallbacks,
    weighted,
)
from orq_router_api.models import EncodingFormat
from tests.facade.conftest import RECORDING_URL, TEST_KEY
from tests.router_server import dimensions_of

MODEL = "openai/text-embedding-3-small"


def _sent(cassette: Cassette, index: int = -1) -> dict[str, Any]:
    """The JSON body of a request as the cassette recorded it (what was on the wire)."""
    body = cassette.requests[index].body
    assert isinstance(body, bytes)
    return json.loads(body)  # type: ignore[no-any-return]


@pytest.fixture
def seed_request(seed_request: dict[str, Any]) -> dict[str, Any]:
    """The reference's example request, with a real model id for its `<string>` one
    (model ids are checked: `provider/model`)."""
    return {**seed_request, "model": MODEL}


@pytest.mark.vcr
def test_every_seed_field_reaches_the_wire_exactly_as_dicts(
    client: Orq, vcr: Cassette, seed_request: dict[str, Any]
) -> None:
    params = {key: value for key, value in seed_request.items() if key != "input"}
    client.router.embeddings.create(input=seed_request["input"], **params)
    assert _sent(vcr) == seed_request
    assert list(_sent(vcr)) == list(seed_request)


@pytest.mark.vcr
def test_every_seed_field_reaches_the_wire_exactly_as_helpers(
    client: Orq, vcr: Cassette, seed_request: dict[str, Any]
) -> None:
    person: dict[str, Any] = {
        "id": "contact_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "display_name": "Jane Doe",
        "email": "jane.doe@example.com",
        "metadata": {"department": "Engineering", "role": "Senior Developer"},
        "logo_url": "https://example.com/avatars/jane-doe.jpg",
        "tags": ["hr", "engineering"],
    }
    client.router.embeddings.create(
        input="<string>",
        model=MODEL,
        encoding_format="float",
        dimensions=123,
        user="<string>",
        name="<string>",
        fallbacks=fallbacks("openai/text-embedding-3-small"),
        retry=Retry(count=3, on_codes=(429, 500, 502, 503, 504)),
        cache=Cache(ttl=3600),
        load_balancer=weighted({"openai/gpt-4o": 0.7}),
        timeout=RouterTimeout(call_timeout=30000),
        orq=OrqOptions(
            name="<string>",
            fallbacks=fallbacks("openai/gpt-4o-mini"),
            cache=Cache(ttl=3600),
            retry=Retry(count=3, on_codes=[429, 500, 502, 503, 504]),
            identity=Identity(**person),
            contact=Contact(**person),
            load_balancer=weighted({"openai/gpt-4o": 0.7, "anthropic/claude-3-5-sonnet": 0.3}),
            timeout=RouterTimeout.seconds(30),
        ),
    )
    assert _sent(vcr) == seed_request


@pytest.mark.vcr
def test_without_a_choice_base64_goes_on_the_wire_and_floats_come_out(
    client: Orq, vcr: Cassette
) -> None:
    result = client.router.embeddings.create(input=["The food was delicious", "ok"], model=MODEL)
    assert _sent(vcr) == {
        "input": ["The food was delicious", "ok"],
        "model": MODEL,
        "encoding_format": "base64",
    }
    assert isinstance(result, EmbeddingResponse)
    assert [item.index for item in result.data] == [0, 1]
    vector = result.data[0].embedding
    assert isinstance(vector, list) and all(isinstance(value, float) for value in vector)
    assert result.data[0].base64 is None  # not asked for: not kept
    assert result.model == MODEL
    assert result.usage.prompt_tokens == 5 and result.usage.total_tokens == 5
    assert result.request_id == "req_0001"


@pytest.mark.vcr
def test_base64_and_float_answers_carry_the_same_floats(client: Orq, vcr: Cassette) -> None:
    texts = ["alpha", "beta gamma"]
    packed = client.router.embeddings.create(input=texts, model=MODEL, dimensions=16)
    floats = client.router.embeddings.create(
        input=texts, model=MODEL, dimensions=16, encoding_format="float"
    )
    explicit = client.router.embeddings.create(
        input=texts, model=MODEL, dimensions=16, encoding_format=EncodingFormat.BASE64
    )
    assert [_sent(vcr, i)["encoding_format"] for i in range(3)] == ["base64", "float", "base64"]
    assert packed.to_lists() == floats.to_lists() == explicit.to_lists()
    assert floats.data[0].base64 is None
    # Asked for explicitly: the raw wire string is kept next to the floats.
    raw = explicit.data[0].base64
    assert isinstance(raw, str)
    assert _vectors.unpack(_vectors.decode_base64(raw)) == floats.data[0].embedding


@pytest.mark.vcr
def test_to_numpy_is_n_by_d_float32_in_input_order(client: Orq) -> None:
    texts = ["one", "two", "three"]
    result = client.router.embeddings.create(input=texts, model=MODEL, dimensions=12)
    matrix = result.to_numpy()
    assert matrix.shape == (3, 12)
    assert matrix.dtype == np.float32
    assert matrix.flags.writeable
    for row, item in zip(matrix, result.data, strict=True):
        assert row.tolist() == item.embedding
    assert result.data[1].to_numpy().shape == (12,)
    floats = client.router.embeddings.create(
        input=texts, model=MODEL, dimensions=12, encoding_format="float"
    )
    assert np.array_equal(floats.to_numpy(), matrix)


@pytest.mark.vcr
def test_token_id_inputs_and_tuples_are_sent_as_lists(client: Orq, vcr: Cassette) -> None:
    client.router.embeddings.create(input=("a text", (1, 2, 3)), model=MODEL)
    assert _sent(vcr)["input"] == ["a text", [1, 2, 3]]


def test_numpy_and_stdlib_decoding_give_identical_floats() -> None:
    rng = np.random.default_rng(7)
    packed = rng.standard_normal(1536).astype("<f4").tobytes()
    assert _vectors.unpack(packed) == _vectors.unpack_stdlib(packed)
    assert _vectors.unpack_stdlib(packed) == np.frombuffer(packed, "<f4").tolist()


def test_without_numpy_the_stdlib_path_decodes_and_to_numpy_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    packed = np.arange(4, dtype="<f4").tobytes()
    monkeypatch.setattr(_vectors, "numpy_or_none", lambda: None)
    assert _vectors.unpack(packed) == [0.0, 1.0, 2.0, 3.0]
    with pytest.raises(ImportError, match=r"pip install 'orq-router\[numpy\]'"):
        _vectors.to_matrix([packed])


@pytest.mark.vcr
def test_defaults_are_merged_into_every_call_and_the_call_wins(router: Any, vcr: Cassette) -> None:
    identity = Identity(id="contact_01", display_name="Jane", metadata={"team": "search"})
    client = Orq(
        api_key=TEST_KEY,
        base_url=RECORDING_URL,
        defaults={
            "model": MODEL,
            "dimensions": 8,
            "retry": {"count": 2},
            "orq": {"identity": identity, "name": "default-trace"},
        },
    )
    embeddings = client.router.embeddings
    embeddings.create(input="a")
    embeddings.create(input="b", dimensions=4, retry=Retry(count=5), orq={"name": "call"})
    embeddings.create(input="c", dimensions=None, orq=None)
    identity_json = {"id": "contact_01", "display_name": "Jane", "metadata": [{"team": "search"}]}
    assert _sent(vcr, 0) == {
        "input": "a",
        "model": MODEL,
        "encoding_format": "base64",
        "dimensions": 8,
        "retry": {"count": 2},
        "orq": {"name": "default-trace", "identity": identity_json},
    }
    # The call's values win; orq merges field by field, so the identity survives.
    assert _sent(vcr, 1) == {
        "input": "b",
        "model": MODEL,
        "encoding_format": "base64",
        "dimensions": 4,
        "retry": {"count": 5},
        "orq": {"name": "call", "identity": identity_json},
    }
    # None drops a default for one call.
    assert _sent(vcr, 2) == {
        "input": "c",
        "model": MODEL,
        "encoding_format": "base64",
        "retry": {"count": 2},
    }


@pytest.mark.vcr
def test_with_options_changes_settings_and_shares_the_pool(client: Orq, vcr: Cassette) -> None:
    tuned = client.with_options(
        defaults={"model": MODEL, "encoding_format": "float"},
        default_headers={"X-Team": "search"},
        max_retries=0,
    )
    assert tuned.api.pool is client.api.pool
    assert tuned.max_retries == 0 and client.max_retries == 2
    assert client.defaults == {}
    tuned.router.embeddings.create(input="hi")
    assert _sent(vcr) == {"input": "hi", "model": MODEL, "encoding_format": "float"}
    assert vcr.requests[0].headers["X-Team"] == "search"


@pytest.mark.vcr
def test_with_raw_response_gives_status_headers_bytes_and_the_parsed_body(
    client: Orq,
) -> None:
    raw = client.router.embeddings.with_raw_response.create(input="hi", model=MODEL)
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["Content-Type"] == "application/json"
    assert raw.request_id == "req_0001"
    assert json.loads(raw.content)["object"] == "list"
    parsed = raw.parse()
    assert isinstance(parsed, EmbeddingResponse)
    assert parsed.data[0].dimensions == dimensions_of(MODEL)
    assert raw.parsed.to_lists() == parsed.to_lists()


@pytest.mark.vcr
def test_the_user_agent_names_both_layers(client: Orq, vcr: Cassette) -> None:
    client.router.embeddings.create(input="hi", model=MODEL)
    agent = vcr.requests[0].headers["User-Agent"]
    assert agent.startswith("orq-router/") and " orq-router-api/" in agent
