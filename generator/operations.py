"""Read the operations of a document: parameters, bodies, responses, and the security.

Each `paths` entry's method becomes an `Operation` whose schemas are canonical (read by
the `Canonicaliser`): a request body and a success body of any schema (an object
model, a union, a bare array), the models of its documented error bodies, and its
path, query and header parameters. What an endpoint cannot be written for (a
multipart body, a cookie parameter, a streamed answer) raises `UnsupportedSpec` with the
operation's pointer; `python -m generator --operation ...` generates the others.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal, cast

from generator.spec import (
    HTTP_METHODS,
    SCHEMA_REF,
    Auth,
    Body,
    JsonObject,
    Operation,
    Parameter,
    UnsupportedSpec,
    child,
    is_json,
    operation_name,
    pascal_case,
    pointer,
    split_nullable,
)

if TYPE_CHECKING:
    from generator.canonical import Canonicaliser

#: An HTTP header name (RFC 9110 `token`): what a security scheme may name.
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

#: Header parameters OpenAPI says to ignore: the client sets them itself.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})

#: Parameter keywords the endpoint functions already use.
_TAKEN_KEYWORDS = frozenset({"client", "body", "path", "query", "headers"})


def snake_case(name: str) -> str:
    """`createEmbedding` -> `create_embedding`, `X-Client-Name` -> `x_client_name`."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    text = re.sub(r"\W+", "_", words).strip("_").lower()
    if not text or text[0].isdigit():
        text = f"p_{text}"
    return f"{text}_" if keyword.iskeyword(text) or text in _TAKEN_KEYWORDS else text


