"""Errors: one class per status, retries where they help, typed network failures."""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest
from vcr.cassette import Cassette

from orq_router import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    Orq,
    OrqError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from tests.facade.conftest import TEST_KEY
from tests.router_server import EmbeddingsServer, dimensions_of

MODEL = "openai/text-embedding-3-small"


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


STATUS_CLASSES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (422, UnprocessableEntityError),
]


@pytest.mark.vcr
@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
def test_each_client_error_status_raises_its_class_without_retrying(
    client: Orq, router: Any, vcr: Cassette, status: int, cls: type[APIStatusError]
) -> None:
    router.answer(status, _error(f"refused with {status}", f"code_{status}"))
    with pytest.raises(cls) as caught:
        client.router.embeddings.create(input="hi", model=MODEL)
    error = caught.value
    assert isinstance(error, APIStatusError) and isinstance(error, APIError)
    assert isinstance(error, OrqError)
    assert error.status_code == status
    assert error.request_id == "req_0001"
    assert error.body == _error(f"refused with {status}", f"code_{status}")
    assert error.error is not None and error.error.message == f"refused with {status}"
    assert error.code == f"code_{status}"
    assert str(error) == f"Error code: {status} - refused with {status} (request id req_0001)"
    assert len(vcr.requests) == 1  # not retried


@pytest.mark.vcr
@pytest.mark.parametrize(
    ("status", "cls"), [(409, ConflictError), (429, RateLimitError), (500, InternalServerError)]
)
def test_retryable_statuses_raise_their_class_once_retries_are_used_up(
    client: Orq,
    router: Any,
    vcr: Cassette,
    sleeps: list[float],
    status: int,
    cls: type[APIStatusError],
) -> None:
    for _ in range(3):
        router.answer(status, _error("try later", "busy"))
    with pytest.raises(cls) as caught:
        client.router.embeddings.create(input="hi", model=MODEL)
    assert caught.value.status_code == status
    assert caught.value.request_id == "req_0003"  # the last of three tries
    assert len(vcr.requests) == 3  # the first try and max_retries=2 more
    # urllib3's backoff: the first retry at once, the second after 1 s plus jitter.
    assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 1.25


@pytest.mark.vcr
def test_a_429_is_retried_honouring_retry_after(
    client: Orq, router: Any, vcr: Cassette, sleeps: list[float]
) -> None:
    router.answer(429, _error("slow down", "rate_limited"), {"Retry-After": "3"})
    result = client.router.embeddings.create(input="hi", model=MODEL)
    assert len(vcr.requests) == 2
    assert sleeps == [3.0]
    assert result.request_id == "req_0002"


@pytest.mark.vcr
def test_retry_after_is_capped_at_a_minute(
    client: Orq, router: Any, vcr: Cassette, sleeps: list[float]
) -> None:
    router.answer(429, _error("slow down", "rate_limited"), {"Retry-After": "3600"})
    client.router.embeddings.create(input="hi", model=MODEL)
    assert sleeps == [60.0]


@pytest.mark.vcr
def test_a_503_is_retried_with_backoff_and_then_succeeds(
    client: Orq, router: Any, vcr: Cassette, sleeps: list[float]
) -> None:
    router.answer(503, b"<html>upstream unavailable</html>", {"Content-Type": "text/html"})
    router.answer(502, _error("bad gateway", "bad_gateway"))
    result = client.router.embeddings.create(input="hi", model=MODEL)
    assert len(vcr.requests) == 3
    assert result.data[0].dimensions == dimensions_of(MODEL)
    # Exponential backoff with jitter: the first retry at once, then 1 s + up to 0.25 s.
    assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 1.25


@pytest.mark.vcr
def test_max_retries_zero_sends_once(
    client: Orq, router: Any, vcr: Cassette, sleeps: list[float]
) -> None:
    router.answer(503, _error("unavailable", "unavailable"))
    with pytest.raises(InternalServerError) as caught:
        client.with_options(max_retries=0).router.embeddings.create(input="hi", model=MODEL)
    assert caught.value.status_code == 503
    assert len(vcr.requests) == 1 and sleeps == []


