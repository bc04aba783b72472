"""`Orq`: the one client object, its settings, its connection pool and its defaults.

Making a client loads only what checking its settings needs (urllib3 is the bulk of
it): the generated layer's client, the transport and the request machinery load with
the first request, and the errors module when an error is raised. A command-line tool
or a serverless function that builds a client and exits pays for nothing else.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from functools import cached_property
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, Final, Self
from urllib.parse import urlsplit

import urllib3

import orq_router_api
from orq_router._hosts import is_loopback
from orq_router._pool import PoolManager
from orq_router._version import __version__
from orq_router_api.servers import DEFAULT_BASE_URL

if TYPE_CHECKING:
    from orq_router._errors import ConfigError
    from orq_router._request import RequestDefaults
    from orq_router._transport import Transport
    from orq_router.embeddings import Embeddings

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_HTTP_TIMEOUT", "DEFAULT_MAX_RETRIES", "Orq", "Router"]

DEFAULT_MAX_RETRIES: Final = 2
DEFAULT_HTTP_TIMEOUT: Final = 60.0
"""Seconds one attempt may take, from connecting to the answer's last byte.

An embeddings call takes well under this even for a large batch; a server that has
said nothing (or trickled bytes) for a minute is not going to answer. With the default
retries a dead server costs at most about three minutes: 3 attempts and ~1.3 s backoff.
"""
CONNECT_TIMEOUT: Final = 5.0
"""Seconds to open a connection, within the attempt's limit."""
POOL_SIZE: Final = 16
"""Connections kept per host: enough for `embed_many`'s threads to reuse theirs."""

_USER_AGENT: Final = (
    f"orq-router/{__version__} orq-router-api/{orq_router_api.__version__}"
    f" python/{'.'.join(map(str, sys.version_info[:3]))}"
)


def _config_error(message: str) -> ConfigError:
    from orq_router._errors import ConfigError  # the errors load when one is raised

    return ConfigError(message)


def mask(secret: str | None) -> str | None:
    """A key as it may appear in a repr or a log: its last four characters at most."""
    if secret is None:
        return None
    return "****" + secret[-4:] if len(secret) >= 16 else "****"


def _urllib3_timeout(timeout: float | urllib3.Timeout | None) -> urllib3.Timeout | None:
    """Seconds as a whole-attempt limit (`total`, which our pool enforces)."""
    if timeout is None or isinstance(timeout, urllib3.Timeout):
        return timeout
    return urllib3.Timeout(connect=min(CONNECT_TIMEOUT, timeout), total=timeout)


#: What an HTTP header value can hold and a bearer token needs: visible ASCII.
_TOKEN_CHARACTERS: Final = re.compile(r"[\x21-\x7e]+")
#: An HTTP header name (RFC 9110 `token`).
_HEADER_NAME: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


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


def _check_headers(headers: Mapping[str, str]) -> None:
    """Refuse default headers that http.client would reject at request time.

    Values are never shown (a header may carry a secret of its own).
    """
    for name, value in headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise _config_error(f"default_headers: {name!r} is not a valid header name")
        if not isinstance(value, str):
            raise _config_error(
                f"default_headers[{name!r}] must be a str, got {type(value).__name__}"
            )
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise _config_error(
                f"default_headers[{name!r}] has a character HTTP headers cannot carry"
            ) from None
        if any(char in value for char in "\r\n\0"):
            raise _config_error(f"default_headers[{name!r}] has a line break or NUL character")


