"""The OpenAPI document as a file: read it, keep the operations asked for, validate it.

- `read` parses YAML or JSON (libyaml's parser when PyYAML has it: a 3 MB document in
  seconds, not tens of seconds), and keeps the parsed data of a large document for the
  next run (`parse_cache`: the same 3 MB document then loads in about 0.1 s).
- `select` keeps the operations named by `--operation` and every component they refer
  to, transitively, so that what the rest of the document holds (an operation this
  generator cannot write, a schema the validator refuses) does not stop them.
- `validate` runs `openapi-spec-validator` and turns its first complaint into one line
  with the JSON pointer of the place (`InvalidSpec`), never a traceback. With
  `lenient`, a default that does not fit its schema (`default: null` on a non-nullable
  field, `default: "true"` on a boolean) is dropped with a warning instead, and the
  document is validated again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from generator import parse_cache
from generator.spec import (
    HTTP_METHODS,
    InvalidSpec,
    JsonObject,
    UnsupportedSpec,
    operation_name,
    parts,
    pointer,
)

#: Repairs `lenient` makes before giving up: each is one default dropped.
MAX_REPAIRS = 200


def read(path: Path) -> JsonObject:
    """The document as JSON data; a file that is not one raises `InvalidSpec`."""
    try:
        document = parse_cache.parsed(path.read_bytes(), _parse)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise InvalidSpec("#", f"not YAML or JSON{where}: {problem}") from None
    if not isinstance(document, dict) or not ("openapi" in document or "swagger" in document):
        raise InvalidSpec("#", "not an OpenAPI document (no `openapi` version at the top)")
    if "swagger" in document:
        raise UnsupportedSpec("#/swagger", "Swagger 2.0 is not supported: convert it to 3.x")
    return document


def _parse(data: bytes) -> object:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(data.decode("utf-8"), Loader=loader)


def operation_ids(document: JsonObject) -> list[str]:
    """Every operation's name, in document order."""
    return [name for name, _ in operations(document)]


def operations(document: JsonObject) -> list[tuple[str, str]]:
    """`(name, JSON pointer)` of every operation, in document order (its operationId, or
    a name made of its method and path: see `spec.operation_name`)."""
    found: list[tuple[str, str]] = []
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict):
                name = operation_name(operation, path, method)
                found.append((name, pointer("paths", path, method)))
    return found


def select(document: JsonObject, wanted: Sequence[str]) -> JsonObject:
    """The document with only the operations `wanted` (by operationId) and what they use.

    The other top-level keys are kept as they are (but `webhooks`: none is generated); of
    `components`, only the entries the kept operations (and the security they need)
    refer to, transitively.
    """
    remaining = list(dict.fromkeys(wanted))
    paths: JsonObject = {}
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        kept = {
            method: operation
            for method, operation in item.items()
            if method in HTTP_METHODS
            and isinstance(operation, dict)
            and operation_name(operation, path, method) in remaining
        }
        if kept:
            for key, value in item.items():
                if key not in HTTP_METHODS:
                    kept[key] = value
            paths[path] = kept
            for method, operation in kept.items():
                if method in HTTP_METHODS:
                    name = operation_name(operation, path, method)
                    remaining = [other for other in remaining if other != name]
    if remaining:
        known = operation_ids(document)
        raise UnsupportedSpec(
            "#/paths",
            f"no operation {remaining[0]!r} in the document"
            + (f" (it has {len(known)}: {', '.join(known[:8])}{', ...' if len(known) > 8 else ''})"
               if known else " (it has none)"),
        )  # fmt: skip
    selected = {
        key: value
        for key, value in document.items()
        if key not in ("paths", "components", "webhooks")
    }
    selected["paths"] = paths
    components = document.get("components") or {}
    used: dict[str, dict[str, Any]] = {}
    todo = list(_local_refs(paths))
    schemes = {name for requirement in document.get("security") or [] for name in requirement}
    for item in paths.values():
        for method in HTTP_METHODS:
            for requirement in (item.get(method) or {}).get("security") or []:
                schemes |= set(requirement)
    seen: set[str] = set()
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        where = parts(ref)
        if len(where) < 3 or where[0] != "components":
            continue  # not a component: whatever refers to it is refused later, by pointer
        kind, name = where[1], where[2]
        target = (components.get(kind) or {}).get(name)
        if target is None:
            continue  # a dangling $ref: the validator names it
        used.setdefault(kind, {})[name] = target
        todo.extend(_local_refs(target))
    if schemes and "securitySchemes" in components:
        used["securitySchemes"] = {
            name: scheme
            for name, scheme in components["securitySchemes"].items()
            if name in schemes
        }
    if used:
        selected["components"] = {
            kind: {name: used[kind][name] for name in components[kind] if name in used[kind]}
            for kind in components
            if kind in used
        }
    if isinstance(document.get("tags"), list):
        tags = {
            tag
            for item in paths.values()
            for method in HTTP_METHODS
            for tag in (item.get(method) or {}).get("tags") or []
        }
        selected["tags"] = [tag for tag in document["tags"] if tag.get("name") in tags]
    return selected