@pytest.mark.vcr
def test_an_error_body_that_is_not_json_is_kept_as_text(
    client: Orq, router: Any, vcr: Cassette
) -> None:
    router.answer(404, b"<html>no such route</html>", {"Content-Type": "text/html"})
    with pytest.raises(NotFoundError) as caught:
        client.router.embeddings.create(input="hi", model=MODEL)
    assert caught.value.body == "<html>no such route</html>"
    assert caught.value.error is None
    assert caught.value.content == b"<html>no such route</html>"
    assert "no such route" in str(caught.value)


def test_an_error_body_with_nulls_in_optional_fields_still_gives_message_and_code(
    live_client: Orq, live: EmbeddingsServer
) -> None:
    """The shape OpenAI-compatible servers send: null where a field has no value."""
    body = {
        "error": {
            "message": "The model `x/y` does not exist",
            "type": None,
            "code": "model_not_found",
            "param": None,
            "doc_url": None,
        }
    }
    live.answer(404, body)
    with pytest.raises(NotFoundError) as caught:
        live_client.router.embeddings.create(input="hi", model="x/y")
    error = caught.value
    assert error.error is not None
    assert error.message.startswith("Error code: 404 - The model `x/y` does not exist")
    assert error.code == "model_not_found"
    assert error.error.param is None and error.body == body


def test_a_null_code_reads_as_no_code(live_client: Orq, live: EmbeddingsServer) -> None:
    live.answer(400, {"error": {"message": "bad input", "code": None}})
    with pytest.raises(BadRequestError) as caught:
        live_client.router.embeddings.create(input="hi", model=MODEL)
    assert caught.value.code is None
    assert "bad input" in str(caught.value)


@pytest.mark.vcr
def test_a_200_with_an_undocumented_body_raises_api_response_validation_error(
    client: Orq, router: Any
) -> None:
    router.answer(200, {"object": "list", "data": [{"index": 0}]})
    with pytest.raises(APIResponseValidationError) as caught:
        client.router.embeddings.create(input="hi", model=MODEL)
    assert b'"index": 0' in caught.value.content


@pytest.mark.vcr
def test_a_200_whose_base64_is_broken_raises_api_response_validation_error(
    client: Orq, router: Any
) -> None:
    body = {
        "object": "list",
        "data": [{"object": "embedding", "embedding": "AAAA", "index": 0}],
        "model": MODEL,
        "usage": {"prompt_tokens": 1, "total_tokens": 1},
    }
    router.answer(200, body)
    with pytest.raises(APIResponseValidationError, match="whole float32 values"):
        client.router.embeddings.create(input="hi", model=MODEL).data[0].embedding  # noqa: B018


def test_a_read_timeout_raises_api_timeout_error_after_retries(
    live: EmbeddingsServer, sleeps: list[float]
) -> None:
    for _ in range(2):
        live.answer(200, b"{}", delay=0.5)
    client = Orq(api_key=TEST_KEY, base_url=live.url, http_timeout=0.1, max_retries=1)
    with pytest.raises(APITimeoutError) as caught:
        client.router.embeddings.create(input="hi", model=MODEL)
    assert isinstance(caught.value, APIConnectionError)
    assert "timed out" in str(caught.value)
    assert len(live.exchanges) == 2  # retried once


def test_a_refused_connection_raises_api_connection_error(sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Orq(api_key=TEST_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=2)
    with pytest.raises(APIConnectionError) as caught:
        client.router.embeddings.create(input="hi", model=MODEL)
    assert not isinstance(caught.value, APITimeoutError)
    assert caught.value.url == f"http://127.0.0.1:{port}/v2/router/embeddings"
    assert len(sleeps) == 1  # connection errors are retried too, with backoff


def test_logs_name_the_call_but_never_the_key(
    live_client: Orq, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    live_client.router.embeddings.create(input="hi", model=MODEL)
    text = caplog.text
    assert "POST " in text and "-> 200" in text and "req_0001" in text
    assert TEST_KEY not in text and TEST_KEY[-12:] not in text
    assert "Bearer" not in text
