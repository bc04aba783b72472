"""Bring every schema of a document to the one canonical form the other steps read.

Real documents say the same thing in many ways. This module rewrites each way into one,
so that the nodes (`nodes`), the templates and the version diff have one case each:

- every object schema with `properties`, and every enum, is a named component: inline
  ones (request and response bodies, properties, array items, union branches) are moved
  to `components/schemas` under a name made from where they were (`CreateEmbedding`
  + `Request`, `EmbeddingCacheConfig` + `Type`);
- "may be null" is always `{"anyOf": [<schema>, {"type": "null"}]}`, whether the
  document wrote `nullable: true` (3.0), `type: [X, "null"]`, `anyOf`/`oneOf` with a
  null branch, `null` among an enum's values or `const: null` in a union;
- `type: [X, Y]` is an `anyOf` of one schema per type; a schema with no type is "any
  JSON value" (`{}`); an object with no `properties` is a map (`additionalProperties`
  says of what, `{}` when anything);
- `allOf` with one member is that member; with several, they are merged into one
  schema (objects: their properties and `required` together), which is then read as
  if written so;
- `type` next to `anyOf`/`oneOf` goes into each branch (and a branch it contradicts is
  refused: no value can be both);
- `const` is kept as `{"const": value}` where it is a field's whole schema (a
  `Literal`); in a union or nullable, constants become an enum (a class), as the model
  engine writes them;
- a discriminator's mapping names components (`{"text": "EmbedText"}`);
- a `$ref` to a component that is neither an object nor an enum (an alias of a string,
  an array, a union) is replaced by what it refers to;
- `required` naming a property the schema does not define makes it a required
  property of any type (what JSON Schema says it is);
- a `format` no node checks is dropped with a warning: the value is checked as its type.

What cannot be brought to this form raises `UnsupportedSpec` with the JSON pointer of the
schema in the original document and what about it is not supported. With `lenient`, a
`type` contradicting every branch of the union next to it is dropped, and so is a
`required` name that names no property, each with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.spec import (
    ANNOTATIONS,
    SCHEMA_REF,
    VALUE_KEYWORDS,
    JsonObject,
    Spec,
    UnsupportedSpec,
    child,
    escape,
    is_null,
    pascal_case,
    split_nullable,
)

#: Keywords of a schema this generator can compile, besides the annotations.
_KNOWN = (
    VALUE_KEYWORDS
    | ANNOTATIONS
    | {"type", "properties", "required", "additionalProperties", "items", "enum", "const"}
    | {"anyOf", "oneOf", "allOf", "$ref", "nullable", "discriminator"}
)

_SCALARS = ("string", "integer", "number", "boolean")
_NULL: JsonObject = {"type": "null"}

#: `format` values a node checks or types, by the type they apply to (`nodes`).
FORMATS = {
    "string": frozenset({"email", "uri", "binary"}),
    "integer": frozenset({"int32", "int64"}),
    "number": frozenset({"float", "double", "int32", "int64"}),
}
#: Formats that say how a string is written but are not checked, quietly: `byte` is the
#: base64 text of bytes (an embedding in base64), `password` a hint to hide it.
_PLAIN_FORMATS = frozenset({"byte", "password"})


class Canonicaliser:
    """Rewrites one document; see the module's docstring for the rules."""

    def __init__(
        self, document: JsonObject, *, lenient: bool = False, warnings: list[str] | None = None
    ) -> None:
        self.document = document
        self.lenient = lenient
        self.warnings: list[str] = list(warnings or [])
        self.components: dict[str, Any] = (document.get("components") or {}).get("schemas") or {}
        self.schemas: dict[str, JsonObject] = {}
        self.origins: dict[str, str] = {}
        self._aliases_in_progress: list[str] = []
        self._aliases: dict[str, JsonObject] = {}
        """Alias components already brought to the canonical form, by name."""
        self._flat: dict[str, JsonObject] = {}
        """Components with their `allOf` merged, by name."""
        self._merging: list[str] = []
        self._unchecked_formats: dict[tuple[str, str], list[str]] = {}

    def spec(self, path: Path) -> Spec:
        from generator.operations import OperationReader, read_auth

        for name in self.components:
            self._component(name)
        reader = OperationReader(self)
        operations = tuple(reader.operations())
        auth = read_auth(self.document, lenient=self.lenient, warnings=self.warnings)
        return Spec(
            document=self.document,
            path=path,
            schemas=dict(self.schemas),
            origins=dict(self.origins),
            operation_list=operations,
            auth=auth,
            warnings=(*self.warnings, *self._format_warnings()),
        )

    def _format_warnings(self) -> Iterator[str]:
        for (kind, fmt), places in self._unchecked_formats.items():
            more = f" and {len(places) - 1} more place(s)" if len(places) > 1 else ""
            yield (
                f"{places[0]}: format {fmt!r} is not checked: the value is checked as"
                f" {'an' if kind == 'integer' else 'a'} {kind}{more}"
            )

    # Components -------------------------------------------------------------------------

    def _component(self, name: str) -> JsonObject | None:
        """The canonical body of a named component, or None when it is only an alias."""
        where = child("#/components/schemas", name)
        raw = self._raw_component(name)
        if self._is_named(raw):
            if name not in self.schemas:
                self.origins[name] = where
                self.schemas[name] = {}  # placeholder: a recursive $ref finds the name
                self.schemas[name] = self._named_body(raw, name, where)
            return self.schemas[name]
        return None

    def _raw_component(self, name: str) -> JsonObject:
        """A component as written, its `allOf` merged, its extensions (`x-...`) left out."""
        if name in self._flat:
            return self._flat[name]
        raw = self.components[name]
        where = child("#/components/schemas", name)
        if raw is True or raw == {}:
            return {}
        if not isinstance(raw, dict):
            raise UnsupportedSpec(where, f"a schema must be an object, got {raw!r}")
        node = _strip_extensions(raw)
        if "allOf" in node and _needs_merge(node):
            if name in self._merging:
                raise UnsupportedSpec(where, f"allOf that includes itself ({name})")
            self._merging.append(name)
            try:
                node = self._merge_all_of(node, where)
            finally:
                self._merging.pop()
        self._flat[name] = node
        return node

    @staticmethod
    def _is_named(raw: JsonObject) -> bool:
        """Whether a schema becomes a class of its own: an object with properties, an enum."""
        if "enum" in raw:
            return True
        return "properties" in raw and raw.get("type", "object") in ("object", ["object"])

    def _ref(self, ref: str, where: str, siblings: JsonObject) -> JsonObject:
        if not ref.startswith(SCHEMA_REF):
            raise UnsupportedSpec(where, f"only $refs to {SCHEMA_REF}... are supported: {ref}")
        name = ref[len(SCHEMA_REF) :].replace("~1", "/").replace("~0", "~")
        if name not in self.components:
            raise UnsupportedSpec(where, f"$ref to a schema that does not exist: {ref}")
        raw = self._raw_component(name)
        annotations = {key: value for key, value in siblings.items() if key in ANNOTATIONS}
        if self._is_named(raw):
            body = self._component(name)
            assert body is not None
            target = {"$ref": SCHEMA_REF + name}
            if "enum" in raw and None in raw["enum"]:
                # A nullable enum: the class holds the other values; null is a branch.
                return {"anyOf": [target, _NULL], **annotations}
            return {**target, **annotations}
        if name in self._aliases_in_progress:
            raise UnsupportedSpec(where, f"a recursive alias ({name}) is not supported")
        if name not in self._aliases:
            self._aliases_in_progress.append(name)
            try:
                self._aliases[name] = self.schema(
                    raw, child("#/components/schemas", name), pascal_case(name)
                )
            finally:
                self._aliases_in_progress.pop()
        return {**self._aliases[name], **annotations}

    def _hoist(self, raw: JsonObject, where: str, name: str) -> JsonObject:
        """Move an inline object or enum to the components under `name`; a `$ref` to it."""
        if name in self.components or name in self.schemas:
            taken = self.origins.get(name, child("#/components/schemas", name))
            raise UnsupportedSpec(
                where,
                f"this inline schema would be named {name}, which {taken} already is;"
                " move it to components/schemas under a name of its own",
            )
        self.origins[name] = where
        self.schemas[name] = {}
        self.schemas[name] = self._named_body(raw, name, where)
        ref: JsonObject = {"$ref": SCHEMA_REF + name}
        for key in ("description", "default", "examples", "example"):
            if key in raw:
                ref[key] = raw[key]
        if "enum" in raw and None in raw["enum"]:
            return {"anyOf": [ref, _NULL]}
        return ref

    def _named_body(self, raw: JsonObject, name: str, where: str) -> JsonObject:
        self._check_keywords(raw, where)
        if "enum" in raw:
            return self._enum(raw, where)
        required = list(raw.get("required", []))
        extra = raw.get("additionalProperties", True)
        if extra not in (True, False, {}):
            raise UnsupportedSpec(
                child(where, "additionalProperties"),
                "an object with properties may allow any extra keys (true or {}) or none"
                " (false), not extra keys of a given schema",
            )
        properties = {
            prop: self.schema(value, f"{where}/properties/{escape(prop)}", name + pascal_case(prop))
            for prop, value in raw["properties"].items()
        }
        for key in [key for key in required if key not in properties]:
            if self.lenient:
                # Most often a slip (the property is elsewhere, say in a nested object):
                # every answer would be refused for lacking it.
                self.warnings.append(
                    f"{child(where, 'required')}: repaired: {key!r} names no property of"
                    " the schema; it is not required"
                )
                required.remove(key)
            else:
                # Valid JSON Schema: a required property of any type (it says no more).
                properties[key] = {}
        body: JsonObject = {"type": "object", "properties": properties}
        if required:
            body["required"] = list(dict.fromkeys(required))
        body["additionalProperties"] = extra is not False
        for key in ("description", "title"):
            if key in raw:
                body[key] = raw[key]
        return body

    def _enum(self, raw: JsonObject, where: str) -> JsonObject:
        values = [value for value in raw["enum"] if value is not None]
        kinds = {type(value) for value in values}
        if not values or len(kinds) != 1 or kinds - {str, int}:
            raise UnsupportedSpec(
                child(where, "enum"),
                "an enum must list strings only, or integers only (null aside)",
            )
        kind = "string" if kinds == {str} else "integer"
        body: JsonObject = {"type": kind, "enum": list(dict.fromkeys(values))}
        for key in ("description", "title", "default"):
            if key in raw:
                body[key] = raw[key]
        return body

    # allOf ------------------------------------------------------------------------------

    def _merge_all_of(self, raw: JsonObject, where: str) -> JsonObject:
        """One schema that says what every member of `allOf` says (and the schema itself)."""
        members = raw["allOf"]
        if not isinstance(members, list) or not members:
            raise UnsupportedSpec(child(where, "allOf"), "allOf must list at least one schema")
        merged: JsonObject = {}
        for index, member in enumerate(members):
            member_where = child(where, "allOf", index)
            merged = _merge(merged, self._member(member, member_where), member_where)
        outer = {key: value for key, value in raw.items() if key != "allOf"}
        merged = _merge(
            {key: value for key, value in merged.items() if key not in ANNOTATIONS},
            {key: value for key, value in outer.items() if key not in ANNOTATIONS},
            where,
        ) | {key: value for key, value in merged.items() if key in ANNOTATIONS}
        merged.update({key: value for key, value in outer.items() if key in ANNOTATIONS})
        return merged

    def _member(self, member: Any, where: str) -> JsonObject:
        """An `allOf` member as written, a `$ref` followed (to the component's own merge)."""
        if member is True or member == {}:
            return {}
        if not isinstance(member, dict):
            raise UnsupportedSpec(where, f"a schema must be an object, got {member!r}")
        member = _strip_extensions(member)
        if "$ref" in member:
            ref = member["$ref"]
            if not isinstance(ref, str) or not ref.startswith(SCHEMA_REF):
                raise UnsupportedSpec(where, f"only $refs to {SCHEMA_REF}... are supported: {ref}")
            name = ref[len(SCHEMA_REF) :].replace("~1", "/").replace("~0", "~")
            if name not in self.components:
                raise UnsupportedSpec(where, f"$ref to a schema that does not exist: {ref}")
            if name in self._merging:
                raise UnsupportedSpec(where, f"allOf that includes itself ({name})")
            self._merging.append(name)
            try:
                target = self._raw_component(name)
            finally:
                self._merging.pop()
            rest = {key: value for key, value in member.items() if key != "$ref"}
            return _merge(dict(target), rest, where) if rest else dict(target)
        if "allOf" in member and _needs_merge(member):
            return self._merge_all_of(member, where)
        return dict(member)

    # Schemas ----------------------------------------------------------------------------

    def schema(self, raw: Any, where: str, name: str) -> JsonObject:
        """The canonical form of one schema; `name` is what an inline class would be named."""
        if raw is True or raw == {}:
            return {}
        if raw is False:
            raise UnsupportedSpec(where, "the schema `false` allows no value at all")
        if not isinstance(raw, dict):
            raise UnsupportedSpec(where, f"a schema must be an object, got {raw!r}")
        return self._schema(_strip_extensions(raw), where, name)

    def _schema(self, raw: JsonObject, where: str, name: str) -> JsonObject:
        self._check_keywords(raw, where)
        annotations = {key: raw[key] for key in ANNOTATIONS & raw.keys()}
        if "$ref" in raw:
            rest = set(raw) - ANNOTATIONS - {"$ref", "nullable"}
            if rest:
                # 3.1 allows keywords beside $ref: they apply too, as in an allOf.
                ref = {"$ref": raw["$ref"]}
                others = {key: raw[key] for key in rest | {"nullable"} & raw.keys()}
                return self._schema({**annotations, "allOf": [ref, others]}, where, name)
            if raw.get("nullable"):
                inner = self._ref(raw["$ref"], where, raw)
                return _nullable(inner, annotations)
            return self._ref(raw["$ref"], where, raw)
        if raw.pop("nullable", False):
            inner = self.schema(raw, where, name)
            return _nullable(inner, annotations)
        if "allOf" in raw:
            if not _needs_merge(raw):
                members = raw.pop("allOf")
                index = next(i for i, m in enumerate(members) if _has_content(m))
                inner = self.schema(members[index], child(where, "allOf", index), name)
                return {**inner, **annotations}
            return self._schema(self._merge_all_of(raw, where), where, name)
        for union in ("anyOf", "oneOf"):
            if union in raw:
                return self._union(raw, union, where, name, annotations)
        if "discriminator" in raw:
            raise UnsupportedSpec(
                child(where, "discriminator"),
                "a discriminator needs a oneOf or anyOf beside it (polymorphism through"
                " allOf is not supported)",
            )
        kind = raw.get("type")
        if isinstance(kind, list):
            return self._type_list(raw, kind, where, name, annotations)
        if "enum" in raw and _booleans(raw["enum"]):
            values = [value for value in raw["enum"] if value is not None]
            kept = {key: value for key, value in raw.items() if key not in ("enum", "type")}
            inner = (
                {**kept, "const": values[0]} if len(values) == 1 else {**kept, "type": "boolean"}
            )
            if None in raw["enum"]:
                return self.schema({**inner, "nullable": True}, where, name)
            return self._schema(inner, where, name)
        if "enum" in raw:
            return self._hoist(raw, where, name)
        if "const" in raw:
            return self._const(raw, where, annotations)
        if kind is None:
            if "properties" in raw or "additionalProperties" in raw:
                kind = "object"
            elif "items" in raw:
                kind = "array"
            else:
                return {key: value for key, value in raw.items() if key in ANNOTATIONS}
        if kind == "object":
            return self._object(raw, where, name, annotations)
        if kind == "array":
            if "items" not in raw:
                return {**raw, "items": {}}
            items = self.schema(raw["items"], child(where, "items"), name + "Item")
            return {**raw, "items": items}
        if kind in _SCALARS:
            return self._format(_exclusive_bounds(raw), kind, where)
        if kind == "null":
            return raw
        raise UnsupportedSpec(child(where, "type"), f"unknown type {kind!r}")

    def _format(self, raw: JsonObject, kind: str, where: str) -> JsonObject:
        """The scalar with its `format` if a node checks it; else without, and a warning."""
        fmt = raw.get("format")
        if fmt is None or fmt in FORMATS.get(kind, ()):
            return raw
        if fmt not in _PLAIN_FORMATS or kind != "string":
            self._unchecked_formats.setdefault((kind, str(fmt)), []).append(child(where, "format"))
        return {key: value for key, value in raw.items() if key != "format"}

    def _const(self, raw: JsonObject, where: str, annotations: JsonObject) -> JsonObject:
        value = raw["const"]
        if value is None:
            return {"type": "null", **annotations}
        kind = raw.get("type")
        if isinstance(value, bool):
            value_kind = "boolean"
        elif isinstance(value, int):
            value_kind = "integer"
        elif isinstance(value, str):
            value_kind = "string"
        else:
            raise UnsupportedSpec(
                child(where, "const"),
                "a const that is an object, an array or a fractional number is not supported",
            )
        if (
            kind is not None
            and kind != value_kind
            and not (kind == "number" and value_kind == "integer")
        ):
            raise UnsupportedSpec(
                child(where, "const"), f"const {value!r} is not of the schema's type {kind!r}"
            )
        return {"const": value, **annotations}

    def _object(
        self, raw: JsonObject, where: str, name: str, annotations: JsonObject
    ) -> JsonObject:
        if "properties" in raw:
            return self._hoist(raw, where, name)
        extra = raw.get("additionalProperties", True)
        values = {} if extra in (True, {}) else extra
        if values is False:
            raise UnsupportedSpec(where, "an object with no properties and no extra keys is empty")
        where_values = child(where, "additionalProperties")
        body = self.schema(values, where_values, name + "Value")
        return {"type": "object", "additionalProperties": body, **annotations}

    def _union(
        self, raw: JsonObject, union: str, where: str, name: str, annotations: JsonObject
    ) -> JsonObject:
        beside = (set(raw) & VALUE_KEYWORDS) - {"minItems", "maxItems", "uniqueItems"}
        rest = set(raw) - ANNOTATIONS - {union, "type", "discriminator"} - beside
        if rest:
            raise UnsupportedSpec(where, f"{union} next to {sorted(rest)} is not supported")
        raw_branches = raw[union]
        if not isinstance(raw_branches, list) or not raw_branches:
            raise UnsupportedSpec(child(where, union), f"{union} must list at least one schema")
        if "type" in raw:
            raw_branches = self._typed_branches(raw, union, where)
        if beside:
            raw_branches = [_with_keywords(branch, raw, beside) for branch in raw_branches]
        if self._only_constants(raw_branches):
            return self._constants_enum(raw, raw_branches, where, name)
        branches: list[JsonObject] = []
        nullable = False
        several = len([b for b in raw_branches if not (isinstance(b, dict) and is_null(b))]) > 1
        for index, branch in enumerate(raw_branches):
            title = branch.get("title") if isinstance(branch, dict) else None
            suffix = pascal_case(title) if isinstance(title, str) else f"Option{index + 1}"
            branch_where = child(where, union, index)
            inner = self.schema(branch, branch_where, name + suffix)
            inner, inner_nullable = split_nullable(inner)
            nullable = nullable or inner_nullable
            if "const" in inner and several:
                # A constant among other branches: a one-value enum, as the engine writes it.
                inner = self._hoist(_const_enum(inner), branch_where, name + suffix)
            if is_null(inner):
                nullable = True
            elif inner not in branches:
                branches.append(inner)
        if not branches:
            raise UnsupportedSpec(where, f"{union} allows nothing but null")
        if nullable and len(branches) == 1 and "const" in branches[0]:
            branches = [self._hoist(_const_enum(branches[0]), where, name)]
        body: JsonObject = branches[0] if len(branches) == 1 else {union: branches}
        if "discriminator" in raw:
            if len(branches) == 1:
                body = branches[0]
            else:
                body = {**body, "discriminator": self._discriminator(raw, union, branches, where)}
        body = {**body, **annotations}
        return _nullable(body, annotations) if nullable else body

    @staticmethod
    def _only_constants(branches: list[Any]) -> bool:
        """Whether a union lists constants of one type (and maybe null): an enum."""
        values = [
            branch["const"]
            for branch in branches
            if isinstance(branch, dict) and "const" in branch and branch["const"] is not None
        ]
        others = [
            branch
            for branch in branches
            if not (isinstance(branch, dict) and ("const" in branch or is_null(branch)))
        ]
        kinds = {type(value) for value in values}
        return len(values) > 1 and not others and len(kinds) == 1 and kinds <= {str, int}

    def _constants_enum(
        self, raw: JsonObject, branches: list[Any], where: str, name: str
    ) -> JsonObject:
        values = [b["const"] for b in branches if "const" in b and b["const"] is not None]
        nullable = any(is_null(b) or b.get("const", 0) is None for b in branches)
        enum: JsonObject = {"enum": [*values, *([None] if nullable else [])]}
        for key in ("description", "title", "default"):
            if key in raw:
                enum[key] = raw[key]
        return self._hoist(enum, where, name)

    def _typed_branches(self, raw: JsonObject, union: str, where: str) -> list[Any]:
        """The branches of a union with the `type` beside it put into each.

        `type: string` with an `anyOf` of string enums is a common spelling; a branch of
        another type could never be valid, so the document says something else than it
        means: refused, or (lenient) the outer `type` is dropped.
        """
        outer = raw["type"]
        outer_types = set(outer) if isinstance(outer, list) else {outer}
        branches = []
        for index, branch in enumerate(raw[union]):
            types = self._branch_types(branch)
            if types is not None and not _overlap(types, outer_types):
                what = f"{union}/{index} is {' or '.join(sorted(types))}"
                if self.lenient:
                    self.warnings.append(
                        f"{child(where, 'type')}: repaired: type {outer!r} contradicts {what};"
                        " the type beside the union is dropped"
                    )
                    return list(raw[union])
                raise UnsupportedSpec(
                    child(where, "type"),
                    f"type {outer!r} contradicts {what}: no value can be both"
                    " (--lenient drops the type beside the union)",
                )
            if (
                isinstance(branch, dict)
                and types is None
                and not ({"$ref", "anyOf", "oneOf", "allOf"} & branch.keys())
            ):
                branch = {**branch, "type": outer}
            branches.append(branch)
        return branches

    def _branch_types(self, branch: Any) -> set[str] | None:
        """The JSON types a branch allows, when it says (None: any, or not known here)."""
        if not isinstance(branch, dict):
            return None
        if "$ref" in branch and isinstance(branch["$ref"], str):
            name = branch["$ref"][len(SCHEMA_REF) :]
            if branch["$ref"].startswith(SCHEMA_REF) and name in self.components:
                target = self._raw_component(name)
                if target is not branch:
                    return self._branch_types(target)
            return None
        kind = branch.get("type")
        if isinstance(kind, str):
            return {kind}
        if isinstance(kind, list):
            return {str(item) for item in kind}
        for key in ("enum",):
            if key in branch and isinstance(branch[key], list):
                return {_json_type(value) for value in branch[key]}
        if "const" in branch:
            return {_json_type(branch["const"])}
        if "properties" in branch:
            return {"object"}
        if "items" in branch:
            return {"array"}
        for union in ("anyOf", "oneOf"):
            if isinstance(branch.get(union), list):
                found: set[str] = set()
                for item in branch[union]:
                    types = self._branch_types(item)
                    if types is None:
                        return None
                    found |= types
                return found
        return None

    def _discriminator(
        self, raw: JsonObject, union: str, branches: list[JsonObject], where: str
    ) -> JsonObject:
        """The discriminator with its mapping naming components: `{"text": "EmbedText"}`."""
        given = raw["discriminator"]
        disc_where = child(where, "discriminator")
        if not isinstance(given, dict) or not isinstance(given.get("propertyName"), str):
            raise UnsupportedSpec(disc_where, "a discriminator needs a propertyName")
        names = []
        for index, branch in enumerate(branches):
            ref = branch.get("$ref")
            name = ref[len(SCHEMA_REF) :] if isinstance(ref, str) else None
            if (
                name is None
                or set(branch) - ANNOTATIONS != {"$ref"}
                or "enum" in self.schemas.get(name, {})
            ):
                raise UnsupportedSpec(
                    child(where, union, index),
                    "each branch of a union with a discriminator must be an object schema",
                )
            names.append(name)
        mapping: dict[str, str] = {}
        for value, target in (given.get("mapping") or {}).items():
            name = str(target)
            if name.startswith("#/"):
                name = name[len(SCHEMA_REF) :] if name.startswith(SCHEMA_REF) else name
            if name not in names:
                raise UnsupportedSpec(
                    child(disc_where, "mapping", str(value)),
                    f"{target} is not one of the {union} branches",
                )
            mapping[str(value)] = name
        return {"propertyName": given["propertyName"], "mapping": mapping}

    def _type_list(
        self, raw: JsonObject, kinds: list[Any], where: str, name: str, annotations: JsonObject
    ) -> JsonObject:
        nullable = "null" in kinds
        others = [kind for kind in kinds if kind != "null"]
        if not others:
            return {"type": "null", **annotations}
        if len(others) == 1:
            inner = self.schema({**raw, "type": others[0]}, where, name)
            if nullable and "const" in inner:
                inner = self._hoist(_const_enum(inner), where, name)
        else:
            branches = [self.schema(_for_type(raw, kind), where, name) for kind in others]
            inner = {"anyOf": branches, **annotations}
        return _nullable(inner, annotations) if nullable else inner

    def _check_keywords(self, raw: JsonObject, where: str) -> None:
        unknown = sorted(key for key in raw if key not in _KNOWN and not key.startswith("x-"))
        if unknown:
            raise UnsupportedSpec(where, f"unsupported keyword(s) {', '.join(unknown)}")


