"""Compile each component schema into the code its generated model runs.

`datamodel-code-generator` writes the class, its field names, type hints and order.
What it leaves out of non-pydantic output is compiled here from the canonical document
(see `spec`), as small Python expressions the attrs template pastes in:

- a *check* per field (`_v.integer(minimum=1)`), run by attrs on every construction;
- a *quick* form of that check (`type($value) is int and 1 <= $value <= _v.FLOAT_MAX`):
  a condition that holds only for values the check passes, cheap enough that `from_dict`
  tests every field with it and, when all hold, builds the model without attrs' validator
  calls; otherwise (or where a check has no quick form: `False`) attrs checks as ever;
- a *decoder* per field (`Fallback.from_dict`), run by `from_dict` on the JSON value;
- an *encoder* per field (`self.cache.to_dict()`), run by `to_dict`;
- a *model type* per field (`list[Fallback] | None`), compared with the engine's type
  hint so that the checks and the hints cannot drift apart;
- a *param type* per field (`Sequence[Fallback | FallbackParam | ...]`): what a caller
  may pass when building a request from keywords or dicts (`params.py`, `from_params`).

A schema shape this compiler does not know raises `UnsupportedSpec` with its JSON
pointer: generation stops instead of writing a model that would accept or send the
wrong thing.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import attrs

from generator.spec import (
    ANNOTATIONS,
    SCHEMA_REF,
    JsonObject,
    Spec,
    UnsupportedSpec,
    python_name,
    split_nullable,
)

#: `format` values with a check in the generated `validation` module.
STRING_FORMATS = frozenset({"email", "uri"})
#: Integer widths, checked as bounds.
INTEGER_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
#: Number widths: a Python float is a double, and a float32 value fits one.
NUMBER_FORMATS = frozenset({"float", "double"})

_CONSTRAINTS = {
    "string": {"minLength": "min_length", "maxLength": "max_length", "pattern": "pattern"},
    "integer": {
        "minimum": "minimum",
        "maximum": "maximum",
        "exclusiveMinimum": "exclusive_minimum",
        "exclusiveMaximum": "exclusive_maximum",
    },
    "array": {"minItems": "min_items", "maxItems": "max_items"},
}
_CONSTRAINTS["number"] = _CONSTRAINTS["integer"]
_TYPE_NAMES = frozenset({"string", "integer", "number", "boolean", "array", "object", "null"})
_PYTHON_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


@attrs.frozen
class FieldPlan:
    """What the templates need for one property of one model."""

    wire_name: str
    python_name: str
    required: bool
    check: str
    quick: str
    """A condition on `$value` that holds only if `check` passes (`False`: none)."""
    decoder: str | None
    encoder: str
    docstring: str
    model_type: str
    """The type hint the engine must have written (without `| Unset`)."""
    param_type: str
    """What `XParam`, `XOptions` and `from_params` accept, names bare (for `params.py`)."""
    param_type_in_models: str
    """The same type as `models.py` spells it (`_params.XParam`)."""

    @property
    def annotation(self) -> str:
        """The attribute's annotation: the model type, with `Unset` when optional."""
        if self.required:
            return self.model_type
        if self.model_type.endswith(" | None"):
            return self.model_type[: -len(" | None")] + " | Unset | None"
        return f"{self.model_type} | Unset"


@attrs.frozen
class ModelPlan:
    """What the templates need for one model class."""

    name: str
    docstring: str
    keeps_unknown_keys: bool
    fields: dict[str, FieldPlan]
    is_body: bool
    """A request body: it gets `from_params` and an `XOptions` TypedDict."""

    def template_data(self) -> dict[str, Any]:
        """The plan as `datamodel-code-generator`'s extra template data for this class."""
        data = attrs.asdict(self)
        for wire_name, field in self.fields.items():
            data["fields"][wire_name]["annotation"] = field.annotation
        data["required_fields"] = [f for f in data["fields"].values() if f["required"]]
        data["renames"] = {
            f["python_name"]: f["wire_name"]
            for f in data["fields"].values()
            if f["python_name"] != f["wire_name"] and not f["required"]
        }
        return {"plan": data}


@attrs.frozen
class EnumPlan:
    name: str
    docstring: str
    values: tuple[str | int, ...]

    @property
    def literal(self) -> str:
        return f"Literal[{', '.join(json.dumps(value) for value in self.values)}]"


