"""Load an OpenAPI document and bring it to the one canonical form the other steps read.

Real documents say the same thing in many ways. This module rewrites each way into one,
so that the model compiler, the templates and the version diff have one case each:

- every object schema with `properties`, and every enum, is a named component: inline
  ones (request and response bodies, properties, array items, union branches) are moved
  to `components/schemas` under a name made from where they were (`CreateEmbedding`
  + `Request`, `EmbeddingCacheConfig` + `Type`);
- "may be null" is always `{"anyOf": [<schema>, {"type": "null"}]}`, whether the
  document wrote `nullable: true` (3.0), `type: [X, "null"]`, `anyOf`/`oneOf` with a
  null branch or `null` among an enum's values;
- `type: [X, Y]` is an `anyOf` of one schema per type; `allOf` with one member is that
  member; a schema with no type is "any JSON value" (`{}`); an object with no
  `properties` is a map (`additionalProperties` says of what, `{}` when anything);
- a `$ref` to a component that is neither an object nor an enum (an alias of a string,
  an array, a union) is replaced by what it refers to; `$ref`s to
  `components/requestBodies` and `components/responses` are followed.

What cannot be brought to this form raises `UnsupportedSpec` with the JSON pointer of the
schema in the original document and what about it is not supported.
"""

from __future__ import annotations

import copy
import keyword
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import yaml

JsonObject = dict[str, Any]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

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

#: Keywords that describe a schema without changing which values it accepts.
ANNOTATIONS = frozenset(
    {"description", "title", "default", "example", "examples", "deprecated", "readOnly"}
    | {"writeOnly", "externalDocs", "xml", "$comment", "summary"}
)

#: Keywords of a schema this generator can compile, besides the annotations.
_KNOWN = (
    VALUE_KEYWORDS
    | ANNOTATIONS
    | {"type", "properties", "required", "additionalProperties", "items", "enum"}
    | {"anyOf", "oneOf", "allOf", "$ref", "nullable"}
)

_SCALARS = ("string", "integer", "number", "boolean")
_NULL: JsonObject = {"type": "null"}

SCHEMA_REF = "#/components/schemas/"


class UnsupportedSpec(NotImplementedError):
    """The document uses something this generator cannot turn into code (yet).

    `pointer` is the JSON pointer of the schema (or operation) in the original document.
    """

    def __init__(self, pointer: str, what: str) -> None:
        self.pointer = pointer
        self.what = what
        super().__init__(f"{pointer}: {what}")


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from its unescaped parts: `#/paths/~1v2~1x/post`."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "#/" + "/".join(escaped)


def pascal_case(text: str) -> str:
    """`encoding_format` -> `EncodingFormat`, `createEmbedding` -> `CreateEmbedding`."""
    words = re.findall(r"[A-Za-z][a-z0-9]*|[0-9]+|[A-Z]+(?![a-z])", text)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if name[:1].isalpha() else f"N{name}"


def python_name(wire_name: str) -> str:
    """The attribute and keyword name of a property, as datamodel-code-generator makes it."""
    name = re.sub(r"\W", "_", wire_name)
    if name.startswith("_"):
        name = f"field{name}"
    elif name[:1].isdigit():
        name = f"field_{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


def is_null(schema: JsonObject) -> bool:
    return schema.get("type") == "null"


def split_nullable(schema: JsonObject) -> tuple[JsonObject, bool]:
    """`(the schema without its null branch, whether null is allowed)`, canonical form."""
    branches = schema.get("anyOf")
    if branches and len(branches) == 2 and is_null(branches[1]):
        inner = dict(branches[0])
        for key in ANNOTATIONS & schema.keys():
            inner.setdefault(key, schema[key])
        return inner, True
    return schema, False


@attrs.frozen
class Auth:
    """How the client sends its token: `header: prefix + token`."""

    scheme: str
    header: str
    prefix: str
    description: str


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
    request_examples: tuple[Any, ...] = ()
    response_examples: tuple[Any, ...] = ()


