"""The five spec changes of issue 8, each applied to a copy of the spec in a temp dir.

For each: the version the generated package gets, the changelog line, and what the
facade does: a typed keyword of `create` that reaches the wire (additions), or a
`mypy` error in `src/` (breaking changes), never a failure at run time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from generator import tree, versioning
from generator.__main__ import Job, generate
from tests.conftest import ROOT

Spec = dict[str, Any]


@attrs.frozen
class Project:
    """A copy of `openapi/` and `generated/`, released as it is, then changed."""

    root: Path
    released: str

    @property
    def job(self) -> Job:
        return Job.default(self.root)

    def change(self, edit: Callable[[Spec], None]) -> dict[str, str]:
        spec_file = self.root / "openapi" / "orq-router.yaml"
        document = yaml.safe_load(spec_file.read_text())
        edit(document)
        spec_file.write_text(yaml.safe_dump(document, sort_keys=False))
        files = generate(self.job)
        tree.write(self.job.out, files)
        return files


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`openapi/` and `generated/` copied, and released as they are (`--release`)."""
    root = tmp_path_factory.mktemp("released")
    for folder in ("openapi", "generated"):
        shutil.copytree(ROOT / folder, root / folder)
    job = Job.default(root)
    tree.write(job.out, generate(job, release=True))
    return root


@pytest.fixture
def project(released: Path, tmp_path: Path) -> Project:
    for folder in ("openapi", "generated"):
        shutil.copytree(released / folder, tmp_path / folder)
    return Project(tmp_path, _version(tree.existing_files(tmp_path / "generated")))


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


def _version(files: dict[str, str]) -> str:
    return files["orq_router_api/_version.py"].split('__version__ = "')[1].split('"')[0]


def _pending(files: dict[str, str], version: str) -> str:
    """The changelog's entry for `version`, which must be the unreleased one on top."""
    changelog = files[versioning.CHANGELOG]
    heading = f"## {version} (not released yet)\n"
    assert heading in changelog, changelog
    return changelog.split(heading)[1].split("\n## ")[0]


def _mypy(project: Project, cache: Path, caller: str = "") -> subprocess.CompletedProcess[str]:
    """mypy --strict on the facade (and a caller's code) over the changed generated layer."""
    files = [str(ROOT / "src" / "orq_router")]
    if caller:
        program = project.root / "caller.py"
        program.write_text(caller)
        files.append(str(program))
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), *files],
        cwd=ROOT,
        env={**os.environ, "MYPYPATH": str(project.root / "generated")},
        capture_output=True,
        text=True,
        check=False,
    )


SEND = """
import json, sys
import orq_router_api
from orq_router import Orq
from tests.router_server import EmbeddingsServer

answer = {"object": "list", "data": [{"object": "embedding", "embedding": [0.5], "index": 0}],
          "model": "openai/x", "usage": {"prompt_tokens": 1, "total_tokens": 1}}
with EmbeddingsServer() as server, Orq(api_key="k", base_url=server.url) as client:
    server.answer(200, answer)
    client.router.embeddings.create(input="a", model="openai/x", **json.loads(sys.argv[1]))
    print(json.dumps({"package": orq_router_api.__file__, "sent": server.exchanges[0].json()}))
"""