def _with_keywords(branch: Any, raw: JsonObject, keywords: set[str]) -> Any:
    """A union's branch with the value keywords beside the union that apply to its type
    (`format: date-time` beside an `anyOf` of strings constrains each string)."""
    if not isinstance(branch, dict) or not isinstance(branch.get("type"), str):
        return branch
    applies = _TYPE_KEYWORDS.get(branch["type"], set())
    extra = {key: raw[key] for key in keywords if key in applies and key not in branch}
    return {**branch, **extra} if extra else branch


def _exclusive_bounds(raw: JsonObject) -> JsonObject:
    """3.0's `exclusiveMinimum: true` (beside `minimum`) written as 3.1 does: the number."""
    out = dict(raw)
    for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        # A boolean flag is dropped; a true one with its bound becomes that number.
        if isinstance(out.get(flag), bool) and out.pop(flag) and bound in out:
            out[flag] = out.pop(bound)
    return out


def _booleans(values: Any) -> bool:
    """An enum of booleans (and null): a constant, or the boolean type, not a class."""
    if not isinstance(values, list):
        return False
    found = [value for value in values if value is not None]
    return bool(found) and all(isinstance(value, bool) for value in found)


def _strip_extensions(raw: JsonObject) -> JsonObject:
    return {key: value for key, value in raw.items() if not key.startswith("x-")}


