"""`AsyncOrq`'s connections and transport: one aiohttp session, the shared retry policy.

The request itself is the generated `create_embedding.asyncio_detailed` over the
generated `AsyncClient`, each attempt once. Around it, this module does for asyncio what
urllib3 does for `Orq`, with the same policy object (`_retries`): after an attempt it
asks the `RouterRetry` whether and when to try again, and it raises aiohttp's network
errors as urllib3's own (`as_urllib3`), so that `_transport.failure`, the one error
mapping, words them for both clients alike.

- Time: `http_timeout` bounds each whole attempt, connect to last byte (aiohttp's
  `total`, per request, so each retry is a new attempt with its own limit).
- Cancellation is asyncio's: cancelling the task ends its request (aiohttp closes the
  connection of an answer not read to its end), a wait between tries included, and
  nothing is retried: `CancelledError` is no error of the request's.
- Connections: `AsyncPool` holds the session, made by the first request inside the
  running loop, which the client belongs to from then on, and at most
  `max_connections` requests at a time hold a connection (more wait their turn), a
  limit `embed_many` grows to its `max_concurrency`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from asyncio import sleep  # the waits between tries (tests record them instead)
from typing import Any

import aiohttp
import urllib3

import orq_router_api
from orq_router._errors import ClientClosedError
from orq_router._request import NO_OPTIONS, CallOptions
from orq_router._retries import RouterRetry, after_error, after_status
from orq_router._settings import CONNECT_TIMEOUT
from orq_router._transport import FAILURES, failure, log_answer, logger
from orq_router._types import NotGiven
from orq_router_api import UNSET, MalformedResponse, Response, UnexpectedStatus
from orq_router_api.api.embeddings import create_embedding
from orq_router_api.models import CreateEmbeddingRequest, CreateEmbeddingResponse

__all__ = ["AsyncPool", "AsyncTransport", "aiohttp_timeout", "as_urllib3", "sleep"]


def aiohttp_timeout(timeout: float | urllib3.Timeout | None) -> aiohttp.ClientTimeout:
    """`http_timeout` in aiohttp's terms, meaning what it means for `Orq`: seconds for the
    whole attempt (connecting gets at most 5 s of them), or urllib3's limits."""
    if timeout is None:
        return aiohttp.ClientTimeout(total=None)
    if isinstance(timeout, urllib3.Timeout):
        total = timeout.total
        return aiohttp.ClientTimeout(
            total=total if isinstance(total, (int, float)) else None,
            sock_connect=_seconds(timeout.connect_timeout),
            sock_read=_seconds(timeout.read_timeout),
        )
    return aiohttp.ClientTimeout(total=timeout, sock_connect=min(CONNECT_TIMEOUT, timeout))


