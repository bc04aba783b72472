"""Reading a large answer pauses the cyclic garbage collector, and only for that read."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from orq_router_api import _decode
from orq_router_api.models import CreateEmbeddingResponse


def _answer(rows: int, width: int) -> bytes:
    row = "[" + ",".join(["0.25"] * width) + "]"
    data = ",".join(f'{{"object":"embedding","index":{i},"embedding":{row}}}' for i in range(rows))
    usage = f'{{"prompt_tokens":{rows},"total_tokens":{rows}}}'
    return f'{{"object":"list","model":"a/b","usage":{usage},"data":[{data}]}}'.encode()


@pytest.fixture
def collector_seen() -> Iterator[list[bool]]:
    """Whether the collector was on, seen from inside each model `from_dict` call."""
    seen: list[bool] = []
    yield seen
    gc.enable()


def _watching(seen: list[bool]) -> Any:
    def build(data: Any) -> CreateEmbeddingResponse:
        seen.append(gc.isenabled())
        return CreateEmbeddingResponse.from_dict(data)

    return build


def test_a_large_answer_is_read_with_the_collector_paused_then_resumed(
    collector_seen: list[bool],
) -> None:
    body = _answer(2048, 768)
    assert len(body) >= _decode.PAUSE_COLLECTOR_FROM
    parsed = _decode.parse(body, _watching(collector_seen))
    assert len(parsed.data) == 2048
    assert collector_seen == [False] and gc.isenabled()


def test_a_refused_large_answer_resumes_the_collector_too(collector_seen: list[bool]) -> None:
    body = _answer(2048, 768).replace(b'"index":7,', b'"index":"7",')
    with pytest.raises(ValueError, match=r"data\[7\]\.index: must be an integer"):
        _decode.parse(body, _watching(collector_seen))
    assert collector_seen and not any(collector_seen) and gc.isenabled()


def test_a_small_answer_leaves_the_collector_alone(collector_seen: list[bool]) -> None:
    _decode.parse(_answer(1, 1536), _watching(collector_seen))
    assert collector_seen == [True]


def test_a_collector_the_program_turned_off_stays_off(collector_seen: list[bool]) -> None:
    gc.disable()
    _decode.parse(_answer(2048, 768), _watching(collector_seen))
    assert collector_seen == [False] and not gc.isenabled()


def test_when_the_fast_reader_cannot_allocate_the_standard_library_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def out_of_memory(content: bytes) -> Any:
        raise MemoryError

    monkeypatch.setattr(_decode, "_fast_loads", out_of_memory)
    parsed = _decode.parse(_answer(2, 3), CreateEmbeddingResponse.from_dict)
    assert [item.embedding for item in parsed.data] == [[0.25] * 3] * 2
    assert _decode.loads(b"[1.5]") == [1.5]
