"""Compile each component schema into the code its generated model runs.

`datamodel-code-generator` writes the class, its field names, type hints and order.
What it leaves out of non-pydantic output is compiled here from the original document,
as small Python expressions the attrs template pastes in:

- a *check* per field (`_v.integer(minimum=1)`), run by attrs on every construction;
- a *decoder* per field (`Fallback.from_dict`), run by `from_dict` on the JSON value;
- an *encoder* per field (`self.cache.to_dict()`), run by `to_dict`.

A schema shape this compiler does not know raises `NotImplementedError`: generation
stops instead of writing a model that would accept or send the wrong thing.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import attrs

from generator.spec import JsonObject, Spec

#: `format` values with a check in the generated `validation` module.
SUPPORTED_FORMATS = frozenset({"email", "uri"})


@attrs.frozen
class FieldPlan:
    """What the template needs for one property of one model."""

    wire_name: str
    required: bool
    check: str
    decoder: str | None
    encoder: str
    docstring: str


@attrs.frozen
class ModelPlan:
    """What the template needs for one model class."""

    name: str
    docstring: str
    keeps_unknown_keys: bool
    fields: dict[str, FieldPlan]

    def template_data(self) -> dict[str, Any]:
        """The plan as `datamodel-code-generator`'s extra template data for this class."""
        return {"plan": attrs.asdict(self)}


def plan_models(spec: Spec) -> dict[str, ModelPlan]:
    """A plan for every object schema in `components/schemas`, by class name."""
    return {
        name: _plan_model(spec, name, schema)
        for name, schema in spec.schemas.items()
        if schema.get("type") == "object"
    }


def template_data(spec: Spec) -> dict[str, dict[str, Any]]:
    """The engine's extra template data: a `plan` per model, a `doc` per enum."""
    data: dict[str, dict[str, Any]] = {
        name: plan.template_data() for name, plan in plan_models(spec).items()
    }
    for name, schema in spec.schemas.items():
        if name not in data:
            if "enum" not in schema:
                raise NotImplementedError(f"{name}: a component must be an object or an enum")
            data[name] = {"doc": docstring(schema.get("description", name), indent=4)}
    return data


def _plan_model(spec: Spec, name: str, schema: JsonObject) -> ModelPlan:
    if "properties" not in schema:
        raise NotImplementedError(f"{name}: an object schema needs properties")
    extra = schema.get("additionalProperties", True)
    if extra not in (True, False):
        raise NotImplementedError(f"{name}: additionalProperties must be true or false")
    required = set(schema.get("required", ()))
    compiler = _Compiler(spec, name)
    fields = {
        wire_name: FieldPlan(
            wire_name=wire_name,
            required=wire_name in required,
            check=compiler.check(prop),
            decoder=compiler.decoder(prop),
            encoder=compiler.encoder(prop, "$value"),
            docstring=_field_docstring(spec, prop),
        )
        for wire_name, prop in schema["properties"].items()
    }
    return ModelPlan(
        name=name,
        docstring=docstring(schema.get("description", name), indent=4),
        keeps_unknown_keys=bool(extra),
        fields=fields,
    )


