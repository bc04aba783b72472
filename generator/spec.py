"""What the other steps read of an OpenAPI document: its canonical form (`Spec`).

`load` reads the document (`document`), keeps the operations asked for, validates what
is kept, brings every schema to one canonical form (`canonical`) and reads the
operations (`operations`). The result is a `Spec`: canonical component schemas by name,
the operations with their parameters and bodies, the way the token is sent, the server,
and the warnings met on the way.

What the generator cannot turn into code raises `UnsupportedSpec`, and a document that
is not valid OpenAPI raises `InvalidSpec`; both carry the JSON pointer of the place in
the original document and read as one line: `#/components/schemas/X/properties/y: ...`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

JsonObject = dict[str, Any]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

#: Keywords that only constrain values. `datamodel-code-generator` turns a constrained
#: `oneOf` branch or array item into an anonymous alias (`Input11: TypeAlias = str`) when
#: it writes dataclasses, and enforces none of them; the checks compiled from the nodes
#: (`nodes`) enforce them all. So the engine is given the document without them.
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
    | {"writeOnly", "externalDocs", "xml", "$comment", "summary", "$schema", "$id"}
)

SCHEMA_REF = "#/components/schemas/"


class SpecError(Exception):
    """A place in the document stops generation. `pointer` is its JSON pointer in the
    document as written, `what` says why; `str()` is one line: `<pointer>: <what>`."""

    def __init__(self, pointer: str, what: str) -> None:
        self.pointer = pointer
        self.what = what
        super().__init__(f"{pointer}: {what}")


class UnsupportedSpec(SpecError, NotImplementedError):
    """The document uses something this generator cannot turn into code (yet)."""


class InvalidSpec(SpecError, ValueError):
    """The document is not valid OpenAPI (as `openapi-spec-validator` reads it)."""


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from its unescaped parts: `#/paths/~1v2~1x/post`."""
    return "#/" + "/".join(escape(str(part)) for part in parts)


def escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def parts(where: str) -> list[str]:
    """The unescaped parts of a JSON pointer (the inverse of `pointer`)."""
    if where in ("#", "#/"):
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in where[2:].split("/")]


def child(where: str, *more: str | int) -> str:
    """The pointer of a place inside `where`."""
    return pointer(*parts(where), *more)


def pascal_case(text: str) -> str:
    """`encoding_format` -> `EncodingFormat`, `createEmbedding` -> `CreateEmbedding`.

    The name of a schema the document wrote inline, made from where it was; the model
    engine keeps such a name as it is (and `models` takes every name from the engine).
    """
    words = re.findall(r"[A-Za-z][a-z0-9]*|[0-9]+|[A-Z]+(?![a-z])", text)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if name[:1].isalpha() else f"N{name}"


def operation_name(operation: JsonObject, path: str, method: str) -> str:
    """An operation's name: its operationId, or for one without, its method and path
    (`GET /v2/things/{id}` -> `getV2ThingsId`), so that it can be generated and picked."""
    given = operation.get("operationId")
    if given:
        return str(given)
    words = re.findall(r"[A-Za-z0-9]+", path)
    return method.lower() + "".join(word[:1].upper() + word[1:] for word in words)


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
class Parameter:
    """A path, query or header parameter of an operation, canonical schema and all."""

    name: str
    """The name on the wire: the path template's `{name}`, the query key, the header."""
    location: Literal["path", "query", "header"]
    keyword: str
    """The keyword argument of the endpoint functions."""
    required: bool
    schema: JsonObject
    description: str
    where: str
    """The parameter's JSON pointer, for messages."""
    explode: bool = True
    """For a query array: `?a=1&a=2` (true, the default) or `?a=1,2`."""


@attrs.frozen
class Body:
    """A request or response body: its media type and canonical schema."""

    media_type: str
    schema: JsonObject
    """Canonical: a `$ref` to a model for an object body, else the schema itself."""
    where: str
    examples: tuple[Any, ...] = ()

    @property
    def is_json(self) -> bool:
        return is_json(self.media_type)

    @property
    def model(self) -> str | None:
        """The component this body is, when it is one object model (not nullable)."""
        ref = self.schema.get("$ref")
        if isinstance(ref, str) and set(self.schema) - ANNOTATIONS == {"$ref"}:
            return ref[len(SCHEMA_REF) :]
        return None


