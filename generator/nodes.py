"""The typed intermediate form: one node class per schema construct.

A canonical schema (see `canonical`) is read once into a tree of nodes (`Builder.node`).
Each node class is one construct and knows everything the generated code needs of it,
as small Python expressions the templates paste in (in the shape of
openapi-python-client's property classes):

- `check()`: the runtime check (`_v.integer(minimum=1)`), run by attrs on every
  construction (one function of the generated `validation` module per construct);
- `quick(value)`: a condition that holds only for values the check passes, cheap
  enough that `from_dict` tests every field with it and, when all hold, builds the model
  without attrs' validator calls (`False` where a construct has none);
- `decoder()`: a callable turning the JSON value into the field's value, or None when
  the JSON value is the field's value (`_decode.list_of(Fallback.from_dict)`);
- `encoder(value)`: an expression turning the field's value into JSON;
- `model_type()`: the type hint, compared with the model engine's own so that the checks
  and the hints cannot drift apart;
- `param_type()`: what a caller may pass when building a request from keywords or dicts;
- `to_text(value)`: how a parameter's value is written in a path, query or header;
- and, for the version diff, `contains(other)` (every value of `other` is one of this
  node's: a widening) and `constraints()` (the value constraints, to tell a tightening
  from a loosening).

Adding a construct means one node class here, one check in `runtime/validation.py`, and
its `contains` rule: see `generator/README.md`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

import attrs

from generator.spec import (
    ANNOTATIONS,
    SCHEMA_REF,
    JsonObject,
    UnsupportedSpec,
    child,
    split_nullable,
)

#: Integer widths, checked as bounds (on `type: integer` and on `type: number`).
INTEGER_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
#: Number widths: a Python float is a double, and a float32 value fits one.
NUMBER_FORMATS = frozenset({"float", "double"})
_TYPE_NAMES = frozenset({"string", "integer", "number", "boolean", "array", "object", "null"})


class Node:
    """One schema construct. Subclasses are frozen attrs classes."""

    STRUCTURE: ClassVar[tuple[str, ...]] = ()
    """The attributes that make the node's type (not its constraints): see `shape`."""

    # Code ---------------------------------------------------------------------------

    def check(self) -> str:
        """An expression building the runtime check of a value (`_v.string()`)."""
        raise NotImplementedError

    def quick(self, value: str) -> str:
        """A condition on the expression `value` that holds only if `check()` passes.

        Exact-type tests and comparisons, and the runtime's one-pass list tests: for the
        plain values nearly every answer and request holds. `False` where a construct has
        none (a pattern, a format, a map, overlapping union branches...): the model is
        then built through attrs' validators, which check it and word any error.
        """
        return "False"

    def quick_items(self, value: str) -> str | None:
        """A one-pass test of the list `value` whose items are of this node, if any."""
        return None

    def decoder(self) -> str | None:
        """A callable turning the JSON value into the field's value; None: use it as is."""
        return None

    def encoder(self, value: str, depth: int = 0) -> str:
        """An expression turning the field's value (the expression `value`) into JSON."""
        return value

    def model_type(self) -> str:
        """The field's Python type, as the model engine writes it."""
        raise NotImplementedError

    def param_type(self, *, field_level: bool = False) -> str:
        """What a caller may pass for the value; `{P}` stands for the `params` module."""
        return self.model_type()

    def accepted_types(self) -> frozenset[str] | None:
        """Every type whose values the check's `accepts` may take (None: any or unknown)."""
        return None

    def refers_to_classes(self) -> bool:
        """Whether the type names a generated class (a model or an enum)."""
        return False

    def to_text(self, value: str) -> str:
        """An expression writing the value as a path segment, query value or header."""
        return f"str({value})"

    # Versioning ---------------------------------------------------------------------------

    def shape(self) -> tuple[Any, ...]:
        """The node's type structure, constraints and documentation aside: two nodes of
        one shape differ at most in their constraints."""
        return (type(self).__name__, *(_shape_of(getattr(self, name)) for name in self.STRUCTURE))

    def branches(self) -> Sequence[Node]:
        """The alternatives a value may be (a union's branches; else this node)."""
        return (self,)

    def contains(self, other: Node) -> bool:
        """Whether every value of `other` is a value of this node (its type, constraints
        aside): a change from `other` to this node widens the type."""
        inner = other.branches()
        if len(inner) > 1:
            return all(self.contains(branch) for branch in inner)
        outer = self.branches()
        if len(outer) > 1:
            return any(branch.contains(other) for branch in outer)
        return self._contains(inner[0])

    def _contains(self, other: Node) -> bool:
        """`contains` for a node of one branch: the rule of each construct."""
        return type(other) is type(self)

    def constraints(self) -> dict[str, Any]:
        """The value constraints, by label (`minLength`, `items.maxItems`, `anyOf.0.pattern`)."""
        return {}


