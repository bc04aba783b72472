"""The asyncio driver of `_bulk.Plan`: `AsyncOrq`'s `embed_many` and `embed_many_iter`.

The same engine as `Orq`'s (`_bulk`): the same order, window, width check, failure
rules and errors. Each batch in flight is an asyncio task (at most `max_concurrency`).
Cancellation is asyncio's: when the caller's task is cancelled, or the caller stops
iterating, every task in flight is cancelled (a request on the wire, or one waiting out
a `Retry-After`) and awaited before `CancelledError` (or the end of the iteration)
reaches the caller, so nothing keeps running behind it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator, Sequence
from typing import TypeVar

from orq_router._bulk import Batch, Collected, Plan, Settings, Source
from orq_router._errors import EmbedManyError
from orq_router.responses import BulkEmbeddings, EmbeddedBatch, EmbeddingResponse

__all__ = ["run", "stream"]

P = TypeVar("P")
Send = Callable[[P], Awaitable[EmbeddingResponse]]


async def stream(
    batches: Iterator[tuple[Batch, P | Exception]], send: Send[P], settings: Settings
) -> AsyncGenerator[EmbeddedBatch, None]:
    """Send each prepared batch through `send` as a task; yield the answers in input order."""
    plan = Plan(batches, settings)
    tasks: dict[asyncio.Task[EmbeddingResponse], Batch] = {}
    # Each task puts itself here when done: one step per answer, however many are in
    # flight (`asyncio.wait` would look at every task in flight for each answer).
    finished: asyncio.Queue[asyncio.Task[EmbeddingResponse]] = asyncio.Queue()
    try:
        while True:
            for batch, payload in plan.to_send():
                task = asyncio.ensure_future(send(payload))
                task.add_done_callback(finished.put_nowait)
                tasks[task] = batch
            for item in plan.ready():
                yield item
            if plan.over:
                break
            if not tasks:
                continue  # the window was full until now: room to read more
            done = await finished.get()
            while True:
                plan.finish(tasks.pop(done), done.exception() or done.result())
                if finished.empty():
                    break
                done = finished.get_nowait()
    finally:
        await _cancel(tasks)
        plan.close()
    plan.raise_failures()


async def _cancel(tasks: dict[asyncio.Task[EmbeddingResponse], Batch]) -> None:
    """Cancel the tasks still in flight and wait until they are over."""
    if not tasks:
        return
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    tasks.clear()


async def run(
    batches: Sequence[tuple[Batch, P]], send: Send[P], settings: Settings
) -> BulkEmbeddings:
    """`stream`, every batch's rows put into one result as it comes."""
    source = Source(batches)
    collected = Collected(batches[-1][0].stop)
    items = stream(iter(source), send, settings)
    try:
        async for item in items:
            collected.place(item)
    except EmbedManyError as stop:
        raise collected.stopped(stop, source.rest()) from stop.__cause__
    return collected.result()
