"""The examples of a public document: read where its authors wrote them, or composed.

`read(document, pointer, form)` reads one the document holds (see `sources.yaml` for the
forms). `compose(document, pointer)` makes one for a schema that has none: each
property's own `example` (or first of `examples`) when it is a valid value of the
property, else a plain value of its type; required properties always, optional ones
when they have a valid example. Every value either gives is checked against the
document's schema (`valid`), as its OpenAPI version reads schemas.
"""

from __future__ import annotations

import json
import re
import shlex
from functools import cache
from typing import Any

from openapi_schema_validator import OAS30Validator, OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.spec import SCHEMA_REF, JsonObject, child, parts, pointer

_FILLERS = {"string": "text", "integer": 1, "number": 0.5, "boolean": True}
_FORMATS = {"uri": "https://example.com/a", "date-time": "2026-01-01T00:00:00Z", "uuid": "00000000-0000-4000-8000-000000000000"}  # fmt: skip


def at(document: JsonObject, where: str) -> Any:
    node: Any = document
    for part in parts(where):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def read(document: JsonObject, where: str, form: str) -> Any:
    """An example the document holds at `where`, written in `form`."""
    value = at(document, where)
    if form == "value":
        return value
    if form == "json":
        return json.loads(value)
    if form == "elided":
        # `.... (1536 floats total)` stands for numbers left out: the lines without it,
        # and the comma before a closing bracket that this leaves, removed; an item
        # `"..."` in a list likewise.
        kept = "\n".join(line for line in value.splitlines() if "...." not in line)
        return _without_ellipses(json.loads(re.sub(r",(\s*[\]}])", r"\1", kept)))
    if form == "curl":
        words = shlex.split(value)
        return json.loads(words[words.index("-d") + 1])
    raise ValueError(f"unknown example form {form!r}")


def _without_ellipses(value: Any) -> Any:
    if isinstance(value, list):
        return [_without_ellipses(item) for item in value if item not in ("...", "....")]
    if isinstance(value, dict):
        return {key: _without_ellipses(item) for key, item in value.items()}
    return value


