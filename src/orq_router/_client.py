"""`Orq`, the client, and what it shares with `AsyncOrq`: settings, checks, defaults, copies.

Making a client loads only what checking its settings needs (urllib3 is the bulk of
it): the generated layer's client, the transport and the request machinery load with
the first request, and the errors module when an error is raised. A command-line tool
or a serverless function that builds a client and exits pays for nothing else.

`BaseClient` holds everything that is not I/O, so that `Orq` (urllib3, threads) and
`AsyncOrq` (aiohttp, asyncio; `_async_client`) take the same settings with the same
meaning, and copy themselves the same way: `with_options` builds the copy through the
constructor (a subclass stays a subclass) and hands it this client's connection pool.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from functools import cached_property
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, Self, TypeVar
from urllib.parse import urlsplit

import urllib3

import orq_router_api
from orq_router._hosts import is_loopback
from orq_router._pool import PoolManager
from orq_router._settings import (
    CONNECT_TIMEOUT,
    count_problem,
    headers_problem,
    timeout_problem,
)
from orq_router._types import NOT_GIVEN, NotGiven
from orq_router._version import __version__
from orq_router_api.servers import DEFAULT_BASE_URL

if TYPE_CHECKING:
    from orq_router._errors import ConfigError
    from orq_router._request import RequestDefaults
    from orq_router._transport import Transport
    from orq_router.embeddings import Embeddings

__all__ = [
    "CONNECT_TIMEOUT",
    "DEFAULT_BASE_URL",
    "DEFAULT_HTTP_TIMEOUT",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_RETRIES",
    "BaseClient",
    "Orq",
    "Router",
]

DEFAULT_MAX_RETRIES: Final = 2
DEFAULT_HTTP_TIMEOUT: Final = 60.0
"""Seconds one attempt may take, from connecting to the answer's last byte.

