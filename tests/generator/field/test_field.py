"""The generator on documents nobody here wrote: eight public embeddings APIs (sources.yaml).

Each document's embeddings operation(s) generate, the packages build and install (pip,
into a folder of their own), import, pass `mypy --strict` (all eight in one run) and
ruff, and the document's own examples, request and response, round-trip through the
generated code (`from_dict` / `to_dict`) and over the wire, against a server on
127.0.0.1 that answers with the example.

Slow (a build, an install and a type check of eight packages): `nox -s field` runs it
(`ORQ_FIELD=1`); other sessions skip it.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
import yaml

from generator import document as documents
from generator.package import module_name
from generator.spec import HTTP_METHODS, child, pointer
from tests.conftest import ROOT
from tests.generator.field.examples import Schemas, at, read
from tests.generator.loopback import Loopback

FIELD = Path(__file__).resolve().parent
SOURCES: dict[str, Any] = yaml.safe_load((FIELD / "sources.yaml").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(
    not os.environ.get("ORQ_FIELD"), reason="slow: `nox -s field` runs it (ORQ_FIELD=1)"
)


@attrs.frozen
class Built:
    """The generated packages, installed into `site`."""

    site: Path
    outs: dict[str, Path]
    warnings: dict[str, str]


def _package(key: str) -> str:
    return f"field_{key}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("field")
    outs: dict[str, Path] = {}
    warnings: dict[str, str] = {}
    for key, source in SOURCES.items():
        out = root / key
        command = [sys.executable, "-m", "generator", "--spec", str(FIELD / f"{key}.yaml")]
        command += ["--out", str(out), "--package", _package(key)]
        command += ["--lenient"] if source.get("lenient") else []
        generated = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        assert generated.returncode == 0, f"{key}: {generated.stderr}"
        outs[key] = out
        warnings[key] = generated.stderr
    site = root / "site"
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    install += ["--no-build-isolation", "--target", str(site), *map(str, outs.values())]
    installed = subprocess.run(install, capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    sys.path.insert(0, str(site))
    try:
        yield Built(site, outs, warnings)
    finally:
        sys.path.remove(str(site))
        for name in [name for name in sys.modules if name.startswith("field_")]:
            del sys.modules[name]


@pytest.mark.parametrize("key", list(SOURCES))
def test_each_document_generates_with_the_repairs_it_needs(built: Built, key: str) -> None:
    source = SOURCES[key]
    lines = [line for line in built.warnings[key].splitlines() if ": warning: " in line]
    repairs = [line for line in lines if ": repaired: " in line]
    for expected in source.get("repairs", []):
        assert any(expected in line for line in repairs), (expected, repairs)
    assert len(repairs) >= len(source.get("repairs", []))
    if not source.get("lenient"):
        assert not repairs


@pytest.mark.parametrize("key", list(SOURCES))
def test_each_package_is_installed_and_every_module_imports(built: Built, key: str) -> None:
    package = importlib.import_module(_package(key))
    assert Path(package.__file__ or "").is_relative_to(built.site)
    for module in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        importlib.import_module(module.name)
    assert package.__version__ == "1.0.0"


def test_the_packages_pass_mypy_strict_and_ruff(built: Built) -> None:
    targets = [argument for key in SOURCES for argument in ("-p", _package(key))]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *targets],
        cwd=built.site,
        env={"MYPYPATH": str(built.site), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    for out in built.outs.values():
        for command in (["check", "."], ["format", "--check", "."]):
            ruff = subprocess.run(
                [sys.executable, "-m", "ruff", *command],
                cwd=out,
                capture_output=True,
                text=True,
                check=False,
            )
            assert ruff.returncode == 0, ruff.stdout + ruff.stderr


# The examples -------------------------------------------------------------------------


@attrs.frozen
class Case:
    """One example of one operation of one document."""

    key: str
    operation: str
    side: str
    """`request` or `response`."""
    value: Any
    where: str
    """The JSON pointer of the body's schema, which the example must be valid for."""
    given: Any = None
    """The example as the document wrote it, when it lacked required properties."""
    missing: tuple[str, ...] = ()
    """Where it lacked them (`data[0].index`)."""
    known_errors: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.key}-{self.operation}-{self.side}"


def _document(key: str) -> dict[str, Any]:
    return documents.read(FIELD / f"{key}.yaml")


def _operation(document: dict[str, Any], operation_id: str) -> tuple[str, str, dict[str, Any]]:
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if (item.get(method) or {}).get("operationId") == operation_id:
                return path, method, item[method]
    raise KeyError(operation_id)


def _body_where(document: dict[str, Any], operation: str, side: str) -> str:
    """The pointer of the JSON schema of a request or success body (its $refs followed)."""
    node = at(document, operation)
    if side == "request":
        where = child(operation, "requestBody")
    else:
        code = next(code for code in node["responses"] if str(code).startswith("2"))
        where = child(operation, "responses", str(code))
    while "$ref" in at(document, where):
        where = at(document, where)["$ref"]
    media = next(key for key in at(document, where)["content"] if "json" in key)
    return child(where, "content", media, "schema")


