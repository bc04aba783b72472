"""`Orq`: the one client object, its settings, its connection pool and its defaults."""

from __future__ import annotations

import ipaddress
import os
import platform
from collections.abc import Mapping
from functools import cached_property
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, Final, Self
from urllib.parse import urlsplit

import urllib3

import orq_router_api
from orq_router._errors import ConfigError
from orq_router._request import RequestDefaults
from orq_router._retries import retry_policy
from orq_router._transport import Transport
from orq_router._version import __version__

if TYPE_CHECKING:
    from orq_router.embeddings import Embeddings

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_HTTP_TIMEOUT", "DEFAULT_MAX_RETRIES", "Orq", "Router"]

DEFAULT_BASE_URL: Final = orq_router_api.client.DEFAULT_BASE_URL
DEFAULT_MAX_RETRIES: Final = 2
DEFAULT_HTTP_TIMEOUT: Final = urllib3.Timeout(connect=5.0, read=600.0)
"""Connect within 5 s; a large batch may take minutes to embed, so reads get 10."""
POOL_SIZE: Final = 16
"""Connections kept per host: enough for `embed_many`'s threads to reuse theirs."""

_USER_AGENT: Final = (
    f"orq-router/{__version__} orq-router-api/{orq_router_api.__version__}"
    f" python/{platform.python_version()}"
)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mask(secret: str | None) -> str | None:
    """A key as it may appear in a repr or a log: its last four characters at most."""
    if secret is None:
        return None
    return "****" + secret[-4:] if len(secret) >= 16 else "****"


class Orq:
    """The client of the orq.ai AI Router: `Orq().router.embeddings.create(...)`.

    Settings (all keyword-only):

    - `api_key`: default `$ORQ_API_KEY`. Required unless `base_url` is on loopback.
    - `base_url`: default `$ORQ_BASE_URL`, else `https://api.orq.ai`.
    - `max_retries`: tries after a connection error, a timeout or a 408/409/429/5xx
      answer, with exponential backoff and jitter, honouring `Retry-After` up to 60 s.
      Default 2; 0 disables.
    - `http_timeout`: this client's HTTP timeout, seconds or a `urllib3.Timeout(connect=,
      read=)`. Not the body's `timeout`, which limits the router's call to the model.
    - `default_headers`: sent with every request.
    - `defaults`: body fields (anything but `input`) merged into every call; a call's own
      values win, and `orq` is merged field by field. Checked when the client is made.
    - `allow_insecure_http`: the key is never sent over plain `http://` to a host that is
      not loopback, unless this is True.

    Thread-safe: one urllib3 pool, shared by threads and by `with_options` copies.
    Close it with `close()` or use the client as a context manager.
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
        pool: urllib3.PoolManager | None = None,
    ) -> None:
        self.base_url: str = base_url or os.environ.get("ORQ_BASE_URL") or DEFAULT_BASE_URL
        self._api_key = api_key if api_key is not None else os.environ.get("ORQ_API_KEY") or None
        self.max_retries = max_retries
        self.http_timeout = http_timeout
        self.default_headers: Mapping[str, str] = dict(default_headers or {})
        self.allow_insecure_http = allow_insecure_http
        self._check_settings()
        self._defaults = RequestDefaults.from_mapping(defaults)
        self._pool = pool if pool is not None else urllib3.PoolManager(maxsize=POOL_SIZE)
        self._transport = self._connect()

    def _connect(self) -> Transport:
        """The transport for the current settings, over this client's pool."""
        api = orq_router_api.Client(
            base_url=self.base_url,
            token=self._api_key,
            headers={"User-Agent": _USER_AGENT, **self.default_headers},
            timeout=self.http_timeout,
            retries=retry_policy(self.max_retries),
            pool=self._pool,
        )
        return Transport(api)

    def _check_settings(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"base_url must be an http(s) URL, got {self.base_url!r}")
        loopback = _is_loopback(parts.hostname)
        if self._api_key is None and not loopback:
            raise ConfigError(
                "no API key: pass Orq(api_key=...) or set ORQ_API_KEY"
                " (only a loopback base_url may go without one)"
            )
        insecure = parts.scheme == "http" and self._api_key and not loopback
        if insecure and not self.allow_insecure_http:
            raise ConfigError(
                f"refusing to send the API key over plain http to {parts.hostname}:"
                " use https, or pass allow_insecure_http=True if you mean it"
            )
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise ConfigError(f"max_retries must be an int, got {self.max_retries!r}")
        if self.max_retries < 0:
            raise ConfigError(f"max_retries must be 0 or more, got {self.max_retries}")
        timeout = self.http_timeout
        seconds = timeout is None or isinstance(timeout, urllib3.Timeout)
        if not seconds and (
            isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0
        ):
            raise ConfigError(f"http_timeout must be seconds > 0, got {timeout!r}")

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
        copy._defaults = self._defaults.merged(defaults)
        copy._pool = self._pool
        copy._transport = copy._connect()
        return copy

    def close(self) -> None:
        """Close the pooled connections (shared with `with_options` copies)."""
        self._pool.clear()

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