def _has_content(member: Any) -> bool:
    """Whether an `allOf` member says more than annotations."""
    return not isinstance(member, dict) or bool(set(member) - ANNOTATIONS)


def _needs_merge(raw: JsonObject) -> bool:
    """Whether an `allOf` must be merged: more than one member (or the schema beside it)
    says something; else it is its one member."""
    members = raw.get("allOf")
    if not isinstance(members, list):
        return False
    saying = [member for member in members if _has_content(member)]
    beside = set(raw) - ANNOTATIONS - {"allOf"}
    return len(saying) != 1 or bool(beside)


_LOWER = frozenset({"minimum", "exclusiveMinimum", "minLength", "minItems"})
_UPPER = frozenset({"maximum", "exclusiveMaximum", "maxLength", "maxItems"})


def _merge(a: JsonObject, b: JsonObject, where: str) -> JsonObject:
    """Two schemas that must both hold, as one (the keywords `allOf` members can share)."""
    out = dict(a)
    for key, value in b.items():
        if key not in out or out[key] == value:
            out[key] = value
            continue
        old = out[key]
        if key == "properties":
            props = dict(old)
            for prop, schema in value.items():
                if prop in props and props[prop] != schema:
                    props[prop] = {"allOf": [props[prop], schema]}
                else:
                    props[prop] = schema
            out[key] = props
        elif key == "required":
            out[key] = list(dict.fromkeys([*old, *value]))
        elif key == "type":
            out[key] = _common_type(old, value, where)
        elif key == "additionalProperties":
            if old is False or value is False:
                out[key] = False
            elif old in (True, {}):
                out[key] = value
            elif value not in (True, {}):
                out[key] = {"allOf": [old, value]}
        elif key == "enum":
            both = [item for item in old if item in value]
            if not both:
                raise UnsupportedSpec(where, "allOf members allow no common enum value")
            out[key] = both
        elif key == "nullable":
            out[key] = bool(old) and bool(value)
        elif key in _LOWER:
            out[key] = max(old, value)
        elif key in _UPPER:
            out[key] = min(old, value)
        elif key in ANNOTATIONS:
            continue  # the first member's word stands
        else:
            raise UnsupportedSpec(where, f"allOf members disagree on {key}: {old!r} and {value!r}")
    return out


