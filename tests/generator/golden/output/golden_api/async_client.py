# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""The connection every `asyncio` endpoint function is called with: one aiohttp session.

aiohttp is optional (`pip install 'golden-api[async]'`). This module imports it on
the first request, never when it is imported itself, so importing the package (or its
synchronous `Client`) costs nothing of it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Final, Self

import attrs

from golden_api.client import merge_headers
from golden_api.servers import DEFAULT_BASE_URL
from golden_api.types import UNSET, Unset

if TYPE_CHECKING:
    import aiohttp

__all__ = ["DEFAULT_CONNECT_TIMEOUT", "DEFAULT_READ_TIMEOUT", "AsyncClient", "import_aiohttp"]

DEFAULT_CONNECT_TIMEOUT: Final = 5.0
DEFAULT_READ_TIMEOUT: Final = 600.0
"""The limits `Client` has by default: connect quickly, allow a large batch ten minutes."""


def import_aiohttp() -> ModuleType:
    """aiohttp, or an `ImportError` that says how to install it."""
    try:
        return importlib.import_module("aiohttp")
    except ImportError:
        raise ImportError(
            "the asyncio functions need aiohttp: pip install 'golden-api[async]'"
        ) from None


class _State:
    """What a client works out once: its own session (when it made one), each path's
    URL, the merged headers of each set of endpoint headers, and its timeout in aiohttp's
    terms (at most `REMEMBERED` URLs and header sets, as `Client` keeps)."""

    REMEMBERED = 64

    __slots__ = ("headers", "session", "timeout", "urls")

    def __init__(self) -> None:
        self.session: aiohttp.ClientSession | None = None
        self.urls: dict[str, str] = {}
        self.headers: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        self.timeout: aiohttp.ClientTimeout | None = None


@attrs.frozen(kw_only=True)
class AsyncClient:
    """Base URL, bearer token, default headers and timeout, over one aiohttp session.

    The asyncio twin of `Client`, with the same headers and the same answers. An aiohttp
    session belongs to the event loop it was made in: pass `session` to share one you
    made (and close), or leave it None and the client makes its own on its first
    request, inside the running loop, which `close()` (or `async with`) closes. Each
    request is sent once; redirects are never followed.

    `timeout`: an `aiohttp.ClientTimeout`, or seconds for the whole request; by default
    connecting may take 5 s and each read 600 s, as for `Client`.
    """

    base_url: str = DEFAULT_BASE_URL
    token: str | None = attrs.field(default=None, repr=False)
    """Sent as `Client` sends it."""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    """Headers sent with every request (the endpoint's own headers win)."""
    timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET
    session: aiohttp.ClientSession | None = attrs.field(default=None, repr=False)
    _state: _State = attrs.field(init=False, factory=_State, repr=False, eq=False)

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: aiohttp.ClientTimeout | float | Unset | None = UNSET,
    ) -> tuple[int, Mapping[str, str], bytes]:
        """Send one request to `base_url + path`; its status, headers and whole body.

        `timeout`, when given, replaces the client's for this request.
        """
        state = self._state
        session = self.session or state.session or self._own_session()
        url = state.urls.get(path) or self._url(path)
        key = tuple(headers.items()) if headers else ()
        merged = state.headers.get(key) or self._merge(key)
        limits = state.timeout or self._limits(self.timeout)
        if not isinstance(timeout, Unset):
            limits = self._limits(timeout, remember=False)
        async with session.request(
            method, url, data=body, headers=merged, allow_redirects=False, timeout=limits
        ) as response:
            return response.status, response.headers, await response.read()

    def _own_session(self) -> aiohttp.ClientSession:
        """A session of this client's own, made now: inside the running loop."""
        session: aiohttp.ClientSession = import_aiohttp().ClientSession()
        self._state.session = session
        return session

    def _url(self, path: str) -> str:
        url = self.base_url.rstrip("/") + path
        if len(self._state.urls) < _State.REMEMBERED:
            self._state.urls[path] = url
        return url

    def _merge(self, key: tuple[tuple[str, str], ...]) -> dict[str, str]:
        headers = merge_headers(self.headers, key, self.token)
        if len(self._state.headers) < _State.REMEMBERED:
            self._state.headers[key] = headers
        return headers

    def _limits(
        self, timeout: aiohttp.ClientTimeout | float | Unset | None, *, remember: bool = True
    ) -> aiohttp.ClientTimeout:
        """`timeout` in aiohttp's terms (see the class)."""
        module = import_aiohttp()
        limits: aiohttp.ClientTimeout
        if isinstance(timeout, Unset):
            limits = module.ClientTimeout(
                total=None, sock_connect=DEFAULT_CONNECT_TIMEOUT, sock_read=DEFAULT_READ_TIMEOUT
            )
        elif timeout is None:
            limits = module.ClientTimeout(total=None)
        elif isinstance(timeout, (int, float)):
            limits = module.ClientTimeout(total=timeout)
        else:
            limits = timeout
        if remember:
            self._state.timeout = limits
        return limits

    async def close(self) -> None:
        """Close the session this client made itself (a session given to it stays open)."""
        session = self._state.session
        if session is not None:
            self._state.session = None
            await session.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