def _local_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            yield ref
        for value in node.values():
            yield from _local_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _local_refs(value)


def validate(document: JsonObject, *, lenient: bool = False) -> list[str]:
    """Validate the document; return the repairs made (`lenient` only), one line each.

    Raises `InvalidSpec` with the pointer of the first problem that is not repaired.
    """
    repairs: list[str] = []
    for _ in range(MAX_REPAIRS + 1):
        problem = _first_problem(document)
        if problem is None:
            return repairs
        where, message, default_of = problem
        if default_of is not None and lenient:
            value = default_of.pop("default")
            repairs.append(
                f"{where}: repaired: the default {json.dumps(value)} does not fit the"
                f" schema ({message}); dropped (a client never sends defaults)"
            )
            continue
        hint = (
            "; --lenient drops a default that does not fit its schema"
            if default_of is not None
            else ""
        )
        raise InvalidSpec(where, f"invalid OpenAPI: {message}{hint}")
    raise InvalidSpec("#", f"more than {MAX_REPAIRS} defaults do not fit their schemas")


def _first_problem(document: JsonObject) -> tuple[str, str, JsonObject | None] | None:
    """`(pointer, message, the schema whose default is wrong or None)`, or None if valid."""
    from jsonschema.exceptions import ValidationError
    from openapi_spec_validator import validate as validate_openapi

    try:
        validate_openapi(document)
    except ValidationError as error:
        message = " ".join(str(error.message).split())[:300]
        found = _locate(document, error)
        if found is None:
            return pointer(*error.absolute_path), message, None
        return found[0], message, found[1]
    except Exception as error:  # an unresolvable $ref, a duplicate operationId, ...
        text = " ".join(str(error).split())[:300] or type(error).__name__
        return "#", text, None
    return None


def _locate(document: JsonObject, error: Any) -> tuple[str, JsonObject | None] | None:
    """Where in the document a validator error is, by the identity of what it checked.

    The validator checks a schema's default against that schema, and each schema
    against the meta-schema; its error holds the very objects of the document, whose
    place is found by walking it. (Its own paths start at the checked value.)
    """
    instance = error.instance
    if isinstance(instance, (dict, list)):
        place = _find(document, instance)
        if place is not None:
            return pointer(*place), None
    schema = error.schema
    inner = [str(part) for part in error.absolute_path]
    if isinstance(schema, dict) and "default" in schema:
        place = _find(document, schema)
        if place is not None:
            return pointer(*place, "default", *inner), schema
    # The error is about a part of the schema holding the default (an `allOf` member, a
    # `$ref`'s target): the holder is a schema whose default is this very value, and
    # that the value does not fit.
    for place, holder in _defaults(document, ()):
        default = holder["default"]
        if default is instance or (
            type(default) is type(instance) and default == instance and _misfits(document, place)
        ):
            return pointer(*place, "default", *inner), holder
    return None


def _defaults(
    node: Any, place: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], JsonObject]]:
    """Every schema with a `default`, and its place (`example`s and `default`s not entered)."""
    if isinstance(node, dict):
        if "default" in node:
            yield place, node
        for key, value in node.items():
            if key not in ("default", "example", "examples", "enum", "const"):
                yield from _defaults(value, (*place, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _defaults(value, (*place, index))


def _misfits(document: JsonObject, place: tuple[str | int, ...]) -> bool:
    """Whether the default at `place` does not fit its schema (read as the document's
    OpenAPI version reads schemas, `$ref`s followed within the document)."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:spec", resource)
    schema = {"$ref": "urn:spec" + pointer(*place)}
    kind = OAS30Validator if str(document.get("openapi", "")).startswith("3.0") else OAS31Validator
    holder: Any = document
    for part in place:
        holder = holder[part]
    try:
        return not kind(schema, registry=registry).is_valid(holder["default"])
    except Exception:  # a reference it cannot follow: count the default as the culprit
        return True


def _find(
    node: Any, target: object, place: tuple[str | int, ...] = ()
) -> tuple[str | int, ...] | None:
    if node is target:
        return place
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                found = _find(value, target, (*place, key))
                if found is not None:
                    return found
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, (dict, list)):
                found = _find(value, target, (*place, index))
                if found is not None:
                    return found
    return None
