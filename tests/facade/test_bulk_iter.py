"""`embed_many_iter`: any iterable in, batches out in input order, bounded memory,
and the failure semantics of `embed_many`."""

from __future__ import annotations

import itertools
import json
import signal
import threading
import time
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from orq_router import (
    APIStatusError,
    EmbeddedBatch,
    EmbedManyError,
    EmbedManyInterrupted,
    Orq,
    ValidationError,
    _vectors,
)
from tests.scripted_server import (
    WIDTH,
    Connection,
    ScriptedServer,
    normal,
    reply,
    silence,
    vector,
)

MODEL = "openai/text-embedding-3-small"


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


@pytest.fixture
def client(scripted: ScriptedServer, make_client: Callable[..., Orq]) -> Orq:
    return make_client(base_url=scripted.url, max_retries=0)


def _texts(n: int) -> Iterator[str]:
    return (f"text {i}" for i in range(n))


def test_batches_come_in_input_order_with_their_positions(
    scripted: ScriptedServer, client: Orq
) -> None:
    batches = list(client.router.embeddings.embed_many_iter(_texts(23), model=MODEL, batch_size=5))
    assert all(isinstance(batch, EmbeddedBatch) for batch in batches)
    assert [(batch.start, batch.stop) for batch in batches] == [
        (0, 5), (5, 10), (10, 15), (15, 20), (20, 23)
    ]  # fmt: skip
    rows = np.concatenate([batch.embeddings for batch in batches])
    assert rows.dtype == np.float32
    assert rows.tolist() == [vector(f"text {i}") for i in range(23)]
    assert sum(batch.usage.total_tokens for batch in batches) == 23
    assert {batch.model for batch in batches} == {"a/b"}
    assert len(scripted.requests) == 5


def test_the_input_is_read_lazily_a_window_at_a_time(client: Orq) -> None:
    pulled = 0

    def counting() -> Iterator[str]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield f"text {i}"

    stream = client.router.embeddings.embed_many_iter(
        counting(), model=MODEL, batch_size=10, max_workers=2
    )
    first = next(stream)
    assert first.span == range(0, 10)
    # At most 2 * max_workers batches are read ahead of what was yielded.
    assert pulled <= 10 * 2 * 2 + 1
    for batch in itertools.islice(stream, 50):
        assert pulled <= batch.stop + 10 * 2 * 2 + 1
    stream.close()  # an endless input: stopping is up to the caller


def test_a_slow_batch_holds_back_only_the_batches_after_it(scripted: ScriptedServer) -> None:
    def slow_first(connection: Connection) -> None:
        if connection.request.inputs()[0] == "text 0":
            connection.wait(0.3)
        normal(connection)

    scripted.default = slow_first
    client = Orq(base_url=scripted.url)
    # 20 batches: the 7 after the slow one fill the window (8) while it waits.
    spans = [b.span for b in client.router.embeddings.embed_many_iter(_texts(40), model=MODEL, batch_size=2)]  # fmt: skip
    assert spans == [range(i, i + 2) for i in range(0, 40, 2)]


def test_a_failed_batch_stops_the_stream_after_the_batches_before_it(
    scripted: ScriptedServer, client: Orq
) -> None:
    failing = reply(400, b'{"error": {"message": "refused", "code": "bad"}}')

    def fail_third_batch(connection: Connection) -> None:
        first = connection.request.inputs()[0]
        if first == "text 4":
            connection.wait(0.1)  # later batches finish first
            failing(connection)
        else:
            normal(connection)

    scripted.default = fail_third_batch
    received: list[EmbeddedBatch] = []
    with pytest.raises(EmbedManyError) as caught:
        for batch in client.router.embeddings.embed_many_iter(
            _texts(40), model=MODEL, batch_size=2, max_workers=3
        ):
            received.append(batch)
    error = caught.value
    assert [batch.span for batch in received] == [range(0, 2), range(2, 4)]
    (failure,) = error.failures
    assert (failure.start, failure.stop) == (4, 6)
    assert isinstance(failure.error, APIStatusError) and failure.error.status_code == 400
    assert error.embeddings is None
    # Batches that finished after the failed one are not lost: they are pending.
    pending = [batch.span for batch in error.pending]
    assert pending and all(span.start >= 6 for span in pending)
    for batch in error.pending:
        assert batch.embeddings.tolist() == [vector(f"text {i}") for i in batch.span]  # type: ignore[union-attr]
    assert error.completed == (range(0, 4), *pending)
    sent = {request.inputs()[0] for request in scripted.requests}
    assert len(sent) == 2 + 1 + len(pending)  # nothing after the failure was started
    assert "not yet yielded: .pending" in str(error)