An embeddings call takes well under this even for a large batch; a server that has
said nothing (or trickled bytes) for a minute is not going to answer. With the default
retries a dead server costs at most about three minutes: 3 attempts and ~1.3 s backoff.
"""
DEFAULT_MAX_CONNECTIONS: Final = 16
"""Connections kept per host: enough for `embed_many`'s default concurrency (4) and a
few threads or tasks of your own. A bulk run asking for more grows the pool to fit."""
POOL_SIZE: Final = DEFAULT_MAX_CONNECTIONS

_USER_AGENT: Final = (
    f"orq-router/{__version__} orq-router-api/{orq_router_api.__version__}"
    f" python/{'.'.join(map(str, sys.version_info[:3]))}"
)


class Pool(Protocol):
    """The connections of a client, shared by its `with_options` copies."""

    def check_open(self) -> None:
        """Raise `ClientClosedError` once the pool is closed."""

    def reserve(self, base_url: str, connections: int) -> None:
        """Keep up to `connections` connections to `base_url` from now on."""


PoolT = TypeVar("PoolT", bound=Pool)
E = TypeVar("E")


def _config_error(message: str) -> ConfigError:
    from orq_router._errors import ConfigError  # the errors load when one is raised

    return ConfigError(message)


def mask(secret: str | None) -> str | None:
    """A key as it may appear in a repr or a log: its last four characters at most."""
    if secret is None:
        return None
    return "****" + secret[-4:] if len(secret) >= 16 else "****"


#: What an HTTP header value can hold and a bearer token needs: visible ASCII.
_TOKEN_CHARACTERS: Final = re.compile(r"[\x21-\x7e]+")


def _check_api_key(key: object) -> None:
    """Refuse a key that cannot be sent as `Authorization: Bearer <key>`.

    The message says what is wrong and where, never the key itself.
    """
    if not isinstance(key, str):
        raise _config_error(f"api_key must be a str, got {type(key).__name__}")
    if _TOKEN_CHARACTERS.fullmatch(key):
        return
    if not key:
        raise _config_error("api_key is empty")
    if key != key.strip():
        raise _config_error(
            f"api_key has leading or trailing whitespace ({len(key)} characters; a newline"
            " read from a file?): strip it"
        )
    position, character = next(
        (index, char) for index, char in enumerate(key) if not _TOKEN_CHARACTERS.match(char)
    )
    kind = "a non-ASCII character" if ord(character) > 0x7F else "a control or space character"
    raise _config_error(
        f"api_key cannot be sent as an HTTP header: it has {kind}"
        f" (U+{ord(character):04X}) at position {position}"
    )


class BaseClient(Generic[PoolT, E]):
    """The settings of a client of the AI Router, for `Orq` and `AsyncOrq` alike.

    Settings (all keyword-only):

    - `api_key`: default `$ORQ_API_KEY`. Required unless `base_url` is on loopback.
    - `base_url`: default `$ORQ_BASE_URL`, else `https://api.orq.ai`.
    - `max_retries`: tries after a connection error, a timeout or a 408/409/429/5xx
      answer, with exponential backoff and jitter, honouring `Retry-After` up to 60 s.
      Default 2; 0 disables.
    - `http_timeout`: seconds one HTTP attempt may take in all, from connecting to the
      last byte of the answer (a server trickling bytes cannot stretch it); each retry
      is a new attempt. Default 60 s, so with the default retries a server that never
      answers costs about three minutes at most. Connecting gets at most 5 s of it.
      `None` waits forever. A `urllib3.Timeout` gives urllib3's per-operation limits,
      and its `total`, when set, bounds the whole attempt the same way. Not the body's
      `timeout`, which limits the router's call to the model.
    - `max_connections`: connections kept open to the router (default 16), shared by
      every thread or task using the client; `embed_many` grows the pool to its
      `max_concurrency` when that is larger.
    - `default_headers`: sent with every request.
    - `defaults`: body fields (anything but `input`) merged into every call; a call's own
      values win, and `orq` is merged field by field. Checked when the client is made.
    - `allow_insecure_http`: the key is never sent over plain `http://` to a host that is
      not loopback, unless this is True.

    The key and `default_headers` must be sendable as HTTP headers (a key read from a
    file with its newline is not): they are checked here, and the error never shows
    the key. Redirects are never followed, so the key goes to `base_url` only.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_timeout: float | urllib3.Timeout | None = DEFAULT_HTTP_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        default_headers: Mapping[str, str] | None = None,
        defaults: Mapping[str, Any] | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self.base_url: str = base_url or os.environ.get("ORQ_BASE_URL") or DEFAULT_BASE_URL
        self._api_key = api_key if api_key is not None else os.environ.get("ORQ_API_KEY") or None
        self.max_retries = max_retries
        self.http_timeout = http_timeout
        self.max_connections = max_connections
        self.default_headers: Mapping[str, str] = dict(default_headers or {})
        self.allow_insecure_http = allow_insecure_http
        self._check_settings()
        self._given_defaults: RequestDefaults | None = None
        if defaults:  # checked now, so that a bad default fails here
            from orq_router._request import RequestDefaults

            self._given_defaults = RequestDefaults.from_mapping(defaults)
        self._pool: PoolT = self._new_pool()

    def _new_pool(self) -> PoolT:
        """The connections of a new client (its copies share them): no socket yet."""
        raise NotImplementedError

    def _embeddings(self) -> E:
        """The embeddings resource of this kind of client."""
        raise NotImplementedError

    @cached_property
    def router(self) -> Router[E]:
        """The AI Router's resources: `client.router.embeddings`."""
        return Router(self._embeddings)

    @cached_property
    def _defaults(self) -> RequestDefaults:
        """The body fields merged into every call (none unless given)."""
        if self._given_defaults is not None:
            return self._given_defaults
        from orq_router._request import RequestDefaults

        return RequestDefaults()

    def _check_open(self) -> None:
        self._pool.check_open()

    def _api_settings(self) -> dict[str, Any]:
        """What the generated layer's client of either kind is made with."""
        return {
            "base_url": self.base_url,
            "token": self._api_key,
            "headers": {"User-Agent": _USER_AGENT, **self.default_headers},
        }

    def _check_settings(self) -> None:
        if self._api_key is not None:
            _check_api_key(self._api_key)
        if problem := headers_problem(self.default_headers, "default_headers"):
            raise _config_error(problem)
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _config_error(f"base_url must be an http(s) URL, got {self.base_url!r}")
        loopback = is_loopback(parts.hostname)
        if self._api_key is None and not loopback:
            raise _config_error(
                "no API key: pass api_key=... or set ORQ_API_KEY"
                " (only a loopback base_url may go without one)"
            )
        insecure = parts.scheme == "http" and self._api_key and not loopback
        if insecure and not self.allow_insecure_http:
            raise _config_error(
                f"refusing to send the API key over plain http to {parts.hostname}:"
                " use https, or pass allow_insecure_http=True if you mean it"
            )
        problem = (
            count_problem(self.max_retries, "max_retries", minimum=0)
            or timeout_problem(self.http_timeout, "http_timeout")
            or count_problem(self.max_connections, "max_connections", minimum=1)
        )
        if problem:
            raise _config_error(problem)

    @property
    def api_key(self) -> str | None:
        """The key, masked: `****abcd`. The client keeps the real one to itself."""
        return mask(self._api_key)

    @property
    def defaults(self) -> Mapping[str, object]:
        """The body fields merged into every call, as checked when the client was made.

        Read-only: change them with `with_options(defaults=...)`, which checks them again.
        """
        return MappingProxyType(dict(self._defaults.values))

    def with_options(
        self,
        *,
        api_key: str | NotGiven | None = NOT_GIVEN,
        base_url: str | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        http_timeout: float | urllib3.Timeout | NotGiven | None = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        defaults: Mapping[str, Any] | NotGiven | None = NOT_GIVEN,
        allow_insecure_http: bool | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A copy with some settings changed, sharing this client's connection pool.

        A setting given replaces the current one, with the meaning it has in the
        constructor (`http_timeout=None`: no limit; `api_key=None`: `$ORQ_API_KEY`); one
        not given is kept. `default_headers` and `defaults` are laid over the current
        ones instead (in `defaults`, a None value removes a default). The copy is made
        by the constructor of this client's class, and checked as a new client is.
        """
        layered = self._defaults.merged(defaults or None) if defaults else self._defaults
        copy = type(self)(
            api_key=self._api_key if isinstance(api_key, NotGiven) else api_key,
            base_url=self.base_url if isinstance(base_url, NotGiven) else base_url,
            max_retries=self.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            http_timeout=self.http_timeout if isinstance(http_timeout, NotGiven) else http_timeout,
            max_connections=self.max_connections,
            default_headers={**self.default_headers, **(default_headers or {})},
            defaults=layered.values,
            allow_insecure_http=self.allow_insecure_http
            if isinstance(allow_insecure_http, NotGiven)
            else allow_insecure_http,
        )
        if isinstance(api_key, NotGiven) and self._api_key is None:
            copy._api_key = None  # no key stays no key ($ORQ_API_KEY is not read again)
            copy._check_settings()
        copy._pool = self._pool
        return copy

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, api_key={self.api_key!r},"
            f" max_retries={self.max_retries}, defaults={dict(self._defaults.values)!r})"
        )


class Orq(BaseClient[PoolManager, "Embeddings"]):
    """The client of the orq.ai AI Router: `Orq().router.embeddings.create(...)`.

    Settings (all keyword-only): `api_key`, `base_url`, `max_retries` (default 2),
    `http_timeout` (Default 60 s for each attempt, to the last byte of the answer;
    None waits forever), `max_connections`, `default_headers`, `defaults` and
    `allow_insecure_http`; `BaseClient` says what each means. `AsyncOrq` takes the same.

    Thread-safe: one urllib3 pool, shared by threads and by `with_options` copies.
    Close it with `close()` or use the client as a context manager; a closed client
    (and its copies) raises `ClientClosedError` on every later call.
    """

    def _new_pool(self) -> PoolManager:
        return PoolManager(maxsize=self.max_connections)

    @cached_property
    def _transport(self) -> Transport:
        """The transport for the current settings, over this client's pool: made with
        the first request, so that making a client loads none of it."""
        from orq_router._retries import retry_policy
        from orq_router._transport import Transport, urllib3_timeout

        api = orq_router_api.Client(
            **self._api_settings(),
            timeout=urllib3_timeout(self.http_timeout),
            retries=retry_policy(self.max_retries),
            pool=self._pool,
        )
        return Transport(api)

    def _embeddings(self) -> Embeddings:
        from orq_router.embeddings import Embeddings

        return Embeddings(self)

    @property
    def api(self) -> orq_router_api.Client:
        """The generated low-level client this one sends through (same pool and settings)."""
        return self._transport.api

    def close(self) -> None:
        """Close the pooled connections for good; later calls raise `ClientClosedError`.

        The pool is shared with `with_options` copies, so they are closed too.
        """
        self._pool.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class Router(Generic[E]):
    """The AI Router's resources; built on first use of `client.router`."""

    def __init__(self, embeddings: Callable[[], E]) -> None:
        self._make_embeddings = embeddings

    @cached_property
    def embeddings(self) -> E:
        """`POST /v2/router/embeddings`: `create`, `embed_many`, `with_raw_response`."""
        return self._make_embeddings()
