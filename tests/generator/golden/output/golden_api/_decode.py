# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""What the generated `from_dict` methods use to read a JSON object into a model.

Decoding only converts (a dict to its model, a string to its enum member); the checks
run when the model is built. Both raise `ValidationError` with the path to the value.

The decoders are built once per shape (`model`, `enum_member`, `list_of`, ... are
cached), so reading an answer costs no closure per field and call.
"""

from __future__ import annotations

import binascii
import gc
import importlib
import json
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any, NoReturn, Protocol, TypeVar

from .types import UNSET
from .validation import Check, ValidationError


def _optional_reader() -> Callable[[bytes], Any] | None:
    """orjson's `loads` when orjson is installed: it is no dependency of this package."""
    try:
        reader: Callable[[bytes], Any] = importlib.import_module("orjson").loads
    except ImportError:
        return None
    return reader


_fast_loads = _optional_reader()

E = TypeVar("E", bound=Enum)
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

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

    With orjson installed (the `fast` extra of orq-router) orjson reads the body,
    about twice as fast for floats. What it refuses is read again by the standard
    library, which decides: the same result, the same error and the same message
    either way. (orjson is stricter in places: `1e999`, an escaped lone surrogate.)
    The one difference left: orjson reads an integer beyond 64 bits as a float.
    """
    if _fast_loads is not None:
        try:
            return _fast_loads(content)
        except (ValueError, MemoryError):
            pass  # the standard library decides, and words the error the same way
    return loads_stdlib(content)


def parse(content: bytes, build: Callable[[Any], T]) -> T:
    """`build(loads(content))`, where the standard library decides every refusal.

    When the fast reader's result is refused by `build` (a model's `from_dict`), the
    body is read again by the standard library and built again, so that an answer
    is accepted or refused, and its error worded, the same with or without orjson.
    A refused answer costs two reads; an accepted one, the fast read alone.

    An answer of `PAUSE_COLLECTOR_FROM` bytes or more is read with the cyclic garbage
    collector paused (see `_paused_collector`).
    """
    if len(content) >= PAUSE_COLLECTOR_FROM and gc.isenabled():
        return _paused_collector(_parse, content, build)
    return _parse(content, build)


def _parse(content: bytes, build: Callable[[Any], T]) -> T:
    if _fast_loads is not None:
        try:
            return build(_fast_loads(content))
        except (ValueError, MemoryError):
            # Refused, or more than orjson could allocate: it reserves room for the
            # worst case, several times the body (untouched, so not resident), which
            # a process under a strict memory limit may not be given.
            pass
    return build(loads_stdlib(content))


PAUSE_COLLECTOR_FROM = 4 << 20
"""Bytes of an answer from which it is read with the cyclic garbage collector paused."""


def _paused_collector(parse: Callable[[bytes, Callable[[Any], T]], T], *args: Any) -> T:
    """`parse(*args)` with the cyclic garbage collector paused, then resumed.

    A large float answer is millions of floats in thousands of new lists: the collector,
    triggered every 700 new containers, walks those lists again and again while they are
    built (a seventh of the time of a 2048 x 1536 float answer) and finds nothing, since
    reading JSON makes no reference cycle. Memory is still freed as usual (reference
    counting). The pause lasts one read; the collector is resumed by the thread that
    paused it, so reads in other threads never keep it off for longer. (A program that
    turns the collector off itself during such a read, in another thread, finds it on
    again afterwards.)
    """
    gc.disable()
    try:
        return parse(*args)
    finally:
        gc.enable()


def loads_stdlib(content: bytes) -> Any:
    """`loads` with the standard library's parser alone."""
    try:
        return _JSON.decode(content.decode("utf-8"))
    except RecursionError:
        raise ValueError("the JSON is nested too deeply to read") from None


def as_object(src: object, model: str) -> Mapping[str, Any]:
    """The value, if it is a JSON object (a mapping with str keys)."""
    if type(src) is dict:
        return src
    if not isinstance(src, Mapping):
        raise ValidationError(
            f"must be built from a JSON object (a dict), got {type(src).__name__}", model=model
        )
    return src


def reject_unknown(data: Mapping[str, Any], known: frozenset[str], model: str) -> None:
    """Refuse keys the schema does not name (`additionalProperties: false`).

    A typo (`dimension` for `dimensions`) would otherwise be dropped without a word.
    """
    if data.keys() <= known:
        return
    import difflib  # only on the way to an error

    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValidationError(f"is not a field of {model}{hint}", path=(str(key),), model=model)