def plan_models(spec: Spec) -> dict[str, ModelPlan]:
    """A plan for every object schema in the canonical components, by class name."""
    bodies = {op.request_schema for op in spec.operations()}
    request_side = frozenset(spec.request_schemas)
    return {
        name: _plan_model(spec, name, schema, is_body=name in bodies, request_side=request_side)
        for name, schema in spec.schemas.items()
        if schema.get("type") == "object"
    }


def plan_enums(spec: Spec) -> dict[str, EnumPlan]:
    return {
        name: EnumPlan(
            name=name,
            docstring=docstring(schema.get("description", name), indent=4),
            values=tuple(schema["enum"]),
        )
        for name, schema in spec.schemas.items()
        if "enum" in schema
    }


def template_data(spec: Spec) -> dict[str, dict[str, Any]]:
    """The engine's extra template data: a `plan` per model, a `doc` per enum."""
    data: dict[str, dict[str, Any]] = {
        name: plan.template_data() for name, plan in plan_models(spec).items()
    }
    for name, enum in plan_enums(spec).items():
        data[name] = {"doc": enum.docstring}
    return data


def _plan_model(
    spec: Spec, name: str, schema: JsonObject, *, is_body: bool, request_side: frozenset[str]
) -> ModelPlan:
    required = set(schema.get("required", ()))
    origin = spec.origins[name]
    fields = {}
    for wire_name, prop in schema["properties"].items():
        where = f"{origin}/properties/{_escape(wire_name)}"
        compiler = _Compiler(spec, where, request_side)
        param = compiler.param_type(prop, field_level=True)
        fields[wire_name] = FieldPlan(
            wire_name=wire_name,
            python_name=python_name(wire_name),
            required=wire_name in required,
            check=compiler.check(prop),
            quick=compiler.quick(prop, "$value"),
            decoder=compiler.decoder(prop),
            encoder=compiler.encoder(prop, "$value"),
            docstring=_field_docstring(spec, prop),
            model_type=compiler.model_type(prop),
            param_type=param.replace("{P}", ""),
            param_type_in_models=param.replace("{P}", "_params."),
        )
    return ModelPlan(
        name=name,
        docstring=docstring(schema.get("description", name), indent=4),
        keeps_unknown_keys=bool(schema.get("additionalProperties", True)),
        fields=fields,
        is_body=is_body,
    )


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


