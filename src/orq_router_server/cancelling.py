"""Work nobody waits for is stopped: a request's answer is cancelled when its client leaves.

An ASGI server does not cancel an endpoint whose client disconnected; it only tells,
through the request's `receive` (an `http.disconnect` message). Once the body is read,
`unless_client_leaves` listens for that message while the answer is computed, and on it
cancels the answer: the cancellation reaches the model's queue (`batching.py`), which
drops the request's inputs no pass has taken yet.

Most answers take well under a millisecond (the hashing model, the cache), and a task
to listen costs tens of microseconds: the listener starts only once an answer has taken
`LISTEN_AFTER_S`, so a fast answer pays for one timer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Final, TypeVar

from starlette.requests import ClientDisconnect
from starlette.types import Receive

__all__ = ["LISTEN_AFTER_S", "unless_client_leaves"]

T = TypeVar("T")

LISTEN_AFTER_S: Final = 0.01


async def unless_client_leaves(receive: Receive, work: Awaitable[T]) -> T:
    """`work`'s result, or `ClientDisconnect` (`work` cancelled) if the client leaves first.

    Must run in the request's own task: that task is what a departure cancels.
    """
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
        return await work
    except asyncio.CancelledError:
        # Ours alone (no shutdown cancelled the request too): the client left.
        if left and task.uncancel() == 0:
            raise ClientDisconnect() from None
        raise
    finally:
        timer.cancel()
        if listener is not None:
            listener.cancel()
