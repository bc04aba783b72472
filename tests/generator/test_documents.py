"""Documents as they come: no servers, server variables, several operations per tag."""

from __future__ import annotations

import copy
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.__main__ import main
from tests.generator.loopback import Loopback
from tests.generator.test_unsupported import BASE


def _generate(tmp_path: Path, document: dict[str, Any], package: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(document))
    out = tmp_path / "out"
    assert main(["--spec", str(spec), "--out", str(out), "--package", package]) == 0
    return out


@pytest.fixture
def imported() -> Iterator[list[str]]:
    """Packages imported by a test, removed from `sys.modules` (and `sys.path`) after it."""
    added: list[str] = []
    yield added
    for folder in added:
        sys.path.remove(folder)
    for name in [name for name in sys.modules if name.split(".")[0].startswith("doc_")]:
        del sys.modules[name]


def _import(out: Path, package: str, added: list[str]) -> Any:
    sys.path.insert(0, str(out))
    added.append(str(out))
    return importlib.import_module(package)


def test_without_servers_the_client_needs_a_base_url_and_says_so(
    tmp_path: Path, imported: list[str]
) -> None:
    document = copy.deepcopy(BASE)
    del document["servers"]
    out = _generate(tmp_path, document, "doc_selfhosted")
    package = _import(out, "doc_selfhosted", imported)
    assert importlib.import_module("doc_selfhosted.servers").DEFAULT_BASE_URL is None
    with pytest.raises(TypeError, match="base_url"):
        package.Client()
    readme = (out / "README.md").read_text()
    assert 'Client(base_url="http://127.0.0.1:8080", token="...")' in readme
    do_it = importlib.import_module("doc_selfhosted.api.default.do_it")
    models = importlib.import_module("doc_selfhosted.models")
    with Loopback() as server:
        server.answer(200, {"p": "back"})
        answer = do_it.sync(package.Client(base_url=server.url), body=models.Body(p="x"))
    assert answer.p == "back"
    assert server.requests[0].json() == {"p": "x"}


def test_server_variables_take_their_defaults_and_a_relative_server_is_no_default(
    tmp_path: Path, imported: list[str]
) -> None:
    document = copy.deepcopy(BASE)
    document["servers"] = [
        {"url": "https://{region}.example.com/v1/", "variables": {"region": {"default": "eu"}}}
    ]
    out = _generate(tmp_path / "a", document, "doc_variables")
    servers = (out / "doc_variables" / "servers.py").read_text()
    assert 'DEFAULT_BASE_URL: Final = "https://eu.example.com/v1"' in servers
    document["servers"] = [{"url": "/api"}]
    out = _generate(tmp_path / "b", document, "doc_relative")
    servers = (out / "doc_relative" / "servers.py").read_text()
    assert "DEFAULT_BASE_URL: Final[str | None] = None" in servers
