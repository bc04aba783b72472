"""`AsyncOrq` on its own: the extra, its event loop, closing, cancellation, time limits.

What both clients share (every call, result and error) runs through the parametrised
suite (`[async]` runs); this module holds what only asyncio has. Each test runs its
coroutines on a `Loop`, which fails the test on a task left pending, an unclosed
session or any warning.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from orq_router import (
    APIConnectionError,
    APITimeoutError,
    AsyncOrq,
    ClientClosedError,
    NotFoundError,
    Orq,
    RateLimitError,
)
from tests.facade.aio import Loop
from tests.facade.conftest import TEST_KEY
from tests.router_server import EmbeddingsServer
from tests.scripted_server import Connection, ScriptedServer, normal, reply, silence, trickle

MODEL = "openai/text-embedding-3-small"


@pytest.fixture
def aio() -> Iterator[Loop]:
    loop = Loop()
    yield loop
    loop.close()


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


class Hangs:
    """An action that says nothing until the client closes the connection; counts how
    many connections it held, and how many the client closed."""

    def __init__(self) -> None:
        self._silence = silence()
        self._lock = threading.Lock()
        self.held = 0
        self.closed = 0

    def __call__(self, connection: Connection) -> None:
        with self._lock:
            self.held += 1
        self._silence(connection)
        if not connection.stopping.is_set():
            with self._lock:
                self.closed += 1

    def wait_closed(self, count: int, timeout: float = 2.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.closed >= count:
                return True
            time.sleep(0.01)
        return False

    async def wait_held(self, count: int) -> bool:
        return await _until(lambda: self.held >= count)


async def _until(done: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Whether `done()` comes true within `timeout`, the loop running meanwhile: what a
    test waits for before it cancels (a loaded machine may take a while to send)."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )


# --- the extra -------------------------------------------------------------------------


def test_import_orq_router_and_orq_never_import_aiohttp() -> None:
    done = _python(
        "import sys, orq_router\n"
        "client = orq_router.Orq(base_url='http://127.0.0.1:9')\n"
        "client.router.embeddings\n"
        "assert 'aiohttp' not in sys.modules, sorted(m for m in sys.modules if 'aio' in m)\n"
        "print('clean')"
    )
    assert done.stdout.strip() == "clean", done.stderr


def test_without_the_extra_async_orq_says_how_to_install_it() -> None:
    done = _python(
        "import sys\n"
        "sys.modules['aiohttp'] = None  # as if it were not installed\n"
        "import orq_router\n"
        "orq_router.Orq(base_url='http://127.0.0.1:9')\n"
        "try:\n"
        "    from orq_router import AsyncOrq\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    assert "pip install 'orq-router[async]'" in done.stdout, done.stderr


# --- the event loop ------------------------------------------------------------------------


def test_the_session_is_made_inside_the_loop_of_the_first_request(
    aio: Loop, scripted: ScriptedServer
) -> None:
    client = AsyncOrq(base_url=scripted.url)  # no loop runs yet: nothing is made
    assert client._pool._session is None

    async def first() -> None:
        await client.router.embeddings.create(input="a", model=MODEL)
        assert client.api.session is client._pool._session is not None
        await client.close()

    aio.run(first())
    assert len(scripted.requests) == 1


def test_a_client_used_from_another_loop_raises_a_clear_error(scripted: ScriptedServer) -> None:
    client = AsyncOrq(base_url=scripted.url)
    first, second = Loop(), Loop()
    try:
        first.run(client.router.embeddings.create(input="a", model=MODEL))
        with pytest.raises(RuntimeError, match="belongs to the event loop of its first request"):
            second.run(client.router.embeddings.create(input="b", model=MODEL))
        first.run(client.close())
    finally:
        second.close()
        first.close()
    assert len(scripted.requests) == 1


def test_a_closed_client_refuses_every_call_and_so_do_its_copies(
    aio: Loop, scripted: ScriptedServer
) -> None:
    async def main() -> None:
        async with AsyncOrq(base_url=scripted.url) as client:
            copy = client.with_options(max_retries=0)
            await client.router.embeddings.create(input="hi", model=MODEL)
        embeddings = client.router.embeddings
        calls: list[Callable[[], Any]] = [
            lambda: embeddings.create(input="hi", model=MODEL),
            lambda: copy.router.embeddings.create(input="hi", model=MODEL),
            lambda: embeddings.with_raw_response.create(input="hi", model=MODEL),
            lambda: embeddings.embed_many(["a", "b"], model=MODEL),
            lambda: client.with_options(max_retries=1).router.embeddings.create(input="hi", model=MODEL),
        ]  # fmt: skip
        for call in calls:
            with pytest.raises(ClientClosedError, match="client was closed"):
                await call()
        with pytest.raises(ClientClosedError):
            embeddings.embed_many_iter(["a"], model=MODEL)

    aio.run(main())
    assert len(scripted.requests) == 1


def test_copies_share_the_session_and_a_subclass_stays_a_subclass(
    aio: Loop, scripted: ScriptedServer
) -> None:
    class Mine(AsyncOrq):
        pass

    async def main() -> None:
        async with Mine(base_url=scripted.url, max_retries=1) as client:
            copy = client.with_options(max_retries=0, http_timeout=None)
            assert type(copy) is Mine and copy.max_retries == 0 and copy.http_timeout is None
            await copy.router.embeddings.create(input="a", model=MODEL)
            assert copy.api.session is client.api.session

    aio.run(main())


# --- cancellation ----------------------------------------------------------------------------


def test_cancelling_a_call_ends_its_request_and_nothing_is_retried(
    aio: Loop, scripted: ScriptedServer
) -> None:
    hang = Hangs()
    scripted.default = hang

    async def main() -> None:
        async with AsyncOrq(base_url=scripted.url, max_retries=2) as client:
            task = asyncio.ensure_future(client.router.embeddings.create(input="a", model=MODEL))
            assert await hang.wait_held(1)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert hang.wait_closed(1)  # the connection was released: closed, not kept
            await asyncio.sleep(0.3)

    aio.run(main())
    assert len(scripted.requests) == 1  # no retry after the cancellation


def test_cancelling_a_call_waiting_out_retry_after_ends_at_once(
    aio: Loop, scripted: ScriptedServer
) -> None:
    scripted.script(reply(429, b'{"error": {"message": "slow"}}', {"Retry-After": "30"}))

    async def main() -> float:
        async with AsyncOrq(base_url=scripted.url) as client:
            task = asyncio.ensure_future(client.router.embeddings.create(input="a", model=MODEL))
            assert await _until(lambda: len(scripted.requests) == 1)
            await asyncio.sleep(0.1)  # the 429 read: the call is waiting out its Retry-After
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return time.monotonic() - started

    assert aio.run(main()) < 5  # not the 30 s Retry-After
    assert len(scripted.requests) == 1


def test_cancelling_embed_many_cancels_every_request_in_flight(
    aio: Loop, scripted: ScriptedServer
) -> None:
    hang = Hangs()
    texts = [f"text {i}" for i in range(40)]
    waits = reply(429, b'{"error": {"message": "slow"}}', {"Retry-After": "30"})

    def act(connection: Connection) -> None:
        first = connection.request.inputs()[0]
        if first in ("text 0", "text 2"):
            normal(connection)
        elif first == "text 4":
            waits(connection)  # this batch waits out a Retry-After when the run is cancelled
        else:
            hang(connection)

    scripted.default = act

    async def main() -> None:
        async with AsyncOrq(base_url=scripted.url) as client:
            run = asyncio.ensure_future(
                client.router.embeddings.embed_many(
                    texts, model=MODEL, batch_size=2, max_concurrency=4
                )
            )
            assert await hang.wait_held(3)
            await asyncio.sleep(0.2)  # room for a seventh request, were one coming
            started = time.monotonic()
            run.cancel()
            with pytest.raises(asyncio.CancelledError):
                await run
            # Far below the 30 s Retry-After and the hung answers it must not wait for.
            assert time.monotonic() - started < 5
            sent = len(scripted.requests)
            # Batches 0 and 1 answered, 2 waits out Retry-After, 3..5 hang (4 in flight):
            assert sent == 6
            assert hang.wait_closed(3)  # every hung request's connection was released
            await asyncio.sleep(0.3)
            assert len(scripted.requests) == sent  # no new batch, no retry

    aio.run(main())


def test_leaving_embed_many_iter_early_cancels_what_is_in_flight(
    aio: Loop, scripted: ScriptedServer
) -> None:
    hang = Hangs()
    scripted.default = lambda c: (normal if c.request.inputs()[0] == "text 0" else hang)(c)

    async def main() -> None:
        async with AsyncOrq(base_url=scripted.url) as client:
            texts = (f"text {i}" for i in range(100))
            stream = client.router.embeddings.embed_many_iter(texts, model=MODEL, batch_size=2)
            async for batch in stream:
                assert batch.span == range(0, 2)
                break
            await stream.aclose()
            assert hang.wait_closed(hang.held)
            await asyncio.sleep(0.2)

    aio.run(main())
    assert len(scripted.requests) <= 5  # the first batch, then at most the four in flight


# --- time limits and errors -----------------------------------------------------------------


@pytest.mark.parametrize("head_too", [False, True])
def test_a_trickling_server_cannot_keep_a_call_alive_past_http_timeout(
    aio: Loop, scripted: ScriptedServer, head_too: bool
) -> None:
    scripted.script(trickle(every=0.02, head_too=head_too))

    async def main() -> None:
        async with AsyncOrq(base_url=scripted.url, http_timeout=0.4, max_retries=0) as client:
            with pytest.raises(APITimeoutError, match=r"no whole answer within 0\.4 s"):
                await client.router.embeddings.create(input="hi", model=MODEL)

    started = time.monotonic()
    aio.run(main())
    assert time.monotonic() - started < 1.5


def test_each_retry_is_a_new_attempt_with_its_own_limit(
    aio: Loop, scripted: ScriptedServer, sleeps: list[float]
) -> None:
    scripted.script(trickle(every=0.02), trickle(every=0.02))

    async def main() -> None:
        async with AsyncOrq(base_url=scripted.url, http_timeout=0.3, max_retries=2) as client:
            result = await client.router.embeddings.create(input="hi", model=MODEL)
            assert result.data[0].dimensions == 4

    aio.run(main())
    assert len(scripted.requests) == 3


def test_a_refused_connection_is_retried_then_an_api_connection_error(
    aio: Loop, sleeps: list[float]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def main() -> None:
        async with AsyncOrq(base_url=f"http://127.0.0.1:{port}", max_retries=2) as client:
            with pytest.raises(APIConnectionError) as caught:
                await client.router.embeddings.create(input="hi", model=MODEL)
            assert not isinstance(caught.value, APITimeoutError)
            assert caught.value.url == f"http://127.0.0.1:{port}/v2/router/embeddings"

    aio.run(main())
    assert len(sleeps) == 1  # as Orq: the first retry at once, the second after a backoff


def test_a_kept_alive_connection_the_server_closed_is_tried_again(
    aio: Loop, scripted: ScriptedServer
) -> None:
    def answer_then_hang_up(connection: Connection) -> None:
        normal(connection)
        connection.sock.shutdown(socket.SHUT_RDWR)  # the keep-alive connection ends here

    scripted.script(answer_then_hang_up)

    async def main() -> None:
        async with AsyncOrq(base_url=scripted.url) as client:
            for text in ("a", "b", "c"):
                result = await client.router.embeddings.create(input=text, model=MODEL)
                assert result.data[0].dimensions == 4

    aio.run(main())


def test_a_429_after_the_retries_is_a_rate_limit_error_with_its_body(
    aio: Loop, scripted: ScriptedServer, sleeps: list[float]
) -> None:
    busy = reply(429, b'{"error": {"message": "slow down", "code": "rate"}}', {"Retry-After": "2"})
    scripted.script(busy, busy, busy)

    async def main() -> None:
        async with AsyncOrq(base_url=scripted.url) as client:
            with pytest.raises(RateLimitError) as caught:
                await client.router.embeddings.create(input="hi", model=MODEL)
            assert caught.value.code == "rate" and caught.value.headers["retry-after"] == "2"

    aio.run(main())
    assert sleeps == [2.0, 2.0] and len(scripted.requests) == 3


def test_both_clients_give_equal_vectors_and_equal_errors(aio: Loop) -> None:
    texts = ["alpha", "beta gamma", "delta"]

    async def main(url: str) -> tuple[list[list[float]], str, str]:
        async with AsyncOrq(api_key=TEST_KEY, base_url=url) as client:
            result = await client.router.embeddings.create(input=texts, model=MODEL)
            bulk = await client.router.embeddings.embed_many(texts, model=MODEL, batch_size=2)
            assert bulk.to_numpy().tolist() == result.to_lists()
            with pytest.raises(NotFoundError) as caught:
                await client.router.embeddings.create(input="a", model="nowhere/model")
            return result.to_lists(), str(caught.value), repr(caught.value.body)

    with EmbeddingsServer() as server:
        vectors, message, body = aio.run(main(server.url))
        server.reset()
        with Orq(api_key=TEST_KEY, base_url=server.url) as sync:
            assert sync.router.embeddings.create(input=texts, model=MODEL).to_lists() == vectors
            with pytest.raises(NotFoundError) as caught:
                sync.router.embeddings.create(input="a", model="nowhere/model")
    # The same request ids too, as each server counted from 1.
    assert str(caught.value).replace("req_0002", "req_0004") == message
    assert repr(caught.value.body) == body


def test_a_urllib3_timeout_means_the_same_on_async_orq(aio: Loop, scripted: ScriptedServer) -> None:
    import urllib3

    scripted.script(trickle(every=0.02))

    async def main() -> None:
        limits = urllib3.Timeout(connect=1.0, read=5.0, total=0.3)
        async with AsyncOrq(base_url=scripted.url, http_timeout=limits, max_retries=0) as client:
            with pytest.raises(APITimeoutError, match=r"within 0\.3 s"):
                await client.router.embeddings.create(input="hi", model=MODEL)

    aio.run(main())
