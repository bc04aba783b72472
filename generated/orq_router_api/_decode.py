# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""What the generated `from_dict` methods use to read a JSON object into a model.

Decoding only converts (a dict to its model, a string to its enum member); the checks
run when the model is built. Both raise `ValidationError` with the path to the value.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, NoReturn, TypeVar

from orq_router_api.types import UNSET
from orq_router_api.validation import ValidationError

E = TypeVar("E", bound=Enum)
T = TypeVar("T")

Decoder = Callable[[Any], Any]


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


_JSON = json.JSONDecoder(parse_constant=_no_constant)


def loads(content: bytes) -> Any:
    """A body read as strict JSON; every failure is a `ValueError`.

    Stricter than `json.loads` where a lenient read would accept a wrong answer: the
    body must be UTF-8 (as JSON is on the wire), and `NaN` / `Infinity`, which
    Python's parser takes but JSON does not have, are refused rather than becoming a
    vector of NaN. A body nested too deeply for the parser (`[[[[...]]]]`) raises
    `ValueError` too, never `RecursionError`.
    """
    try:
        return _JSON.decode(content.decode("utf-8"))
    except RecursionError:
        raise ValueError("the JSON is nested too deeply to read") from None


def as_object(src: object, model: str) -> Mapping[str, Any]:
    """The value, if it is a JSON object (a mapping with str keys)."""
    if not isinstance(src, Mapping):
        raise ValidationError(
            f"must be built from a JSON object (a dict), got {type(src).__name__}", model=model
        )
    return src


def reject_unknown(data: Mapping[str, Any], known: frozenset[str], model: str) -> None:
    """Refuse keys the schema does not name (`additionalProperties: false`).

    A typo (`dimension` for `dimensions`) would otherwise be dropped without a word.
    """
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValidationError(f"is not a field of {model}{hint}", path=(str(key),), model=model)


def unknown_keys(data: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The keys the schema does not name, kept so that nothing the server sent is lost."""
    return {key: value for key, value in data.items() if key not in known}


def required(data: Mapping[str, Any], key: str, model: str, decode: Decoder | None = None) -> Any:
    """The decoded value of a required key; its absence is an error."""
    if key not in data:
        raise ValidationError("is required", path=(key,), model=model)
    return _decoded(data[key], key, model, decode)


def optional(data: Mapping[str, Any], key: str, model: str, decode: Decoder | None = None) -> Any:
    """The decoded value of an optional key, or `UNSET` when the key is absent.

    A key present with the value null is not absent: it reaches the field's check, which
    refuses it unless the schema allows null.
    """
    if key not in data:
        return UNSET
    return _decoded(data[key], key, model, decode)


def _decoded(value: Any, key: str, model: str, decode: Decoder | None) -> Any:
    if decode is None:
        return value
    try:
        return decode(value)
    except ValidationError as error:
        raise error.within(key, model=model) from None


def enum_member(enum: type[E]) -> Callable[[Any], E]:
    """A decoder from a JSON string to a member of `enum`."""

    def decode(value: Any) -> E:
        try:
            return enum(value)
        except (ValueError, TypeError):
            allowed = ", ".join(repr(member.value) for member in enum)
            raise ValidationError(f"must be one of {allowed}, got {value!r}") from None

    return decode


def list_of(decode: Callable[[Any], T]) -> Callable[[Any], list[T]]:
    """A decoder from a JSON array, decoding each item with `decode`."""

    def decode_list(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise ValidationError(f"must be a list, got {type(value).__name__}")
        items: list[T] = []
        for index, item in enumerate(value):
            try:
                items.append(decode(item))
            except ValidationError as error:
                raise error.within(index) from None
        return items

    return decode_list