@attrs.frozen
class Spec:
    """The document as written, and its canonical form (see the module's docstring)."""

    document: JsonObject
    path: Path
    schemas: Mapping[str, JsonObject]
    """Canonical component schemas by name: objects with properties, enums, maps."""
    origins: Mapping[str, str]
    """The JSON pointer each component was found at (inline ones: where they were)."""
    operation_list: tuple[Operation, ...]
    auth: Auth | None

    @property
    def version(self) -> str:
        return str(self.document["info"]["version"])

    @property
    def title(self) -> str:
        return str(self.document["info"]["title"])

    @property
    def server_url(self) -> str:
        servers = self.document.get("servers") or []
        if not servers or "url" not in servers[0]:
            raise UnsupportedSpec("#/servers", "a server URL is needed for the client's default")
        return str(servers[0]["url"]).rstrip("/")

    def operations(self) -> Iterator[Operation]:
        return iter(self.operation_list)

    def resolve(self, schema: JsonObject) -> tuple[str | None, JsonObject]:
        """Follow a `$ref` to a component schema: its name and body (name None inline)."""
        ref = schema.get("$ref")
        if ref is None:
            return None, schema
        name = ref[len(SCHEMA_REF) :]
        return name, self.schemas[name]

    def is_enum(self, name: str) -> bool:
        return "enum" in self.schemas[name]

    def reachable(self, roots: set[str]) -> set[str]:
        """The component names `roots` refer to, transitively (roots included)."""
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            todo.extend(_refs(self.schemas[name]))
        return seen

    @property
    def request_schemas(self) -> set[str]:
        """Components a caller builds: reachable from a request body."""
        return self.reachable({op.request_schema for op in self.operation_list})

    @property
    def response_schemas(self) -> set[str]:
        """Components a caller reads: reachable from a success or error response."""
        roots = {op.response_schema for op in self.operation_list}
        roots |= {name for op in self.operation_list for name in op.error_schemas}
        return self.reachable(roots)

    def typing_view(self) -> JsonObject:
        """The canonical components without value-only keywords, for the model engine."""
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version},
            "paths": {},
            "components": {"schemas": _strip_value_keywords(copy.deepcopy(dict(self.schemas)))},
        }


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref[len(SCHEMA_REF) :]
        for key, value in node.items():
            if key not in _DATA_KEYWORDS:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


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
    """Read and validate the document, then bring it to the canonical form."""
    from openapi_spec_validator import validate

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    validate(document)
    return Canonicaliser(document).spec(path)


