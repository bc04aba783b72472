"""Load the OpenAPI document and answer the questions the other steps ask of it."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import yaml

JsonObject = dict[str, Any]

#: Keywords that only constrain values. `datamodel-code-generator` turns a constrained
#: `oneOf` branch or array item into an anonymous alias (`Input11: TypeAlias = str`) when
#: it writes dataclasses, and enforces none of them; the validators compiled by
#: `model_plan` enforce them all. So the engine is given the document without them.
VALUE_KEYWORDS = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)


@attrs.frozen
class Operation:
    """One `paths` entry's method: what the endpoint template needs to know."""

    operation_id: str
    method: str
    path: str
    tag: str
    summary: str
    description: str
    request_schema: str
    success_status: int
    response_schema: str
    error_schemas: tuple[str, ...]


@attrs.frozen
class Spec:
    """The parsed document, with helpers to follow its references."""

    document: JsonObject
    path: Path

    @property
    def version(self) -> str:
        return str(self.document["info"]["version"])

    @property
    def server_url(self) -> str:
        return str(self.document["servers"][0]["url"])

    @property
    def schemas(self) -> Mapping[str, JsonObject]:
        return self.document["components"]["schemas"]  # type: ignore[no-any-return]

    def resolve(self, schema: JsonObject) -> tuple[str | None, JsonObject]:
        """Follow a `$ref` to a component schema: its name and body (name None inline)."""
        ref = schema.get("$ref")
        if ref is None:
            return None, schema
        prefix = "#/components/schemas/"
        if not ref.startswith(prefix):
            raise NotImplementedError(f"only component schema references are supported: {ref}")
        name = ref[len(prefix) :]
        return name, self.schemas[name]

    def operations(self) -> Iterator[Operation]:
        for path, item in self.document["paths"].items():
            for method, op in item.items():
                yield self._operation(path, method, op)

    def _operation(self, path: str, method: str, op: JsonObject) -> Operation:
        if op.get("parameters") or self.document["paths"][path].get("parameters"):
            raise NotImplementedError(f"{op['operationId']}: parameters are not supported yet")
        body = op["requestBody"]["content"]["application/json"]["schema"]
        request_schema, _ = self.resolve(body)
        success = [code for code in op["responses"] if code.startswith("2")]
        if len(success) != 1:
            raise NotImplementedError(f"{op['operationId']}: exactly one 2xx response expected")
        response_schema = self._json_schema_name(op["responses"][success[0]])
        errors = {
            self._json_schema_name(response)
            for code, response in op["responses"].items()
            if not code.startswith("2")
        }
        if request_schema is None or response_schema is None or None in errors:
            raise NotImplementedError(f"{op['operationId']}: bodies must be component $refs")
        return Operation(
            operation_id=op["operationId"],
            method=method.upper(),
            path=path,
            tag=op["tags"][0],
            summary=op.get("summary", ""),
            description=op.get("description", ""),
            request_schema=request_schema,
            success_status=int(success[0]),
            response_schema=response_schema,
            error_schemas=tuple(sorted(name for name in errors if name is not None)),
        )

    def _json_schema_name(self, response: JsonObject) -> str | None:
        name, _ = self.resolve(response["content"]["application/json"]["schema"])
        return name

    def typing_view(self) -> JsonObject:
        """The document without value-only keywords, as the model engine should see it."""
        return _strip_value_keywords(copy.deepcopy(self.document))  # type: ignore[no-any-return]


#: Keywords whose values are data, not schemas: left as they are.
_DATA_KEYWORDS = frozenset({"default", "enum", "const", "example", "examples"})


def _strip_value_keywords(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: value if key in _DATA_KEYWORDS else _strip_value_keywords(value)
            for key, value in node.items()
            if not (key in VALUE_KEYWORDS and not isinstance(value, (dict, list)))
        }
    if isinstance(node, list):
        return [_strip_value_keywords(item) for item in node]
    return node


def load(path: Path) -> Spec:
    """Read and validate the document; an invalid one stops generation here."""
    from openapi_spec_validator import validate

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    validate(document)
    return Spec(document=document, path=path)
