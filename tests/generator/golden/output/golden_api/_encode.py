# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""What the generated code uses to turn values into JSON and into parameters.

A request built from keywords may hold values in several forms (a model or a dict, an
enum member or its value, a tuple or a list, a helper with `to_model()`). They are all
brought to plain JSON here, and the one strict reader, `from_dict`, builds and checks the
model from that: one set of rules and one set of error messages for every form.

Bytes (`format: binary`) travel as base64 text; a path, query or header parameter is
checked (`parameter`) and written as text (`parameter_text`, `path_segment`).
"""

from __future__ import annotations

import base64
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import Any

import attrs

from ._validation_error import ValidationError

_SCALARS = frozenset({str, int, float, bool, type(None)})
_SEQUENCES = frozenset({list, tuple})


def to_json(value: object) -> Any:
    """The value as JSON data: models as dicts, enum members as values, sequences as lists.

    A value this cannot convert is returned as it is, for the model's check to refuse
    with a message that names the field. Plain lists and dicts of plain values, the
    common case, are checked by type alone (no ABC or protocol lookup per item).
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is bytes:
        return base64_text(value)  # type: ignore[arg-type]
    if isinstance(value, (list, tuple)):
        return [item if type(item) in _SCALARS else to_json(item) for item in value]
    if isinstance(value, dict):
        return {
            key: item if type(item) in _SCALARS else to_json(item) for key, item in value.items()
        }
    if isinstance(value, Enum):
        return value.value
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and attrs.has(kind):
        return to_json(to_dict())
    to_model = getattr(value, "to_model", None)
    if callable(to_model):
        return to_json(to_model())
    if isinstance(value, Mapping):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray)):
        return [to_json(item) for item in value]
    return value


def _given(value: object) -> Any:
    """Like `to_json`, but the models of this package are kept as they are.

    `from_dict` takes them back as they are (`_decode.model`), so a request built from
    models, or from helpers that build models, is not written out and read back.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, (list, tuple)) and kind in _SEQUENCES:  # no model nor builder is one
        return [item if type(item) in _SCALARS else _given(item) for item in value]
    if isinstance(value, Enum) and not hasattr(value, "to_model"):
        return value.value
    if attrs.has(kind) and callable(getattr(value, "to_dict", None)):
        return value
    to_model = getattr(value, "to_model", None)
    if callable(to_model):
        return _given(to_model())
    if isinstance(value, (list, tuple)):
        return [item if type(item) in _SCALARS else _given(item) for item in value]
    if isinstance(value, dict):
        return {
            key: item if type(item) in _SCALARS else _given(item) for key, item in value.items()
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {key: _given(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray)):
        return [_given(item) for item in value]
    return value


def params(
    required: Mapping[str, object], options: Mapping[str, object], renames: Mapping[str, str]
) -> dict[str, Any]:
    """The JSON object of a request built from keywords.

    `required` holds the required fields by wire name (None there is JSON null);
    `options` the optional ones by keyword name, where None means "not set" and the
    field is left out; `renames` maps a keyword name to its wire name where they differ.
    """
    data = {key: _given(value) for key, value in required.items()}
    for key, value in options.items():
        if value is not None:
            data[renames.get(key, key)] = _given(value)
    return data


def base64_text(value: bytes) -> str:
    """Bytes as JSON carries them: base64 text (`format: binary`)."""
    return base64.b64encode(value).decode("ascii")


def parameter_text(value: object) -> str:
    """A parameter's value as written in a path, query or header: an enum member as its
    value, a boolean as `true` / `false`, a number as Python writes it."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parameter(
    name: str,
    check: Callable[[Any], None],
    value: Any,
    decode: Callable[[Any], Any] | None = None,
) -> Any:
    """A parameter's value, decoded (an enum parameter takes its plain value too) and
    checked; a bad one raises `ValidationError` naming the parameter, before anything is
    sent."""
    try:
        if decode is not None:
            value = decode(value)
        check(value)
    except ValidationError as error:
        raise error.within(name) from None
    return value


def path_segment(text: str) -> str:
    """A path parameter's text, percent-encoded so that it stays one segment."""
    return urllib.parse.quote(text, safe="")


def query_string(pairs: list[tuple[str, str]]) -> str:
    """`?a=1&b=2` for the query parameters given (nothing when none is)."""
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""
