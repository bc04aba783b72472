"""The Ray suite: a local Ray on loopback, and the local router the actors call.

Run by `nox -s tests_ray` (which sets `ORQ_TESTS_RAY`, so a missing Ray is an error
there); in a plain `pytest` without Ray installed the suite is left out.

Ray is kept on this machine's loopback: its single-machine mode (set before Ray is
imported) binds its services to 127.0.0.1, and the fixture checks the GCS address. Ray's
automatic `ray.init()` and its usage reporting are off. The cluster is started once for
the session (`ray.init(num_cpus=2)`) and always shut down.
"""

from __future__ import annotations

import importlib.util
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
os.environ["RAY_ENABLE_AUTO_CONNECT"] = "0"

if importlib.util.find_spec("ray") is None:
    if os.environ.get("ORQ_TESTS_RAY"):
        raise RuntimeError("nox -s tests_ray: ray is not installed (pip install 'orq-router[ray]')")
    collect_ignore_glob = ["test_*.py"]

from orq_router_server import parse_config
from tests.facade.conftest import TEST_KEY
from tests.router_server import EmbeddingsServer

MODEL = "test/hash-64"
SLOW = "test/slow"
DOWN = "test/down"
ROUTER_TOML = f"""
api_keys = ["{TEST_KEY}"]
cooldown_failures = 0      # a down model keeps answering with its own error, never skipped

[models."{MODEL}"]
backend = "hashing"
dimensions = 64

[models."{SLOW}"]          # answers after 150 ms: time to kill something mid-job
backend = "fault"
delay_ms = 150
then = "{MODEL}"

[models."{DOWN}"]          # 500 on every attempt: a model that is down for good
backend = "fault"
fail_with = [500]
"""


CONFIG = parse_config(tomllib.loads(ROUTER_TOML))


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[Any]:
    """`ray.init(num_cpus=2)` on loopback for the session; shut down at the end."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        address = ray.get_runtime_context().gcs_address
        assert address.startswith("127."), f"Ray is not on loopback: {address}"
        yield ray
    finally:
        ray.shutdown()


@pytest.fixture(scope="session")
def _router() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer(config=CONFIG) as server:
        yield server


@pytest.fixture
def router(_router: EmbeddingsServer, monkeypatch: pytest.MonkeyPatch) -> EmbeddingsServer:
    monkeypatch.setenv("ORQ_API_KEY", TEST_KEY)
    _router.reset()
    return _router


def sent_inputs(router: EmbeddingsServer) -> list[str]:
    """Inputs of every whole request the router got.

    A request torn off mid-body (its actor or driver was killed while sending) is left
    out: its inputs never reached the router, so nothing was embedded or paid for them.
    """
    return [
        text
        for exchange in router.exchanges
        if not exchange.disconnected
        for text in exchange.json()["input"]
    ]


def descendants(pid: int) -> dict[int, str]:
    """Every process below `pid` (pid -> command line): Ray's workers are our grandchildren."""
    children: dict[int, list[int]] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
        commands[int(entry.name)] = command
    found: dict[int, str] = {}
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found[child] = commands.get(child, "")
            stack.append(child)
    return found
