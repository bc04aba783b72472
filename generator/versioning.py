"""Semantic versions for the generated package, from a diff of its spec.

The generated output keeps a record of its last release (`release.json`: the version,
the spec it was generated from, a hash of its code, and the changelog so far). Each
generation compares the current spec with the recorded one and classifies every change:

- **major**, a change that can break a caller of the package: an operation, schema,
  field or enum value removed; a schema renamed; an optional request field made
  required or a required one added; a request type narrowed, a request constraint
  tightened or null no longer allowed in a request; a response field removed, made
  optional or made nullable, or its type widened;
- **minor**, an addition: a new optional request field, operation, schema, enum value,
  response field or response header; a request type widened or constraint loosened;
  a response constraint changed; another server URL or way to send the token;
- **patch**, what changes no code a caller writes: descriptions, titles, examples,
  documented defaults, the spec's own version, and output changes of the generator
  itself (the recorded spec, generated again, gives other code).

The version is the recorded one bumped by the largest class (or the recorded one when
nothing changed), so it depends only on the spec and the record, never on how many
times generation ran. `python -m generator --release` records the current state as the
new last release; `CHANGELOG.md` lists every version and every change with its class.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal

import attrs

from generator.canonical import Canonicaliser
from generator.nodes import Builder, Node
from generator.spec import (
    SCHEMA_REF,
    JsonObject,
    Spec,
    split_nullable,
)

RECORD = "release.json"
CHANGELOG = "CHANGELOG.md"

Level = Literal["major", "minor", "patch"]
LEVELS: tuple[Level, ...] = ("major", "minor", "patch")


@attrs.frozen
class Change:
    """One difference between two specs, and what it means for a caller."""

    level: Level
    text: str


@attrs.frozen
class Entry:
    """One version of the changelog."""

    version: str
    changes: tuple[Change, ...]


@attrs.frozen
class Record:
    """The last release: what `release.json` holds."""

    version: str
    output_sha256: str
    spec: JsonObject
    history: tuple[Entry, ...]
    """Every released version, newest first (the last release included)."""


def content_hash(files: Mapping[str, str]) -> str:
    """One SHA-256 over the files' paths and text, in path order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    return digest.hexdigest()


def bump(version: str, level: Level) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


FIRST_VERSION = "1.0.0"


def next_entry(
    record: Record | None,
    spec: Spec,
    output_sha256: str,
    regenerate: Callable[[JsonObject], str],
    *,
    lenient: bool = False,
) -> Entry:
    """The version this output gets, and its changes since the recorded release.

    `regenerate(document)` is the hash of the output the current generator writes for
    the recorded spec: it tells a generator change from a spec change. `lenient` reads
    the recorded spec as the current one was read (`--lenient`).
    """
    if record is None:
        return Entry(FIRST_VERSION, (Change("major", "first release"),))
    old = Canonicaliser(record.spec, lenient=lenient).spec(spec.path)
    changes = list(diff(old, spec))
    if output_sha256 != record.output_sha256 and (
        not changes or regenerate(record.spec) != record.output_sha256
    ):
        changes.append(Change("patch", "the generated code changed (a generator update)"))
    if not changes:
        return Entry(record.version, record.history[0].changes if record.history else ())
    level = min((change.level for change in changes), key=LEVELS.index)
    ordered = sorted(changes, key=lambda change: LEVELS.index(change.level))
    return Entry(bump(record.version, level), tuple(ordered))


# The spec diff ---------------------------------------------------------------------------

Side = Literal["request", "response"]


def diff(old: Spec, new: Spec) -> Iterator[Change]:
    """Every change from `old` to `new`, classified (in document order)."""
    changes = list(_changes(old, new))
    yield from changes
    if not changes and old.document != new.document:
        yield Change("patch", "other changes to the document, none of them to the code")