def _shape_of(value: Any) -> Any:
    if isinstance(value, Node):
        return value.shape()
    if isinstance(value, tuple):
        return tuple(_shape_of(item) for item in value)
    return value


def _literal(value: object) -> str:
    """A Python literal of a JSON scalar."""
    return json.dumps(value) if isinstance(value, str) else repr(value)


def _call(function: str, *args: str, **keywords: Any) -> str:
    """`function(args..., keyword=value...)` for the keywords that are set."""
    parts = list(args)
    parts += [f"{name}={value!r}" for name, value in keywords.items() if value is not None]
    return f"{function}({', '.join(parts)})"


def _titled(check: str, title: str | None) -> str:
    """A scalar check named by the schema's `title`, unless the title only names its type."""
    if not isinstance(title, str) or title.strip().lower() in _TYPE_NAMES:
        return check
    return f"_v.titled({json.dumps(title.strip())}, {check})"


def _join(parts: Iterator[str] | list[str]) -> str:
    seen: list[str] = []
    for part in parts:
        for piece in part.split(" | "):
            if piece not in seen:
                seen.append(piece)
    return " | ".join(seen)


def _prefixed(prefix: str, constraints: Mapping[str, Any]) -> dict[str, Any]:
    return {f"{prefix}{label}": value for label, value in constraints.items()}


# Any value ---------------------------------------------------------------------------------


@attrs.frozen
class AnyValue(Node):
    """A schema that names no type (`{}`): any JSON value."""

    def check(self) -> str:
        return "_v.anything()"

    def quick(self, value: str) -> str:
        return "True"

    def quick_items(self, value: str) -> str | None:
        return "True"

    def model_type(self) -> str:
        return "Any"

    def param_type(self, *, field_level: bool = False) -> str:
        return "object"

    def contains(self, other: Node) -> bool:
        return True

    def _contains(self, other: Node) -> bool:
        return True


@attrs.frozen
class NullValue(Node):
    """`type: null` alone: only null."""

    def check(self) -> str:
        return "_v.null()"

    def quick(self, value: str) -> str:
        return f"{value} is None"

    def model_type(self) -> str:
        return "None"

    def accepted_types(self) -> frozenset[str] | None:
        return frozenset({"None"})


# Scalars -------------------------------------------------------------------------------------