class Schemas:
    """The schemas of one document, addressed by JSON pointer."""

    def __init__(self, document: JsonObject) -> None:
        self.document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource("urn:spec", resource)
        version = str(document.get("openapi", ""))
        self.validator = OAS30Validator if version.startswith("3.0") else OAS31Validator

    def valid(self, value: Any, where: str) -> bool:
        return bool(self._validator(where).is_valid(value))

    def errors(self, value: Any, where: str) -> list[str]:
        return [error.message for error in self._validator(where).iter_errors(value)]

    @cache  # noqa: B019 - one Schemas per document, for the test session
    def _validator(self, where: str) -> Any:
        return self.validator({"$ref": "urn:spec" + where}, registry=self.registry)

    def compose(self, where: str, depth: int = 0) -> Any:
        """A valid value of the schema at `where` (see the module's docstring)."""
        schema = at(self.document, where)
        if not isinstance(schema, dict) or depth > 12:
            return None
        for own in self._own_examples(schema):
            if self.valid(own, where):
                return own
        if "$ref" in schema:
            return self.compose(_target(schema["$ref"]), depth + 1)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return next(value for value in schema["enum"] if value is not None)
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for index in range(len(schema["allOf"])):
                part = self.compose(child(where, "allOf", index), depth + 1)
                if isinstance(part, dict):
                    merged.update(part)
            merged.update(self._object(schema, where, depth))
            return merged if merged or "properties" in schema else self._scalar(schema, where)
        for union in ("oneOf", "anyOf"):
            if union in schema:
                values = [
                    self.compose(child(where, union, index), depth + 1)
                    for index, branch in enumerate(schema[union])
                    if not (isinstance(branch, dict) and branch.get("type") == "null")
                ]
                # The first value the union takes; else (a document contradicting
                # itself) the first branch's own.
                return next((value for value in values if self.valid(value, where)), values[0])
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((item for item in kind if item != "null"), None)
        if kind == "object" or "properties" in schema:
            return self._object(schema, where, depth)
        if kind == "array":
            item = self.compose(child(where, "items"), depth + 1) if "items" in schema else 1
            return [item] * max(1, schema.get("minItems", 1))
        return self._scalar(schema, where)

    @staticmethod
    def _own_examples(schema: JsonObject) -> list[Any]:
        found = []
        if "example" in schema:
            found.append(schema["example"])
        if isinstance(schema.get("examples"), list):
            found.extend(schema["examples"])
        return found

    def _object(self, schema: JsonObject, where: str, depth: int) -> dict[str, Any]:
        required = set(schema.get("required", ()))
        value: dict[str, Any] = {}
        for name, prop in (schema.get("properties") or {}).items():
            prop_where = child(where, "properties", name)
            own = [
                example
                for example in self._own_examples(prop if isinstance(prop, dict) else {})
                if self.valid(example, prop_where)
            ]
            if name in required or own or self._constant(prop_where) is not None:
                value[name] = own[0] if own else self.compose(prop_where, depth + 1)
        return value

    def _constant(self, where: str) -> Any:
        """The one value a schema allows (`const`, a one-value `enum`), if it says: a
        property that tags its object is always given, as a client would send it."""
        schema = at(self.document, where)
        if not isinstance(schema, dict):
            return None
        if "$ref" in schema:
            return self._constant(_target(schema["$ref"]))
        if "const" in schema:
            return schema["const"]
        values = [value for value in schema.get("enum", ()) if value is not None]
        return values[0] if len(values) == 1 else None

    def complete(self, value: Any, where: str, depth: int = 0) -> tuple[Any, list[str]]:
        """The example with the required properties it lacks (by its schema) filled in,
        and where each was missing (`data[0].index`)."""
        if not isinstance(value, (dict, list)) or depth > 12:
            return value, []
        schema = at(self.document, where)
        if not isinstance(schema, dict):
            return value, []
        if "$ref" in schema:
            return self.complete(value, _target(schema["$ref"]), depth + 1)
        if isinstance(value, list):
            if "items" not in schema:
                return value, []
            items = [self.complete(item, child(where, "items"), depth + 1) for item in value]
            missing = [f"[{i}].{name}" for i, (_, names) in enumerate(items) for name in names]
            return [item for item, _ in items], missing
        properties, required = self._members(where)
        filled = dict(value)
        missing = []
        for name in required:
            if name not in filled and name in properties:
                filled[name] = self.compose(properties[name], depth + 1)
                missing.append(name)
        for name, prop_where in properties.items():
            if name in filled:
                filled[name], inner = self.complete(filled[name], prop_where, depth + 1)
                missing += [
                    f"{name}.{path}" if not path.startswith("[") else f"{name}{path}"
                    for path in inner
                ]
        return filled, missing

    def _members(self, where: str) -> tuple[dict[str, str], list[str]]:
        """The properties (by pointer) and required names of an object schema, through
        its `allOf` members and `$ref`s."""
        schema = at(self.document, where)
        if "$ref" in schema:
            return self._members(_target(schema["$ref"]))
        properties = {
            name: child(where, "properties", name) for name in schema.get("properties") or {}
        }
        required = list(schema.get("required") or [])
        for index in range(len(schema.get("allOf") or [])):
            more, also = self._members(child(where, "allOf", index))
            properties = {**more, **properties}
            required += [name for name in also if name not in required]
        return properties, required

    def _scalar(self, schema: JsonObject, where: str) -> Any:
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((item for item in kind if item != "null"), "string")
        if kind == "string" and schema.get("format") in _FORMATS:
            return _FORMATS[schema["format"]]
        value = _FILLERS.get(str(kind), "text")
        if kind in ("integer", "number") and "minimum" in schema:
            value = max(value, schema["minimum"])
        if kind == "string" and len(str(value)) < schema.get("minLength", 0):
            value = "t" * schema["minLength"]
        return value


def _target(ref: str) -> str:
    if not ref.startswith("#/"):
        raise ValueError(f"not a local $ref: {ref}")
    return ref


def body_pointer(operation: str, side: str) -> str:
    """The pointer of a body's schema in an operation (`side`: `request` or `response`)."""
    if side == "request":
        return child(operation, "requestBody", "content", "application/json", "schema")
    return child(operation, "responses", "200", "content", "application/json", "schema")


__all__ = ["SCHEMA_REF", "Schemas", "at", "body_pointer", "pointer", "read"]