class Orq:
    """The client of the orq.ai AI Router: `Orq().router.embeddings.create(...)`.

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
    - `default_headers`: sent with every request.
    - `defaults`: body fields (anything but `input`) merged into every call; a call's own
      values win, and `orq` is merged field by field. Checked when the client is made.
    - `allow_insecure_http`: the key is never sent over plain `http://` to a host that is
      not loopback, unless this is True.

    The key and `default_headers` must be sendable as HTTP headers (a key read from a
    file with its newline is not): they are checked here, and the error never shows
    the key. Redirects are never followed, so the key goes to `base_url` only.

    Thread-safe: one urllib3 pool, shared by threads and by `with_options` copies.
    Close it with `close()` or use the client as a context manager; a closed client
    (and its copies) raises `ClientClosedError` on every later call.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_timeout: float | urllib3.Timeout | None = DEFAULT_HTTP_TIMEOUT,
        default_headers: Mapping[str, str] | None = None,
        defaults: Mapping[str, Any] | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self.base_url: str = base_url or os.environ.get("ORQ_BASE_URL") or DEFAULT_BASE_URL
        self._api_key = api_key if api_key is not None else os.environ.get("ORQ_API_KEY") or None
        self.max_retries = max_retries
        self.http_timeout = http_timeout
        self.default_headers: Mapping[str, str] = dict(default_headers or {})
        self.allow_insecure_http = allow_insecure_http
        self._check_settings()
        self._given_defaults: RequestDefaults | None = None
        if defaults:  # checked now, so that a bad default fails here
            from orq_router._request import RequestDefaults

            self._given_defaults = RequestDefaults.from_mapping(defaults)
        self._pool = PoolManager(maxsize=POOL_SIZE)

    @cached_property
    def _defaults(self) -> RequestDefaults:
        """The body fields merged into every call (none unless given)."""
        if self._given_defaults is not None:
            return self._given_defaults
        from orq_router._request import RequestDefaults

        return RequestDefaults()

    @cached_property
    def _transport(self) -> Transport:
        """The transport for the current settings, over this client's pool: made with
        the first request, so that making a client loads none of it."""
        from orq_router._retries import retry_policy
        from orq_router._transport import Transport

        api = orq_router_api.Client(
            base_url=self.base_url,
            token=self._api_key,
            headers={"User-Agent": _USER_AGENT, **self.default_headers},
            timeout=_urllib3_timeout(self.http_timeout),
            retries=retry_policy(self.max_retries),
            pool=self._pool,
        )
        return Transport(api)

    def _check_open(self) -> None:
        self._pool.check_open()

    def _check_settings(self) -> None:
        if self._api_key is not None:
            _check_api_key(self._api_key)
        _check_headers(self.default_headers)
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _config_error(f"base_url must be an http(s) URL, got {self.base_url!r}")
        loopback = is_loopback(parts.hostname)
        if self._api_key is None and not loopback:
            raise _config_error(
                "no API key: pass Orq(api_key=...) or set ORQ_API_KEY"
                " (only a loopback base_url may go without one)"
            )
        insecure = parts.scheme == "http" and self._api_key and not loopback
        if insecure and not self.allow_insecure_http:
            raise _config_error(
                f"refusing to send the API key over plain http to {parts.hostname}:"
                " use https, or pass allow_insecure_http=True if you mean it"
            )
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise _config_error(f"max_retries must be an int, got {self.max_retries!r}")
        if self.max_retries < 0:
            raise _config_error(f"max_retries must be 0 or more, got {self.max_retries}")
        timeout = self.http_timeout
        seconds = timeout is None or isinstance(timeout, urllib3.Timeout)
        if not seconds and (
            isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0
        ):
            raise _config_error(f"http_timeout must be seconds > 0, got {timeout!r}")

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

    @cached_property
    def router(self) -> Router:
        """The AI Router's resources: `client.router.embeddings`."""
        return Router(self)

    @property
    def api(self) -> orq_router_api.Client:
        """The generated low-level client this one sends through (same pool and settings)."""
        return self._transport.api

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        max_retries: int | None = None,
        http_timeout: float | urllib3.Timeout | None = None,
        default_headers: Mapping[str, str] | None = None,
        defaults: Mapping[str, Any] | None = None,
        allow_insecure_http: bool | None = None,
    ) -> Orq:
        """A copy with some settings changed, sharing this client's connection pool.

        `default_headers` and `defaults` are laid over the current ones (in `defaults`, a
        None value removes a default); the other settings replace the current ones.
        """
        copy = Orq.__new__(Orq)
        copy.base_url = base_url or self.base_url
        copy._api_key = api_key if api_key is not None else self._api_key
        copy.max_retries = self.max_retries if max_retries is None else max_retries
        copy.http_timeout = self.http_timeout if http_timeout is None else http_timeout
        copy.default_headers = {**self.default_headers, **(default_headers or {})}
        copy.allow_insecure_http = (
            self.allow_insecure_http if allow_insecure_http is None else allow_insecure_http
        )
        copy._check_settings()
        copy._given_defaults = self._defaults.merged(defaults) if defaults else self._defaults
        copy._pool = self._pool
        return copy

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

    def __repr__(self) -> str:
        return (
            f"Orq(base_url={self.base_url!r}, api_key={self.api_key!r},"
            f" max_retries={self.max_retries}, defaults={dict(self._defaults.values)!r})"
        )


class Router:
    """The AI Router's resources; built on first use of `client.router`."""

    def __init__(self, client: Orq) -> None:
        self._client = client

    @cached_property
    def embeddings(self) -> Embeddings:
        """`POST /v2/router/embeddings`: `create`, `embed_many`, `with_raw_response`."""
        from orq_router.embeddings import Embeddings

        return Embeddings(self._client)