@attrs.frozen
class StringNode(Node):
    """`type: string`, its lengths, `pattern`, and a checked `format` (`email`, `uri`)."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    title: str | None = None

    def check(self) -> str:
        return _titled(
            _call(
                "_v.string",
                min_length=self.min_length,
                max_length=self.max_length,
                pattern=self.pattern,
                format=self.format,
            ),
            self.title,
        )

    def _quick(self, value: str) -> str | None:
        if self.pattern is not None or self.format is not None or self.max_length is not None:
            return None
        test = f"type({value}) is str and {value}.isascii()"
        if (self.min_length or 0) > 0:
            test += f" and len({value}) >= {self.min_length!r}"
        return f"({test})"

    def quick(self, value: str) -> str:
        return self._quick(value) or "False"

    def quick_items(self, value: str) -> str | None:
        return self.quick_texts(value)

    def quick_texts(self, value: str) -> str | None:
        """`_v.plain_texts`: every item plain ASCII text long enough, in one pass."""
        if self._quick("x") is None:
            return None
        return f"_v.plain_texts({value}, {self.min_length or 0!r})"

    def model_type(self) -> str:
        return "str"

    def accepted_types(self) -> frozenset[str] | None:
        return frozenset({"str"})

    def to_text(self, value: str) -> str:
        return value

    def _contains(self, other: Node) -> bool:
        return isinstance(other, (StringNode, ConstValue)) and (
            not isinstance(other, ConstValue) or isinstance(other.value, str)
        )

    def constraints(self) -> dict[str, Any]:
        found = {
            "minLength": self.min_length,
            "maxLength": self.max_length,
            "pattern": self.pattern,
            "format": self.format,
        }
        return {key: value for key, value in found.items() if value is not None}


@attrs.frozen
class NumberNode(Node):
    """`type: integer` or `type: number`, their bounds, `multipleOf` and width formats."""

    STRUCTURE = ("integral",)

    integral: bool
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    format: str | None = None
    title: str | None = None

    @property
    def kind(self) -> str:
        return "integer" if self.integral else "number"

    def _bounds(self) -> dict[str, Any]:
        """The bounds as checked: a width format's range where the schema sets none."""
        bounds = {
            "minimum": self.minimum,
            "maximum": self.maximum,
            "exclusive_minimum": self.exclusive_minimum,
            "exclusive_maximum": self.exclusive_maximum,
        }
        if self.format in INTEGER_FORMATS:
            low, high = INTEGER_FORMATS[self.format]
            if bounds["minimum"] is None:
                bounds["minimum"] = low
            if bounds["maximum"] is None:
                bounds["maximum"] = high
        return bounds

    @property
    def plain(self) -> bool:
        """A number with nothing to check but its type: a vector's item."""
        return (
            not self.integral
            and self.format in (None, *NUMBER_FORMATS)
            and not any(value is not None for value in self._bounds().values())
            and self.multiple_of is None
        )

    def check(self) -> str:
        return _titled(
            _call(f"_v.{self.kind}", **self._bounds(), multiple_of=self.multiple_of), self.title
        )

    def quick(self, value: str) -> str:
        if self.multiple_of is not None:
            return "False"
        types = (
            f"type({value}) is int"
            if self.integral
            else f"(type({value}) is float or type({value}) is int)"
        )
        # Within a float's range: NaN and the infinities fail it, as the check refuses them.
        test = f"{types} and -_v.FLOAT_MAX <= {value} <= _v.FLOAT_MAX"
        for key, operator in (
            ("minimum", ">="),
            ("maximum", "<="),
            ("exclusive_minimum", ">"),
            ("exclusive_maximum", "<"),
        ):
            bound = self._bounds()[key]
            if bound is not None:
                test += f" and {value} {operator} {bound!r}"
        return f"({test})"

    def model_type(self) -> str:
        return "int" if self.integral else "float"

    def accepted_types(self) -> frozenset[str] | None:
        return frozenset({"int"}) if self.integral else frozenset({"int", "float"})

    def to_text(self, value: str) -> str:
        return f"str({value})" if self.integral else f"repr({value})"

    def _contains(self, other: Node) -> bool:
        if isinstance(other, ConstValue):
            return isinstance(other.value, int) and not isinstance(other.value, bool)
        return isinstance(other, NumberNode) and (not self.integral or other.integral)

    def constraints(self) -> dict[str, Any]:
        found = {
            "minimum": self.minimum,
            "maximum": self.maximum,
            "exclusiveMinimum": self.exclusive_minimum,
            "exclusiveMaximum": self.exclusive_maximum,
            "multipleOf": self.multiple_of,
            "format": self.format,
        }
        return {key: value for key, value in found.items() if value is not None}


@attrs.frozen
class BooleanNode(Node):
    """`type: boolean`."""

    title: str | None = None

    def check(self) -> str:
        return _titled("_v.boolean()", self.title)

    def quick(self, value: str) -> str:
        return f"type({value}) is bool"

    def model_type(self) -> str:
        return "bool"

    def accepted_types(self) -> frozenset[str] | None:
        return frozenset({"bool"})

    def to_text(self, value: str) -> str:
        return f'("true" if {value} else "false")'

    def _contains(self, other: Node) -> bool:
        return isinstance(other, BooleanNode) or (
            isinstance(other, ConstValue) and isinstance(other.value, bool)
        )


@attrs.frozen
class BytesNode(Node):
    """`type: string, format: binary`: bytes. JSON cannot carry raw octets, so in a JSON
    body they travel as base64 text (what OpenAPI 3.1 writes `contentEncoding: base64`)."""

    def check(self) -> str:
        return "_v.binary()"

    def quick(self, value: str) -> str:
        return f"type({value}) is bytes"

    def decoder(self) -> str | None:
        return "_decode.base64_bytes"

    def encoder(self, value: str, depth: int = 0) -> str:
        return f"_encode.base64_text({value})"

    def model_type(self) -> str:
        return "bytes"

    def accepted_types(self) -> frozenset[str] | None:
        return frozenset({"bytes"})

    def constraints(self) -> dict[str, Any]:
        return {"format": "binary"}


