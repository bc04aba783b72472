"""`AsyncOrq`: the client for asyncio applications, on aiohttp (the `async` extra).

Importing this module imports aiohttp; `import orq_router` and `Orq` never do (the
package loads `AsyncOrq` on first use). Without aiohttp, `from orq_router import
AsyncOrq` raises an `ImportError` that says how to install it.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Self

try:
    import aiohttp  # noqa: F401  # the extra is installed, or this says how to get it
except ImportError:
    raise ImportError(
        "AsyncOrq needs aiohttp, the `async` extra: pip install 'orq-router[async]'"
    ) from None

import orq_router_api
from orq_router._async_transport import AsyncPool, AsyncTransport
from orq_router._client import BaseClient

if TYPE_CHECKING:
    from orq_router._async_embeddings import AsyncEmbeddings

__all__ = ["AsyncOrq"]


class AsyncOrq(BaseClient[AsyncPool, "AsyncEmbeddings"]):
    """The client of the orq.ai AI Router for asyncio: `await AsyncOrq().router...create(...)`.

    `Orq`'s settings, with the same meaning (see `BaseClient`), its calls, results and
    errors, awaited. Its aiohttp session is made by its first request, inside the
    running event loop, and the client belongs to that loop from then on (another loop
    gets a `RuntimeError`). Close it with `await client.close()` or `async with`; a closed
    client (and its `with_options` copies, which share its connections) raises
    `ClientClosedError` on every later call.
    """

    def _new_pool(self) -> AsyncPool:
        return AsyncPool(self.max_connections)

    @cached_property
    def _transport(self) -> AsyncTransport:
        """The transport for the current settings, over this client's pool."""
        from orq_router._retries import retry_policy

        return AsyncTransport(
            self._pool, self._api_settings(), self.http_timeout, retry_policy(self.max_retries)
        )

    def _embeddings(self) -> AsyncEmbeddings:
        from orq_router._async_embeddings import AsyncEmbeddings

        return AsyncEmbeddings(self)

    @property
    def api(self) -> orq_router_api.AsyncClient:
        """The generated low-level client this one sends through (same session and
        settings); its session is the running loop's, so ask for it inside that loop."""
        return self._transport.api()

    async def close(self) -> None:
        """Close the session for good; later calls raise `ClientClosedError`.

        The session is shared with `with_options` copies, so they are closed too.
        """
        await self._pool.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
