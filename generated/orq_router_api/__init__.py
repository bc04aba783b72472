# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""orq.ai AI Router - Embeddings: the typed client generated from `openapi/orq-router.yaml`.

- `orq_router_api.models`: attrs models, one per schema, with `from_dict` / `to_dict`.
- `orq_router_api.api.<tag>.<operation>`: `sync(client, body=...)` and `sync_detailed(...)`.
- `Client`: base URL, bearer token and a urllib3 pool.
"""

from orq_router_api._version import SPEC_VERSION, __version__
from orq_router_api.client import Client
from orq_router_api.errors import ApiError, MalformedResponse, UnexpectedStatus, ValidationError
from orq_router_api.types import UNSET, Response, Unset

__all__ = [
    "SPEC_VERSION",
    "UNSET",
    "ApiError",
    "Client",
    "MalformedResponse",
    "Response",
    "UnexpectedStatus",
    "Unset",
    "ValidationError",
    "__version__",
]