@attrs.frozen
class _Compiler:
    spec: Spec
    model: str

    def _fail(self, what: str, schema: JsonObject) -> NotImplementedError:
        return NotImplementedError(f"{self.model}: {what}: {json.dumps(schema)[:200]}")

    def _component(self, schema: JsonObject) -> tuple[str, bool] | None:
        """`(class name, is enum)` when the schema is a `$ref` to a component."""
        name, target = self.spec.resolve(schema)
        if name is None:
            return None
        if "enum" in target:
            return name, True
        if target.get("type") == "object":
            return name, False
        raise self._fail("a referenced schema must be an object or an enum", target)

    def check(self, schema: JsonObject) -> str:
        component = self._component(schema)
        if component is not None:
            name, is_enum = component
            return f"_v.member({name})" if is_enum else f"_v.instance({name})"
        if "oneOf" in schema:
            return f"_v.one_of({', '.join(self.check(branch) for branch in schema['oneOf'])})"
        if "enum" in schema:
            raise self._fail("an enum must be a component schema", schema)
        kind = schema.get("type")
        if kind == "string":
            if schema.get("format") not in (None, *SUPPORTED_FORMATS):
                raise self._fail(f"unsupported format {schema['format']!r}", schema)
            return _call(
                "_v.string",
                schema,
                min_length="minLength",
                max_length="maxLength",
                pattern="pattern",
                format="format",
            )
        if kind in ("integer", "number"):
            return _call(
                f"_v.{kind}",
                schema,
                minimum="minimum",
                maximum="maximum",
                exclusive_minimum="exclusiveMinimum",
                exclusive_maximum="exclusiveMaximum",
            )
        if kind == "boolean":
            return "_v.boolean()"
        if kind == "array":
            items = schema.get("items")
            if items is None:
                raise self._fail("an array needs items", schema)
            if items == {"type": "number"}:
                # A vector: checked as a list, its floats not walked one by one, so that
                # reading a 2048 x 1536 answer costs no Python call per number.
                return _call("_v.vector", schema, min_items="minItems", max_items="maxItems")
            return _call(
                "_v.array", schema, self.check(items), min_items="minItems", max_items="maxItems"
            )
        if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
            if "properties" in schema:
                raise self._fail("an inline object with properties must be a component", schema)
            return f"_v.mapping({self.check(schema['additionalProperties'])})"
        raise self._fail("unsupported schema", schema)

    def decoder(self, schema: JsonObject) -> str | None:
        """A callable turning the JSON value into the field's value; None: use it as is."""
        component = self._component(schema)
        if component is not None:
            name, is_enum = component
            return f"_decode.enum_member({name})" if is_enum else f"{name}.from_dict"
        if "oneOf" in schema:
            if any(self.decoder(branch) is not None for branch in schema["oneOf"]):
                raise self._fail("oneOf branches must be plain JSON values", schema)
            return None
        if schema.get("type") == "array":
            inner = self.decoder(schema["items"])
            return None if inner is None else f"_decode.list_of({inner})"
        if schema.get("type") == "object" and self.decoder(schema["additionalProperties"]):
            raise self._fail("map values must be plain JSON values", schema)
        return None

    def encoder(self, schema: JsonObject, value: str, depth: int = 0) -> str:
        """An expression turning the field's value (the expression `value`) into JSON."""
        component = self._component(schema)
        if component is not None:
            _, is_enum = component
            return f"{value}.value" if is_enum else f"{value}.to_dict()"
        if "oneOf" in schema:
            if any(self.encoder(branch, value) != value for branch in schema["oneOf"]):
                raise self._fail("oneOf branches must be plain JSON values", schema)
            return value
        if schema.get("type") == "array":
            item = "item" if depth == 0 else f"item{depth}"
            inner = self.encoder(schema["items"], item, depth + 1)
            return value if inner == item else f"[{inner} for {item} in {value}]"
        is_map = schema.get("type") == "object"
        if is_map and self.encoder(schema["additionalProperties"], value) != value:
            raise self._fail("map values must be plain JSON values", schema)
        return value


def _call(function: str, schema: JsonObject, *args: str, **keywords: str) -> str:
    """`function(args..., keyword=<schema[key]>...)` for the keys the schema sets."""
    parts = list(args)
    parts += [f"{name}={schema[key]!r}" for name, key in keywords.items() if key in schema]
    return f"{function}({', '.join(parts)})"


def _field_docstring(spec: Spec, prop: JsonObject) -> str:
    _, target = spec.resolve(prop)
    text = prop.get("description") or target.get("description") or ""
    default = prop.get("default", target.get("default"))
    if default is not None:
        text += f"\n\nWhen omitted, the server uses `{json.dumps(default)}`."
    return docstring(text, indent=4) if text else ""


def docstring(text: str, *, indent: int) -> str:
    """A triple-quoted docstring, wrapped to fit 100 columns at the given indent."""
    width = 100 - indent
    paragraphs = [
        textwrap.fill(" ".join(paragraph.split()), width=width)
        for paragraph in text.strip().split("\n\n")
    ]
    body = "\n\n".join(paragraphs).replace("\\", "\\\\").replace('"""', r"\"\"\"")
    pad = " " * indent
    lines = body.splitlines()
    if len(lines) == 1 and len(lines[0]) + 6 <= width:
        return f'"""{lines[0]}"""'
    return '"""\n' + "\n".join(f"{pad}{line}" if line else "" for line in lines) + f'\n{pad}"""'
