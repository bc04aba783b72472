"""The local AI Router: the orq.ai router's embeddings endpoint, offline, on loopback.

It speaks `openapi/orq-router.yaml` exactly (and OpenAI's `/v1/embeddings`), embeds with
real models (`local/all-minilm-l6-v2`, with the `minilm` extra) or a deterministic
hashing model (`local/hashing-384`, always), and gives the request's routing options
their real meaning: retry, fallbacks, weighted load balancing, call timeouts, exact-match
cache. For a team it adds `/health`, `/ready` and `/metrics` (Prometheus), limits per key,
backpressure, cooldowns of failing models, and state shared through Redis by several
worker processes. Run it with `orq-router serve`, or in-process:

    from orq_router_server import LocalRouter, LocalServer, create_app, default_config

    with LocalServer(create_app(LocalRouter(default_config()))) as server:
        Orq(base_url=server.url).router.embeddings.create(input="hi", model="local/hashing-384")

Needs the `server` extra (Starlette, uvicorn, numpy); `import orq_router` never imports
this package.
"""

from orq_router_server.app import create_app
from orq_router_server.config import (
    HASHING_MODEL,
    MINILM_MODEL,
    Config,
    FaultSpec,
    HashingSpec,
    MiniLMSpec,
    ModelSpec,
    OpenAISpec,
    default_config,
    load_config,
    minilm_available,
    parse_config,
)
from orq_router_server.errors import ConfigError, RouterError
from orq_router_server.router import LocalRouter
from orq_router_server.running import LocalServer

__all__ = [
    "HASHING_MODEL",
    "MINILM_MODEL",
    "Config",
    "ConfigError",
    "FaultSpec",
    "HashingSpec",
    "LocalRouter",
    "LocalServer",
    "MiniLMSpec",
    "ModelSpec",
    "OpenAISpec",
    "RouterError",
    "create_app",
    "default_config",
    "load_config",
    "minilm_available",
    "parse_config",
]
