"""The official orq.ai OpenAPI document of the embeddings operation, generated unchanged.

It is written the way real specs are (inline enums and bodies, `anyOf`, nullable
fields, untyped properties, `additionalProperties: {}`, a security scheme called
`ApiKey`, no error responses). The generated package must import, pass `mypy --strict`
and ruff, and read the document's own examples back exactly.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.__main__ import main
from tests.generator import SHARED

OFFICIAL = SHARED / "specs" / "orq-official-embeddings.yaml"
PACKAGE = "orq_official_api"

pytestmark = pytest.mark.skipif(
    not OFFICIAL.exists(), reason="../shared/specs is not beside this checkout"
)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("official") / "out"
    code = main(["--spec", str(OFFICIAL), "--out", str(out), "--package", PACKAGE])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def package(output: Path) -> Iterator[Any]:
    sys.path.insert(0, str(output))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(output))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=cwd,
        env={"MYPYPATH": str(cwd), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_module_imports(package: Any) -> None:
    modules = [
        importlib.import_module(module.name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{PACKAGE}.")
    ]
    names = {module.__name__ for module in modules}
    assert f"{PACKAGE}.api.embeddings.create_embedding" in names
    assert package.__version__ == "1.0.0"


def test_it_passes_mypy_strict(output: Path) -> None:
    result = _run(["mypy", "--strict", "--no-incremental", "-p", PACKAGE], output)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_passes_ruff(output: Path) -> None:
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        result = _run(command, output)
        assert result.returncode == 0, result.stdout + result.stderr


def _request_examples() -> list[Any]:
    document = yaml.safe_load(OFFICIAL.read_text()) if OFFICIAL.exists() else {}
    operation = document.get("paths", {}).get("/v2/router/embeddings", {}).get("post", {})
    examples = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return [example["value"] for example in examples.get("examples", {}).values()]


@pytest.mark.parametrize("example", _request_examples())
def test_its_request_examples_round_trip(package: Any, example: dict[str, Any]) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    request = models.CreateEmbeddingRequest.from_dict(example)
    assert request.to_dict() == example
    assert models.CreateEmbeddingRequest.from_params(**example).to_dict() == example


def test_a_response_round_trips_whatever_the_encoding(package: Any) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    for embedding in ([0.5, -0.25], "AAAAPwAAgL4="):
        body = {
            "object": "list",
            "data": [{"object": "embedding", "embedding": embedding, "index": 0}],
            "model": "openai/text-embedding-3-small",
            "usage": {"prompt_tokens": 3, "total_tokens": 3},
        }
        assert models.CreateEmbeddingResponse.from_dict(body).to_dict() == body
    assert models.CreateEmbeddingResponse.from_dict({**body, "data": None}).data is None


def test_its_constructs_get_natural_python_types(output: Path) -> None:
    source = (output / PACKAGE / "models.py").read_text()
    # anyOf of a string and an array; a nullable list; an untyped value; a map of anything.
    assert "input: str | list[str | list[int]] = attrs.field(" in source
    assert "fallbacks: list[FallbackConfig] | Unset | None = attrs.field(" in source
    assert "embedding: Any = attrs.field(" in source
    assert "metadata: list[dict[str, Any]] | Unset | None = attrs.field(" in source
    # Inline enums are classes named after where they were.
    assert "class CreateEmbeddingRequestEncodingFormat(StrEnum):" in source
    # The ApiKey scheme is a bearer token.
    client = (output / PACKAGE / "client.py").read_text()
    assert 'merged["Authorization"] = f"Bearer {token}"' in client