@attrs.frozen
class _Compiler:
    spec: Spec
    where: str
    """The JSON pointer of the property being compiled, for error messages."""
    request_side: frozenset[str] = frozenset()
    """The models a request holds (reachable from a request body)."""

    def _fail(self, what: str, schema: JsonObject) -> UnsupportedSpec:
        return UnsupportedSpec(self.where, f"{what}: {json.dumps(schema)[:200]}")

    def _component(self, schema: JsonObject) -> tuple[str, bool] | None:
        """`(class name, is enum)` when the schema is a `$ref` to a component."""
        ref = schema.get("$ref")
        if ref is None:
            return None
        name = ref[len(SCHEMA_REF) :]
        return name, self.spec.is_enum(name)

    @staticmethod
    def _is_any(schema: JsonObject) -> bool:
        return not (set(schema) - ANNOTATIONS)

    @staticmethod
    def _union(schema: JsonObject) -> tuple[str, list[JsonObject]] | None:
        for kind in ("anyOf", "oneOf"):
            if kind in schema:
                return kind, schema[kind]
        return None

    # Checks -----------------------------------------------------------------------------

    def check(self, schema: JsonObject) -> str:
        inner, nullable = split_nullable(schema)
        if nullable:
            return f"_v.nullable({self.check(inner)})"
        if self._is_any(schema):
            return "_v.anything()"
        component = self._component(schema)
        if component is not None:
            name, is_enum = component
            return f"_v.member({name})" if is_enum else f"_v.instance({name})"
        union = self._union(schema)
        if union is not None:
            union_kind, branches = union
            function = "_v.one_of" if union_kind == "oneOf" else "_v.any_of"
            return f"{function}({', '.join(self.check(branch) for branch in branches)})"
        kind = schema.get("type")
        if kind == "string":
            check = self._scalar("_v.string", schema, kind, formats=STRING_FORMATS)
        elif kind in ("integer", "number"):
            check = self._number(schema, kind)
        elif kind == "boolean":
            check = "_v.boolean()"
        elif kind == "array":
            return self._array(schema)
        elif kind == "object":
            values = schema["additionalProperties"]
            return f"_v.mapping({self.check(values)})"
        else:
            raise self._fail("unsupported schema", schema)
        return _titled(check, schema.get("title"))

    def _scalar(
        self, function: str, schema: JsonObject, kind: str, *, formats: frozenset[str]
    ) -> str:
        self._refuse_unsupported(schema, kind)
        keywords = dict(_CONSTRAINTS[kind])
        if "format" in schema:
            if schema["format"] not in formats:
                raise self._fail(f"unsupported format {schema['format']!r}", schema)
            keywords["format"] = "format"
        return _call(function, schema, **keywords)

    def _number(self, schema: JsonObject, kind: str) -> str:
        self._refuse_unsupported(schema, kind)
        bounds = dict(schema)
        fmt = schema.get("format")
        if kind == "integer" and fmt in INTEGER_FORMATS:
            low, high = INTEGER_FORMATS[fmt]
            bounds.setdefault("minimum", low)
            bounds.setdefault("maximum", high)
        elif fmt is not None and fmt not in NUMBER_FORMATS:
            raise self._fail(f"unsupported format {fmt!r} for {kind}", schema)
        return _call(f"_v.{kind}", bounds, **_CONSTRAINTS[kind])

    def _array(self, schema: JsonObject) -> str:
        self._refuse_unsupported(schema, "array")
        items = schema["items"]
        if _is_plain_number(items):
            # A vector: checked as a list, its floats not walked one by one, so that
            # reading a 2048 x 1536 answer costs no Python call per number.
            return _call("_v.vector", schema, **_CONSTRAINTS["array"])
        return _call("_v.array", schema, self.check(items), **_CONSTRAINTS["array"])

    def _refuse_unsupported(self, schema: JsonObject, kind: str) -> None:
        for keyword in ("multipleOf", "uniqueItems"):
            if schema.get(keyword) not in (None, False):
                raise self._fail(f"{keyword} is not supported", schema)

    # Quick forms of the checks -----------------------------------------------------------

    def quick(self, schema: JsonObject, value: str) -> str:
        """A condition on the expression `value` that holds only if `check(schema)` passes.

        Exact-type tests and comparisons, and the runtime's one-pass list tests: for the
        plain values nearly every answer and request holds. `False` where a construct has
        none (a pattern, a format, a map, overlapping union branches...): the model is
        then built through attrs' validators, which check it and word any error.
        """
        inner, nullable = split_nullable(schema)
        if nullable:
            test = self.quick(inner, value)
            return f"{value} is None" if test == "False" else f"({value} is None or {test})"
        if self._is_any(schema):
            return "True"
        component = self._component(schema)
        if component is not None:
            return f"type({value}) is {component[0]}"
        union = self._union(schema)
        if union is not None:
            return self._quick_union(union[1], value)
        kind = schema.get("type")
        if kind == "string":
            return self._quick_string(schema, value) or "False"
        if kind in ("integer", "number"):
            return self._quick_number(schema, value, str(kind))
        if kind == "boolean":
            return f"type({value}) is bool"
        if kind == "array":
            return self._quick_array(schema, value)
        return "False"

    def _quick_union(self, branches: list[JsonObject], value: str) -> str:
        # Only for branches no value can fit two of (by `accepts`, an isinstance test):
        # then the branch whose type the value has is the only candidate, and its quick
        # form decides, as the union's check would.
        taken: set[str] = set()
        tests = []
        for branch in branches:
            accepted = self._accepted_types(branch)
            if accepted is None or accepted & taken:
                return "False"
            taken |= accepted
            test = self.quick(branch, value)
            if test != "False":
                tests.append(test)
        return "(" + " or ".join(tests) + ")" if tests else "False"

    def _accepted_types(self, schema: JsonObject) -> set[str] | None:
        """Every type whose values a check's `accepts` may take (None: any or unknown)."""
        inner, nullable = split_nullable(schema)
        if nullable:
            accepted = self._accepted_types(inner)
            return None if accepted is None else accepted | {"None"}
        component = self._component(schema)
        if component is not None:
            name, is_enum = component
            # An enum member is also the str or int it stands for.
            return {name, "str", "int", "float"} if is_enum else {name}
        kinds = {
            "string": {"str"},
            "integer": {"int"},
            "number": {"int", "float"},
            "boolean": {"bool"},
            "array": {"list"},
            "object": {"dict"},
        }
        if self._is_any(schema) or self._union(schema) is not None:
            return None
        return kinds.get(str(schema.get("type")))

    @staticmethod
    def _quick_string(schema: JsonObject, value: str) -> str | None:
        if any(key in schema for key in ("pattern", "format", "maxLength")):
            return None
        test = f"type({value}) is str and {value}.isascii()"
        if schema.get("minLength", 0) > 0:
            test += f" and len({value}) >= {schema['minLength']!r}"
        return f"({test})"

    def _quick_number(self, schema: JsonObject, value: str, kind: str) -> str:
        bounds = dict(schema)
        fmt = schema.get("format")
        if kind == "integer" and fmt in INTEGER_FORMATS:  # as `_number` reads them
            low, high = INTEGER_FORMATS[fmt]
            bounds.setdefault("minimum", low)
            bounds.setdefault("maximum", high)
        types = (
            f"type({value}) is int"
            if kind == "integer"
            else (f"(type({value}) is float or type({value}) is int)")
        )
        # Within a float's range: NaN and the infinities fail it, as the check refuses them.
        test = f"{types} and -_v.FLOAT_MAX <= {value} <= _v.FLOAT_MAX"
        for key, operator in (
            ("minimum", ">="),
            ("maximum", "<="),
            ("exclusiveMinimum", ">"),
            ("exclusiveMaximum", "<"),
        ):
            if key in bounds:
                test += f" and {value} {operator} {bounds[key]!r}"
        return f"({test})"

    def _quick_array(self, schema: JsonObject, value: str) -> str:
        test = f"type({value}) is list"
        if "minItems" in schema:
            test += f" and len({value}) >= {schema['minItems']!r}"
        if "maxItems" in schema:
            test += f" and len({value}) <= {schema['maxItems']!r}"
        items = schema["items"]
        if _is_plain_number(items):
            return f"({test} and _v.plain_floats({value}))"
        items_test = self._quick_items(items, value)
        return "False" if items_test is None else f"({test} and {items_test})"

    def _quick_items(self, items: JsonObject, value: str) -> str | None:
        """A one-pass test of the list `value` whose items follow `items`, if any."""
        if self._is_any(items):
            return "True"
        component = self._component(items)
        if component is not None:
            return f"_v.exactly({value}, {component[0]})"
        union = self._union(items)
        if union is not None:
            # Plain strings, where one branch alone takes strings: that branch decides.
            strings = [b for b in union[1] if "str" in (self._accepted_types(b) or {"str"})]
            if len(strings) == 1 and self._quick_union(union[1], "x") != "False":
                return self._quick_texts(strings[0], value)
            return None
        if items.get("type") == "string":
            return self._quick_texts(items, value)
        return None

    @staticmethod
    def _quick_texts(schema: JsonObject, value: str) -> str | None:
        if schema.get("type") != "string" or _Compiler._quick_string(schema, "x") is None:
            return None
        return f"_v.plain_texts({value}, {schema.get('minLength', 0)!r})"

    # Decoders and encoders ---------------------------------------------------------------

    def decoder(self, schema: JsonObject) -> str | None:
        """A callable turning the JSON value into the field's value; None: use it as is."""
        inner, nullable = split_nullable(schema)
        if nullable:
            decode = self.decoder(inner)
            return None if decode is None else f"_decode.nullable({decode})"
        component = self._component(schema)
        if component is not None:
            name, is_enum = component
            if is_enum:
                return f"_decode.enum_member({name})"
            # A model a request holds may come as the model itself (from_params).
            return f"_decode.model({name})" if name in self.request_side else f"{name}.from_dict"
        union = self._union(schema)
        if union is not None:
            union_kind, branches = union
            decoders = [self.decoder(branch) for branch in branches]
            if all(decode is None for decode in decoders):
                return None
            pairs = ", ".join(
                f"({self.check(branch)}, {decode})"
                for branch, decode in zip(branches, decoders, strict=True)
            )
            return f"_decode.union({pairs}, exactly_one={union_kind == 'oneOf'})"
        if schema.get("type") == "array":
            inner_decode = self.decoder(schema["items"])
            return None if inner_decode is None else f"_decode.list_of({inner_decode})"
        if schema.get("type") == "object":
            inner_decode = self.decoder(schema["additionalProperties"])
            return None if inner_decode is None else f"_decode.dict_of({inner_decode})"
        return None

    def encoder(self, schema: JsonObject, value: str, depth: int = 0) -> str:
        """An expression turning the field's value (the expression `value`) into JSON."""
        inner, nullable = split_nullable(schema)
        if nullable:
            encoded = self.encoder(inner, value, depth)
            return value if encoded == value else f"(None if {value} is None else {encoded})"
        component = self._component(schema)
        if component is not None:
            _, is_enum = component
            return f"{value}.value" if is_enum else f"{value}.to_dict()"
        union = self._union(schema)
        if union is not None:
            _, branches = union
            if all(self.encoder(branch, value, depth) == value for branch in branches):
                return value
            return f"_encode.to_json({value})"
        item = "item" if depth == 0 else f"item{depth}"
        if schema.get("type") == "array":
            encoded = self.encoder(schema["items"], item, depth + 1)
            return value if encoded == item else f"[{encoded} for {item} in {value}]"
        if schema.get("type") == "object":
            encoded = self.encoder(schema["additionalProperties"], item, depth + 1)
            key = "key" if depth == 0 else f"key{depth}"
            if encoded == item:
                return value
            return f"{{{key}: {encoded} for {key}, {item} in {value}.items()}}"
        return value

    # Types ------------------------------------------------------------------------------

    def model_type(self, schema: JsonObject) -> str:
        """The field's Python type, as the engine writes it."""
        inner, nullable = split_nullable(schema)
        if nullable:
            return f"{self.model_type(inner)} | None"
        if self._is_any(schema):
            return "Any"
        component = self._component(schema)
        if component is not None:
            return component[0]
        union = self._union(schema)
        if union is not None:
            return _join(self.model_type(branch) for branch in union[1])
        kind = schema.get("type")
        if kind == "array":
            return f"list[{self.model_type(schema['items'])}]"
        if kind == "object":
            return f"dict[str, {self.model_type(schema['additionalProperties'])}]"
        return _PYTHON_TYPES[str(kind)]

    def param_type(self, schema: JsonObject, *, field_level: bool = False) -> str:
        """What a caller may pass for the value; `{P}` stands for the `params` module."""
        inner, nullable = split_nullable(schema)
        if nullable:
            return f"{self.param_type(inner, field_level=field_level)} | None"
        if self._is_any(schema):
            return "object"
        component = self._component(schema)
        if component is not None:
            name, is_enum = component
            if is_enum:
                return f"{name} | {{P}}{name}Value"
            return f"{name} | {{P}}{name}Param | SupportsToModel[{name}]"
        union = self._union(schema)
        if union is not None:
            return _join(self.param_type(branch) for branch in union[1])
        kind = schema.get("type")
        if kind in ("array", "object"):
            if kind == "array":
                text = f"Sequence[{self.param_type(schema['items'])}]"
            else:
                text = f"Mapping[str, {self.param_type(schema['additionalProperties'])}]"
            model = self.model_type(schema)
            if field_level and re.search(r"\b[A-Z]\w*", model.replace("Any", "")):
                # A helper may build the whole list (or map) of models at once.
                text += f" | SupportsToModel[{model}]"
            return text
        return _PYTHON_TYPES[str(kind)]


