"""What the templates need of each model, enum and operation, read off the nodes.

`datamodel-code-generator` decides the class names, field names, type hints and order
(`models.engine_names` reads them from the engine's own parse). Everything else a model
holds comes from the node of each field (`nodes`): its check and the check's quick
form, its decoder and encoder, its type and the types a caller may pass. This module
only collects those strings per field, model and operation; it knows no construct.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

import attrs

from generator.nodes import ArrayNode, Builder, ModelRef, Node, Nullable
from generator.spec import (
    Body,
    JsonObject,
    Operation,
    Parameter,
    Spec,
    child,
    escape,
    split_nullable,
)


@attrs.frozen
class Names:
    """The names the model engine gave: classes by component, attributes by wire name."""

    classes: Mapping[str, str] = attrs.field(factory=dict)
    fields: Mapping[tuple[str, str], str] = attrs.field(factory=dict)

    def cls(self, component: str) -> str:
        return self.classes.get(component, component)

    def attribute(self, component: str, wire_name: str) -> str:
        return self.fields.get((component, wire_name), wire_name)


#: The builtins the quick forms of checks call.
_QUICK_BUILTINS = frozenset({"type", "len"})


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
    """The class name (the engine's)."""
    component: str
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
        # A required keyword of `from_params` named `type` or `len` hides the builtin
        # the quick forms call: that method then takes the checked path only.
        data["shadows_builtins"] = any(
            f["python_name"] in _QUICK_BUILTINS for f in data["required_fields"]
        )
        return {"plan": data}


@attrs.frozen
class EnumPlan:
    name: str
    component: str
    docstring: str
    values: tuple[str | int, ...]

    @property
    def literal(self) -> str:
        return f"Literal[{', '.join(json.dumps(value) for value in self.values)}]"


@attrs.frozen
class ValuePlan:
    """A request or success body: its node's code, `$value` in it."""

    model_type: str
    check: str
    decoder: str | None
    encoder: str
    model: str | None
    """The class, when the body is one model (a plain object body)."""


@attrs.frozen
class ParameterPlan:
    """A path, query or header parameter of an endpoint function."""

    parameter: Parameter
    model_type: str
    """The keyword's type (a list parameter takes any sequence)."""
    check: str
    decoder: str | None
    """Applied first, so that an enum parameter takes its plain value too."""
    text: str
    """How one value (each item of a list) is written, `$value` in it."""
    is_list: bool
    docstring: str

    @property
    def annotation(self) -> str:
        """The keyword's annotation: required, or optional with None meaning "not sent"."""
        kind = self.model_type
        if self.parameter.required:
            return kind
        return kind if kind.endswith(" | None") else f"{kind} | None"


@attrs.frozen
class OperationPlan:
    """What the endpoint template needs for one operation."""

    op: Operation
    request: ValuePlan | None
    response: ValuePlan | None
    parameters: tuple[ParameterPlan, ...]
    error_models: tuple[str, ...]
    models: tuple[str, ...]
    """The classes the endpoint module imports."""


@attrs.frozen
class Plan:
    """Every plan of one generation, built once."""

    names: Names
    models: dict[str, ModelPlan]
    """By component."""
    enums: dict[str, EnumPlan]
    operations: tuple[OperationPlan, ...]

    def template_data(self) -> dict[str, dict[str, Any]]:
        """The engine's extra template data, keyed by each schema's path in its document."""
        data: dict[str, dict[str, Any]] = {
            _path(component): plan.template_data() for component, plan in self.models.items()
        }
        for component, enum in self.enums.items():
            data[_path(component)] = {"doc": enum.docstring}
        return data


def _path(component: str) -> str:
    return "#/components/schemas/" + component


def plan(spec: Spec, names: Names) -> Plan:
    """Read every model, enum and operation of the spec into plans."""
    request_side = frozenset(spec.request_schemas)
    builder = Builder(spec.schemas, dict(names.classes), request_side)
    bodies = {op.request_schema for op in spec.operations()} - {None}
    models = {
        component: _plan_model(spec, builder, names, component, is_body=component in bodies)
        for component, schema in spec.schemas.items()
        if schema.get("type") == "object"
    }
    enums = {
        component: EnumPlan(
            name=names.cls(component),
            component=component,
            docstring=docstring(schema.get("description", names.cls(component)), indent=4),
            values=tuple(schema["enum"]),
        )
        for component, schema in spec.schemas.items()
        if "enum" in schema
    }
    operations = tuple(_plan_operation(spec, builder, names, op) for op in spec.operations())
    return Plan(names, models, enums, operations)


def _plan_model(
    spec: Spec, builder: Builder, names: Names, component: str, *, is_body: bool
) -> ModelPlan:
    schema = spec.schemas[component]
    required = set(schema.get("required", ()))
    origin = spec.origins[component]
    fields = {}
    for wire_name, prop in schema["properties"].items():
        node = builder.node(prop, f"{origin}/properties/{escape(wire_name)}")
        param = node.param_type(field_level=True)
        fields[wire_name] = FieldPlan(
            wire_name=wire_name,
            python_name=names.attribute(component, wire_name),
            required=wire_name in required,
            check=node.check(),
            quick=node.quick("$value"),
            decoder=node.decoder(),
            encoder=node.encoder("$value"),
            docstring=_field_docstring(spec, prop),
            model_type=node.model_type(),
            param_type=param.replace("{P}", ""),
            param_type_in_models=param.replace("{P}", "_params."),
        )
    return ModelPlan(
        name=names.cls(component),
        component=component,
        docstring=docstring(schema.get("description", names.cls(component)), indent=4),
        keeps_unknown_keys=bool(schema.get("additionalProperties", True)),
        fields=fields,
        is_body=is_body,
    )


def _value(node: Node) -> ValuePlan:
    model = node.cls if isinstance(node, ModelRef) else None
    return ValuePlan(
        model_type=node.model_type(),
        check=node.check(),
        decoder=node.decoder(),
        encoder=node.encoder("$value"),
        model=model,
    )


def _body(builder: Builder, body: Body | None) -> ValuePlan | None:
    if body is None:
        return None
    return _value(builder.node(body.schema, child(body.where, "schema")))


def _plan_operation(spec: Spec, builder: Builder, names: Names, op: Operation) -> OperationPlan:
    request = _body(builder, op.request)
    response = _body(builder, op.response)
    parameters = tuple(_plan_parameter(builder, parameter) for parameter in op.parameters)
    error_models = tuple(names.cls(name) for name in op.error_schemas)
    classes = {names.cls(component) for component in spec.schemas}
    mentioned = set(error_models)
    for value in (request, response):
        if value is not None:
            mentioned |= _classes_in(" ".join((value.model_type, value.check)), classes)
    for parameter in parameters:
        mentioned |= _classes_in(" ".join((parameter.model_type, parameter.check)), classes)
    return OperationPlan(
        op=op,
        request=request,
        response=response,
        parameters=parameters,
        error_models=error_models,
        models=tuple(sorted(mentioned)),
    )


def _plan_parameter(builder: Builder, parameter: Parameter) -> ParameterPlan:
    node = builder.node(parameter.schema, child(parameter.where, "schema"))
    inner = node.inner if isinstance(node, Nullable) else node
    is_list = isinstance(inner, ArrayNode)
    item = inner.items if isinstance(inner, ArrayNode) else inner
    model_type = f"Sequence[{item.model_type()}]" if is_list else node.model_type()
    if is_list and isinstance(node, Nullable):
        model_type += " | None"
    return ParameterPlan(
        parameter=parameter,
        model_type=model_type,
        check=node.check(),
        decoder=node.decoder(),
        text=item.to_text("$value"),
        is_list=is_list,
        docstring=parameter.description,
    )


def _classes_in(text: str, classes: set[str]) -> set[str]:
    """The generated classes a type hint or check names (to import them)."""
    return classes & set(re.findall(r"(?<![\w.])[A-Za-z_]\w*", text))


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
        for paragraph in str(text).strip().split("\n\n")
    ]
    body = "\n\n".join(paragraphs).replace("\\", "\\\\").replace('"""', r"\"\"\"")
    if body.endswith('"'):
        body = body[:-1] + '\\"'  # else the closing quotes would run into it
    pad = " " * indent
    lines = body.splitlines()
    if len(lines) == 1 and len(lines[0]) + 6 <= width:
        return f'"""{lines[0]}"""'
    return '"""\n' + "\n".join(f"{pad}{line}" if line else "" for line in lines) + f'\n{pad}"""'
