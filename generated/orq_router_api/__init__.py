# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""orq.ai AI Router - Embeddings: the typed client generated from its OpenAPI document.

- `orq_router_api.models`: attrs models, one per schema, with `from_dict` / `to_dict`.
- `orq_router_api.params`: the dict and keyword forms a request can be built from.
- `orq_router_api.api.<tag>.<operation>`: `sync(client, body=...)` and `sync_detailed(...)`;
  `await asyncio(async_client, body=...)` and `asyncio_detailed(...)`.
- `Client`: base URL, token and a urllib3 pool; `AsyncClient`: the same over an aiohttp
  session (the `async` extra; aiohttp is imported by its first request, never before).

Names and submodules load on first use (PEP 562), so that importing the package, or
a layer on top of it, costs only what is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from orq_router_api._version import SPEC_VERSION, __version__

if TYPE_CHECKING:
    from orq_router_api.async_client import AsyncClient
    from orq_router_api.client import Client
    from orq_router_api.errors import ApiError, MalformedResponse, UnexpectedStatus, ValidationError
    from orq_router_api.types import UNSET, Response, SupportsToModel, Unset

__all__ = [
    "SPEC_VERSION",
    "UNSET",
    "ApiError",
    "AsyncClient",
    "Client",
    "MalformedResponse",
    "Response",
    "SupportsToModel",
    "UnexpectedStatus",
    "Unset",
    "ValidationError",
    "__version__",
]

#: Where each public name is defined.
_NAMES = {
    "AsyncClient": "async_client",
    "Client": "client",
    "ApiError": "errors",
    "MalformedResponse": "errors",
    "UnexpectedStatus": "errors",
    "ValidationError": "errors",
    "UNSET": "types",
    "Response": "types",
    "SupportsToModel": "types",
    "Unset": "types",
}
_SUBMODULES = frozenset(
    {
        "api",
        "async_client",
        "client",
        "errors",
        "models",
        "params",
        "servers",
        "types",
        "validation",
    }
)

if not TYPE_CHECKING:  # type checkers see the imports above, and no catch-all

    def __getattr__(name: str) -> Any:
        if name in _SUBMODULES:
            return importlib.import_module(f"{__name__}.{name}")
        module = _NAMES.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES})
