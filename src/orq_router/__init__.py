"""orq-router: a fast, typed Python SDK for the orq.ai AI Router embeddings API.

    from orq_router import Orq

    client = Orq()  # ORQ_API_KEY, ORQ_BASE_URL
    res = client.router.embeddings.create(input="Hello", model="openai/text-embedding-3-small")
    res.data[0].embedding  # list[float]
    res.to_numpy()         # (n, d) float32

The wire layer is the generated `orq_router_api` package (see `generated/`); this package
is the handwritten facade on top of it.
"""

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
from orq_router._request import EmbeddingInput, EmbeddingParams
from orq_router._version import __version__
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
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
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
    "Orq",
    "OrqError",
    "OrqOptions",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
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
