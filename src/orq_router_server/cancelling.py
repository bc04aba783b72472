"""Work nobody waits for is stopped: a request's answer is cancelled when its client leaves.

An ASGI server does not cancel an endpoint whose client disconnected; it only tells,
through the request's `receive` (an `http.disconnect` message). Once the body is read,
`unless_client_leaves` listens for that message while the answer is computed, and on it
cancels the answer: the cancellation reaches the model's queue (`batching.py`), which
drops the request's inputs no pass has taken yet.

Most answers take well under a millisecond (the hashing model, the cache), and a task
to listen costs tens of microseconds: the listener starts only once an answer has taken
`LISTEN_AFTER_S`. An answer that never waits (the hashing model, the cache in memory) is
done in its first step, which runs before any timer is set: it pays for nothing here.
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Coroutine, Generator
from typing import Any, Final, TypeVar

from starlette.requests import ClientDisconnect
from starlette.types import Receive

__all__ = ["LISTEN_AFTER_S", "unless_client_leaves"]

T = TypeVar("T")

LISTEN_AFTER_S: Final = 0.01


async def unless_client_leaves(receive: Receive, work: Coroutine[Any, Any, T]) -> T:
    """`work`'s result, or `ClientDisconnect` (`work` cancelled) if the client leaves first.

    Must run in the request's own task: that task is what a departure cancels.
    """
    try:
        waiting = work.send(None)
    except StopIteration as done:
        result: T = done.value
        return result
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    listener: asyncio.Task[None] | None = None
    left = False

    async def listen() -> None:
        nonlocal left
        while (await receive())["type"] != "http.disconnect":
            pass
        left = True
        task.cancel()

    def start_listening() -> None:
        nonlocal listener
        listener = loop.create_task(listen())

    timer = loop.call_later(LISTEN_AFTER_S, start_listening)
    try:
        return await _resume(work, waiting)
    except asyncio.CancelledError:
        # Ours alone (no shutdown cancelled the request too): the client left.
        if left and task.uncancel() == 0:
            raise ClientDisconnect() from None
        raise
    finally:
        timer.cancel()
        if listener is not None:
            listener.cancel()


@types.coroutine
def _resume(work: Coroutine[Any, Any, T], waiting: Any) -> Generator[Any, Any, T]:
    """The rest of `work`, whose first step yielded `waiting`: what `await work` would
    have done from there (PEP 380's expansion of `yield from`), so that the task running
    it waits for what `work` waits for and is cancelled through it."""
    while True:
        try:
            sent = yield waiting
        except GeneratorExit:
            work.close()
            raise
        except BaseException as error:
            try:
                waiting = work.throw(error)
            except StopIteration as done:
                result: T = done.value
                return result
        else:
            try:
                waiting = work.send(sent)
            except StopIteration as done:
                result = done.value
                return result