@attrs.frozen
class ConstValue(Node):
    """`const: value`, a field's whole schema: the one value, typed as a `Literal`."""

    STRUCTURE = ("value",)

    value: str | int | bool

    def check(self) -> str:
        return f"_v.const({_literal(self.value)})"

    def quick(self, value: str) -> str:
        if isinstance(self.value, bool):
            return f"{value} is {self.value!r}"
        kind = "str" if isinstance(self.value, str) else "int"
        return f"(type({value}) is {kind} and {value} == {_literal(self.value)})"

    def model_type(self) -> str:
        # As the engine writes it (ruff formats the quotes afterwards).
        return f"Literal[{self.value!r}]"

    def accepted_types(self) -> frozenset[str] | None:
        return frozenset({type(self.value).__name__})

    def to_text(self, value: str) -> str:
        if isinstance(self.value, bool):
            return f'("true" if {value} else "false")'
        return f"str({value})"

    def _contains(self, other: Node) -> bool:
        return isinstance(other, ConstValue) and other.value == self.value


# Named classes ----------------------------------------------------------------------------


@attrs.frozen
class EnumRef(Node):
    """A `$ref` to an enum component: a member of the generated enum class."""

    STRUCTURE = ("component",)

    component: str
    cls: str

    def check(self) -> str:
        return f"_v.member({self.cls})"

    def quick(self, value: str) -> str:
        return f"type({value}) is {self.cls}"

    def quick_items(self, value: str) -> str | None:
        return f"_v.exactly({value}, {self.cls})"

    def decoder(self) -> str | None:
        return f"_decode.enum_member({self.cls})"

    def encoder(self, value: str, depth: int = 0) -> str:
        return f"{value}.value"

    def model_type(self) -> str:
        return self.cls

    def param_type(self, *, field_level: bool = False) -> str:
        return f"{self.cls} | {{P}}{self.cls}Value"

    def accepted_types(self) -> frozenset[str] | None:
        # An enum member is also the str or int it stands for.
        return frozenset({self.cls, "str", "int", "float"})

    def refers_to_classes(self) -> bool:
        return True

    def to_text(self, value: str) -> str:
        return f"str({value}.value)"

    def _contains(self, other: Node) -> bool:
        return isinstance(other, EnumRef) and other.component == self.component


@attrs.frozen
class ModelRef(Node):
    """A `$ref` to an object component: an instance of the generated model."""

    STRUCTURE = ("component",)

    component: str
    cls: str
    request_side: bool = False
    """A model a request holds: it may come as the model itself (`from_params`)."""

    def check(self) -> str:
        return f"_v.instance({self.cls})"

    def quick(self, value: str) -> str:
        return f"type({value}) is {self.cls}"

    def quick_items(self, value: str) -> str | None:
        return f"_v.exactly({value}, {self.cls})"

    def decoder(self) -> str | None:
        return f"_decode.model({self.cls})" if self.request_side else f"{self.cls}.from_dict"

    def encoder(self, value: str, depth: int = 0) -> str:
        return f"{value}.to_dict()"

    def model_type(self) -> str:
        return self.cls

    def param_type(self, *, field_level: bool = False) -> str:
        return f"{self.cls} | {{P}}{self.cls}Param | SupportsToModel[{self.cls}]"

    def accepted_types(self) -> frozenset[str] | None:
        return frozenset({self.cls})

    def refers_to_classes(self) -> bool:
        return True

    def _contains(self, other: Node) -> bool:
        return isinstance(other, ModelRef) and other.component == self.component


# Containers ----------------------------------------------------------------------------------