@attrs.frozen
class Operation:
    """One `paths` entry's method: what the endpoint template needs to know."""

    operation_id: str
    method: str
    path: str
    tag: str
    summary: str
    description: str
    request: Body | None
    success_status: int
    response: Body | None
    """None when the success answer has no body (a 204, say)."""
    error_schemas: tuple[str, ...]
    parameters: tuple[Parameter, ...] = ()
    where: str = ""
    empty_statuses: tuple[int, ...] = ()
    """Other success statuses, whose answers have no body (`204` beside a `200`)."""

    @property
    def request_schema(self) -> str | None:
        """The request body's model, when it is one."""
        return None if self.request is None else self.request.model

    @property
    def response_schema(self) -> str | None:
        """The success body's model, when it is one."""
        return None if self.response is None else self.response.model

    @property
    def request_examples(self) -> tuple[Any, ...]:
        return () if self.request is None else self.request.examples

    @property
    def response_examples(self) -> tuple[Any, ...]:
        return () if self.response is None else self.response.examples


@attrs.frozen
class Spec:
    """The document as written (the operations asked for), and its canonical form."""

    document: JsonObject
    path: Path
    schemas: Mapping[str, JsonObject]
    """Canonical component schemas by name: objects with properties, enums, maps."""
    origins: Mapping[str, str]
    """The JSON pointer each component was found at (inline ones: where they were)."""
    operation_list: tuple[Operation, ...]
    auth: Auth | None
    warnings: tuple[str, ...] = ()
    """What was repaired or will not be checked, one line each, pointer first."""

    @property
    def version(self) -> str:
        return str(self.document["info"]["version"])

    @property
    def title(self) -> str:
        return str(self.document["info"]["title"])

    @property
    def server_url(self) -> str | None:
        """The first server's URL (its variables at their defaults); None when the
        document names no server with an absolute URL, so a client must be told one."""
        servers = self.document.get("servers") or []
        if not servers or not isinstance(servers[0], dict) or "url" not in servers[0]:
            return None
        url = str(servers[0]["url"])
        for name, variable in (servers[0].get("variables") or {}).items():
            url = url.replace("{" + name + "}", str(variable.get("default", "")))
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
            return None
        return url.rstrip("/")

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
            todo.extend(refs(self.schemas[name]))
        return seen

    @property
    def request_schemas(self) -> set[str]:
        """Components a caller builds: reachable from a request body or parameter."""
        roots: set[str] = set()
        for op in self.operation_list:
            if op.request is not None:
                roots |= set(refs(op.request.schema))
            for parameter in op.parameters:
                roots |= set(refs(parameter.schema))
        return self.reachable(roots)

    @property
    def response_schemas(self) -> set[str]:
        """Components a caller reads: reachable from a success or error response."""
        roots: set[str] = set()
        for op in self.operation_list:
            if op.response is not None:
                roots |= set(refs(op.response.schema))
            roots |= set(op.error_schemas)
        return self.reachable(roots)

    def typing_view(self) -> JsonObject:
        """The canonical components as the model engine should type them.

        Without value-only keywords (but `format: binary`, which makes `bytes`) and
        without discriminators: the engine would retype a tagged union's branches.
        """
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version},
            "paths": {},
            "components": {"schemas": _typing_view(copy.deepcopy(dict(self.schemas)))},
        }


def refs(node: Any) -> Iterator[str]:
    """The component names a canonical schema refers to (not inside data keywords)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            yield ref[len(SCHEMA_REF) :]
        for key, value in node.items():
            if key not in DATA_KEYWORDS:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


#: Keywords whose values are data, not schemas: left as they are.
DATA_KEYWORDS = frozenset({"default", "enum", "const", "example", "examples", "discriminator"})


def _typing_view(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: value if key in DATA_KEYWORDS else _typing_view(value)
            for key, value in node.items()
            if key != "discriminator"
            and not (
                key in VALUE_KEYWORDS
                and not isinstance(value, (dict, list))
                and not (key == "format" and value == "binary")
            )
        }
    if isinstance(node, list):
        return [_typing_view(item) for item in node]
    return node


def is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def load(path: Path, *, operations: Sequence[str] = (), lenient: bool = False) -> Spec:
    """Read the document, keep the operations asked for (all when none is), validate
    what is kept, and bring it to the canonical form."""
    from generator import document

    raw = document.read(path)
    return build(raw, path, operations=operations, lenient=lenient)


def build(
    raw: JsonObject, path: Path, *, operations: Sequence[str] = (), lenient: bool = False
) -> Spec:
    """`load` for a document already read (a dict, not changed)."""
    from generator import document
    from generator.canonical import Canonicaliser

    kept = document.select(raw, operations) if operations else raw
    if lenient:  # repairs change the document: never the caller's
        kept = copy.deepcopy(kept)
    repairs = document.validate(kept, lenient=lenient)
    return Canonicaliser(kept, lenient=lenient, warnings=repairs).spec(path)