def _join(parts: Any) -> str:
    seen: list[str] = []
    for part in parts:
        for piece in part.split(" | "):
            if piece not in seen:
                seen.append(piece)
    return " | ".join(seen)


def _is_plain_number(items: JsonObject) -> bool:
    """`{"type": "number"}` with no constraint but a float width: a vector's item."""
    if items.get("type") != "number" or items.get("format") not in (None, *NUMBER_FORMATS):
        return False
    return not (set(items) - ANNOTATIONS - {"type", "format"})


def _titled(check: str, title: object) -> str:
    """A scalar check named by the schema's `title`, unless the title only names its type."""
    if not isinstance(title, str) or title.strip().lower() in _TYPE_NAMES:
        return check
    return f"_v.titled({json.dumps(title.strip())}, {check})"


def _call(function: str, schema: JsonObject, *args: str, **keywords: str) -> str:
    """`function(args..., keyword=<schema[key]>...)` for the keys the schema sets."""
    parts = list(args)
    parts += [f"{name}={schema[key]!r}" for key, name in keywords.items() if key in schema]
    return f"{function}({', '.join(parts)})"


def _field_docstring(spec: Spec, prop: JsonObject) -> str:
    inner, _ = split_nullable(prop)
    _, target = spec.resolve(inner) if "$ref" in inner else (None, inner)
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