class Canonicaliser:
    """Rewrites one document; see the module's docstring for the rules."""

    def __init__(self, document: JsonObject) -> None:
        self.document = document
        self.components: dict[str, JsonObject] = (document.get("components") or {}).get(
            "schemas"
        ) or {}
        self.schemas: dict[str, JsonObject] = {}
        self.origins: dict[str, str] = {}
        self._aliases_in_progress: list[str] = []
        self._aliases: dict[str, JsonObject] = {}
        """Alias components already brought to the canonical form, by name."""

    def spec(self, path: Path) -> Spec:
        for name in self.components:
            self._component(name)
        operations = tuple(self._operations())
        return Spec(
            document=self.document,
            path=path,
            schemas=dict(self.schemas),
            origins=dict(self.origins),
            operation_list=operations,
            auth=self._auth(),
        )

    # Components -------------------------------------------------------------------------

    def _component(self, name: str) -> JsonObject | None:
        """The canonical body of a named component, or None when it is only an alias."""
        where = pointer("components", "schemas", name)
        raw = self.components[name]
        if self._is_named(raw):
            if name not in self.schemas:
                self.origins[name] = where
                self.schemas[name] = {}  # placeholder: a recursive $ref finds the name
                self.schemas[name] = self._named_body(raw, name, where)
            return self.schemas[name]
        return None

    @staticmethod
    def _is_named(raw: JsonObject) -> bool:
        """Whether a schema becomes a class of its own: an object with properties, an enum."""
        if "enum" in raw:
            return True
        return "properties" in raw and raw.get("type", "object") in ("object", ["object"])

    def _ref(self, ref: str, where: str, siblings: JsonObject) -> JsonObject:
        if not ref.startswith(SCHEMA_REF):
            raise UnsupportedSpec(where, f"only $refs to {SCHEMA_REF}... are supported: {ref}")
        name = ref[len(SCHEMA_REF) :]
        if name not in self.components:
            raise UnsupportedSpec(where, f"$ref to a schema that does not exist: {ref}")
        raw = self.components[name]
        annotations = {key: value for key, value in siblings.items() if key in ANNOTATIONS}
        if self._is_named(raw):
            body = self._component(name)
            assert body is not None
            if "enum" in raw and None in raw["enum"]:
                # A nullable enum: the class holds the other values; null is a branch.
                return {"anyOf": [{"$ref": ref}, _NULL], **annotations}
            return {"$ref": ref, **annotations}
        if name in self._aliases_in_progress:
            raise UnsupportedSpec(where, f"a recursive alias ({name}) is not supported")
        if name not in self._aliases:
            self._aliases_in_progress.append(name)
            try:
                self._aliases[name] = self.schema(raw, pointer("components", "schemas", name), name)
            finally:
                self._aliases_in_progress.pop()
        return {**self._aliases[name], **annotations}

    def _hoist(self, raw: JsonObject, where: str, name: str) -> JsonObject:
        """Move an inline object or enum to the components under `name`; a `$ref` to it."""
        if name in self.components or name in self.schemas:
            taken = self.origins.get(name, pointer("components", "schemas", name))
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
        required = raw.get("required", [])
        extra = raw.get("additionalProperties", True)
        if extra not in (True, False, {}):
            raise UnsupportedSpec(
                pointer(*_parts(where), "additionalProperties"),
                "an object with properties may allow any extra keys (true or {}) or none"
                " (false), not extra keys of a given schema",
            )
        properties = {
            prop: self.schema(
                value, f"{where}/properties/{_escape(prop)}", name + pascal_case(prop)
            )
            for prop, value in raw["properties"].items()
        }
        missing = [key for key in required if key not in properties]
        if missing:
            raise UnsupportedSpec(where, f"required names properties that do not exist: {missing}")
        body: JsonObject = {"type": "object", "properties": properties}
        if required:
            body["required"] = list(required)
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
                pointer(*_parts(where), "enum"),
                "an enum must list strings only, or integers only (null aside)",
            )
        kind = "string" if kinds == {str} else "integer"
        body: JsonObject = {"type": kind, "enum": values}
        for key in ("description", "title", "default"):
            if key in raw:
                body[key] = raw[key]
        return body

    # Schemas ----------------------------------------------------------------------------

    def schema(self, raw: Any, where: str, name: str) -> JsonObject:
        """The canonical form of one schema; `name` is what an inline class would be named."""
        if raw is True or raw == {}:
            return {}
        if not isinstance(raw, dict):
            raise UnsupportedSpec(where, f"a schema must be an object, got {raw!r}")
        node: JsonObject = {key: value for key, value in raw.items() if not key.startswith("x-")}
        return self._schema(node, where, name)

    def _schema(self, raw: JsonObject, where: str, name: str) -> JsonObject:
        self._check_keywords(raw, where)
        annotations = {key: raw[key] for key in ANNOTATIONS & raw.keys()}
        if "$ref" in raw:
            return self._ref(raw["$ref"], where, raw)
        if raw.pop("nullable", False):
            inner = self.schema(raw, where, name)
            return _nullable(inner, annotations)
        if "allOf" in raw:
            members = raw.pop("allOf")
            if len(members) != 1 or set(raw) - ANNOTATIONS:
                raise UnsupportedSpec(where, "allOf is supported with one member only")
            inner = self.schema(members[0], pointer(*_parts(where), "allOf", 0), name)
            return {**inner, **annotations}
        for union in ("anyOf", "oneOf"):
            if union in raw:
                return self._union(raw, union, where, name, annotations)
        kind = raw.get("type")
        if isinstance(kind, list):
            return self._type_list(raw, kind, where, name, annotations)
        if "enum" in raw:
            return self._hoist(raw, where, name)
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
            items = self.schema(raw["items"], pointer(*_parts(where), "items"), name + "Item")
            return {**raw, "items": items}
        if kind in _SCALARS or kind == "null":
            return raw
        raise UnsupportedSpec(pointer(*_parts(where), "type"), f"unknown type {kind!r}")

    def _object(
        self, raw: JsonObject, where: str, name: str, annotations: JsonObject
    ) -> JsonObject:
        if "properties" in raw:
            return self._hoist(raw, where, name)
        extra = raw.get("additionalProperties", True)
        values = {} if extra in (True, {}) else extra
        if values is False:
            raise UnsupportedSpec(where, "an object with no properties and no extra keys is empty")
        where_values = pointer(*_parts(where), "additionalProperties")
        body = self.schema(values, where_values, name + "Value")
        return {"type": "object", "additionalProperties": body, **annotations}

    def _union(
        self, raw: JsonObject, union: str, where: str, name: str, annotations: JsonObject
    ) -> JsonObject:
        rest = set(raw) - ANNOTATIONS - {union}
        if rest:
            raise UnsupportedSpec(where, f"{union} next to {sorted(rest)} is not supported")
        branches: list[JsonObject] = []
        nullable = False
        for index, branch in enumerate(raw[union]):
            title = branch.get("title") if isinstance(branch, dict) else None
            suffix = pascal_case(title) if isinstance(title, str) else f"Option{index + 1}"
            inner = self.schema(branch, pointer(*_parts(where), union, index), name + suffix)
            inner, inner_nullable = split_nullable(inner)
            nullable = nullable or inner_nullable
            if is_null(inner):
                nullable = True
            elif inner not in branches:
                branches.append(inner)
        if not branches:
            raise UnsupportedSpec(where, f"{union} allows nothing but null")
        body: JsonObject = branches[0] if len(branches) == 1 else {union: branches}
        body = {**body, **annotations}
        return _nullable(body, annotations) if nullable else body

    def _type_list(
        self, raw: JsonObject, kinds: list[Any], where: str, name: str, annotations: JsonObject
    ) -> JsonObject:
        nullable = "null" in kinds
        others = [kind for kind in kinds if kind != "null"]
        if not others:
            return {"type": "null", **annotations}
        if len(others) == 1:
            inner = self.schema({**raw, "type": others[0]}, where, name)
        else:
            branches = [self.schema(_for_type(raw, kind), where, name) for kind in others]
            inner = {"anyOf": branches, **annotations}
        return _nullable(inner, annotations) if nullable else inner

    def _check_keywords(self, raw: JsonObject, where: str) -> None:
        unknown = sorted(key for key in raw if key not in _KNOWN and not key.startswith("x-"))
        if unknown:
            raise UnsupportedSpec(where, f"unsupported keyword(s) {', '.join(unknown)}")

    # Operations -------------------------------------------------------------------------

    def _operations(self) -> Iterator[Operation]:
        for path, item in (self.document.get("paths") or {}).items():
            if "$ref" in item:
                raise UnsupportedSpec(pointer("paths", path), "path item $refs are not supported")
            for method in HTTP_METHODS:
                if method in item:
                    yield self._operation(path, method, item)

    def _operation(self, path: str, method: str, item: JsonObject) -> Operation:
        op = item[method]
        where = pointer("paths", path, method)
        if item.get("parameters") or op.get("parameters"):
            raise UnsupportedSpec(where, "parameters (path, query, header) are not supported yet")
        operation_id = op.get("operationId")
        if not operation_id:
            raise UnsupportedSpec(where, "an operation needs an operationId (it names its module)")
        base = pascal_case(operation_id)
        body = op.get("requestBody")
        if body is None:
            raise UnsupportedSpec(where, "operations without a JSON request body are not supported")
        body_where = pointer(*_parts(where), "requestBody")
        body = self._follow(body, "requestBodies", body_where)
        request_schema, request_examples = self._body(
            body, body_where, base + "Request", required=True
        )
        assert request_schema is not None
        responses = op.get("responses") or {}
        success = sorted(code for code in responses if str(code).startswith("2"))
        if len(success) != 1:
            raise UnsupportedSpec(
                pointer(*_parts(where), "responses"), "exactly one 2xx response is supported"
            )
        response_schema: str | None = None
        response_examples: tuple[Any, ...] = ()
        errors: set[str] = set()
        for code, response in responses.items():
            code_where = pointer(*_parts(where), "responses", code)
            response = self._follow(response, "responses", code_where)
            is_success = code == success[0]
            suffix = "Response" if is_success else "Error" + re.sub(r"\W", "", str(code))
            name, examples = self._body(response, code_where, base + suffix, required=is_success)
            if is_success:
                response_schema, response_examples = name, examples
            elif name is not None:
                errors.add(name)
        assert response_schema is not None
        return Operation(
            operation_id=operation_id,
            method=method.upper(),
            path=path,
            tag=(op.get("tags") or ["default"])[0],
            summary=op.get("summary", ""),
            description=op.get("description", ""),
            request_schema=request_schema,
            success_status=int(success[0]),
            response_schema=response_schema,
            error_schemas=tuple(sorted(errors)),
            request_examples=request_examples,
            response_examples=response_examples,
        )

    def _follow(self, node: JsonObject, kind: str, where: str) -> JsonObject:
        """A request body or response, following a `$ref` to `components/<kind>`."""
        seen = set()
        while "$ref" in node:
            ref = node["$ref"]
            prefix = f"#/components/{kind}/"
            if not ref.startswith(prefix) or ref in seen:
                raise UnsupportedSpec(where, f"cannot follow {ref}")
            seen.add(ref)
            node = self.document["components"][kind][ref[len(prefix) :]]
        return node

    def _body(
        self, node: JsonObject, where: str, name: str, *, required: bool
    ) -> tuple[str | None, tuple[Any, ...]]:
        """The component a JSON body is, hoisting an inline one as `name`; and its examples."""
        content = node.get("content") or {}
        media = next((key for key in content if _is_json(key)), None)
        if media is None:
            if required:
                raise UnsupportedSpec(where, "the body must be application/json")
            return None, ()
        media_where = pointer(*_parts(where), "content", media)
        entry = content[media]
        raw = entry.get("schema")
        if raw is None:
            raise UnsupportedSpec(media_where, "a JSON body needs a schema")
        schema = self.schema(raw, pointer(*_parts(media_where), "schema"), name)
        target, nullable = split_nullable(schema)
        ref = target.get("$ref")
        if nullable or ref is None or self.schemas[ref[len(SCHEMA_REF) :]].get("type") != "object":
            raise UnsupportedSpec(media_where, "a JSON body must be an object with properties")
        examples = [example["value"] for example in (entry.get("examples") or {}).values()]
        if "example" in entry:
            examples.append(entry["example"])
        return ref[len(SCHEMA_REF) :], tuple(examples)

    # Security ---------------------------------------------------------------------------

    def _auth(self) -> Auth | None:
        requirements = list(self.document.get("security") or [])
        for item in (self.document.get("paths") or {}).values():
            for method in HTTP_METHODS:
                requirements += (item.get(method) or {}).get("security") or []
        names = [name for requirement in requirements for name in requirement]
        if not names:
            return None
        name = names[0]
        schemes = (self.document.get("components") or {}).get("securitySchemes") or {}
        where = pointer("components", "securitySchemes", name)
        scheme = schemes.get(name)
        if scheme is None:
            raise UnsupportedSpec(where, "the security scheme the document requires is missing")
        description = " ".join(str(scheme.get("description", "")).split())
        kind = scheme.get("type")
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return Auth(name, "Authorization", "Bearer ", description)
        if kind in ("oauth2", "openIdConnect"):
            return Auth(name, "Authorization", "Bearer ", description)
        if kind == "apiKey" and scheme.get("in") == "header":
            return Auth(name, str(scheme["name"]), "", description)
        raise UnsupportedSpec(
            where, "only bearer tokens and API keys sent in a header are supported"
        )


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _parts(where: str) -> list[str]:
    """The unescaped parts of a JSON pointer (the inverse of `pointer`)."""
    return [part.replace("~1", "/").replace("~0", "~") for part in where[2:].split("/")]


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