def unknown_keys(data: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The keys the schema does not name, kept so that nothing the server sent is lost."""
    if data.keys() <= known:
        return {}
    return {key: value for key, value in data.items() if key not in known}


def missing(key: str, model: str) -> NoReturn:
    """The error for a required key that is absent."""
    raise ValidationError("is required", path=(key,), model=model)


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


class _Decodable(Protocol[T_co]):
    """A generated model class, as far as decoding goes."""

    def from_dict(self, src: Mapping[str, Any], /) -> T_co: ...


@cache
def model(cls: _Decodable[T]) -> Callable[[Any], T]:
    """A decoder from a JSON object to the model `cls`, that takes a `cls` as it is.

    Used for the models a request holds: `from_params` passes the models it was given
    through unchanged instead of writing them out and reading them back. (Response
    models are decoded by `cls.from_dict` itself: no check more per object.)
    """
    from_dict = cls.from_dict
    own: object = cls

    def decode(value: Any) -> T:
        return value if type(value) is own else from_dict(value)

    return decode


@cache
def enum_member(enum: type[E]) -> Callable[[Any], E]:
    """A decoder from a JSON string to a member of `enum`."""
    # `enum(value)` looks the value up in this same table first, the slow way round.
    members: dict[Any, E] = {member.value: member for member in enum}

    def decode(value: Any) -> E:
        try:
            return members[value]
        except (KeyError, TypeError):
            pass
        try:
            return enum(value)
        except (ValueError, TypeError):
            allowed = ", ".join(repr(member.value) for member in enum)
            raise ValidationError(f"must be one of {allowed}, got {value!r}") from None

    return decode


@cache
def list_of(decode: Callable[[Any], T]) -> Callable[[Any], list[T]]:
    """A decoder from a JSON array, decoding each item with `decode`."""

    def decode_list(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise ValidationError(f"must be a list, got {type(value).__name__}")
        try:
            return list(map(decode, value))  # an answer's rows: no Python step per item
        except ValidationError:
            pass  # decoders are pure: read again, item by item, to name the bad one
        items: list[T] = []
        for index, item in enumerate(value):
            try:
                items.append(decode(item))
            except ValidationError as error:
                raise error.within(index) from None
        return items

    return decode_list


@cache
def dict_of(decode: Callable[[Any], T]) -> Callable[[Any], dict[str, T]]:
    """A decoder from a JSON object used as a map, decoding each value with `decode`."""

    def decode_dict(value: Any) -> dict[str, T]:
        if not isinstance(value, Mapping):
            raise ValidationError(f"must be a dict, got {type(value).__name__}")
        items: dict[str, T] = {}
        for key, item in value.items():
            try:
                items[key] = decode(item)
            except ValidationError as error:
                raise error.within(key) from None
        return items

    return decode_dict


@cache
def nullable(decode: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """A decoder that passes null (None) through and decodes anything else."""

    def decode_nullable(value: Any) -> T | None:
        return None if value is None else decode(value)

    return decode_nullable


@cache
def union(*branches: tuple[Check, Decoder | None], exactly_one: bool) -> Decoder:
    """A decoder for `anyOf` / `oneOf` when a branch needs decoding (a model, an enum).

    Each branch decodes the value (or takes it as it is) and checks the result; `anyOf`
    takes the first branch that succeeds, `oneOf` requires exactly one. When none does,
    the complaint of the first branch whose type fits is raised.
    """

    def decode_union(value: Any) -> Any:
        matches: list[Any] = []
        failures: list[ValidationError] = []
        for check, decode in branches:
            if decode is None and not check.accepts(value):
                continue
            try:
                decoded = value if decode is None else decode(value)
                check(decoded)
            except ValidationError as error:
                failures.append(error)
                continue
            if not exactly_one:
                return decoded
            matches.append(decoded)
        if len(matches) == 1:
            return matches[0]
        expected = " or ".join(check.expected for check, _ in branches)
        if matches:
            raise ValidationError(f"matches more than one of: {expected}")
        if failures:
            raise failures[0]
        got = "None" if value is None else type(value).__name__
        raise ValidationError(f"must be {expected}, got {got}")

    return decode_union


def base64_bytes(value: Any) -> bytes:
    """A decoder from a JSON string to the bytes it holds in base64 (`format: binary`)."""
    if isinstance(value, bytes):
        return value  # a model built from keywords passes bytes as they are
    if not isinstance(value, str):
        raise ValidationError(f"must be base64 text, got {type(value).__name__}")
    try:
        return binascii.a2b_base64(value.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValidationError("must be base64 text (the bytes of `format: binary`)") from None


@cache
def tagged(
    key: str, branches: tuple[tuple[str, Decoder], ...], untagged: Decoder | None
) -> Decoder:
    """A decoder for a union of models told apart by the value of `key` (a discriminator).

    An object with the key goes to the branch its value names, without trying the
    others; an unknown value is an error naming the known ones. A value without the key
    (or not an object: a model given as it is) is decoded as the untagged union.
    """
    table = dict(branches)

    def decode_tagged(value: Any) -> Any:
        if isinstance(value, Mapping) and key in value:
            tag = value[key]
            try:
                decode = table.get(tag) if isinstance(tag, str) else None
            except TypeError:
                decode = None
            if decode is None:
                allowed = ", ".join(repr(name) for name in table)
                raise ValidationError(f"must be one of {allowed}, got {tag!r}", path=(key,))
            return decode(value)
        if untagged is None:
            return value
        return untagged(value)

    return decode_tagged
