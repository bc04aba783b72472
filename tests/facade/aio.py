"""Running `AsyncOrq` in tests: one event loop a test, and what it must not leave behind.

`Loop` runs coroutines on one loop (the loop an `AsyncOrq` belongs to after its first
request) with every warning an error, and when the test ends it fails on what asyncio
or aiohttp would only log or warn about: a task still pending ("Task was destroyed but
it is pending!"), an exception nobody retrieved, an unclosed session or connector
("Unclosed client session"), any `ResourceWarning`.

`Blocking` lets the facade's tests, written against `Orq`, drive an `AsyncOrq` unchanged:
every attribute is read and every method called inside the loop, a coroutine it returns
is run to its end there, an async iterator becomes an iterator, and objects of the SDK
(the client, its resources) come back wrapped the same way. It adds no behaviour: the
calls, results and errors are `AsyncOrq`'s own.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import sys
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

#: The deprecated keyword the existing tests still use: warned about, on purpose.
EXPECTED_WARNINGS = ("max_workers is deprecated",)


class Loop:
    """One event loop for one test; `close()` fails the test on what it left behind."""

    def __init__(self) -> None:
        self._runner = asyncio.Runner()
        self.loop = self._runner.get_loop()
        self.problems: list[str] = []
        self.loop.set_exception_handler(self._record)

    def _record(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        self.problems.append(str(context.get("message")) + f" ({context.get('exception')!r})")

    def run(self, awaitable: Awaitable[T]) -> T:
        """Run `awaitable` to its end in the loop, every warning an error."""

        async def main() -> T:
            return await awaitable

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for message in EXPECTED_WARNINGS:  # shown (to pytest), not raised
                warnings.filterwarnings("always", message=message, category=DeprecationWarning)
            return self._runner.run(main())

    def call(self, function: Callable[[], T]) -> T:
        """`function()` inside the running loop; awaited when it returns an awaitable."""

        async def inside() -> Any:
            result = function()
            if inspect.isawaitable(result):
                result = await result
            return result

        result: T = self.run(inside())
        return result

    def close(self) -> None:
        """Close the loop; `AssertionError` for anything it left behind."""
        pending = [task for task in asyncio.all_tasks(self.loop) if not task.done()]
        unraisable: list[str] = []
        previous = sys.unraisablehook
        sys.unraisablehook = lambda info: unraisable.append(
            f"{info.exc_value!r} in {info.object!r}"
        )
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                gc.collect()  # sessions and tasks dropped by the test: their __del__ speaks now
                self._runner.close()
                gc.collect()
        finally:
            sys.unraisablehook = previous
        problems = [*self.problems, *unraisable, *(str(w.message) for w in caught)]
        problems += [f"task still pending: {task!r}" for task in pending]
        assert not problems, "the event loop was left with: " + "; ".join(problems)


class Blocking:
    """An async object of the SDK, driven from synchronous code on `loop` (see the module)."""

    def __init__(self, target: object, loop: Loop) -> None:
        self._target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        return self._wrap(self._loop.call(lambda: getattr(self._target, name)))

    def __repr__(self) -> str:
        return f"Blocking({self._target!r})"

    def _wrap(self, value: Any) -> Any:
        if inspect.isasyncgen(value) or isinstance(value, AsyncIterator):
            return self._iterate(value)
        if inspect.ismethod(value) or inspect.iscoroutinefunction(value):
            return lambda *args, **kwargs: self._wrap(
                self._loop.call(lambda: value(*args, **kwargs))
            )
        if type(value).__module__.startswith(("orq_router._async", "orq_router._client")):
            return Blocking(value, self._loop)
        return value

    def _iterate(self, iterator: Any) -> Iterator[Any]:
        async def step() -> tuple[bool, Any]:
            try:
                return True, await iterator.__anext__()
            except StopAsyncIteration:
                return False, None

        try:
            while True:
                more, item = self._loop.run(step())
                if not more:
                    return
                yield item
        finally:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None and not self._loop.loop.is_closed():
                self._loop.run(aclose())
