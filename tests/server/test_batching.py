"""Dynamic batching: requests share passes within the limits, and work nobody waits for is dropped.

The batcher is driven here with a small numpy model whose passes the test can hold and
release (`Gate`): what is merged, split, dropped or failed is then exact, not timing.
The real model behind the same batcher is in `test_minilm.py`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import pytest

from orq_router_server.batching import Batcher
from orq_router_server.metrics import Metrics

MODEL = "test/rows"


class Gate:
    """A model whose rows are `[first id, length]`; its passes wait for the test's leave.

    Open, every pass runs at once; closed, each pass waits for one `allow()`.
    """

    def __init__(self, *, open_: bool = True) -> None:
        self.passes: list[list[list[int]]] = []
        self.wanted: list[Callable[[int], bool]] = []
        self.started = threading.Semaphore(0)
        self._open = open_
        self._permits = threading.Semaphore(0)
        self.fail: Exception | None = None

    def __call__(
        self, rows: list[Sequence[int]], wanted: Callable[[int], bool]
    ) -> npt.NDArray[np.float32]:
        self.passes.append([list(row) for row in rows])
        self.wanted.append(wanted)
        self.started.release()
        if not self._open:
            assert self._permits.acquire(timeout=10), "the test never let the pass run"
        if self.fail is not None:
            raise self.fail
        return np.array([[row[0], len(row)] for row in rows], dtype=np.float32)

    def allow(self, passes: int = 1) -> None:
        self._permits.release(passes)

    def open(self) -> None:
        self._open = True
        self._permits.release(1000)

    async def wait_started(self, passes: int = 1) -> None:
        for _ in range(passes):
            assert await asyncio.to_thread(self.started.acquire, True, 10), "no pass started"


def _rows(first: int, count: int, length: int = 3) -> list[list[int]]:
    return [[first + i] * length for i in range(count)]


def _expected(rows: list[list[int]]) -> list[list[float]]:
    return [[float(row[0]), float(len(row))] for row in rows]


def test_requests_waiting_together_share_one_pass_and_each_gets_its_rows() -> None:
    gate = Gate(open_=False)
    metrics = Metrics()
    batcher = Batcher(gate, model=MODEL, max_inputs=64, max_tokens=10_000, metrics=metrics)

    async def scenario() -> None:
        first = asyncio.ensure_future(batcher.run(_rows(0, 1)))
        await gate.wait_started()  # the first pass holds the model; the others queue
        others = [asyncio.ensure_future(batcher.run(_rows(100 * k, k))) for k in (1, 2, 3, 4)]
        await asyncio.sleep(0.05)
        assert batcher.queued == 1 + 2 + 3 + 4
        gate.open()
        assert (await first).tolist() == _expected(_rows(0, 1))
        for k, task in zip((1, 2, 3, 4), others, strict=True):
            assert (await task).tolist() == _expected(_rows(100 * k, k))

    asyncio.run(scenario())
    assert [len(p) for p in gate.passes] == [1, 10]
    assert metrics.registry.get_sample_value("orq_router_batch_inputs_count", {"model": MODEL}) == 2
    assert metrics.registry.get_sample_value("orq_router_batch_inputs_sum", {"model": MODEL}) == 11
    waits = metrics.registry.get_sample_value(
        "orq_router_queue_wait_seconds_count", {"model": MODEL}
    )
    assert waits == 11  # one observation per input
    batcher.close()


def test_a_pass_stays_within_max_inputs_and_max_tokens() -> None:
    gate = Gate()
    batcher = Batcher(gate, model=MODEL, max_inputs=4, max_tokens=12)
    rows = [[i] * length for i, length in enumerate([2, 3, 3, 3, 3, 1, 1, 1, 1, 1, 6])]
    vectors = asyncio.run(batcher.run(rows))
    assert vectors.tolist() == _expected(rows)
    for batch in gate.passes:
        assert len(batch) <= 4
        assert len(batch) == 1 or sum(len(row) for row in batch) <= 12
    # Longest first: 6 + 3 + 3 (a fourth would make 15), then 3 + 3 + 2 + 1 (four
    # inputs), then the other 1s.
    assert [[len(row) for row in batch] for batch in gate.passes] == [
        [6, 3, 3],
        [3, 3, 2, 1],
        [1, 1, 1, 1],
    ]
    batcher.close()


def test_an_input_larger_than_max_tokens_still_gets_a_pass_of_its_own() -> None:
    gate = Gate()
    batcher = Batcher(gate, model=MODEL, max_inputs=8, max_tokens=4)
    rows = [[1] * 10, [2] * 2]
    assert asyncio.run(batcher.run(rows)).tolist() == _expected(rows)
    assert [len(batch) for batch in gate.passes] == [1, 1]
    batcher.close()


def test_a_cancelled_request_leaves_the_queue_before_any_pass_takes_it() -> None:
    gate = Gate(open_=False)
    batcher = Batcher(gate, model=MODEL, max_inputs=4, max_tokens=1_000)

    async def scenario() -> None:
        large = asyncio.ensure_future(batcher.run(_rows(0, 40)))
        await gate.wait_started()  # its first pass (4 inputs) runs
        small = asyncio.ensure_future(batcher.run(_rows(1000, 1)))
        await asyncio.sleep(0.01)
        assert batcher.queued == 36 + 1
        large.cancel()  # as a call timeout or a client that left does
        with pytest.raises(asyncio.CancelledError):
            await large
        assert batcher.queued == 1  # dropped at once, not when a pass comes by
        gate.open()
        assert (await small).tolist() == _expected(_rows(1000, 1))

    asyncio.run(scenario())
    # The pass already running finished; the next one was the small request's alone.
    assert [len(batch) for batch in gate.passes] == [4, 1]
    assert gate.passes[1] == [[1000, 1000, 1000]]
    batcher.close()


def test_a_request_cancelled_mid_pass_gets_nothing_and_others_in_the_pass_get_theirs() -> None:
    gate = Gate(open_=False)
    batcher = Batcher(gate, model=MODEL, max_inputs=8, max_tokens=1_000)

    async def scenario() -> None:
        blocker = asyncio.ensure_future(batcher.run(_rows(0, 1)))
        await gate.wait_started()
        leaving = asyncio.ensure_future(batcher.run(_rows(10, 2)))
        staying = asyncio.ensure_future(batcher.run(_rows(20, 2)))
        await asyncio.sleep(0.01)
        gate.allow()
        await blocker
        await gate.wait_started()  # the second pass holds both
        leaving.cancel()
        await asyncio.sleep(0.01)
        # The model is told which rows nobody waits for any more, to skip their calls.
        assert [gate.wanted[1](k) for k in range(4)] == [False, False, True, True]
        gate.allow()
        assert (await staying).tolist() == _expected(_rows(20, 2))
        assert leaving.cancelled()

    asyncio.run(scenario())
    assert [len(batch) for batch in gate.passes] == [1, 4]
    batcher.close()


def test_batch_wait_holds_the_first_input_for_company_up_to_its_limit() -> None:
    gate = Gate()
    batcher = Batcher(gate, model=MODEL, max_inputs=6, max_tokens=1_000, wait_s=0.3)

    async def scenario() -> None:
        tasks = []
        for k in range(3):
            tasks.append(asyncio.ensure_future(batcher.run(_rows(10 * k, 2))))
            await asyncio.sleep(0.01)
        for k, task in enumerate(tasks):
            assert (await task).tolist() == _expected(_rows(10 * k, 2))

    asyncio.run(scenario())
    # Three requests 10 ms apart, a 300 ms window: one pass, started as soon as it was full.
    assert [len(batch) for batch in gate.passes] == [6]
    batcher.close()


def test_a_failing_pass_fails_every_request_in_it_and_the_batcher_goes_on() -> None:
    gate = Gate()
    batcher = Batcher(gate, model=MODEL, max_inputs=8, max_tokens=1_000)
    gate.fail = RuntimeError("out of memory")
    with pytest.raises(RuntimeError, match="out of memory"):
        asyncio.run(batcher.run(_rows(0, 3)))
    gate.fail = None
    assert asyncio.run(batcher.run(_rows(5, 2))).tolist() == _expected(_rows(5, 2))
    batcher.close()


def test_one_batcher_serves_several_event_loops_and_its_idle_worker_ends() -> None:
    gate = Gate()
    batcher = Batcher(gate, model=MODEL, max_inputs=8, max_tokens=1_000, idle_exit_s=0.05)
    results: list[list[list[float]]] = []

    def in_a_thread(first: int) -> None:
        results.append(asyncio.run(batcher.run(_rows(first, 2))).tolist())

    threads = [threading.Thread(target=in_a_thread, args=(k * 10,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(results) == sorted(_expected(_rows(k * 10, 2)) for k in range(4))
    worker = batcher._worker
    if worker is not None:
        worker.join(5)
    assert batcher._worker is None  # ended by itself; the next request starts another
    assert asyncio.run(batcher.run(_rows(7, 1))).tolist() == _expected(_rows(7, 1))
    batcher.close()