def _changes(old: Spec, new: Spec) -> Iterator[Change]:
    renames = _renames(old, new)
    yield from _document_changes(old, new)
    yield from _operation_changes(old, new)
    old_sides = _sides(old)
    new_sides = _sides(new)
    for name in old.schemas:
        target = renames.get(name, name)
        if target not in new.schemas:
            yield Change("major", f"`{name}`: schema removed")
        elif target != name:
            yield Change("major", f"`{name}`: schema renamed to `{target}`")
    for name in new.schemas:
        if name not in old.schemas and name not in renames.values():
            yield Change("minor", f"`{name}`: new schema")
    old_schemas = {
        renames.get(name, name): _renamed(body, renames) for name, body in old.schemas.items()
    }
    builders = (Builder(old_schemas, strict=False), Builder(new.schemas, strict=False))
    for name, old_body in old.schemas.items():
        target = renames.get(name, name)
        if target in new.schemas:
            sides = old_sides.get(name, set()) | new_sides.get(target, set())
            comparer = _SchemaDiff(renames, sides or {"request", "response"}, builders)
            yield from comparer.component(target, old_body, new.schemas[target])


def _sides(spec: Spec) -> dict[str, set[Side]]:
    sides: dict[str, set[Side]] = {}
    for name in spec.request_schemas:
        sides.setdefault(name, set()).add("request")
    for name in spec.response_schemas:
        sides.setdefault(name, set()).add("response")
    return sides


def _renames(old: Spec, new: Spec) -> dict[str, str]:
    """Schemas that only changed name: removed from `old`, added to `new`, same body."""
    gone = [name for name in old.schemas if name not in new.schemas]
    added = [name for name in new.schemas if name not in old.schemas]
    renames: dict[str, str] = {}
    for name in gone:
        body = _canonical_text(old.schemas[name], renames)
        for candidate in added:
            if candidate not in renames.values() and body == _canonical_text(
                new.schemas[candidate], {}
            ):
                renames[name] = candidate
                break
    return renames


def _canonical_text(body: JsonObject, renames: Mapping[str, str]) -> str:
    return json.dumps(_renamed(body, renames), sort_keys=True)


