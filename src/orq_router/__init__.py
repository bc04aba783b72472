"""orq-router: a fast, typed Python SDK for the orq.ai AI Router embeddings API.

    from orq_router import Orq

    client = Orq()  # ORQ_API_KEY, ORQ_BASE_URL
    res = client.router.embeddings.create(input="Hello", model="openai/text-embedding-3-small")
    res.data[0].embedding  # list[float]
    res.to_numpy()         # (n, d) float32

`AsyncOrq` is the same client for asyncio (`pip install 'orq-router[async]'`):
`await AsyncOrq().router.embeddings.create(...)`.

The wire layer is the generated `orq_router_api` package (see `generated/`); this package
is the handwritten facade on top of it.

Names load on first use (PEP 562): `import orq_router; orq_router.Orq(...)` loads the
client and what making one needs, not the models, the options, numpy or aiohttp.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from orq_router._version import __version__

if TYPE_CHECKING:
    from orq_router._async_client import AsyncOrq
    from orq_router._async_embeddings import AsyncEmbeddings, AsyncEmbeddingsWithRawResponse
    from orq_router._client import DEFAULT_BASE_URL, Orq, Router
    from orq_router._errors import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        BatchFailure,
        ClientClosedError,
        ConfigError,
        ConflictError,
        EmbedManyError,
        EmbedManyInterrupted,
        InternalServerError,
        NotFoundError,
        OrqError,
        PermissionDeniedError,
        RateLimitError,
        UnprocessableEntityError,
        ValidationError,
    )
    from orq_router._request import EmbeddingInput, EmbeddingParams, RequestOptions
    from orq_router._types import NOT_GIVEN, NotGiven
    from orq_router.embeddings import Embeddings, EmbeddingsWithRawResponse
    from orq_router.options import (
        Cache,
        Contact,
        Fallbacks,
        Identity,
        LoadBalancer,
        OrqOptions,
        Retry,
        RouterTimeout,
        fallbacks,
        weighted,
    )
    from orq_router.responses import (
        BulkEmbeddings,
        EmbeddedBatch,
        Embedding,
        EmbeddingResponse,
        RawResponse,
        Usage,
    )

__all__ = [
    "DEFAULT_BASE_URL",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncEmbeddings",
    "AsyncEmbeddingsWithRawResponse",
    "AsyncOrq",
    "AuthenticationError",
    "BadRequestError",
    "BatchFailure",
    "BulkEmbeddings",
    "Cache",
    "ClientClosedError",
    "ConfigError",
    "ConflictError",
    "Contact",
    "EmbedManyError",
    "EmbedManyInterrupted",
    "EmbeddedBatch",
    "Embedding",
    "EmbeddingInput",
    "EmbeddingParams",
    "EmbeddingResponse",
    "Embeddings",
    "EmbeddingsWithRawResponse",
    "Fallbacks",
    "Identity",
    "InternalServerError",
    "LoadBalancer",
    "NotFoundError",
    "NotGiven",
    "Orq",
    "OrqError",
    "OrqOptions",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RequestOptions",
    "Retry",
    "Router",
    "RouterTimeout",
    "UnprocessableEntityError",
    "Usage",
    "ValidationError",
    "__version__",
    "fallbacks",
    "weighted",
]


#: Where each public name is defined.
_NAMES = {
    "AsyncOrq": "orq_router._async_client",
    "AsyncEmbeddings": "orq_router._async_embeddings",
    "AsyncEmbeddingsWithRawResponse": "orq_router._async_embeddings",
    "NOT_GIVEN": "orq_router._types",
    "NotGiven": "orq_router._types",
    "RequestOptions": "orq_router._request",
    "DEFAULT_BASE_URL": "orq_router._client",
    "Orq": "orq_router._client",
    "Router": "orq_router._client",
    "APIConnectionError": "orq_router._errors",
    "APIError": "orq_router._errors",
    "APIResponseValidationError": "orq_router._errors",
    "APIStatusError": "orq_router._errors",
    "APITimeoutError": "orq_router._errors",
    "AuthenticationError": "orq_router._errors",
    "BadRequestError": "orq_router._errors",
    "BatchFailure": "orq_router._errors",
    "ClientClosedError": "orq_router._errors",
    "ConfigError": "orq_router._errors",
    "ConflictError": "orq_router._errors",
    "EmbedManyError": "orq_router._errors",
    "EmbedManyInterrupted": "orq_router._errors",
    "InternalServerError": "orq_router._errors",
    "NotFoundError": "orq_router._errors",
    "OrqError": "orq_router._errors",
    "PermissionDeniedError": "orq_router._errors",
    "RateLimitError": "orq_router._errors",
    "UnprocessableEntityError": "orq_router._errors",
    "ValidationError": "orq_router._errors",
    "EmbeddingInput": "orq_router._request",
    "EmbeddingParams": "orq_router._request",
    "Embeddings": "orq_router.embeddings",
    "EmbeddingsWithRawResponse": "orq_router.embeddings",
    "Cache": "orq_router.options",
    "Contact": "orq_router.options",
    "Fallbacks": "orq_router.options",
    "Identity": "orq_router.options",
    "LoadBalancer": "orq_router.options",
    "OrqOptions": "orq_router.options",
    "Retry": "orq_router.options",
    "RouterTimeout": "orq_router.options",
    "fallbacks": "orq_router.options",
    "weighted": "orq_router.options",
    "BulkEmbeddings": "orq_router.responses",
    "EmbeddedBatch": "orq_router.responses",
    "Embedding": "orq_router.responses",
    "EmbeddingResponse": "orq_router.responses",
    "RawResponse": "orq_router.responses",
    "Usage": "orq_router.responses",
}


if not TYPE_CHECKING:  # type checkers see the imports above, and no catch-all

    def __getattr__(name: str) -> Any:
        module = _NAMES.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
