# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""The connection every endpoint function is called with."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Final, Self

import attrs
import urllib3

from golden_api._version import __version__

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "Client"]

DEFAULT_BASE_URL: Final = "http://127.0.0.1:9999/api"
"""The first `servers` entry of the spec."""

DEFAULT_TIMEOUT: Final = urllib3.Timeout(connect=5.0, read=600.0)
"""Connect quickly or fail; allow a large embedding batch ten minutes to answer."""


@attrs.frozen(kw_only=True)
class Client:
    """Base URL, bearer token, default headers, timeout and retries, over one urllib3 pool.

    The pool is thread-safe and keeps connections alive between calls. The client is
    immutable: `attrs.evolve(client, timeout=...)` gives one with other settings that
    shares the same pool. This layer sends each request once unless `retries` says
    otherwise (a `urllib3.Retry`); the ergonomic SDK on top of it sets a retry policy.
    """

    base_url: str = DEFAULT_BASE_URL
    token: str | None = attrs.field(default=None, repr=False)
    """Sent as `X-API-Key: <token>`: The key of your account."""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    """Headers sent with every request (the endpoint's own headers win)."""
    timeout: urllib3.Timeout | float | None = DEFAULT_TIMEOUT
    retries: urllib3.Retry | bool | int = False
    """Passed to urllib3 as is; False sends once and raises urllib3's own errors."""
    pool: urllib3.PoolManager = attrs.field(factory=urllib3.PoolManager, repr=False)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> urllib3.BaseHTTPResponse:
        """Send one request to `base_url + path` and read the whole answer."""
        merged = {"User-Agent": f"golden-api/{__version__}", **self.headers, **(headers or {})}
        if self.token is not None:
            merged["X-API-Key"] = f"{self.token}"
        return self.pool.request(
            method,
            self.base_url.rstrip("/") + path,
            body=body,
            headers=merged,
            timeout=self.timeout,
            retries=self.retries,
            redirect=False,
        )

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
