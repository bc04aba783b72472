# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""The connection every endpoint function is called with."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Final, Self

import attrs
import urllib3
from urllib3.exceptions import ClosedPoolError
from urllib3.util import parse_url

from orq_router_api._version import __version__
from orq_router_api.servers import DEFAULT_BASE_URL
from orq_router_api.types import UNSET, Unset

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "Client", "encode_json", "merge_headers"]

DEFAULT_TIMEOUT: Final = urllib3.Timeout(connect=5.0, read=600.0)
"""Connect quickly or fail; allow a large embedding batch ten minutes to answer."""


_JSON: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""Compact UTF-8 JSON, the encoder built once rather than by every `json.dumps`."""


def _optional_dumps() -> Callable[[Any], bytes] | None:
    """orjson's `dumps` when orjson is installed (no dependency of this package)."""
    try:
        dumps: Callable[[Any], bytes] = importlib.import_module("orjson").dumps
    except ImportError:
        return None
    return dumps


_fast_dumps = _optional_dumps()


def encode_json(content: Any) -> bytes:
    """A request body as compact UTF-8 JSON: by orjson when installed (several times
    faster), else by the standard library, which also takes what orjson refuses (an
    integer beyond 64 bits). Both write the same JSON values."""
    if _fast_dumps is not None:
        try:
            return _fast_dumps(content)
        except TypeError:  # orjson.JSONEncodeError: the standard library decides
            pass
    return _JSON.encode(content).encode("utf-8")


class _Prepared:
    """What every request of one client shares, worked out once instead of per call.

    The connection pool of `base_url` (taken from the client's `PoolManager`), each
    path's request target, and the headers merged for each set of endpoint headers
    (at most `REMEMBERED` of each: requests with ever-new paths or headers are
    worked out each time instead of filling memory).
    """

    REMEMBERED = 64

    __slots__ = ("headers", "pool", "targets")

    def __init__(self) -> None:
        self.pool: urllib3.HTTPConnectionPool | None = None
        self.targets: dict[str, str] = {}
        self.headers: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}


@attrs.frozen(kw_only=True)
class Client:
    """Base URL, bearer token, default headers, timeout and retries, over one urllib3 pool.

    The pool is thread-safe and keeps connections alive between calls. The client is
    immutable: `attrs.evolve(client, timeout=...)` gives one with other settings that
    shares the same pool. This layer sends each request once unless `retries` says
    otherwise (a `urllib3.Retry`); the ergonomic SDK on top of it sets a retry policy.
    Redirects are never followed: a 3xx answer is returned as it is.

    Each request goes straight to the connection pool of `base_url` (the pool manager's
    own, looked up once), so a call pays for no URL parsing, pool lookup or header
    merging that the previous call already did.
    """

    base_url: str = DEFAULT_BASE_URL
    token: str | None = attrs.field(default=None, repr=False)
    """
    Sent as `Authorization: Bearer <token>`: Bearer authentication header of the form `Bearer
    <token>`, where `<token>` is your auth token.
    """
    headers: Mapping[str, str] = attrs.field(factory=dict)
    """Headers sent with every request (the endpoint's own headers win)."""
    timeout: urllib3.Timeout | float | None = DEFAULT_TIMEOUT
    retries: urllib3.Retry | bool | int = False
    """Passed to urllib3 as is; False sends once and raises urllib3's own errors."""
    pool: urllib3.PoolManager = attrs.field(factory=urllib3.PoolManager, repr=False)
    _prepared: _Prepared = attrs.field(init=False, factory=_Prepared, repr=False, eq=False)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: urllib3.Timeout | float | Unset | None = UNSET,
    ) -> urllib3.BaseHTTPResponse:
        """Send one request to `base_url + path` and read the whole answer.

        `timeout`, when given, replaces the client's for this request.
        """
        if isinstance(timeout, Unset):
            timeout = self.timeout
        prepared = self._prepared
        target = prepared.targets.get(path) or self._target(path)
        key = tuple(headers.items()) if headers else ()
        merged = prepared.headers.get(key) or self._merge(key)
        pool = prepared.pool or self._pool()
        try:
            return pool.urlopen(
                method,
                target,
                body=body,
                headers=merged,
                retries=self.retries,
                redirect=False,
                assert_same_host=False,
                timeout=timeout,
            )
        except ClosedPoolError:
            # The manager closed this pool (`close()`, or it keeps fewer hosts than are
            # in use): ask it for the pool again, as `PoolManager.request` would.
            prepared.pool = None
            return self._pool().urlopen(
                method,
                target,
                body=body,
                headers=merged,
                retries=self.retries,
                redirect=False,
                assert_same_host=False,
                timeout=timeout,
            )

    def _pool(self) -> urllib3.HTTPConnectionPool:
        pool = self.pool.connection_from_url(self.base_url)
        self._prepared.pool = pool
        return pool

    def _target(self, path: str) -> str:
        """The request target of `path` under `base_url` (its path prefix included)."""
        target = parse_url(self.base_url.rstrip("/") + path).request_uri
        if len(self._prepared.targets) < _Prepared.REMEMBERED:
            self._prepared.targets[path] = target
        return target

    def _merge(self, key: tuple[tuple[str, str], ...]) -> dict[str, str]:
        """The headers of a request (see `merge_headers`), remembered for the next."""
        headers = merge_headers(self.headers, key, self.token)
        if len(self._prepared.headers) < _Prepared.REMEMBERED:
            self._prepared.headers[key] = headers
        return headers

    def close(self) -> None:
        """Close the pooled connections (every client sharing the pool is affected)."""
        self.pool.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def merge_headers(
    client: Mapping[str, str], endpoint: tuple[tuple[str, str], ...], token: str | None
) -> dict[str, str]:
    """The headers of a request: ours, the client's, the endpoint's (which win), and the
    token, merged without regard to case as urllib3 does. `AsyncClient` merges the same way.
    """
    merged = urllib3.HTTPHeaderDict({"User-Agent": f"orq-router-api/{__version__}"})
    for name, value in (*client.items(), *endpoint):
        merged.discard(name)  # the later wins, whatever the case
        merged[name] = value
    if token is not None:
        merged.discard("Authorization")
        merged["Authorization"] = f"Bearer {token}"
    return dict(merged.itermerged())