def _common_type(a: Any, b: Any, where: str) -> Any:
    first = set(a) if isinstance(a, list) else {a}
    second = set(b) if isinstance(b, list) else {b}
    common = first & second
    if ("number" in first and "integer" in second) or ("integer" in first and "number" in second):
        common.add("integer")
    if not common:
        raise UnsupportedSpec(child(where, "type"), f"allOf members of type {a!r} and {b!r}")
    ordered = [kind for kind in (a if isinstance(a, list) else [a]) if kind in common]
    ordered += sorted(common - set(ordered))
    return ordered[0] if len(ordered) == 1 else ordered


def _overlap(types: set[str], outer: set[str]) -> bool:
    if types & outer:
        return True
    return ("integer" in types and "number" in outer) or ("number" in types and "integer" in outer)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _const_enum(schema: JsonObject) -> JsonObject:
    """A one-value enum saying what `{"const": value}` says."""
    enum: JsonObject = {"enum": [schema["const"]]}
    for key in ("description", "title", "default"):
        if key in schema:
            enum[key] = schema[key]
    return enum


def _nullable(schema: JsonObject, annotations: JsonObject) -> JsonObject:
    """`schema`, allowing null too; its annotations stay on the outside."""
    if split_nullable(schema)[1]:
        return schema
    inner = {key: value for key, value in schema.items() if key not in annotations}
    if not inner:
        return {**annotations}  # "anything" already allows null
    return {"anyOf": [inner, _NULL], **annotations}


_TYPE_KEYWORDS = {
    "string": {"minLength", "maxLength", "pattern", "format"},
    "integer": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "array": {"items", "minItems", "maxItems", "uniqueItems"},
    "object": {"properties", "required", "additionalProperties"},
    "boolean": set(),
}


def _for_type(raw: JsonObject, kind: str) -> JsonObject:
    """The part of a multi-type schema that applies to one of its types."""
    if kind not in _TYPE_KEYWORDS:
        return {"type": kind}
    keep = _TYPE_KEYWORDS[kind] | {"enum"}
    return {"type": kind, **{key: value for key, value in raw.items() if key in keep}}
