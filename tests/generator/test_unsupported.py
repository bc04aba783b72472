"""What the generator cannot turn into code stops it, naming the schema and the reason."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import model_plan
from generator.__main__ import main
from generator.canonical import Canonicaliser
from generator.spec import Spec, UnsupportedSpec

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "http://127.0.0.1:1"}],
    "paths": {
        "/x": {
            "post": {
                "operationId": "doIt",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Body"}}
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Body"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {"Body": {"type": "object", "properties": {"p": {"type": "string"}}}}
    },
}


def _with(path: tuple[str | int, ...], value: Any, *more: Any) -> dict[str, Any]:
    """BASE with `value` set at `path` (and each further path, value pair of `more`)."""
    document = copy.deepcopy(BASE)
    edits = [(path, value), *zip(more[::2], more[1::2], strict=True)]
    for where, new in edits:
        node: Any = document
        for part in where[:-1]:
            node = node.setdefault(part, {})
        node[where[-1]] = new
    return document


P = ("components", "schemas", "Body", "properties", "p")
BODY = "#/components/schemas/Body"
OP = "#/paths/~1x/post"

OBJECT = {"type": "object", "properties": {"q": {"type": "string"}}}
SECURITY = ("security",)
SCHEMES = ("components", "securitySchemes")
A = ("components", "schemas", "A")
B = ("components", "schemas", "B")
REF_A = {"$ref": "#/components/schemas/A"}
REF_B = {"$ref": "#/components/schemas/B"}

CASES = [
    (_with(P, {"not": {"type": "string"}}), f"{BODY}/properties/p", "unsupported keyword(s) not"),
    (_with(P, {"enum": ["a", 1]}), f"{BODY}/properties/p/enum", "strings only, or integers only"),
    (_with(P, {"$ref": "#/components/schemas/Nope"}), f"{BODY}/properties/p", "does not exist"),
    (_with(P, {"$ref": "other.yaml#/Thing"}), f"{BODY}/properties/p", "only $refs to #/components/schemas/"),
    (_with(("components", "schemas", "Body", "additionalProperties"), {"type": "string"}), f"{BODY}/additionalProperties", "not extra keys of a given schema"),
    (_with(P, {"$ref": "#/components/schemas/Loop"}, ("components", "schemas", "Loop"), {"type": "array", "items": {"$ref": "#/components/schemas/Loop"}}), "#/components/schemas/Loop/items", "a recursive alias (Loop)"),
    (_with(P, OBJECT, ("components", "schemas", "BodyP"), {"type": "string", "enum": ["a"]}), f"{BODY}/properties/p", "would be named BodyP, which #/components/schemas/BodyP already is"),
    # type beside a union it contradicts; allOf members that cannot both hold
    (_with(P, {"type": "object", "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}), f"{BODY}/properties/p/type", "type 'object' contradicts oneOf/0 is string: no value can be both (--lenient drops"),
    (_with(P, {"allOf": [{"type": "string"}, {"type": "integer"}]}), f"{BODY}/properties/p/allOf/1/type", "allOf members of type 'string' and 'integer'"),
    (_with(P, {"allOf": [{"type": "string", "pattern": "a"}, {"pattern": "b"}]}), f"{BODY}/properties/p/allOf/1", "allOf members disagree on pattern: 'a' and 'b'"),
    (_with(P, {"const": {"a": 1}}), f"{BODY}/properties/p/const", "a const that is an object"),
    # unions of models: ambiguous without a tag; discriminators that name no branch
    (_with(P, {"oneOf": [REF_A, REF_B]}, A, OBJECT, B, {"type": "object", "properties": {"r": {"type": "string"}}}), f"{BODY}/properties/p", "oneOf of A and B is ambiguous: the same JSON object can be either"),
    (_with(P, {"oneOf": [REF_A, REF_B], "discriminator": {"propertyName": "k", "mapping": {"x": "#/components/schemas/Body"}}}, A, OBJECT, B, OBJECT), f"{BODY}/properties/p/discriminator/mapping/x", "is not one of the oneOf branches"),
    (_with(P, {"oneOf": [REF_A, {"type": "string"}], "discriminator": {"propertyName": "k"}}, A, OBJECT), f"{BODY}/properties/p/oneOf/1", "each branch of a union with a discriminator must be an object schema"),
    (_with(P, {"type": "object", "properties": {"k": {"type": "string"}}, "discriminator": {"propertyName": "k"}}), f"{BODY}/properties/p/discriminator", "needs a oneOf or anyOf beside it"),
    # operations
    (_with(("paths", "/x", "post", "parameters"), [{"name": "q", "in": "cookie", "schema": {"type": "string"}}]), f"{OP}/parameters/0", "cookie parameters are not supported"),
    (_with(("paths", "/x", "post", "parameters"), [{"name": "q", "in": "query", "schema": OBJECT}]), f"{OP}/parameters/0/schema", "a parameter must be a string, number, boolean or enum (or, in a query, a list of them)"),
    (_with(("paths", "/x", "post", "parameters"), [{"name": "q", "in": "query", "style": "deepObject", "schema": {"type": "string"}}]), f"{OP}/parameters/0/style", "style 'deepObject' is not supported"),
    (_with(("paths",), {"/x/{id}": BASE["paths"]["/x"]}), "#/paths/~1x~1{id}/post", "the path's {id} has no path parameter"),
    (_with(("paths", "/x", "post", "requestBody"), {"content": {"text/plain": {"schema": {"type": "string"}}}}), f"{OP}/requestBody", "only JSON bodies are supported, this one is text/plain"),
    (_with(("paths", "/x", "post", "requestBody"), {"content": {"multipart/form-data": {"schema": OBJECT}}}), f"{OP}/requestBody", "only JSON bodies are supported, this one is multipart/form-data"),
    (_with(("paths", "/x", "post", "responses", "200"), {"description": "events", "content": {"text/event-stream": {"schema": {"type": "string"}}}}), f"{OP}/responses/200", "only JSON bodies are supported, this one is text/event-stream"),
    (_with(("paths", "/x", "post", "responses", "201"), {"description": "also", "content": {"application/json": {"schema": {"type": "string"}}}}), f"{OP}/responses", "one 2xx response with a body is supported, not 2"),
    # security
    (_with(SECURITY, [{"k": []}], SCHEMES, {"k": {"type": "apiKey", "in": "query", "name": "key"}}), "#/components/securitySchemes/k", "bearer tokens and API keys sent in a header"),
    (_with(SECURITY, [{"k": []}], SCHEMES, {"k": {"type": "apiKey", "in": "header", "name": "Authorization: Bearer"}}), "#/components/securitySchemes/k/name", "'Authorization: Bearer' is not a valid HTTP header name: every request would fail (--lenient reads it as a header and a prefix)"),
]  # fmt: skip


def _compile(document: dict[str, Any], *, lenient: bool = False) -> Spec:
    """The document read and every model and operation planned, as generation does."""
    spec = Canonicaliser(document, lenient=lenient).spec(Path("spec.yaml"))
    model_plan.plan(spec, model_plan.Names())
    return spec


@pytest.mark.parametrize(("document", "where", "what"), CASES)
def test_an_unsupported_construct_names_its_json_pointer(
    document: dict[str, Any], where: str, what: str
) -> None:
    with pytest.raises(UnsupportedSpec) as caught:
        _compile(document)
    assert caught.value.pointer == where
    assert what in caught.value.what
    assert str(caught.value).startswith(f"{where}: ")


def test_the_command_reports_it_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(_with(P, {"not": {"type": "string"}})))
    out = tmp_path / "out"
    assert main(["--spec", str(spec), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error == f"{spec}: #/components/schemas/Body/properties/p: unsupported keyword(s) not\n"
    assert not out.exists()


def test_the_command_writes_into_its_folder_only_and_never_over_foreign_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(BASE))
    out = tmp_path / "out"
    assert main(["--spec", str(spec), "--out", str(out), "--distribution", "do-it"]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "spec.yaml"]
    assert (out / "do_it" / "models.py").is_file()
    assert 'name = "do-it"' in (out / "pyproject.toml").read_text()
    # A second run changes nothing; --check agrees.
    assert main(["--spec", str(spec), "--out", str(out), "--distribution", "do-it"]) == 0
    assert "no change" in capsys.readouterr().out
    assert main(["--spec", str(spec), "--out", str(out), "--distribution", "do-it", "--check"]) == 0

    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    assert main(["--spec", str(spec), "--out", str(foreign)]) == 2
    assert "holds no generated package" in capsys.readouterr().err
    assert [path.name for path in foreign.iterdir()] == ["notes.txt"]


def test_an_invalid_document_is_one_line_with_its_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(_with(P, {"type": "integer", "default": None})))
    assert main(["--spec", str(spec), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error == (
        f"{spec}: #/components/schemas/Body/properties/p/default: invalid OpenAPI: None is not"
        " of type 'integer'; --lenient drops a default that does not fit its schema\n"
    )


def test_lenient_repairs_what_it_can_with_a_warning_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _with(
        P, {"type": "integer", "default": None},
        ("components", "schemas", "Body", "properties", "flag"), {"type": "boolean", "default": "true"},
        ("components", "schemas", "Body", "properties", "input"), {"type": "object", "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        SECURITY, [{"k": []}],
        SCHEMES, {"k": {"type": "apiKey", "in": "header", "name": "Authorization: Bearer"}},
    )  # fmt: skip
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(document))
    out = tmp_path / "out"
    assert main(["--spec", str(spec), "--out", str(out)]) == 2
    assert main(["--spec", str(spec), "--out", str(out), "--lenient"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    # One warning a repair, naming its place (the validator's order, not the document's).
    assert sorted(line.split(": warning: ")[1].split(": repaired: ")[0] for line in warnings) == [
        "#/components/schemas/Body/properties/flag/default",
        "#/components/schemas/Body/properties/input/type",
        "#/components/schemas/Body/properties/p/default",
        "#/components/securitySchemes/k/name",
    ]
    client = (out / "orq_router_api" / "client.py").read_text()
    assert 'merged["Authorization"] = f"Bearer {token}"' in client
    models = (out / "orq_router_api" / "models.py").read_text()
    assert "input: str | list[str] | Unset = attrs.field(" in models


BROKEN = {"x": {"not": {"type": "string"}}}


def test_operation_picks_what_to_generate_and_skips_what_cannot_be(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = copy.deepcopy(BASE)
    document["paths"]["/y"] = {
        "post": {
            "operationId": "upload",
            "requestBody": {"content": {"multipart/form-data": {"schema": OBJECT}}},
            "responses": {"204": {"description": "stored"}},
        }
    }
    document["components"]["schemas"]["Broken"] = {"type": "object", "properties": BROKEN}
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(document))
    out = tmp_path / "out"
    assert main(["--spec", str(spec), "--out", str(out)]) == 2
    assert "(--operation ID generates the others)" not in capsys.readouterr().err  # a schema
    del document["components"]["schemas"]["Broken"]
    spec.write_text(yaml.safe_dump(document))
    assert main(["--spec", str(spec), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"{spec}: #/paths/~1y/post/requestBody: only JSON bodies are supported, this one is"
        " multipart/form-data (--operation ID generates the others)\n"
    )
    document["components"]["schemas"]["Broken"] = {"type": "object", "properties": BROKEN}
    spec.write_text(yaml.safe_dump(document))
    assert main(["--spec", str(spec), "--out", str(out), "--operation", "doIt"]) == 0
    assert (out / "orq_router_api" / "api" / "default" / "do_it.py").is_file()
    assert not (out / "orq_router_api" / "api" / "default" / "upload.py").exists()
    capsys.readouterr()
    assert main(["--spec", str(spec), "--out", str(out), "--list-operations"]) == 1
    assert capsys.readouterr().out == (
        "doIt: ok\nupload: #/paths/~1y/post/requestBody: only JSON bodies are supported,"
        " this one is multipart/form-data\n"
    )
    assert main(["--spec", str(spec), "--out", str(out), "--operation", "nope"]) == 2
    assert "#/paths: no operation 'nope' in the document (it has 2: doIt, upload)" in (
        capsys.readouterr().err
    )
