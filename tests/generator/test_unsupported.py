"""What the generator cannot turn into code stops it, naming the schema and the reason."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.__main__ import main
from generator.model_plan import plan_models
from generator.spec import Canonicaliser, UnsupportedSpec

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

CASES = [
    (_with(P, {"allOf": [{"type": "string"}, {"minLength": 1}]}), f"{BODY}/properties/p", "allOf is supported with one member only"),
    (_with(P, {"const": "x"}), f"{BODY}/properties/p", "unsupported keyword(s) const"),
    (_with(P, {"not": {"type": "string"}}), f"{BODY}/properties/p", "unsupported keyword(s) not"),
    (_with(P, {"oneOf": [{"$ref": "#/components/schemas/Body"}], "discriminator": {"propertyName": "k"}}), f"{BODY}/properties/p", "unsupported keyword(s) discriminator"),
    (_with(P, {"type": "string", "format": "date-time"}), f"{BODY}/properties/p", "unsupported format 'date-time'"),
    (_with(P, {"type": "integer", "multipleOf": 5}), f"{BODY}/properties/p", "multipleOf is not supported"),
    (_with(P, {"type": "array", "items": {"type": "string"}, "uniqueItems": True}), f"{BODY}/properties/p", "uniqueItems is not supported"),
    (_with(P, {"enum": ["a", 1]}), f"{BODY}/properties/p/enum", "strings only, or integers only"),
    (_with(P, {"$ref": "#/components/schemas/Nope"}), f"{BODY}/properties/p", "does not exist"),
    (_with(P, {"$ref": "other.yaml#/Thing"}), f"{BODY}/properties/p", "only $refs to #/components/schemas/"),
    (_with(("components", "schemas", "Body", "additionalProperties"), {"type": "string"}), f"{BODY}/additionalProperties", "not extra keys of a given schema"),
    (_with(P, {"$ref": "#/components/schemas/Loop"}, ("components", "schemas", "Loop"), {"type": "array", "items": {"$ref": "#/components/schemas/Loop"}}), "#/components/schemas/Loop/items", "a recursive alias (Loop)"),
    (_with(P, {"type": "object", "properties": {"q": {"type": "string"}}}, ("components", "schemas", "BodyP"), {"type": "string", "enum": ["a"]}), f"{BODY}/properties/p", "would be named BodyP, which #/components/schemas/BodyP already is"),
    (_with(("paths", "/x", "post", "parameters"), [{"name": "q", "in": "query", "schema": {"type": "string"}}]), OP, "parameters (path, query, header) are not supported"),
    (_with(("paths", "/x", "post", "operationId"), ""), OP, "needs an operationId"),
    (_with(("paths", "/x", "post", "requestBody"), {"content": {"text/plain": {"schema": {"type": "string"}}}}), f"{OP}/requestBody", "must be application/json"),
    (_with(("paths", "/x", "post", "requestBody"), {"content": {"application/json": {"schema": {"type": "string"}}}}), f"{OP}/requestBody/content/application~1json", "must be an object with properties"),
    (_with(("paths", "/x", "post", "responses", "201"), {"description": "also"}), f"{OP}/responses", "exactly one 2xx response"),
    (_with(("security",), [{"k": []}], ("components", "securitySchemes"), {"k": {"type": "apiKey", "in": "query", "name": "key"}}), "#/components/securitySchemes/k", "bearer tokens and API keys sent in a header"),
]  # fmt: skip


@pytest.mark.parametrize(("document", "where", "what"), CASES)
def test_an_unsupported_construct_names_its_json_pointer(
    document: dict[str, Any], where: str, what: str
) -> None:
    with pytest.raises(UnsupportedSpec) as caught:
        plan_models(Canonicaliser(document).spec(Path("spec.yaml")))
    assert caught.value.pointer == where
    assert what in caught.value.what
    assert str(caught.value).startswith(f"{where}: ")


def test_the_command_reports_it_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(_with(P, {"type": "string", "format": "date-time"})))
    out = tmp_path / "out"
    assert main(["--spec", str(spec), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "#/components/schemas/Body/properties/p: unsupported format 'date-time'" in error
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