def _send(project: Project, **keywords: Any) -> dict[str, Any]:
    """What `create(input="a", model="openai/x", **keywords)` puts on the wire, run in a
    fresh interpreter that imports the changed generated layer."""
    path = os.pathsep.join(str(p) for p in (project.root / "generated", ROOT / "src", ROOT))
    result = subprocess.run(
        [sys.executable, "-c", SEND, json.dumps(keywords)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=True,
    )
    out: dict[str, Any] = json.loads(result.stdout)
    assert out["package"].startswith(str(project.root)), out["package"]
    return out["sent"]  # type: ignore[no-any-return]


def _schemas(document: Spec) -> Spec:
    return document["components"]["schemas"]  # type: ignore[no-any-return]


def _request(document: Spec) -> Spec:
    return _schemas(document)["CreateEmbeddingRequest"]  # type: ignore[no-any-return]


def test_a_new_optional_field_is_minor_and_a_typed_keyword_that_reaches_the_wire(
    project: Project, mypy_cache: Path
) -> None:
    def edit(document: Spec) -> None:
        _request(document)["properties"]["priority"] = {
            "type": "integer",
            "minimum": 0,
            "description": "How urgent the request is.",
        }

    files = project.change(edit)

    version = versioning.bump(project.released, "minor")
    assert _version(files) == version
    assert "- **minor**: `CreateEmbeddingRequest.priority`: new optional field\n" in _pending(
        files, version
    )
    typed = _mypy(
        project,
        mypy_cache,
        "from orq_router import Orq\n"
        'Orq().router.embeddings.create(input="a", priority=3)\n'
        'Orq().router.embeddings.create(input="a", priority="high")\n',
    )
    assert typed.returncode == 1
    assert typed.stdout.count("error:") == 1, typed.stdout  # only the str, not the keyword
    assert 'Argument "priority" to "create" of "Embeddings" has incompatible type "str"' in (
        typed.stdout
    )
    assert _send(project, priority=3)["priority"] == 3


def test_new_fields_inside_objects_a_helper_improves_reach_the_wire_too(
    project: Project, mypy_cache: Path
) -> None:
    """The helpers (`Retry`, `OrqOptions`, ...) must not drop what they have no keyword for."""

    def edit(document: Spec) -> None:
        _schemas(document)["Retry"]["properties"]["backoff"] = {"type": "number"}
        _schemas(document)["OrqSettings"]["properties"]["project"] = {"type": "string"}

    files = project.change(edit)

    pending = _pending(files, versioning.bump(project.released, "minor"))
    assert "- **minor**: `Retry.backoff`: new optional field\n" in pending
    assert "- **minor**: `OrqSettings.project`: new optional field\n" in pending
    caller = (
        "from orq_router import Orq\n"
        'Orq().router.embeddings.create(input="a", retry={"count": 1, "backoff": 0.5},'
        ' orq={"name": "t", "project": "p"})\n'
    )
    typed = _mypy(project, mypy_cache, caller)
    assert typed.returncode == 0, typed.stdout
    sent = _send(project, retry={"count": 1, "backoff": 0.5}, orq={"name": "t", "project": "p"})
    assert sent["retry"] == {"count": 1, "backoff": 0.5}
    assert sent["orq"] == {"name": "t", "project": "p"}


def test_a_new_enum_value_is_minor_and_accepted_by_the_keyword(
    project: Project, mypy_cache: Path
) -> None:
    def edit(document: Spec) -> None:
        _schemas(document)["EncodingFormat"]["enum"].append("int8")

    files = project.change(edit)

    version = versioning.bump(project.released, "minor")
    assert _version(files) == version
    assert "- **minor**: `EncodingFormat`: new value 'int8'\n" in _pending(files, version)
    caller = 'from orq_router import Orq\nOrq().router.embeddings.create(input="a", encoding_format="int8")\n'
    typed = _mypy(project, mypy_cache, caller)
    assert typed.returncode == 0, typed.stdout
    assert _send(project, encoding_format="int8")["encoding_format"] == "int8"


def test_an_optional_field_made_required_is_major_and_fails_the_facade_type_check(
    project: Project, mypy_cache: Path
) -> None:
    def edit(document: Spec) -> None:
        _request(document)["required"].append("dimensions")

    files = project.change(edit)

    version = versioning.bump(project.released, "major")
    assert _version(files) == version
    line = "- **major**: `CreateEmbeddingRequest.dimensions`: optional field made required\n"
    assert line in _pending(files, version)
    typed = _mypy(project, mypy_cache)
    assert typed.returncode == 1
    assert "src/orq_router/_request.py" in typed.stdout
    assert 'Missing named argument "dimensions" for "from_params"' in typed.stdout


def test_a_removed_field_is_major_and_fails_the_facade_type_check(
    project: Project, mypy_cache: Path
) -> None:
    def edit(document: Spec) -> None:
        del _request(document)["properties"]["retry"]

    files = project.change(edit)

    version = versioning.bump(project.released, "major")
    assert _version(files) == version
    assert "- **major**: `CreateEmbeddingRequest.retry`: field removed\n" in _pending(
        files, version
    )
    typed = _mypy(project, mypy_cache)
    assert typed.returncode == 1
    assert "src/orq_router/_request.py" in typed.stdout
    assert 'has no key "retry"' in typed.stdout


def test_a_renamed_schema_is_major_and_fails_the_facade_type_check(
    project: Project, mypy_cache: Path
) -> None:
    def edit(document: Spec) -> None:
        schemas = _schemas(document)
        schemas["RetryConfig"] = schemas.pop("Retry")
        for name in ("CreateEmbeddingRequest", "OrqSettings"):
            schemas[name]["properties"]["retry"]["$ref"] = "#/components/schemas/RetryConfig"

    files = project.change(edit)

    version = versioning.bump(project.released, "major")
    assert _version(files) == version
    assert "- **major**: `Retry`: schema renamed to `RetryConfig`\n" in _pending(files, version)
    typed = _mypy(project, mypy_cache)
    assert typed.returncode == 1
    assert "src/orq_router/options.py" in typed.stdout
    assert 'Module has no attribute "Retry"' in typed.stdout


def test_generating_again_changes_nothing_and_never_bumps_twice(project: Project) -> None:
    def edit(document: Spec) -> None:
        _request(document)["properties"]["user"]["description"] = "Who the request is for."

    first = project.change(edit)
    version = versioning.bump(project.released, "patch")
    assert _version(first) == version
    line = "- **patch**: `CreateEmbeddingRequest.user`: description changed\n"
    assert line in _pending(first, version)
    # Again, and again after writing: the same bytes, the same version.
    assert generate(project.job) == first
    assert tree.existing_files(project.job.out) == first
    assert generate(project.job) == first
