"""schemathesis, from the YAML (not from our generated models), against the live router.

`st run` reads `openapi/orq-router.yaml` and throws its examples, its coverage cases
(every boundary and every kind of invalid value) and random fuzzing at the local router
on loopback, with every check on: no 5xx, status codes, content types, headers and
bodies conforming to the document, invalid data refused, the key enforced. The second
test shows the same run fails against a router that answers off-spec.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from orq_router_server import LocalRouter, LocalServer, create_app
from tests.router_server import TEST_CONFIG, EmbeddingsServer
from tests.server.conftest import SPEC

SETTINGS = Path(__file__).with_name("schemathesis.toml")
KEY = "test-token-123"  # one of tests/router.toml's keys


def _st() -> str:
    beside = Path(sys.executable).with_name("st")
    found = str(beside) if beside.exists() else shutil.which("st")
    assert found, "schemathesis's `st` command is not installed"
    return found


def _run(
    url: str, *, max_examples: int, extra: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    command = [
        _st(),
        "--config-file", str(SETTINGS),
        "--no-color",
        "run", str(SPEC),
        "--url", url,
        "--header", f"Authorization: Bearer {KEY}",
        "--checks", "all",
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(max_examples),
        "--seed", "20261127",
        *extra,
    ]  # fmt: skip
    # In a scratch folder: schemathesis keeps its example database in the working folder.
    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run(
            command, capture_output=True, text=True, timeout=600, check=False, cwd=scratch
        )


@pytest.fixture(scope="module")
def router_url() -> Iterator[str]:
    with LocalServer(create_app(LocalRouter(TEST_CONFIG))) as server:
        yield server.url


def test_schemathesis_finds_no_issue_with_the_local_router(router_url: str) -> None:
    # 150 fuzzed bodies (past that, schemathesis's own generation slows down sharply)
    # plus every example and coverage case: about 700 requests, some 10 s.
    run = _run(router_url, max_examples=150)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No issues found" in run.stdout
    generated = next(line for line in run.stdout.splitlines() if " generated, " in line)
    assert int(generated.split()[0]) >= 500, generated


def test_schemathesis_fails_a_router_that_answers_off_spec() -> None:
    with EmbeddingsServer(config=TEST_CONFIG) as broken:
        for _ in range(2000):
            broken.answer(200, {"object": "list", "data": [{"index": 0}]})
        run = _run(broken.url, max_examples=20, extra=("--max-failures", "1"))
    assert run.returncode != 0
    assert "Response violates schema" in run.stdout or "rejected" in run.stdout, run.stdout
