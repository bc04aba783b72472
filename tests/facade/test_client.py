"""`Orq`: settings, environment, secrets, sharing and threads."""

from __future__ import annotations

import pickle
import threading
from typing import Any

import pytest
import urllib3

from orq_router import DEFAULT_BASE_URL, ConfigError, Orq, OrqOptions, Retry, ValidationError
from tests.facade.conftest import TEST_KEY
from tests.router_server import EmbeddingsServer

MODEL = "openai/text-embedding-3-small"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORQ_API_KEY", TEST_KEY)
    monkeypatch.setenv("ORQ_BASE_URL", "https://router.example.com")
    client = Orq()
    assert client.base_url == "https://router.example.com"
    assert client.api.token == TEST_KEY
    monkeypatch.delenv("ORQ_BASE_URL")
    assert Orq().base_url == DEFAULT_BASE_URL == "https://api.orq.ai"
    assert Orq(api_key="sk-explicit-key-000000").api.token == "sk-explicit-key-000000"


def test_a_key_is_required_except_on_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORQ_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="ORQ_API_KEY"):
        Orq()
    assert Orq(base_url="http://127.0.0.1:8000").api.token is None
    assert Orq(base_url="http://localhost:8000").api.token is None
    assert Orq(base_url="http://[::1]:8000").api.token is None


def test_the_key_never_goes_over_plain_http_to_another_host_unless_asked() -> None:
    with pytest.raises(ConfigError, match=r"plain http to router\.internal"):
        Orq(api_key=TEST_KEY, base_url="http://router.internal:8080")
    allowed = Orq(
        api_key=TEST_KEY, base_url="http://router.internal:8080", allow_insecure_http=True
    )
    assert allowed.base_url == "http://router.internal:8080"
    assert Orq(api_key=TEST_KEY, base_url="http://127.0.0.1:9").base_url == "http://127.0.0.1:9"
    client = Orq(api_key=TEST_KEY)
    with pytest.raises(ConfigError, match="plain http"):
        client.with_options(base_url="http://router.internal")


@pytest.mark.parametrize(
    "settings",
    [
        {"base_url": "ftp://api.orq.ai"},
        {"base_url": "api.orq.ai"},
        {"max_retries": -1},
        {"max_retries": 1.5},
        {"http_timeout": 0},
        {"http_timeout": "30"},
    ],
)
def test_bad_settings_are_refused(settings: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        Orq(api_key=TEST_KEY, **settings)


def test_repr_and_api_key_are_masked() -> None:
    client = Orq(api_key=TEST_KEY, defaults={"model": MODEL})
    text = repr(client)
    assert TEST_KEY not in text and TEST_KEY[:-4] not in text
    assert "****cdef" in text and "openai/text-embedding-3-small" in text
    assert client.api_key == "****cdef"
    assert TEST_KEY not in repr(client.api)
    assert Orq(api_key="short").api_key == "****"


def test_defaults_are_checked_when_the_client_is_made() -> None:
    with pytest.raises(ValidationError, match="dimension: is not a field of the defaults"):
        Orq(api_key=TEST_KEY, defaults={"dimension": 3})
    with pytest.raises(ValidationError, match="input: is not a field of the defaults"):
        Orq(api_key=TEST_KEY, defaults={"input": "x"})
    with pytest.raises(ValidationError, match=r"retry\.count: must be at most 5"):
        Orq(api_key=TEST_KEY, defaults={"retry": {"count": 6}})
    with pytest.raises(ValidationError, match="dimensions: must be at least 1"):
        Orq(api_key=TEST_KEY, defaults={"dimensions": 0})
    with pytest.raises(ValidationError, match="encoding_format: must be one of"):
        Orq(api_key=TEST_KEY, defaults={"encoding_format": "binary"})


def test_with_options_lays_defaults_over_and_none_removes_one() -> None:
    client = Orq(api_key=TEST_KEY, defaults={"model": MODEL, "retry": Retry(count=1)})
    copy = client.with_options(defaults={"dimensions": 64, "retry": None})
    assert copy.defaults == {"model": MODEL, "dimensions": 64}
    assert client.defaults == {"model": MODEL, "retry": Retry(count=1)}
    assert copy.api.pool is client.api.pool
    assert copy.with_options(http_timeout=3.0).http_timeout == 3.0
    with pytest.raises(TypeError):
        client.defaults["model"] = "other/model"  # type: ignore[index]
    with pytest.raises(ValidationError, match="dimension: is not a field of the defaults"):
        client.with_options(defaults={"dimension": None})


def test_with_options_merges_the_default_orq_field_by_field() -> None:
    client = Orq(api_key=TEST_KEY, defaults={"orq": {"identity": {"id": "c1"}, "name": "a"}})
    copy = client.with_options(defaults={"orq": {"name": "b"}})
    orq = copy.defaults["orq"]
    assert isinstance(orq, OrqOptions)
    assert orq.to_model().to_dict() == {"name": "b", "identity": {"id": "c1"}}


def test_a_missing_model_is_named(live_client: Orq, live: EmbeddingsServer) -> None:
    with pytest.raises(ValidationError, match=r"model: is required \(pass model="):
        live_client.router.embeddings.create(input="hi")
    assert live.exchanges == []


def test_context_manager_closes_the_pool() -> None:
    with Orq(api_key=TEST_KEY) as client:
        pool = client.api.pool
        pool.connection_from_url("https://api.orq.ai")
        assert len(pool.pools) == 1
    assert len(pool.pools) == 0


def test_threads_share_one_client_safely(live: EmbeddingsServer) -> None:
    client = Orq(api_key=TEST_KEY, base_url=live.url, defaults={"model": MODEL})
    results: dict[int, list[float]] = {}
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for round_ in range(5):
                text = f"worker {worker} round {round_}"
                results[worker * 10 + round_] = (
                    client.router.embeddings.create(input=text).data[0].embedding
                )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 40 and len(live.exchanges) == 40
    pool = client.api.pool.connection_from_url(live.url)
    assert isinstance(pool, urllib3.HTTPConnectionPool)
    assert pool.num_connections <= 8  # one connection per thread at most, then reused


def test_validation_errors_pickle_with_their_path() -> None:
    with pytest.raises(ValidationError) as caught:
        Retry(count=9)
    restored = pickle.loads(pickle.dumps(caught.value))
    assert type(restored) is ValidationError
    assert str(restored) == str(caught.value) == "Retry.count: must be at most 5, got 9"