def test_a_bad_input_mid_stream_is_a_failed_batch_named_by_its_position(
    scripted: ScriptedServer, client: Orq
) -> None:
    texts = ["a", "b", "c", "d", "", "f"]
    received = []
    with pytest.raises(EmbedManyError) as caught:
        for batch in client.router.embeddings.embed_many_iter(
            iter(texts), model=MODEL, batch_size=2, max_workers=1
        ):
            received.append(batch.span)
    assert received == [range(0, 2), range(2, 4)]
    error = caught.value.failures[0].error
    assert isinstance(error, ValidationError) and error.location == "texts[4]"
    assert len(scripted.requests) == 2


def test_bad_options_are_refused_before_anything_is_read(client: Orq) -> None:
    def never() -> Iterator[str]:
        raise AssertionError("read")
        yield ""

    with pytest.raises(ValidationError, match="dimensions"):
        client.router.embeddings.embed_many_iter(never(), model=MODEL, dimensions=0)
    with pytest.raises(ValidationError, match="texts"):
        client.router.embeddings.embed_many_iter("one string", model=MODEL)


def test_an_empty_input_yields_nothing(scripted: ScriptedServer, client: Orq) -> None:
    assert list(client.router.embeddings.embed_many_iter([], model=MODEL)) == []
    assert scripted.requests == []


def test_stopping_early_abandons_the_requests_in_flight(scripted: ScriptedServer) -> None:
    hang = silence()
    scripted.default = lambda c: (normal if c.request.inputs()[0] == "text 0" else hang)(c)
    client = Orq(base_url=scripted.url)
    stream = client.router.embeddings.embed_many_iter(_texts(100), model=MODEL, batch_size=2)
    assert next(stream).span == range(0, 2)
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 0.5
    time.sleep(0.2)  # requests already on their way when the stream closed arrive
    sent = len(scripted.requests)
    time.sleep(0.3)
    # The first batch, then at most the four in flight (those not yet sent when the
    # stream closed never are); nothing after the close: no new batch, no retry.
    assert len(scripted.requests) == sent <= 5


def test_ctrl_c_while_waiting_raises_embed_many_interrupted_with_the_pending_rows(
    scripted: ScriptedServer,
) -> None:
    hang = silence()
    scripted.default = lambda c: (hang if c.request.inputs()[0] == "text 2" else normal)(c)
    client = Orq(base_url=scripted.url)
    main = threading.main_thread().ident
    assert main is not None
    received = []
    threading.Timer(0.4, signal.pthread_kill, args=(main, signal.SIGINT)).start()
    with pytest.raises(EmbedManyInterrupted) as caught:
        for batch in client.router.embeddings.embed_many_iter(
            _texts(100), model=MODEL, batch_size=2, max_workers=2
        ):
            received.append(batch.span)
    error = caught.value
    assert received == [range(0, 2)]
    assert error.cancelled == (range(2, 4),)
    # Behind the hung batch, the window (2 * max_workers batches) filled and stopped.
    pending = [range(4, 6), range(6, 8), range(8, 10)]
    assert [batch.span for batch in error.pending] == pending
    assert error.completed == (range(0, 2), *pending)
    assert len(scripted.requests) == 5


def test_without_numpy_batches_hold_lists(
    scripted: ScriptedServer, client: Orq, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_vectors, "numpy_or_none", lambda: None)
    (batch,) = client.router.embeddings.embed_many_iter(["x", "y"], model=MODEL)
    assert batch.embeddings == [vector("x"), vector("y")]


def test_a_batch_wider_than_one_already_yielded_still_fails_the_stream(
    scripted: ScriptedServer,
) -> None:
    wider = json.dumps(
        {
            "object": "list",
            "data": [{"object": "embedding", "embedding": [0.5] * (WIDTH + 1), "index": i} for i in range(2)],
            "model": "a/b",
            "usage": {"prompt_tokens": 2, "total_tokens": 2},
        }
    ).encode()  # fmt: skip
    scripted.script(normal, normal, reply(200, wider))
    client = Orq(base_url=scripted.url, max_retries=0)
    stream = client.router.embeddings.embed_many_iter(
        ["a", "b", "c", "d", "e", "f"], model=MODEL, batch_size=2, max_workers=1
    )
    yielded = []
    with pytest.raises(EmbedManyError) as caught:
        for batch in stream:
            yielded.append(batch.span)
    assert yielded == [range(0, 2), range(2, 4)]
    (failure,) = caught.value.failures
    assert (failure.start, failure.stop) == (4, 6)
    assert (
        f"vectors of {WIDTH + 1} dimensions for inputs 4..5, where earlier batches had {WIDTH}"
        in str(failure.error)
    )