@attrs.frozen
class ArrayNode(Node):
    """`type: array`: its length, `uniqueItems`, and its items."""

    STRUCTURE = ("items",)

    items: Node
    min_items: int | None = None
    max_items: int | None = None
    unique: bool = False

    @property
    def is_vector(self) -> bool:
        """A list of plain numbers: checked as a list, its floats not walked one by one,
        so that reading a 2048 x 1536 answer costs no Python call per number."""
        return isinstance(self.items, NumberNode) and self.items.plain and not self.unique

    def check(self) -> str:
        unique = True if self.unique else None
        if self.is_vector:
            return _call("_v.vector", min_items=self.min_items, max_items=self.max_items)
        return _call(
            "_v.array",
            self.items.check(),
            min_items=self.min_items,
            max_items=self.max_items,
            unique_items=unique,
        )

    def quick(self, value: str) -> str:
        if self.unique:
            return "False"
        test = f"type({value}) is list"
        if self.min_items is not None:
            test += f" and len({value}) >= {self.min_items!r}"
        if self.max_items is not None:
            test += f" and len({value}) <= {self.max_items!r}"
        if self.is_vector:
            return f"({test} and _v.plain_floats({value}))"
        items_test = self.items.quick_items(value)
        return "False" if items_test is None else f"({test} and {items_test})"

    def decoder(self) -> str | None:
        inner = self.items.decoder()
        return None if inner is None else f"_decode.list_of({inner})"

    def encoder(self, value: str, depth: int = 0) -> str:
        item = "item" if depth == 0 else f"item{depth}"
        encoded = self.items.encoder(item, depth + 1)
        return value if encoded == item else f"[{encoded} for {item} in {value}]"

    def model_type(self) -> str:
        return f"list[{self.items.model_type()}]"

    def param_type(self, *, field_level: bool = False) -> str:
        text = f"Sequence[{self.items.param_type()}]"
        if field_level and self.refers_to_classes():
            # A helper may build the whole list of models at once.
            text += f" | SupportsToModel[{self.model_type()}]"
        return text

    def accepted_types(self) -> frozenset[str] | None:
        return frozenset({"list"})

    def refers_to_classes(self) -> bool:
        return self.items.refers_to_classes()

    def _contains(self, other: Node) -> bool:
        return isinstance(other, ArrayNode) and self.items.contains(other.items)

    def constraints(self) -> dict[str, Any]:
        found = {
            "minItems": self.min_items,
            "maxItems": self.max_items,
            "uniqueItems": True if self.unique else None,
        }
        own = {key: value for key, value in found.items() if value is not None}
        return own | _prefixed("items.", self.items.constraints())


@attrs.frozen
class MapNode(Node):
    """`type: object` with no properties: a dict of str to `values`."""

    STRUCTURE = ("values",)

    values: Node

    def check(self) -> str:
        return f"_v.mapping({self.values.check()})"

    def decoder(self) -> str | None:
        inner = self.values.decoder()
        return None if inner is None else f"_decode.dict_of({inner})"

    def encoder(self, value: str, depth: int = 0) -> str:
        item = "item" if depth == 0 else f"item{depth}"
        key = "key" if depth == 0 else f"key{depth}"
        encoded = self.values.encoder(item, depth + 1)
        if encoded == item:
            return value
        return f"{{{key}: {encoded} for {key}, {item} in {value}.items()}}"

    def model_type(self) -> str:
        return f"dict[str, {self.values.model_type()}]"

    def param_type(self, *, field_level: bool = False) -> str:
        text = f"Mapping[str, {self.values.param_type()}]"
        if field_level and self.refers_to_classes():
            text += f" | SupportsToModel[{self.model_type()}]"
        return text

    def accepted_types(self) -> frozenset[str] | None:
        return frozenset({"dict"})

    def refers_to_classes(self) -> bool:
        return self.values.refers_to_classes()

    def _contains(self, other: Node) -> bool:
        return isinstance(other, MapNode) and self.values.contains(other.values)

    def constraints(self) -> dict[str, Any]:
        return _prefixed("additionalProperties.", self.values.constraints())


@attrs.frozen
class Nullable(Node):
    """A value of `inner`, or null (`X | None`)."""

    STRUCTURE = ("inner",)

    inner: Node

    def check(self) -> str:
        return f"_v.nullable({self.inner.check()})"

    def quick(self, value: str) -> str:
        test = self.inner.quick(value)
        return f"{value} is None" if test == "False" else f"({value} is None or {test})"

    def decoder(self) -> str | None:
        inner = self.inner.decoder()
        return None if inner is None else f"_decode.nullable({inner})"

    def encoder(self, value: str, depth: int = 0) -> str:
        encoded = self.inner.encoder(value, depth)
        return value if encoded == value else f"(None if {value} is None else {encoded})"

    def model_type(self) -> str:
        return f"{self.inner.model_type()} | None"

    def param_type(self, *, field_level: bool = False) -> str:
        return f"{self.inner.param_type(field_level=field_level)} | None"

    def accepted_types(self) -> frozenset[str] | None:
        inner = self.inner.accepted_types()
        return None if inner is None else inner | {"None"}

    def refers_to_classes(self) -> bool:
        return self.inner.refers_to_classes()

    def to_text(self, value: str) -> str:
        return self.inner.to_text(value)

    def branches(self) -> Sequence[Node]:
        return (*self.inner.branches(), NullValue())

    def constraints(self) -> dict[str, Any]:
        return _prefixed("anyOf.0.", self.inner.constraints())