def _cases() -> list[Case]:
    cases = []
    for key, source in SOURCES.items():
        document = _document(key)
        schemas = Schemas(document)
        for operation_id, given in source["operations"].items():
            path, method, _ = _operation(document, operation_id)
            operation = pointer("paths", path, method)
            composed = given.get("composed", "")
            for side in ("request", "response"):
                where = _body_where(document, operation, side)
                known = tuple(given.get("known_errors", {}).get(side, ()))
                found = []
                for example in given.get(side, []):
                    value = read(document, example["pointer"], example["form"])
                    if example.get("complete"):
                        filled, missing = schemas.complete(value, where)
                        assert missing, f"{key}: nothing to complete in {example['pointer']}"
                        found.append(
                            Case(key, operation_id, side, filled, where, value, tuple(missing))
                        )
                    else:
                        found.append(Case(key, operation_id, side, value, where))
                if composed in (side, "both"):
                    found.append(Case(key, operation_id, side, schemas.compose(where), where))
                assert found, f"{key} {operation_id}: no {side} example"
                cases += [attrs.evolve(case, known_errors=known) for case in found]
    return cases


CASES = _cases() if os.environ.get("ORQ_FIELD") else []


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_examples_are_valid_for_the_document(case: Case) -> None:
    """The examples are the document's own (or composed from it) and valid for it: a
    round trip below is of a value the API itself would send or take."""
    errors = Schemas(_document(case.key)).errors(case.value, case.where)
    assert errors == list(case.known_errors), errors


INCOMPLETE = [case for case in CASES if case.missing]


@pytest.mark.parametrize("case", INCOMPLETE, ids=[case.id for case in INCOMPLETE])
def test_an_example_lacking_what_its_schema_requires_is_refused_as_the_schema_says(
    built: Built, case: Case
) -> None:
    assert Schemas(_document(case.key)).errors(case.given, case.where)
    endpoint = _endpoint(case.key, case.operation)
    with pytest.raises(ValueError) as caught:
        _reader(endpoint, case.side)(case.given)
    location = getattr(caught.value, "location", "")
    assert location in case.missing, (location, case.missing)
    assert getattr(caught.value, "message", "") == "is required"


def _endpoint(key: str, operation_id: str) -> ModuleType:
    document = _document(key)
    _, _, operation = _operation(document, operation_id)
    tag = (operation.get("tags") or ["default"])[0]
    name = f"{_package(key)}.api.{module_name(tag)}.{module_name(operation_id)}"
    return importlib.import_module(name)


def _reader(endpoint: ModuleType, side: str) -> Any:
    """What reads a body from its JSON: the model's `from_dict`, else the endpoint's own."""
    hints = typing.get_type_hints(endpoint.sync)
    hint = hints["body"] if side == "request" else hints["return"]
    if isinstance(hint, type) and hasattr(hint, "from_dict"):
        return hint.from_dict
    return endpoint._read_body if side == "request" else endpoint._read_answer


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_examples_round_trip_through_the_generated_code(built: Built, case: Case) -> None:
    endpoint = _endpoint(case.key, case.operation)
    encode = importlib.import_module(f"{_package(case.key)}._encode")
    value = _reader(endpoint, case.side)(case.value)
    assert encode.to_json(value) == case.value


def _first(side: str, key: str, operation: str) -> Any:
    return next(
        case.value
        for case in CASES
        if (case.key, case.operation, case.side) == (key, operation, side)
    )


WIRE = sorted({(case.key, case.operation) for case in CASES})


@pytest.mark.parametrize(("key", "operation"), WIRE, ids=[f"{k}-{o}" for k, o in WIRE])
def test_the_examples_round_trip_over_the_wire(built: Built, key: str, operation: str) -> None:
    endpoint = _endpoint(key, operation)
    package = importlib.import_module(_package(key))
    encode = importlib.import_module(f"{_package(key)}._encode")
    request, response = _first("request", key, operation), _first("response", key, operation)
    body = _reader(endpoint, "request")(request)
    with Loopback() as server:
        server.answer(200, response)
        client = package.Client(base_url=server.url, token="sk-test")
        answer = endpoint.sync_detailed(client, body=body)
    received = server.requests[0]
    assert (received.method, received.path) == (endpoint.METHOD, endpoint.PATH)
    assert received.json() == request
    assert encode.to_json(answer.parsed) == response
    if _secured(key):  # each of them sends the token in Authorization, as its scheme says
        assert received.headers["authorization"] == "Bearer sk-test"


def _secured(key: str) -> bool:
    return bool(_document(key).get("security"))