class OperationReader:
    """Reads every operation of the canonicaliser's document."""

    def __init__(self, canonicaliser: Canonicaliser) -> None:
        self.canonical = canonicaliser
        self.document = canonicaliser.document

    def operations(self) -> Iterator[Operation]:
        seen: dict[str, str] = {}
        for path, item in (self.document.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            if "$ref" in item:
                raise UnsupportedSpec(pointer("paths", path), "path item $refs are not supported")
            for method in HTTP_METHODS:
                if method in item:
                    operation = self._operation(path, method, item)
                    if operation.operation_id in seen:
                        raise UnsupportedSpec(
                            operation.where,
                            f"operationId {operation.operation_id!r} is taken by"
                            f" {seen[operation.operation_id]}",
                        )
                    seen[operation.operation_id] = operation.where
                    yield operation

    def _operation(self, path: str, method: str, item: JsonObject) -> Operation:
        op = item[method]
        where = pointer("paths", path, method)
        operation_id = operation_name(op, path, method)
        base = pascal_case(operation_id)
        parameters = self._parameters(path, item, op, where, base)
        request: Body | None = None
        if op.get("requestBody") is not None:
            body_where = child(where, "requestBody")
            node = self._follow(op["requestBody"], "requestBodies", body_where)
            request = self._body(node, body_where, base + "Request", request=True)
        responses = op.get("responses") or {}
        success = self._success(responses, child(where, "responses"))
        response: Body | None = None
        errors: set[str] = set()
        for code, answer in responses.items():
            code_where = child(where, "responses", str(code))
            answer = self._follow(answer, "responses", code_where)
            if str(code) in success[1:]:
                continue  # a success status without a body
            is_success = str(code) == success[0]
            suffix = "Response" if is_success else "Error" + re.sub(r"\W", "", str(code))
            if is_success:
                response = self._body(answer, code_where, base + suffix, request=False)
            else:
                error = self._error_body(answer, code_where, base + suffix)
                if error is not None:
                    errors.add(error)
        status = success[0]
        empty = tuple(int(code) for code in success[1:])
        return Operation(
            operation_id=operation_id,
            method=method.upper(),
            path=path,
            tag=(op.get("tags") or ["default"])[0],
            summary=op.get("summary", ""),
            description=op.get("description", ""),
            request=request,
            success_status=int(status) if status.isdigit() else 200,
            response=response,
            error_schemas=tuple(sorted(errors)),
            parameters=parameters,
            where=where,
            empty_statuses=empty,
        )

    def _success(self, responses: JsonObject, where: str) -> list[str]:
        """The success statuses: the one with a body first, then those without (a 204
        beside a 200). More than one with a body is refused."""
        codes = sorted(str(code) for code in responses if str(code).startswith("2"))
        if not codes:
            raise UnsupportedSpec(where, "an operation needs a 2xx response")
        if len(codes) == 1:
            return codes
        with_body = []
        for code in codes:
            answer = self._follow(responses[code], "responses", child(where, code))
            if answer.get("content") or not code.isdigit():
                with_body.append(code)
        if len(with_body) > 1:
            raise UnsupportedSpec(
                where, f"one 2xx response with a body is supported, not {len(with_body)}"
            )
        return with_body + [code for code in codes if code not in with_body]

    def _follow(self, node: JsonObject, kind: str, where: str) -> JsonObject:
        """A request body, response or parameter, following `$ref`s to `components/<kind>`."""
        seen = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            prefix = f"#/components/{kind}/"
            if not isinstance(ref, str) or not ref.startswith(prefix) or ref in seen:
                raise UnsupportedSpec(where, f"cannot follow {ref}")
            seen.add(ref)
            found = (self.document.get("components") or {}).get(kind, {}).get(ref[len(prefix) :])
            if found is None:
                raise UnsupportedSpec(where, f"$ref to something that does not exist: {ref}")
            node = found
        if not isinstance(node, dict):
            raise UnsupportedSpec(where, "expected an object")
        return node

    # Bodies -----------------------------------------------------------------------------

    def _body(self, node: JsonObject, where: str, name: str, *, request: bool) -> Body | None:
        """A JSON body, its schema canonical (an inline object hoisted as `name`)."""
        content = node.get("content") or {}
        if not content:
            if request:
                raise UnsupportedSpec(where, "a request body needs a content")
            return None
        media = next((key for key in content if is_json(key)), None)
        if media is None:
            kinds = ", ".join(sorted(content))
            raise UnsupportedSpec(where, f"only JSON bodies are supported, this one is {kinds}")
        media_where = child(where, "content", media)
        entry = content[media] or {}
        raw = entry.get("schema")
        if raw is None:
            raise UnsupportedSpec(media_where, "a JSON body needs a schema")
        schema = self.canonical.schema(raw, child(media_where, "schema"), name)
        examples = [
            example["value"]
            for example in (entry.get("examples") or {}).values()
            if isinstance(example, dict) and "value" in example
        ]
        if "example" in entry:
            examples.append(entry["example"])
        return Body(media_type=media, schema=schema, where=media_where, examples=tuple(examples))

    def _error_body(self, node: JsonObject, where: str, name: str) -> str | None:
        """The model an error answer's JSON body is, if it is one (else its bytes are kept)."""
        content = node.get("content") or {}
        media = next((key for key in content if is_json(key)), None)
        if media is None:
            return None
        raw = (content[media] or {}).get("schema")
        if raw is None:
            return None
        schema = self.canonical.schema(raw, child(where, "content", media, "schema"), name)
        target, nullable = split_nullable(schema)
        ref = target.get("$ref")
        if nullable or not isinstance(ref, str):
            return None
        component = ref[len(SCHEMA_REF) :]
        return component if self.canonical.schemas[component].get("type") == "object" else None

    # Parameters -------------------------------------------------------------------------

    def _parameters(
        self, path: str, item: JsonObject, op: JsonObject, where: str, base: str
    ) -> tuple[Parameter, ...]:
        found: dict[tuple[str, str], tuple[JsonObject, str]] = {}
        for owner, owner_where in ((item, pointer("paths", path)), (op, where)):
            for index, raw in enumerate(owner.get("parameters") or []):
                raw_where = child(owner_where, "parameters", index)
                node = self._follow(raw, "parameters", raw_where)
                key = (str(node.get("in")), str(node.get("name")))
                found[key] = (node, raw_where)  # the operation's own wins
        parameters = []
        keywords: dict[str, str] = {}
        for (location, name), (node, raw_where) in found.items():
            if location == "header" and name.lower() in _IGNORED_HEADERS:
                continue
            parameter = self._parameter(node, location, name, raw_where, base)
            if parameter.keyword in keywords:
                raise UnsupportedSpec(
                    raw_where,
                    f"parameters {keywords[parameter.keyword]!r} and {name!r} would both be"
                    f" the keyword {parameter.keyword}",
                )
            keywords[parameter.keyword] = name
            parameters.append(parameter)
        for name in re.findall(r"\{([^}]+)\}", path):
            if ("path", name) not in found:
                raise UnsupportedSpec(where, f"the path's {{{name}}} has no path parameter")
        # Required first, so that keyword order reads naturally; otherwise as written.
        return tuple(sorted(parameters, key=lambda p: not p.required))

    def _parameter(
        self, node: JsonObject, location: str, name: str, where: str, base: str
    ) -> Parameter:
        if location not in ("path", "query", "header"):
            raise UnsupportedSpec(where, f"{location} parameters are not supported")
        if "content" in node or "schema" not in node:
            raise UnsupportedSpec(where, "a parameter needs a schema (content is not supported)")
        style = node.get("style")
        default_style = "form" if location == "query" else "simple"
        if style not in (None, default_style):
            raise UnsupportedSpec(child(where, "style"), f"style {style!r} is not supported")
        schema = self.canonical.schema(
            node["schema"], child(where, "schema"), base + pascal_case(name)
        )
        inner, _ = split_nullable(schema)
        if not _plain_parameter(inner, self.canonical.schemas, allow_array=location == "query"):
            raise UnsupportedSpec(
                child(where, "schema"),
                "a parameter must be a string, number, boolean or enum"
                + (" (or, in a query, a list of them)" if location == "query" else ""),
            )
        required = bool(node.get("required")) or location == "path"
        return Parameter(
            name=name,
            location=cast(Literal["path", "query", "header"], location),
            keyword=snake_case(name),
            required=required,
            schema=schema,
            description=" ".join(str(node.get("description", "")).split()),
            where=where,
            explode=bool(node.get("explode", True)),
        )


def _plain_parameter(
    schema: JsonObject, schemas: dict[str, JsonObject], *, allow_array: bool
) -> bool:
    """Whether a value of this schema is written as text (or a list of such values)."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return "enum" in schemas.get(ref[len(SCHEMA_REF) :], {})
    if "const" in schema:
        return True
    kind = schema.get("type")
    if kind in ("string", "integer", "number", "boolean"):
        return not (kind == "string" and schema.get("format") == "binary")
    if kind == "array" and allow_array:
        return _plain_parameter(schema.get("items") or {}, schemas, allow_array=False)
    for union in ("anyOf", "oneOf"):
        if union in schema:
            return all(
                _plain_parameter(branch, schemas, allow_array=allow_array)
                for branch in schema[union]
            )
    return False


# Security ---------------------------------------------------------------------------------


def read_auth(document: JsonObject, *, lenient: bool, warnings: list[str]) -> Auth | None:
    """How the token is sent: the first security scheme the document requires."""
    requirements = list(document.get("security") or [])
    for item in (document.get("paths") or {}).values():
        for method in HTTP_METHODS:
            requirements += ((item or {}).get(method) or {}).get("security") or []
    names = [name for requirement in requirements for name in requirement]
    if not names:
        return None
    name = names[0]
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
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
        header = str(scheme.get("name", ""))
        if _HEADER_NAME.fullmatch(header):
            return Auth(name, header, "", description)
        return _repaired_header(name, header, description, child(where, "name"), lenient, warnings)
    raise UnsupportedSpec(where, "only bearer tokens and API keys sent in a header are supported")


def _repaired_header(
    name: str, header: str, description: str, where: str, lenient: bool, warnings: list[str]
) -> Auth:
    """A scheme whose `name` is no header name: refused, or `Name: Prefix` read as such."""
    written = re.fullmatch(r"\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*:\s*(\S+)\s*", header)
    if lenient and written is not None:
        warnings.append(
            f"{where}: repaired: {header!r} is no HTTP header name; the token is sent as"
            f" `{written[1]}: {written[2]} <token>`"
        )
        return Auth(name, written[1], written[2] + " ", description)
    hint = " (--lenient reads it as a header and a prefix)" if written is not None else ""
    raise UnsupportedSpec(
        where,
        f"{header!r} is not a valid HTTP header name: every request would fail{hint}",
    )