@attrs.frozen
class Union(Node):
    """`anyOf` / `oneOf`: a value of one branch (`oneOf`: of exactly one)."""

    STRUCTURE: ClassVar[tuple[str, ...]] = ("kind", "options")

    kind: str
    """`anyOf` or `oneOf`."""
    options: tuple[Node, ...]

    @property
    def exactly_one(self) -> bool:
        return self.kind == "oneOf"

    def check(self) -> str:
        function = "_v.one_of" if self.exactly_one else "_v.any_of"
        return f"{function}({', '.join(branch.check() for branch in self.options)})"

    def quick(self, value: str) -> str:
        # Only for branches no value can fit two of (by `accepts`, an isinstance test):
        # then the branch whose type the value has is the only candidate, and its quick
        # form decides, as the union's check would.
        taken: set[str] = set()
        tests = []
        for branch in self.options:
            accepted = branch.accepted_types()
            if accepted is None or accepted & taken:
                return "False"
            taken |= accepted
            test = branch.quick(value)
            if test != "False":
                tests.append(test)
        return "(" + " or ".join(tests) + ")" if tests else "False"

    def quick_items(self, value: str) -> str | None:
        # Plain strings, where one branch alone takes strings: that branch decides.
        strings = [
            branch
            for branch in self.options
            if "str" in (branch.accepted_types() or frozenset({"str"}))
        ]
        if len(strings) == 1 and self.quick("x") != "False" and isinstance(strings[0], StringNode):
            return strings[0].quick_texts(value)
        return None

    def _untagged_decoder(self) -> str | None:
        decoders = [branch.decoder() for branch in self.options]
        if all(decode is None for decode in decoders):
            return None
        pairs = ", ".join(
            f"({branch.check()}, {decode})"
            for branch, decode in zip(self.options, decoders, strict=True)
        )
        return f"_decode.union({pairs}, exactly_one={self.exactly_one})"

    def decoder(self) -> str | None:
        return self._untagged_decoder()

    def encoder(self, value: str, depth: int = 0) -> str:
        if all(branch.encoder(value, depth) == value for branch in self.options):
            return value
        return f"_encode.to_json({value})"

    def model_type(self) -> str:
        return _join(branch.model_type() for branch in self.options)

    def param_type(self, *, field_level: bool = False) -> str:
        return _join(branch.param_type() for branch in self.options)

    def refers_to_classes(self) -> bool:
        return any(branch.refers_to_classes() for branch in self.options)

    def to_text(self, value: str) -> str:
        texts = {branch.to_text(value) for branch in self.options}
        if len(texts) == 1:
            return texts.pop()
        return f"_encode.parameter_text({value})"

    def branches(self) -> Sequence[Node]:
        return tuple(node for branch in self.options for node in branch.branches())

    def constraints(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for index, branch in enumerate(self.options):
            found |= _prefixed(f"{self.kind}.{index}.", branch.constraints())
        return found


@attrs.frozen
class TaggedUnion(Union):
    """A union of models told apart by one property's value (a discriminator, or each
    branch declaring its own constant there): a tagged answer decodes to its class
    without trying the others; a value without the tag is decoded as an untagged union."""

    STRUCTURE: ClassVar[tuple[str, ...]] = ("kind", "options", "tag", "tags")

    tag: str = ""
    """The property's wire name."""
    tags: tuple[tuple[str, int], ...] = ()
    """`(value, index of the branch)`, every value that selects a branch."""

    def decoder(self) -> str | None:
        untagged = self._untagged_decoder()
        table = ", ".join(
            f"({json.dumps(value)}, {self.options[index].decoder()})" for value, index in self.tags
        )
        return f"_decode.tagged({json.dumps(self.tag)}, ({table},), {untagged})"

    def encoder(self, value: str, depth: int = 0) -> str:
        return f"{value}.to_dict()"


# Building the tree -------------------------------------------------------------------------


@attrs.frozen
class Builder:
    """Reads canonical schemas into nodes, naming classes as the model engine does."""

    schemas: Mapping[str, JsonObject]
    classes: Mapping[str, str] = attrs.field(factory=dict)
    """The engine's class name of each component (by default, the component's name)."""
    request_side: frozenset[str] = frozenset()
    """The components a request holds (reachable from a request body or parameter)."""
    strict: bool = True
    """Refuse what code cannot be written for (an ambiguous union); the version diff,
    which only compares, reads any schema."""

    def cls(self, component: str) -> str:
        return self.classes.get(component, component)

    def node(self, schema: JsonObject, where: str) -> Node:
        """The node of a canonical schema found at `where` (for messages)."""
        inner, nullable = split_nullable(schema)
        if nullable:
            return Nullable(self.node(inner, where))
        if not (set(schema) - ANNOTATIONS):
            return AnyValue()
        ref = schema.get("$ref")
        if isinstance(ref, str):
            component = ref[len(SCHEMA_REF) :]
            if "enum" in self.schemas[component]:
                return EnumRef(component, self.cls(component))
            return ModelRef(component, self.cls(component), component in self.request_side)
        for union in ("anyOf", "oneOf"):
            if union in schema:
                return self._union(schema, union, where)
        if "const" in schema:
            return ConstValue(schema["const"])
        kind = schema.get("type")
        given = schema.get("title")
        title: str | None = given if isinstance(given, str) else None
        if kind == "string":
            if schema.get("format") == "binary":
                return BytesNode()
            return StringNode(
                min_length=schema.get("minLength"),
                max_length=schema.get("maxLength"),
                pattern=schema.get("pattern"),
                format=schema.get("format"),
                title=title,
            )
        if kind in ("integer", "number"):
            return NumberNode(
                integral=kind == "integer",
                minimum=schema.get("minimum"),
                maximum=schema.get("maximum"),
                exclusive_minimum=_bound(schema.get("exclusiveMinimum")),
                exclusive_maximum=_bound(schema.get("exclusiveMaximum")),
                multiple_of=schema.get("multipleOf"),
                format=schema.get("format"),
                title=title,
            )
        if kind == "boolean":
            return BooleanNode(title=title)
        if kind == "null":
            return NullValue()
        if kind == "array":
            return ArrayNode(
                self.node(schema["items"], child(where, "items")),
                min_items=schema.get("minItems"),
                max_items=schema.get("maxItems"),
                unique=bool(schema.get("uniqueItems")),
            )
        if kind == "object":
            values = schema["additionalProperties"]
            return MapNode(self.node(values, child(where, "additionalProperties")))
        raise UnsupportedSpec(where, f"unsupported schema: {json.dumps(schema)[:200]}")

    def _union(self, schema: JsonObject, kind: str, where: str) -> Node:
        options = tuple(
            self.node(branch, child(where, kind, index))
            for index, branch in enumerate(schema[kind])
        )
        models = [option for option in options if isinstance(option, ModelRef)]
        if len(models) != len(options) or len(models) < 2:
            return Union(kind, options)
        discriminator = schema.get("discriminator")
        if discriminator is not None:
            tag = str(discriminator["propertyName"])
            explicit = dict(discriminator.get("mapping") or {})
            return TaggedUnion(kind, options, tag, self._tags(models, tag, explicit))
        implicit = self._implicit_tag(models)
        if implicit is not None:
            return TaggedUnion(kind, options, implicit[0], implicit[1])
        if self.strict:
            self._refuse_ambiguous(models, kind, where)
        return Union(kind, options)

    def _tags(
        self, models: list[ModelRef], tag: str, explicit: Mapping[str, str]
    ) -> tuple[tuple[str, int], ...]:
        """Every tag value and its branch: the mapping's, then each unmapped branch's own
        constant for the property, or else its schema name (as OpenAPI says)."""
        index = {model.component: position for position, model in enumerate(models)}
        tags = [(value, index[component]) for value, component in explicit.items()]
        mapped = set(explicit.values())
        for position, model in enumerate(models):
            if model.component in mapped:
                continue
            values = self._constants(model.component, tag)
            for value in values or [model.component]:
                tags.append((str(value), position))
        return tuple(tags)

    def _constants(self, component: str, prop: str) -> list[Any]:
        """The values a model's property may only have, if it says (const, a small enum)."""
        schema = self.schemas[component].get("properties", {}).get(prop)
        if not isinstance(schema, dict):
            return []
        if "const" in schema:
            return [schema["const"]]
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = self.schemas.get(ref[len(SCHEMA_REF) :], {})
            return list(target.get("enum", []))
        return []

    def _implicit_tag(
        self, models: list[ModelRef]
    ) -> tuple[str, tuple[tuple[str, int], ...]] | None:
        """A property every branch declares with its own single constant, if one does."""
        first = self.schemas[models[0].component].get("properties", {})
        for prop in first:
            values = [self._constants(model.component, prop) for model in models]
            if all(len(found) == 1 for found in values):
                flat = [found[0] for found in values]
                if len(set(map(str, flat))) == len(flat) and all(
                    isinstance(value, str) for value in flat
                ):
                    return prop, tuple((str(value), index) for index, value in enumerate(flat))
        return None

    def _refuse_ambiguous(self, models: list[ModelRef], kind: str, where: str) -> None:
        """Refuse a union of models where the least object of one branch (its required
        keys) is also an object of another: it could decode to the wrong class (`anyOf`
        takes the first that fits; `oneOf` refuses a value two fit)."""
        for position, first in enumerate(models):
            for other, second in enumerate(models):
                # anyOf takes the first branch that fits: only an earlier branch taking a
                # later one's objects is a problem; for oneOf, any branch taking another's.
                earlier = other < position or kind == "oneOf"
                if (
                    first.component != second.component
                    and earlier
                    and self._captures(second, first)
                ):
                    pair = sorted((first.component, second.component))
                    raise UnsupportedSpec(
                        where,
                        f"{kind} of {pair[0]} and {pair[1]} is ambiguous: the same JSON object"
                        " can be either (no discriminator, and no required property or"
                        " constant tells them apart); add a discriminator",
                    )

    def _captures(self, model: ModelRef, other: ModelRef) -> bool:
        """Whether an object with only `other`'s required keys is an object of `model`."""
        a, b = self.schemas[model.component], self.schemas[other.component]
        keys = set(b.get("required", ()))
        if not set(a.get("required", ())) <= keys:
            return False
        for key in keys:
            if key not in a.get("properties", {}) and not a.get("additionalProperties", True):
                return False
            declared = [s["properties"][key] for s in (a, b) if key in s.get("properties", {})]
            if len(declared) == 2 and _disjoint(
                self._values(declared[0]), self._values(declared[1])
            ):
                return False
        return True

    def _values(self, schema: JsonObject) -> tuple[set[str], set[Any] | None] | None:
        """`(the JSON types, the values if only some)` a schema allows; None: not known."""
        inner, nullable = split_nullable(schema)
        found = self._inner_values(inner)
        if found is None or not nullable:
            return found
        types, values = found
        return types | {"null"}, None if values is None else values | {None}

    def _inner_values(self, schema: JsonObject) -> tuple[set[str], set[Any] | None] | None:
        if "const" in schema:
            return {_json_type(schema["const"])}, {schema["const"]}
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = self.schemas[ref[len(SCHEMA_REF) :]]
            if "enum" in target:
                return {str(target["type"])}, set(target["enum"])
            return {"object"}, None
        kind = schema.get("type")
        if isinstance(kind, str):
            return {"number" if kind == "integer" else kind}, None
        return None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "object"


def _disjoint(
    one: tuple[set[str], set[Any] | None] | None, two: tuple[set[str], set[Any] | None] | None
) -> bool:
    """Whether no JSON value is valid for both (by type, or by the values they allow)."""
    if one is None or two is None:
        return False
    types = {"number" if kind == "integer" else kind for kind in one[0]}
    other = {"number" if kind == "integer" else kind for kind in two[0]}
    if not types & other:
        return True
    return one[1] is not None and two[1] is not None and not one[1] & two[1]


def _bound(value: Any) -> float | None:
    """An exclusive bound, a number (the canonical form rewrites 3.0's boolean form)."""
    return None if isinstance(value, bool) else value  # type: ignore[no-any-return,unused-ignore]
