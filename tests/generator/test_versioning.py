"""The version rules: each kind of spec change gets its class, and the version follows."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.canonical import Canonicaliser
from generator.versioning import (
    Change,
    Entry,
    Record,
    bump,
    diff,
    next_entry,
    read_record,
    render_changelog,
    write_record,
)

Spec = dict[str, Any]

BASE: Spec = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1.0.0"},
    "servers": [{"url": "http://127.0.0.1:1"}],
    "paths": {
        "/x": {
            "post": {
                "operationId": "make",
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {"X-Id": {"schema": {"type": "string"}}},
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Out"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "In": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "description": "The name."},
                    "size": {"type": "integer", "minimum": 1, "maximum": 10},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "part": {"$ref": "#/components/schemas/Part"},
                },
            },
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Part": {"type": "object", "properties": {"label": {"type": "string"}}},
            "Other": {"type": "object", "properties": {"label": {"type": "string"}}},
            "Out": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "score": {"type": "number"}},
            },
        }
    },
}


def _changes(edit: Callable[[Spec], None]) -> list[tuple[str, str]]:
    new = copy.deepcopy(BASE)
    edit(new)
    old_spec = Canonicaliser(copy.deepcopy(BASE)).spec(Path("a.yaml"))
    new_spec = Canonicaliser(new).spec(Path("b.yaml"))
    return [(change.level, change.text) for change in diff(old_spec, new_spec)]


def _in(spec: Spec) -> Spec:
    return spec["components"]["schemas"]["In"]["properties"]  # type: ignore[no-any-return]


def _out(spec: Spec) -> Spec:
    return spec["components"]["schemas"]["Out"]  # type: ignore[no-any-return]


def _set(path: str, value: Any) -> Callable[[Spec], None]:
    def edit(spec: Spec) -> None:
        node = spec
        *parents, last = path.split(".")
        for part in parents:
            node = node[part]
        node[last] = value

    return edit


def _delete(path: str) -> Callable[[Spec], None]:
    def edit(spec: Spec) -> None:
        node = spec
        *parents, last = path.split(".")
        for part in parents:
            node = node[part]
        del node[last]

    return edit


def _add_required_field(spec: Spec) -> None:
    _in(spec)["extra"] = {"type": "string"}
    spec["components"]["schemas"]["In"]["required"].append("extra")


S = "components.schemas"
RULES = [
    # Major: what can break a caller.
    (_delete(f"{S}.In.properties.size"), ("major", "`In.size`: field removed")),
    (_delete(f"{S}.Out.properties.score"), ("major", "`Out.score`: field removed")),
    (_set(f"{S}.In.required", ["name", "size"]), ("major", "`In.size`: optional field made required")),
    (_add_required_field, ("major", "`In.extra`: new required field")),
    (_set(f"{S}.Kind.enum", ["a"]), ("major", "`Kind`: value 'b' removed")),
    (_set(f"{S}.In.properties.size", {"type": "integer", "minimum": 2, "maximum": 10}), ("major", "`In.size`: constraint tightened (minimum)")),
    (_set(f"{S}.In.properties.name", {"type": "string", "description": "The name.", "maxLength": 5}), ("major", "`In.name`: constraint tightened (maxLength)")),
    (_set(f"{S}.In.properties.name", {"type": "integer", "description": "The name."}), ("major", "`In.name`: type changed")),
    (_set(f"{S}.Out.properties.score", {"type": ["number", "null"]}), ("major", "`Out.score`: now nullable")),
    (_set(f"{S}.Out.properties.score", {"type": ["number", "string"]}), ("major", "`Out.score`: type widened")),
    (_set(f"{S}.Out.required", []), ("major", "`Out.id`: required field made optional")),
    (_set(f"{S}.Part.additionalProperties", False), ("major", "`Part`: now refuses unknown keys")),
    (_delete("paths./x.post.responses.200.headers"), ("major", "operation `make`: response header x-id (200) removed")),
    # The nodes of issue 16, each by its own rule (`contains`, `constraints`).
    (_set(f"{S}.In.properties.name", {"const": "x", "description": "The name."}), ("major", "`In.name`: type narrowed")),
    (_set(f"{S}.In.properties.name", {"type": "string", "format": "binary", "description": "The name."}), ("major", "`In.name`: type changed")),
    (_set(f"{S}.In.properties.size", {"type": "integer", "minimum": 1, "maximum": 10, "multipleOf": 2}), ("major", "`In.size`: constraint tightened (multipleOf)")),
    (_set(f"{S}.In.properties.size", {"type": "array", "items": {"type": "integer"}, "uniqueItems": True}), ("major", "`In.size`: type changed")),
    # Minor: additions.
    (_set(f"{S}.Out.properties.score", {"const": 1}), ("minor", "`Out.score`: type narrowed")),
    (_set(f"{S}.In.properties.part", {"oneOf": [{"$ref": "#/components/schemas/Part"}, {"$ref": "#/components/schemas/Other"}], "discriminator": {"propertyName": "label"}}, ), ("minor", "`In.part`: type widened")),
    (_set(f"{S}.In.properties.note", {"type": "string"}), ("minor", "`In.note`: new optional field")),
    (_set(f"{S}.Out.properties.extra", {"type": "string"}), ("minor", "`Out.extra`: new optional field")),
    (_set(f"{S}.Kind.enum", ["a", "b", "c"]), ("minor", "`Kind`: new value 'c'")),
    (_set(f"{S}.In.properties.size", {"type": "number", "minimum": 1, "maximum": 10}), ("minor", "`In.size`: type widened")),
    (_set(f"{S}.In.properties.size", {"type": "integer", "minimum": 1}), ("minor", "`In.size`: constraint loosened (maximum)")),
    (_set(f"{S}.In.properties.name", {"type": ["string", "null"], "description": "The name."}), ("minor", "`In.name`: now nullable")),
    (_set(f"{S}.New", {"type": "object", "properties": {"a": {"type": "string"}}}), ("minor", "`New`: new schema")),
    (_set("paths./x.post.responses.200.headers", {"X-Id": {"schema": {"type": "string"}}, "X-Cache": {"schema": {"type": "string"}}}), ("minor", "operation `make`: new response header x-cache (200)")),
    (_set("servers", [{"url": "https://api.example.com"}]), ("minor", "default server http://127.0.0.1:1 -> https://api.example.com")),
    # Patch: documentation.
    (_set(f"{S}.In.properties.name", {"type": "string", "description": "Its name."}), ("patch", "`In.name`: description changed")),
    (_set(f"{S}.In.properties.size", {"type": "integer", "minimum": 1, "maximum": 10, "examples": [3]}), ("patch", "`In.size`: examples changed")),
    (_set(f"{S}.In.properties.size", {"type": "integer", "minimum": 1, "maximum": 10, "default": 5}), ("patch", "`In.size`: documented default changed")),
    (_set("info.version", "1.1.0"), ("patch", "spec version 1.0.0 -> 1.1.0")),
    (_set("paths./x.post.summary", "Make one"), ("patch", "operation `make`: summary or description changed")),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "expected"), RULES)
def test_each_kind_of_change_gets_its_class(
    edit: Callable[[Spec], None], expected: tuple[str, str]
) -> None:
    assert expected in _changes(edit)


def test_a_renamed_schema_is_one_major_change_not_a_cascade() -> None:
    def rename(spec: Spec) -> None:
        schemas = spec["components"]["schemas"]
        schemas["Sort"] = schemas.pop("Kind")
        _in(spec)["kind"]["$ref"] = "#/components/schemas/Sort"

    assert _changes(rename) == [("major", "`Kind`: schema renamed to `Sort`")]


def test_a_schema_used_by_both_sides_takes_the_stricter_class() -> None:
    def share(spec: Spec) -> None:
        _out(spec)["properties"]["part"] = {"$ref": "#/components/schemas/Part"}

    def and_make_required(spec: Spec) -> None:
        share(spec)
        spec["components"]["schemas"]["Part"]["required"] = ["label"]

    # Required in a request: major; in a response alone it would be minor.
    assert ("major", "`Part.label`: optional field made required") in _changes(and_make_required)


def test_an_unchanged_spec_has_no_change() -> None:
    assert _changes(lambda spec: None) == []


def test_bump() -> None:
    assert bump("2.3.4", "major") == "3.0.0"
    assert bump("2.3.4", "minor") == "2.4.0"
    assert bump("2.3.4", "patch") == "2.3.5"


def _record(output_sha256: str = "out") -> Record:
    return Record(
        version="1.2.3",
        output_sha256=output_sha256,
        spec=copy.deepcopy(BASE),
        history=(Entry("1.2.3", (Change("minor", "something"),)),),
    )


def _spec(edit: Callable[[Spec], None] = lambda spec: None) -> Any:
    document = copy.deepcopy(BASE)
    edit(document)
    return Canonicaliser(document).spec(Path("x.yaml"))


def test_the_version_depends_on_the_spec_and_the_record_only() -> None:
    record = _record()
    same = next_entry(record, _spec(), "out", lambda document: "out")
    assert same.version == "1.2.3"
    added = _set(f"{S}.In.properties.note", {"type": "string"})
    twice = [next_entry(record, _spec(added), "new", lambda document: "out") for _ in range(3)]
    assert {entry.version for entry in twice} == {"1.3.0"}
    assert twice[0].changes == (Change("minor", "`In.note`: new optional field"),)


def test_a_generator_only_change_is_a_patch() -> None:
    entry = next_entry(_record(), _spec(), "other code", lambda document: "other code")
    assert entry.version == "1.2.4"
    assert entry.changes == (Change("patch", "the generated code changed (a generator update)"),)


def test_a_first_generation_is_1_0_0() -> None:
    entry = next_entry(None, _spec(), "out", lambda document: "out")
    assert entry.version == "1.0.0"


def test_the_record_round_trips_and_the_changelog_marks_what_is_not_released() -> None:
    record = _record()
    assert read_record(write_record(record, "header")) == record
    pending = Entry("2.0.0", (Change("major", "`In.size`: field removed"),))
    text = render_changelog(distribution="d", header_text="h", current=pending, record=record)
    assert "## 2.0.0 (not released yet)\n\n- **major**: `In.size`: field removed\n" in text
    assert "## 1.2.3\n\n- **minor**: something\n" in text
    assert text.index("2.0.0") < text.index("1.2.3")
    released = render_changelog(
        distribution="d", header_text="h", current=record.history[0], record=record
    )
    assert "not released" not in released
