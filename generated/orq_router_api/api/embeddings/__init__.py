# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""Operations tagged `embeddings`: Turn text or token ids into embedding vectors."""

from orq_router_api.api.embeddings import create_embedding

__all__ = [
    "create_embedding",
]