def _seconds(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


class AsyncPool:
    """The connections of an `AsyncOrq` and of its `with_options` copies.

    Nothing is made before the first request: a session belongs to the event loop it
    was made in, and a client may be made before any loop runs.
    """

    def __init__(self, max_connections: int) -> None:
        self.closed = False
        self._capacity = max_connections
        self._loop: asyncio.AbstractEventLoop | None = None
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None

    def check_open(self) -> None:
        """Raise `ClientClosedError` once the pool is closed."""
        if self.closed:
            raise ClientClosedError(
                "this client was closed (close() or the end of its `async with` block):"
                " make a new AsyncOrq() to send more requests"
            )

    def session(self) -> aiohttp.ClientSession:
        """The session, for a request in the running loop (made by the first one)."""
        self.check_open()
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._bind(loop)
        assert self._session is not None
        return self._session

    def slots(self) -> asyncio.Semaphore:
        """Held by each attempt: at most `max_connections` (or a bulk run's
        `max_concurrency`) requests hold a connection at a time."""
        assert self._slots is not None  # `session()` came first
        return self._slots

    def _bind(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._loop is not None:
            state = "closed" if self._loop.is_closed() else "another"
            raise RuntimeError(
                f"this AsyncOrq belongs to the event loop of its first request ({state} loop"
                f" {self._loop!r}) and cannot send from loop {loop!r}: make one AsyncOrq per"
                " event loop (an aiohttp session cannot move between loops)"
            )
        self._loop = loop
        self._slots = asyncio.Semaphore(self._capacity)
        # aiohttp's own limit is off: `slots` is the limit, and it can grow.
        connector = aiohttp.TCPConnector(limit=0, limit_per_host=0)
        self._session = aiohttp.ClientSession(connector=connector)

    def reserve(self, base_url: str, connections: int) -> None:
        """Let up to `connections` requests hold a connection at once from now on."""
        extra = connections - self._capacity
        if extra <= 0:
            return
        self._capacity = connections
        if self._slots is not None:
            for _ in range(extra):
                self._slots.release()  # a Semaphore's count may grow past its start

    async def close(self) -> None:
        """Close the session for good (in its own loop); later calls are refused."""
        self.closed = True
        session, self._session = self._session, None
        if session is not None:
            await session.close()


class AsyncTransport:
    """The generated `AsyncClient` for one client's settings, the retry loop around its
    calls, and the error mapping (`_transport.failure`) of what they raise."""

    def __init__(
        self,
        pool: AsyncPool,
        settings: dict[str, Any],
        timeout: float | urllib3.Timeout | None,
        policy: RouterRetry,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._timeout = aiohttp_timeout(timeout)
        self._policy = policy
        self._api: orq_router_api.AsyncClient | None = None
        self._url = settings["base_url"].rstrip("/") + create_embedding.PATH

    def api(self) -> orq_router_api.AsyncClient:
        """The generated client over the pool's session (in the running loop)."""
        session = self._pool.session()
        api = self._api
        if api is None or api.session is not session:
            api = self._api = orq_router_api.AsyncClient(
                **self._settings, timeout=self._timeout, session=session
            )
        return api

    async def create_embedding(
        self, body: CreateEmbeddingRequest, options: CallOptions = NO_OPTIONS
    ) -> Response[CreateEmbeddingResponse]:
        policy = self._policy
        started = time.perf_counter()
        timeout = options.http_timeout
        limits = UNSET if isinstance(timeout, NotGiven) else aiohttp_timeout(timeout)
        while True:
            api = self.api()  # ClientClosedError once closed, before each try
            try:
                async with self._pool.slots():
                    response = await create_embedding.asyncio_detailed(
                        api,
                        body=body,
                        extra_headers=options.extra_headers,
                        extra_body=options.extra_body,
                        timeout=limits,
                    )
            except UnexpectedStatus as error:
                after = after_status(
                    policy, create_embedding.METHOD, self._url, error.status_code, error.headers
                )
                if after is None:
                    raise failure(error, self._url, started) from error
            except MalformedResponse as error:
                raise failure(error, self._url, started) from error
            except (aiohttp.ClientError, TimeoutError) as error:
                problem = as_urllib3(error, self._url, limits if limits else self._timeout)
                try:
                    after = after_error(policy, create_embedding.METHOD, self._url, problem)
                except FAILURES as final:
                    raise failure(final, self._url, started) from error
            else:
                if logger.isEnabledFor(logging.DEBUG):
                    log_answer(self._url, response.status_code, started, response.headers)
                return response
            policy, wait = after
            if wait > 0:
                await sleep(wait)


def as_urllib3(error: Exception, url: str, limits: aiohttp.ClientTimeout) -> Exception:
    """aiohttp's network error as the urllib3 exception `Orq` meets in its place, so that
    the retry policy counts it and `failure` words it the same way."""
    pool = urllib3.connectionpool.connection_from_url(url)  # names the host in messages
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return urllib3.exceptions.ConnectTimeoutError(
            pool, f"Connection timed out. (connect timeout={limits.sock_connect})"
        )
    if isinstance(error, aiohttp.SocketTimeoutError):
        return urllib3.exceptions.ReadTimeoutError(
            pool, url, f"Read timed out. (read timeout={limits.sock_read})"
        )
    if isinstance(error, TimeoutError):  # aiohttp's `total`: the whole attempt
        return urllib3.exceptions.ReadTimeoutError(
            pool, url, f"Read timed out: no whole answer within {limits.total} s"
        )
    if isinstance(error, aiohttp.ClientConnectorError):  # refused, DNS, TLS
        return urllib3.exceptions.NewConnectionError(
            pool,  # type: ignore[arg-type]  # named in the message, as urllib3 names its own
            f"Failed to establish a new connection: {error.os_error}",
        )
    # A kept-alive connection the server had closed, a reset, a cut-off or malformed
    # answer: urllib3 calls these protocol errors, read errors that may be retried.
    return urllib3.exceptions.ProtocolError(f"Connection aborted: {error!r}", error)