def _renamed(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        out = {key: _renamed(value, renames) for key, value in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            name = ref[len(SCHEMA_REF) :]
            out["$ref"] = SCHEMA_REF + renames.get(name, name)
        return out
    if isinstance(node, list):
        return [_renamed(item, renames) for item in node]
    return node


def _document_changes(old: Spec, new: Spec) -> Iterator[Change]:
    if old.version != new.version:
        yield Change("patch", f"spec version {old.version} -> {new.version}")
    for key in ("title", "summary", "description"):
        if old.document["info"].get(key) != new.document["info"].get(key):
            yield Change("patch", f"the spec's {key} changed")
    if _server(old) != _server(new):
        yield Change("minor", f"default server {_server(old)} -> {_server(new)}")
    if _token_header(old) != _token_header(new):
        yield Change("minor", "the way the token is sent changed")
    elif old.auth != new.auth:
        yield Change("patch", "the security scheme's description changed")
    old_tags = {tag["name"]: tag for tag in old.document.get("tags", [])}
    new_tags = {tag["name"]: tag for tag in new.document.get("tags", [])}
    if old_tags != new_tags:
        yield Change("patch", "tag descriptions changed")


def _token_header(spec: Spec) -> tuple[str, str] | None:
    """The header the token goes in, and its prefix (`Authorization`, `Bearer `)."""
    return None if spec.auth is None else (spec.auth.header, spec.auth.prefix)


def _server(spec: Spec) -> str | None:
    servers = spec.document.get("servers") or []
    return servers[0].get("url") if servers else None


def _operation_changes(old: Spec, new: Spec) -> Iterator[Change]:
    before = {op.operation_id: op for op in old.operations()}
    after = {op.operation_id: op for op in new.operations()}
    for op_id in before:
        if op_id not in after:
            yield Change("major", f"operation `{op_id}` removed")
    for op_id, op in after.items():
        if op_id not in before:
            yield Change("minor", f"new operation `{op_id}` ({op.method} {op.path})")
            continue
        was = before[op_id]
        where = f"operation `{op_id}`"
        if (was.method, was.path) != (op.method, op.path):
            yield Change("minor", f"{where}: now {op.method} {op.path}")
        if was.success_status != op.success_status:
            yield Change("major", f"{where}: success status {was.success_status} -> "
                         f"{op.success_status}")  # fmt: skip
        if set(was.error_schemas) != set(op.error_schemas):
            yield Change("minor", f"{where}: documented error bodies changed")
        if (was.summary, was.description) != (op.summary, op.description):
            yield Change("patch", f"{where}: summary or description changed")
        if (was.request_examples, was.response_examples) != (
            op.request_examples,
            op.response_examples,
        ):
            yield Change("patch", f"{where}: examples changed")
        old_headers = _headers(old, was.path, was.method)
        new_headers = _headers(new, op.path, op.method)
        for header in sorted(old_headers - new_headers):
            yield Change("major", f"{where}: response header {header} removed")
        for header in sorted(new_headers - old_headers):
            yield Change("minor", f"{where}: new response header {header}")


def _headers(spec: Spec, path: str, method: str) -> set[str]:
    """`"<status> <header name>"` for every response header the operation documents."""
    op = spec.document["paths"][path][method.lower()]
    found = set()
    for code, response in (op.get("responses") or {}).items():
        while "$ref" in response:
            response = spec.document["components"]["responses"][response["$ref"].split("/")[-1]]
        for header in response.get("headers") or {}:
            found.add(f"{header.lower()} ({code})")
    return found


_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems")


@attrs.frozen
class _SchemaDiff:
    """Compares one component across two specs, given who uses it (request, response)."""

    renames: Mapping[str, str]
    sides: set[Side]
    builders: tuple[Builder, Builder]
    """Read the old and the new spec's schemas into nodes, whose rules classify a change."""

    def _level(self, request: Level, response: Level) -> Level:
        """The larger class among the sides the schema is used on."""
        levels = []
        if "request" in self.sides:
            levels.append(request)
        if "response" in self.sides:
            levels.append(response)
        return min(levels, key=LEVELS.index)

    def component(self, name: str, old: JsonObject, new: JsonObject) -> Iterator[Change]:
        old = _renamed(old, self.renames)
        if "enum" in old or "enum" in new:
            yield from self._enum(name, old, new)
        else:
            yield from self._object(name, old, new)
        for key in ("description", "title"):
            if old.get(key) != new.get(key):
                yield Change("patch", f"`{name}`: {key} changed")

    def _enum(self, name: str, old: JsonObject, new: JsonObject) -> Iterator[Change]:
        before, after = old.get("enum", []), new.get("enum", [])
        for value in before:
            if value not in after:
                yield Change("major", f"`{name}`: value {value!r} removed")
        for value in after:
            if value not in before:
                yield Change("minor", f"`{name}`: new value {value!r}")

    def _object(self, name: str, old: JsonObject, new: JsonObject) -> Iterator[Change]:
        before, after = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        for prop in before:
            if prop not in after:
                yield Change("major", f"`{name}.{prop}`: field removed")
        for prop in after:
            if prop in before:
                continue
            where = f"`{name}.{prop}`"
            if prop in new_required:
                level = self._level("major", "minor")
                yield Change(level, f"{where}: new required field")
            else:
                yield Change("minor", f"{where}: new optional field")
        for prop in before:
            if prop not in after:
                continue
            where = f"`{name}.{prop}`"
            was, now = prop in old_required, prop in new_required
            if not was and now:
                level = self._level("major", "minor")
                yield Change(level, f"{where}: optional field made required")
            elif was and not now:
                level = self._level("minor", "major")
                yield Change(level, f"{where}: required field made optional")
            yield from self._value(where, before[prop], after[prop])
        if bool(old.get("additionalProperties")) != bool(new.get("additionalProperties")):
            allowed = bool(new.get("additionalProperties"))
            level = self._level("minor" if allowed else "major", "minor")
            text = "now keeps unknown keys" if allowed else "now refuses unknown keys"
            yield Change(level, f"`{name}`: {text}")

    def _value(self, where: str, old: JsonObject, new: JsonObject) -> Iterator[Change]:
        changes = list(self._value_changes(where, old, new))
        yield from changes
        if not changes and old != new:
            yield Change("patch", f"{where}: documentation inside changed")

    def _value_changes(self, where: str, old: JsonObject, new: JsonObject) -> Iterator[Change]:
        old_inner, old_null = split_nullable(old)
        new_inner, new_null = split_nullable(new)
        if old_null != new_null:
            if new_null:
                yield Change(self._level("minor", "major"), f"{where}: now nullable")
            else:
                yield Change(self._level("major", "minor"), f"{where}: no longer nullable")
        old_node, new_node = self._node(0, old_inner), self._node(1, new_inner)
        if old_node.shape() != new_node.shape():
            widened = new_node.contains(old_node)
            narrowed = old_node.contains(new_node)
            if widened and not narrowed:
                level = self._level("minor", "major")
                yield Change(level, f"{where}: type widened")
            elif narrowed and not widened:
                level = self._level("major", "minor")
                yield Change(level, f"{where}: type narrowed")
            else:
                yield Change("major", f"{where}: type changed")
        else:
            yield from self._constraints(where, old_node.constraints(), new_node.constraints())
        if old.get("default") != new.get("default"):
            yield Change("patch", f"{where}: documented default changed")
        for key in ("description", "title", "examples", "example"):
            if _annotation(old, key) != _annotation(new, key):
                yield Change("patch", f"{where}: {key} changed")

    def _node(self, side: int, schema: JsonObject) -> Node:
        return self.builders[side].node(schema, "#")

    def _constraints(
        self, where: str, old: Mapping[str, Any], new: Mapping[str, Any]
    ) -> Iterator[Change]:
        """Constraints of two nodes of the same shape: tightened or loosened."""
        tighter, looser = _compare_constraints(old, new)
        if tighter:
            level = self._level("major", "minor")
            yield Change(level, f"{where}: constraint tightened ({', '.join(tighter)})")
        if looser:
            yield Change("minor", f"{where}: constraint loosened ({', '.join(looser)})")


def _annotation(schema: JsonObject, key: str) -> Any:
    """An annotation of a field, wherever the canonical form put it."""
    if key in schema:
        return schema[key]
    inner, _ = split_nullable(schema)
    return inner.get(key)


def _compare_constraints(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[list[str], list[str]]:
    """The constraints (by label, `items.minItems`) made tighter, and those made looser."""
    tighter: list[str] = []
    looser: list[str] = []
    for label in sorted(old.keys() | new.keys()):
        a, b = old.get(label), new.get(label)
        if a == b:
            continue
        key = label.rsplit(".", 1)[-1]
        if key in _LOWER_BOUNDS:
            (tighter if a is None or (b is not None and b > a) else looser).append(label)
        elif key in _UPPER_BOUNDS:
            (tighter if a is None or (b is not None and b < a) else looser).append(label)
        elif b is None or b is False:
            looser.append(label)
        else:
            tighter.append(label)
    return tighter, looser


# The record and the changelog ------------------------------------------------------------


def read_record(text: str | None) -> Record | None:
    if not text:
        return None
    data = json.loads(text)
    return Record(
        version=data["version"],
        output_sha256=data["output_sha256"],
        spec=data["spec"],
        history=tuple(
            Entry(entry["version"], tuple(Change(*change) for change in entry["changes"]))
            for entry in data["history"]
        ),
    )


def write_record(record: Record, header: str) -> str:
    document = {
        "_comment": header + " `python -m generator --release` writes this file.",
        "version": record.version,
        "output_sha256": record.output_sha256,
        "history": [
            {
                "version": entry.version,
                "changes": [[change.level, change.text] for change in entry.changes],
            }
            for entry in record.history
        ],
        "spec": record.spec,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def render_changelog(
    *, distribution: str, header_text: str, current: Entry, record: Record | None
) -> str:
    released = record.version if record is not None else None
    entries = list(record.history) if record is not None else []
    lines = [
        f"<!-- {header_text} -->",
        f"# Changelog of {distribution}",
        "",
        "Versions are computed from the spec (`python -m generator`): **major** when a change",
        "can break a caller, **minor** for additions, **patch** for documentation and",
        f"generator-only changes. Pin `{distribution}~=MAJOR.MINOR`.",
    ]
    pending = current.version != released
    if pending:
        entries.insert(0, current)
    for index, entry in enumerate(entries):
        note = " (not released yet)" if pending and index == 0 else ""
        lines += ["", f"## {entry.version}{note}", ""]
        lines += [f"- **{change.level}**: {change.text}" for change in entry.changes]
    return "\n".join(lines) + "\n"
