"""The request path's shortcuts keep the behaviour of the long way round.

- `unless_client_leaves` finishes an answer that never waits in its first step (no
  timer); one that waits is still awaited, its errors and its cancellation pass through.
- The queue gauge is read at scrape time in one process, and a reloaded router moves
  the same one.
- Embeddings POSTs go straight to their endpoint; other methods still get Starlette's 405.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import urllib3

from orq_router_server import LocalRouter, LocalServer, create_app, parse_config
from orq_router_server.cancelling import unless_client_leaves
from orq_router_server.metrics import Metrics

HASHING: dict[str, Any] = {"models": {"t/h": {"backend": "hashing", "dimensions": 8}}}


async def _never_leaves() -> dict[str, Any]:
    await asyncio.Event().wait()  # the client stays
    raise AssertionError("unreachable")


def test_an_answer_that_never_waits_sets_no_timer() -> None:
    async def main() -> int:
        loop = asyncio.get_running_loop()
        timers: list[float] = []
        call_later = loop.call_later

        def counted(delay: float, *args: Any) -> asyncio.TimerHandle:
            timers.append(delay)
            return call_later(delay, *args)

        loop.call_later = counted  # type: ignore[method-assign,assignment]

        async def work() -> int:
            return 42

        result: int = await unless_client_leaves(_never_leaves, work())
        assert timers == []
        return result

    assert asyncio.run(main()) == 42


def test_an_answer_that_waits_is_awaited_and_its_errors_pass() -> None:
    async def waits(value: int) -> int:
        await asyncio.sleep(0)
        await asyncio.sleep(0.02)  # past the listener's start
        return value

    async def fails() -> int:
        await asyncio.sleep(0)
        raise ValueError("model failed")

    async def main() -> int:
        with pytest.raises(ValueError, match="model failed"):
            await unless_client_leaves(_never_leaves, fails())
        result: int = await unless_client_leaves(_never_leaves, waits(7))
        return result

    assert asyncio.run(main()) == 7


def test_cancelling_the_request_cancels_the_work_it_waits_for() -> None:
    cleaned: list[str] = []

    async def slow() -> int:
        try:
            await asyncio.sleep(10)
        finally:
            cleaned.append("cancelled")
        return 0

    async def main() -> None:
        task = asyncio.ensure_future(unless_client_leaves(_never_leaves, slow()))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert cleaned == ["cancelled"]


def test_the_queue_gauge_counts_across_a_reload() -> None:
    metrics = Metrics()
    first = LocalRouter(parse_config(HASHING), metrics=metrics)
    assert first.guard.admit("t/h", 3)
    second = LocalRouter(parse_config(HASHING), metrics=metrics)
    assert second.guard.admit("t/h", 2)
    sample = metrics.registry.get_sample_value
    assert sample("orq_router_queue_inputs", {"model": "t/h"}) == 5
    first.guard.release("t/h", 3)
    second.guard.release("t/h", 2)
    assert sample("orq_router_queue_inputs", {"model": "t/h"}) == 0


def test_embeddings_routes_answer_post_directly_and_405_otherwise() -> None:
    with LocalServer(create_app(LocalRouter(parse_config(HASHING)))) as server:
        for path in ("/v2/router/embeddings", "/v1/embeddings"):
            answer = urllib3.request(
                "POST", server.url + path, json={"input": "hello", "model": "t/h"}
            )
            assert answer.status == 200, answer.data
            assert answer.headers["x-orq-model"] == "t/h"
            refused = urllib3.request("GET", server.url + path)
            assert refused.status == 405
            assert refused.json()["error"]["code"] == "method_not_allowed"
