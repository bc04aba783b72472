# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""orq.ai AI Router - Embeddings: the typed client generated from its OpenAPI document.

- `orq_router_api.models`: attrs models, one per schema, with `from_dict` / `to_dict`.
- `orq_router_api.params`: the dict and keyword forms a request can be built from.
- `orq_router_api.api.<tag>.<operation>`: `sync(client, body=...)` and `sync_detailed(...)`.
- `Client`: base URL, token and a urllib3 pool.
"""

from orq_router_api._version import SPEC_VERSION, __version__
from orq_router_api.client import Client
from orq_router_api.errors import ApiError, MalformedResponse, UnexpectedStatus, ValidationError
from orq_router_api.types import UNSET, Response, SupportsToModel, Unset

__all__ = [
    "SPEC_VERSION",
    "UNSET",
    "ApiError",
    "Client",
    "MalformedResponse",
    "Response",
    "SupportsToModel",
    "UnexpectedStatus",
    "Unset",
    "ValidationError",
    "__version__",
]
