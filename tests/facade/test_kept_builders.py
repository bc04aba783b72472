"""`create` keeps the checked fields of calls with the same scalar keywords
(`EmbeddingsCore.prepare`): a call that finds them means exactly what a call built afresh
means, with the same errors, and calls with other values, types or defaults never share."""

from __future__ import annotations

from typing import Any

import pytest

from orq_router import Orq, ValidationError
from orq_router.embeddings import BUILDERS_KEPT, EmbeddingsCore

MODEL = "openai/text-embedding-3-small"


def core(**settings: Any) -> EmbeddingsCore:
    return Orq(api_key="sk-kept", base_url="http://127.0.0.1:9", **settings).router.embeddings._core


def body(core: EmbeddingsCore, input: Any, **params: Any) -> dict[str, Any]:
    return core.prepare(input, params).request.to_dict()


def test_a_kept_call_builds_what_a_fresh_one_builds() -> None:
    kept, fresh = core(), core()
    first = body(kept, "a", model=MODEL, dimensions=256, user="u")
    again = body(kept, ["b", "c"], model=MODEL, dimensions=256, user="u")
    assert len(kept._builders) == 1
    assert again == body(fresh, ["b", "c"], model=MODEL, dimensions=256, user="u")
    assert first["input"] == "a" and again["input"] == ["b", "c"]
    assert again["dimensions"] == 256 and again["encoding_format"] == "base64"


def test_the_type_of_a_value_is_part_of_what_is_kept() -> None:
    kept = core()
    body(kept, "a", model=MODEL, dimensions=1)
    with pytest.raises(ValidationError, match="must be an integer") as caught:
        body(kept, "a", model=MODEL, dimensions=True)  # True == 1, and hashes alike
    assert caught.value.path == ("dimensions",)


def test_input_errors_are_the_same_after_the_fields_are_kept() -> None:
    kept = core()
    body(kept, "a", model=MODEL)
    for bad, message in (("", "must not be empty"), (None, "is required"), (7, "must be a string")):
        with pytest.raises(ValidationError, match=message):
            body(kept, bad, model=MODEL)


def test_refused_fields_are_never_kept() -> None:
    kept = core()
    for _ in range(2):
        with pytest.raises(ValidationError, match="provider/model form"):
            body(kept, "a", model="no-provider")
    assert kept._builders == {}


def test_calls_with_helpers_dicts_or_call_options_are_built_afresh() -> None:
    kept = core()
    body(kept, "a", model=MODEL, retry={"count": 2})
    body(kept, "a", model=MODEL, http_timeout=5.0)
    assert kept._builders == {}
    prepared = kept.prepare("a", {"model": MODEL, "http_timeout": 5.0})
    assert prepared.options.http_timeout == 5.0  # not lost to a kept builder


def test_each_client_keeps_its_own_with_its_own_defaults() -> None:
    plain = core()
    small = core(defaults={"dimensions": 64})
    assert "dimensions" not in body(plain, "a", model=MODEL)
    assert body(small, "a", model=MODEL)["dimensions"] == 64
    assert "dimensions" not in body(plain, "a", model=MODEL)


def test_at_most_builders_kept_sets_are_kept() -> None:
    kept = core()
    for user in range(BUILDERS_KEPT + 10):
        assert body(kept, "a", model=MODEL, user=f"user-{user}")["user"] == f"user-{user}"
    assert len(kept._builders) == BUILDERS_KEPT
