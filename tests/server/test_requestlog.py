"""One structured log line per request: who it was for and how it went, never the key."""

from __future__ import annotations

import json
from typing import Any

import pytest

from orq_router import Contact, Identity, NotFoundError, Orq, Retry
from orq_router_server.requestlog import LOGGER_NAME
from tests.server.conftest import KEY


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER_NAME]


def test_each_request_logs_one_line_with_identity_contact_name_and_user(
    client: Orq, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger=LOGGER_NAME)
    raw = client.router.embeddings.with_raw_response.create(
        input=["a", "b"],
        model="test/flaky",
        retry=Retry(count=2),
        user="user-7",
        name="indexing",
        orq={
            "identity": Identity(id="contact_1", display_name="Jane", email="jane@example.com"),
            "contact": Contact(id="contact_2", tags=["hr"]),
        },
    )
    (line,) = _lines(caplog)
    assert line == {
        "request_id": raw.request_id,
        "method": "POST",
        "path": "/v2/router/embeddings",
        "status": 200,
        "ms": line["ms"],
        "model": "test/flaky",
        "inputs": 2,
        "user": "user-7",
        "name": "indexing",
        "identity": {"id": "contact_1", "display_name": "Jane", "email": "jane@example.com"},
        "contact": {"id": "contact_2", "tags": ["hr"]},
        "served": "test/flaky",
        "attempts": 3,
        "cache": "miss",
        "prompt_tokens": 2,
    }
    assert isinstance(line["ms"], float)


def test_failures_are_logged_with_their_code_and_never_the_key(
    client: Orq, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger=LOGGER_NAME)
    with pytest.raises(NotFoundError):
        client.router.embeddings.create(input="a", model="test/none", orq={"name": "n"})
    bad_key = client.with_options(api_key="sk-wrong-key-123456")
    with pytest.raises(Exception, match="invalid"):
        bad_key.router.embeddings.create(input="a", model="test/hash-32")
    first, second = _lines(caplog)
    assert (first["status"], first["error"], first["name"]) == (404, "model_not_found", "n")
    assert (second["status"], second["error"]) == (401, "invalid_api_key")
    text = caplog.text
    assert KEY not in text and "sk-wrong-key-123456" not in text and "Bearer" not in text


def test_the_line_is_the_same_with_or_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from orq_router_server import requestlog

    record = {"request_id": "req_1", "ms": 0.28, "user": "\u00e9\U0001f600", "status": 200,
              "identity": {"id": "c", "tags": ["a"], "metadata": [{"k": "v"}]}}  # fmt: skip
    fast = requestlog._dumper()(record)
    monkeypatch.setitem(sys.modules, "orjson", None)
    assert requestlog._dumper()(record) == fast
    assert json.loads(fast) == record
