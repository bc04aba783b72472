# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""Golden fixture API: the typed client generated from its OpenAPI document.

- `golden_api.models`: attrs models, one per schema, with `from_dict` / `to_dict`.
- `golden_api.params`: the dict and keyword forms a request can be built from.
- `golden_api.api.<tag>.<operation>`: `sync(client, body=...)` and `sync_detailed(...)`.
- `Client`: base URL, token and a urllib3 pool.
"""

from golden_api._version import SPEC_VERSION, __version__
from golden_api.client import Client
from golden_api.errors import ApiError, MalformedResponse, UnexpectedStatus, ValidationError
from golden_api.types import UNSET, Response, SupportsToModel, Unset

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
