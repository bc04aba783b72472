"""Fixtures of the local router's tests: one live router on 127.0.0.1 for the session.

`ROUTING_TOML` is the configuration of the routing tests, written in the TOML contract
of `orq-router serve --config`: hashing models, fault models that fail on purpose (and
then hand over, or not), a slow one, models to balance over, and the real model when the
`minilm` extra is installed. Its load balancer is seeded, so draws repeat run to run.
The router is the product's own, run by `tests/router_server.py` (which records what it
receives); every test starts with an empty cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from orq_router import Orq
from orq_router_server import Config, minilm_available, parse_config
from tests.conftest import ROOT
from tests.router_server import EmbeddingsServer

KEY = "key-a"
OTHER_KEY = "key-b"
MAX_INPUTS = 16
MAX_BODY_BYTES = 65_536
SPEC = ROOT / "openapi" / "orq-router.yaml"

ROUTING_TOML = f"""
api_keys = ["{KEY}", "{OTHER_KEY}"]
max_inputs = {MAX_INPUTS}
max_body_bytes = {MAX_BODY_BYTES}
seed = 20261127
cooldown_failures = 0      # the fault models fail on purpose: never cool them down here

[models."test/hash-32"]
backend = "hashing"
dimensions = 32

[models."test/hash-64"]
backend = "hashing"
dimensions = 64

[models."test/flaky"]      # 503 twice, then test/hash-32 answers (as test/flaky)
backend = "fault"
fail_with = [503, 503]
then = "test/hash-32"

[models."test/down"]       # 500, every attempt
backend = "fault"
fail_with = [500]

[models."test/busy"]       # 429, every attempt
backend = "fault"
fail_with = [429]

[models."test/slow"]       # answers after 300 ms
backend = "fault"
delay_ms = 300
then = "test/hash-32"

[models."test/a"]
backend = "hashing"
dimensions = 8

[models."test/b"]
backend = "hashing"
dimensions = 8

[models."test/c"]
backend = "hashing"
dimensions = 8
"""

MINILM_TOML = """
[models."local/all-minilm-l6-v2"]
backend = "minilm"
"""

needs_minilm = pytest.mark.skipif(
    not minilm_available(), reason="the minilm extra (sentence-transformers) is not installed"
)


def routing_config() -> Config:
    import tomllib

    text = ROUTING_TOML + (MINILM_TOML if minilm_available() else "")
    return parse_config(tomllib.loads(text))


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    """The OpenAPI document, as YAML gives it: the oracle answers are checked against."""
    return yaml.safe_load(SPEC.read_text())  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def _local_router() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer(config=routing_config()) as server:
        yield server


@pytest.fixture
def local_router(_local_router: EmbeddingsServer) -> EmbeddingsServer:
    """The live router (routing configuration), with an empty cache and no exchanges."""
    _local_router.reset()
    return _local_router


@pytest.fixture
def client(local_router: EmbeddingsServer) -> Iterator[Orq]:
    """Our SDK against the live router; no client-side retries, so the router's show."""
    with Orq(api_key=KEY, base_url=local_router.url, max_retries=0) as orq:
        yield orq
