"""The OpenAPI document: valid, and faithful to the API reference's examples."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from tests.conftest import ROOT

SPEC = ROOT / "openapi" / "orq-router.yaml"
SEED = ROOT.parent / "shared" / "seed" / "000_549a7695107f963d.txt"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text())  # type: ignore[no-any-return]


def _operation(document: dict[str, Any]) -> dict[str, Any]:
    return document["paths"]["/v2/router/embeddings"]["post"]  # type: ignore[no-any-return]


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_the_operation_is_create_embedding_with_bearer_auth(document: dict[str, Any]) -> None:
    assert _operation(document)["operationId"] == "createEmbedding"
    assert document["servers"][0]["url"] == "https://api.orq.ai"
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]


def test_the_examples_are_the_reference_examples(
    document: dict[str, Any], seed_request: dict[str, Any], seed_response: dict[str, Any]
) -> None:
    op = _operation(document)
    request = op["requestBody"]["content"]["application/json"]["examples"]["reference"]["value"]
    response = op["responses"]["200"]["content"]["application/json"]["examples"]["reference"]
    assert request == seed_request
    assert response["value"] == seed_response


def test_every_request_field_of_the_reference_is_in_the_schema(
    document: dict[str, Any], seed_request: dict[str, Any]
) -> None:
    schemas = document["components"]["schemas"]
    request = schemas["CreateEmbeddingRequest"]["properties"]
    assert list(request) == list(seed_request)
    assert list(schemas["OrqSettings"]["properties"]) == [
        "name", "fallbacks", "cache", "retry", "identity", "contact", "load_balancer", "timeout"
    ]  # fmt: skip
    assert list(schemas["Identity"]["properties"]) == list(seed_request["orq"]["identity"])
    # identity and contact are one schema, so one generated class.
    orq = schemas["OrqSettings"]["properties"]
    assert orq["identity"]["$ref"] == orq["contact"]["$ref"] == "#/components/schemas/Identity"


def test_constraints_match_the_issue(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    request = schemas["CreateEmbeddingRequest"]["properties"]
    assert request["dimensions"] == {**request["dimensions"], "type": "integer", "minimum": 1}
    assert schemas["EncodingFormat"]["enum"] == ["float", "base64"]
    assert request["encoding_format"]["default"] == "float"
    retry = schemas["Retry"]["properties"]["count"]
    assert (retry["minimum"], retry["maximum"]) == (0, 5)
    ttl = schemas["Cache"]["properties"]["ttl"]
    assert (ttl["minimum"], ttl["maximum"], ttl["default"]) == (1, 259200, 1800)
    assert schemas["LoadBalancerModel"]["properties"]["weight"]["exclusiveMinimum"] == 0
    assert schemas["Timeout"]["properties"]["call_timeout"]["minimum"] == 1
    identity = schemas["Identity"]["properties"]
    assert identity["email"]["format"] == "email"
    assert identity["logo_url"]["format"] == "uri"


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed is not beside this checkout")
def test_the_fixtures_are_the_seed_verbatim(
    seed_request: dict[str, Any], seed_response: dict[str, Any]
) -> None:
    text = SEED.read_text()
    body = text.split("--data '")[1].split("\n'\n")[0]
    after = text.split("\n'\n", 1)[1]
    assert json.loads(body) == seed_request
    assert json.loads(after[: after.index("\nAuthorizations")]) == seed_response
