"""Work nobody waits for is stopped: a request's answer is cancelled when its client leaves.

An ASGI server does not cancel an endpoint whose client disconnected; it only tells,
through the request's `receive` (an `http.disconnect` message). Once the body is read,
`unless_client_leaves` listens for that message while the answer is computed, and on it
cancels the answer: the cancellation reaches the model's queue (`batching.py`), which
drops the request's inputs no pass has taken yet.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any, TypeVar

from starlette.requests import ClientDisconnect
from starlette.types import Receive

__all__ = ["unless_client_leaves"]

T = TypeVar("T")


async def unless_client_leaves(receive: Receive, work: Coroutine[Any, Any, T]) -> T:
    """`work`'s result, or `ClientDisconnect` (and `work` cancelled) if the client leaves."""
    answer = asyncio.ensure_future(work)
    left = asyncio.ensure_future(_disconnected(receive))
    try:
        await asyncio.wait((answer, left), return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not answer.done():
            answer.cancel()
        left.cancel()
    if left.done() and not left.cancelled():
        left.exception()  # retrieved: a receive that failed means the client is gone too
    if not answer.done() or answer.cancelled():
        with contextlib.suppress(asyncio.CancelledError):
            await answer
        raise ClientDisconnect()
    return answer.result()


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
