# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""The checks the generated models run on every value they are built with.

Each model field gets one check, built once at import time from the constraints the
OpenAPI document sets (`minLength`, `minimum`, `enum`, ...). A failed check raises
`ValidationError`, which names the model and the path to the bad value, so a wrong
request is refused before anything is sent.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Sized
from enum import Enum
from math import isfinite
from typing import Any, Protocol
from urllib.parse import urlsplit

import attrs

from ._validation_error import ValidationError
from .types import Unset

__all__ = [
    "FLOAT_MAX",
    "Check",
    "ValidationError",
    "any_of",
    "anything",
    "array",
    "binary",
    "boolean",
    "const",
    "exactly",
    "extra_keys",
    "field",
    "instance",
    "integer",
    "mapping",
    "member",
    "null",
    "nullable",
    "number",
    "one_of",
    "plain_floats",
    "plain_texts",
    "string",
    "titled",
    "vector",
]


class Check(Protocol):
    """A test of one JSON-shaped value against one schema."""

    @property
    def expected(self) -> str:
        """What a valid value is, for error messages: `an integer`, `a string`."""
        ...

    def accepts(self, value: object) -> bool:
        """Whether the value has the right type (its constraints aside)."""
        ...

    def __call__(self, value: object) -> None:
        """Raise `ValidationError` unless the value is valid."""
        ...

    def all_valid(self, values: list[Any]) -> bool:
        """True when every value is certainly valid, found at C speed where it can be.

        False means "not sure": the values are then checked one by one, which finds
        the bad one and says why. A list of inputs or of models is checked this way
        in a few passes over the list instead of a Python call per item.
        """
        ...


def _show(value: object) -> str:
    if isinstance(value, int) and value.bit_length() > 64:
        # repr() of a huge int is slow, and refused past 4300 digits: say its size instead.
        size = f"integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
        return f"a negative {size}" if value < 0 else f"an {size}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_text(value: str) -> None:
    """A str that UTF-8 can carry: no lone surrogate (say, from a badly decoded file).

    `isascii()` is constant time in CPython, so plain ASCII text costs nothing; other
    text costs one encode, the same work `json.dumps(...).encode()` does later anyway.
    """
    if value.isascii():
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(value[error.start])
        raise ValidationError(
            f"must be valid Unicode text, got a lone surrogate (U+{code:04X})"
            f" at character {error.start}"
        ) from None


def _wrong_type(expected: str, value: object) -> ValidationError:
    got = "None" if value is None else f"{type(value).__name__} {_show(value)}"
    return ValidationError(f"must be {expected}, got {got}")


#: How several values read, for the checks whose `expected` is one plain type.
_PLURALS = {"a string": "strings", "an integer": "integers", "a number": "numbers"}
_PLURALS["a boolean"] = "booleans"


def _plural(check: Check) -> str:
    """What a list of valid values holds, for messages: `integers`, `lists of strings`."""
    plural = getattr(check, "plural", None)
    if isinstance(plural, str):
        return plural
    expected = check.expected
    return _PLURALS.get(expected, f"items that are each {expected}")


def _pluralise(noun: str) -> str:
    """`token id` -> `token ids`: English's regular plural, enough for a schema's title."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in ("a", "e", "i", "o", "u") else "a"


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


def _check_email(value: str) -> None:
    if _EMAIL.fullmatch(value) is None:
        raise ValidationError(f"must be an email address like name@example.com, got {_show(value)}")


def _check_uri(value: str) -> None:
    parts = urlsplit(value)
    if not _SCHEME.fullmatch(parts.scheme) or not (parts.netloc or parts.path) or " " in value:
        raise ValidationError(
            f"must be an absolute URI like https://example.com/a.png, got {_show(value)}"
        )


_FORMATS: dict[str, Callable[[str], None]] = {"email": _check_email, "uri": _check_uri}

_STR = frozenset({str})
_INT = frozenset({int})
_BOOL = frozenset({bool})


def _of_types(values: list[Any], types: frozenset[type]) -> bool:
    """Whether every value's exact type is one of `types`: one C-level pass."""
    return set(map(type, values)) <= types


@attrs.frozen
class _String:
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None

    @property
    def expected(self) -> str:
        return "a string"

    def accepts(self, value: object) -> bool:
        return isinstance(value, str)

    def __call__(self, value: object) -> None:
        if type(value) is str and value.isascii() and self.pattern is self.format is None:
            # The common case in a few comparisons: plain text, only lengths to check.
            size = len(value)
            if (self.min_length is None or size >= self.min_length) and (
                self.max_length is None or size <= self.max_length
            ):
                return
        if not isinstance(value, str):
            raise _wrong_type(self.expected, value)
        _check_text(value)
        if self.min_length is not None and len(value) < self.min_length:
            if self.min_length == 1:
                raise ValidationError("must not be empty")
            raise ValidationError(
                f"must be at least {self.min_length} characters long, got {len(value)}"
            )
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(
                f"must be at most {self.max_length} characters long, got {len(value)}"
            )
        if self.pattern is not None and re.search(self.pattern, value) is None:
            raise ValidationError(f"must match {self.pattern!r}, got {_show(value)}")
        if self.format is not None:
            _FORMATS[self.format](value)

    def all_valid(self, values: list[Any]) -> bool:
        if self.pattern is not None or self.format is not None or self.max_length is not None:
            return False
        return plain_texts(values, self.min_length or 0)


_FLOAT_MAX = sys.float_info.max
FLOAT_MAX = _FLOAT_MAX
"""The largest float: a number beyond it (or an int beyond it) is refused."""


@attrs.frozen
class _Number:
    integral: bool
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None

    @property
    def expected(self) -> str:
        return "an integer" if self.integral else "a number"

    def accepts(self, value: object) -> bool:
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (not self.integral and isinstance(value, float))

    def __call__(self, value: object) -> None:
        kind = type(value)
        if kind is int or (kind is float and not self.integral):
            assert isinstance(value, (int, float))
            # The common case in a few comparisons; NaN fails every one of them, and
            # an int is compared as an int (`float(10**400)` would raise).
            if (
                -_FLOAT_MAX <= value <= _FLOAT_MAX
                and self._within_bounds(value, value)
                and self.multiple_of is None
            ):
                return
        if not self.accepts(value):
            raise _wrong_type(self.expected, value)
        assert isinstance(value, (int, float))
        # An int is compared as an int, never converted: `math.isfinite(10**400)`
        # raises OverflowError.
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(f"must be a finite number, got {value}")
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(f"must be at least {self.minimum}, got {_show(value)}")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(f"must be at most {self.maximum}, got {_show(value)}")
        if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
            raise ValidationError(
                f"must be greater than {self.exclusive_minimum}, got {_show(value)}"
            )
        if self.exclusive_maximum is not None and value >= self.exclusive_maximum:
            raise ValidationError(f"must be less than {self.exclusive_maximum}, got {_show(value)}")
        if isinstance(value, int) and abs(value) > _FLOAT_MAX:
            # Within the spec's bounds, but past what most JSON readers can hold.
            raise ValidationError(
                f"must be within the range of a float (about 1.8e308), got {_show(value)}"
            )
        if self.multiple_of is not None and not _is_multiple(value, self.multiple_of):
            raise ValidationError(f"must be a multiple of {self.multiple_of}, got {_show(value)}")

    def _within_bounds(self, low: float, high: float) -> bool:
        """Whether values from `low` to `high` all meet the bounds."""
        return (
            (self.minimum is None or low >= self.minimum)
            and (self.maximum is None or high <= self.maximum)
            and (self.exclusive_minimum is None or low > self.exclusive_minimum)
            and (self.exclusive_maximum is None or high < self.exclusive_maximum)
        )

    def all_valid(self, values: list[Any]) -> bool:
        # Integers only: min() and max() of floats are not to be trusted with a NaN.
        if not values:
            return True
        if self.multiple_of is not None:
            return False
        if not _of_types(values, _INT):
            return False
        low, high = min(values), max(values)
        return low >= -_FLOAT_MAX and high <= _FLOAT_MAX and self._within_bounds(low, high)


def _is_multiple(value: float, step: float) -> bool:
    """Whether `value` is a whole number of `step`s (exactly for integers; for floats
    within their rounding, as `0.3` is a multiple of `0.1` though `0.3 % 0.1` is not 0)."""
    if isinstance(value, int) and isinstance(step, int):
        return value % step == 0
    quotient = value / step
    return math.isfinite(quotient) and abs(quotient - round(quotient)) <= 1e-9 * max(
        1.0, abs(quotient)
    )


@attrs.frozen
class _Boolean:
    @property
    def expected(self) -> str:
        return "a boolean"

    def accepts(self, value: object) -> bool:
        return isinstance(value, bool)

    def __call__(self, value: object) -> None:
        if not isinstance(value, bool):
            raise _wrong_type(self.expected, value)

    def all_valid(self, values: list[Any]) -> bool:
        return _of_types(values, _BOOL)


@attrs.frozen
class _Member:
    enum: type[Enum]

    @property
    def expected(self) -> str:
        return "one of " + ", ".join(repr(member.value) for member in self.enum)

    @property
    def plural(self) -> str:
        return "values among " + ", ".join(repr(member.value) for member in self.enum)

    def accepts(self, value: object) -> bool:
        return isinstance(value, self.enum)

    def __call__(self, value: object) -> None:
        if isinstance(value, self.enum):
            return
        name = self.enum.__name__
        for member in self.enum:
            if member.value == value:
                raise ValidationError(f"must be {name}.{member.name}, not the plain {_show(value)}")
        raise ValidationError(f"must be {self.expected} ({name}), got {_show(value)}")

    def all_valid(self, values: list[Any]) -> bool:
        return _of_types(values, frozenset({self.enum}))


@attrs.frozen
class _Instance:
    model: type[Any]

    @property
    def expected(self) -> str:
        return f"a {self.model.__name__}"

    @property
    def plural(self) -> str:
        return f"{self.model.__name__} objects"

    def accepts(self, value: object) -> bool:
        return isinstance(value, self.model)

    def __call__(self, value: object) -> None:
        if isinstance(value, self.model):
            return
        if isinstance(value, dict):
            name = self.model.__name__
            raise ValidationError(f"must be a {name}, got a dict (build it with {name}.from_dict)")
        raise _wrong_type(self.expected, value)

    def all_valid(self, values: list[Any]) -> bool:
        return _of_types(values, frozenset({self.model}))


def _check_length(value: Sized, minimum: int | None, maximum: int | None) -> None:
    if minimum is not None and len(value) < minimum:
        if minimum == 1:
            raise ValidationError("must not be empty")
        raise ValidationError(f"must have at least {minimum} items, got {len(value)}")
    if maximum is not None and len(value) > maximum:
        raise ValidationError(f"must have at most {maximum} items, got {len(value)}")


@attrs.frozen
class _Array:
    items: Check
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False

    @property
    def expected(self) -> str:
        return f"a list of {_plural(self.items)}"

    @property
    def plural(self) -> str:
        return f"lists of {_plural(self.items)}"

    def accepts(self, value: object) -> bool:
        return isinstance(value, list)

    def __call__(self, value: object) -> None:
        if not isinstance(value, list):
            raise _wrong_type(self.expected, value)
        if self.min_items is not None or self.max_items is not None:
            _check_length(value, self.min_items, self.max_items)
        if self.unique_items:
            _check_unique(value)
        if self.items.all_valid(value):
            return
        for index, item in enumerate(value):  # to find the bad item and say why
            try:
                self.items(item)
            except ValidationError as error:
                raise error.within(index) from None

    def all_valid(self, values: list[Any]) -> bool:
        return False


def _json_key(value: object) -> object:
    """A value as JSON tells values apart: `1` and `True` differ, `1` and `1.0` do not."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, Enum):
        return _json_key(value.value)
    if isinstance(value, (list, tuple)):
        return ("array", tuple(_json_key(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, _json_key(item)) for key, item in value.items()))
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return _json_key(to_dict())
    if isinstance(value, bytes):
        return ("bytes", value)
    return ("other", id(value))


def _check_unique(values: list[Any]) -> None:
    seen: dict[object, int] = {}
    for index, item in enumerate(values):
        key = _json_key(item)
        if key in seen:
            raise ValidationError(
                f"must hold distinct items, but items {seen[key]} and {index} are equal"
            )
        seen[key] = index


_PLAIN_NUMBERS = frozenset({float, int})


@attrs.frozen
class _Vector:
    """A list of numbers, checked at C speed: see `vector`."""

    min_items: int | None = None
    max_items: int | None = None

    @property
    def expected(self) -> str:
        return "a list of numbers"

    @property
    def plural(self) -> str:
        return "lists of numbers"

    def accepts(self, value: object) -> bool:
        return isinstance(value, list)

    def __call__(self, value: object) -> None:
        if not isinstance(value, list):
            raise _wrong_type(self.expected, value)
        if self.min_items is not None or self.max_items is not None:
            _check_length(value, self.min_items, self.max_items)
        # C-level passes, no Python call per item. The common case: every item is a
        # float (a count of exact types), and their sum is finite, so none is an
        # infinity (a JSON number too large for a float, `1e999`, reads as one).
        if plain_floats(value):
            return
        # JSON numbers are float or int; a string, null, boolean or nested list shows
        # up as another type (one pass over the set of the items' exact types).
        if set(map(type, value)) <= _PLAIN_NUMBERS and all(map(_finite, value)):
            return
        for index, item in enumerate(value):  # only on the way to an error (or a subclass)
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                raise _wrong_type("a number", item).within(index)
            if not _finite(item):
                raise ValidationError(f"must be a finite number, got {item}").within(index)

    def all_valid(self, values: list[Any]) -> bool:
        return False


def _finite(number: float) -> bool:
    """A float that is not an infinity nor NaN; any int (an int is never converted)."""
    return isinstance(number, int) or isfinite(number)


@attrs.frozen
class _Mapping:
    values: Check

    @property
    def expected(self) -> str:
        return f"a dict of str to {_plural(self.values)}"

    @property
    def plural(self) -> str:
        return f"dicts of str to {_plural(self.values)}"

    def accepts(self, value: object) -> bool:
        return isinstance(value, dict)

    def __call__(self, value: object) -> None:
        if not isinstance(value, dict):
            raise _wrong_type(self.expected, value)
        anything = isinstance(self.values, _Anything)
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(f"keys must be strings, got {_show(key)}")
            if anything:
                continue
            try:
                _check_text(key)
            except ValidationError:
                raise ValidationError(
                    f"keys must be valid Unicode text (no lone surrogate), got {_show(key)}"
                ) from None
            try:
                self.values(item)
            except ValidationError as error:
                raise error.within(key) from None

    def all_valid(self, values: list[Any]) -> bool:
        return False


@attrs.frozen
class _OneOf:
    choices: tuple[Check, ...]

    @property
    def expected(self) -> str:
        return " or ".join(choice.expected for choice in self.choices)

    @property
    def plural(self) -> str:
        return " or ".join(_plural(choice) for choice in self.choices)

    def accepts(self, value: object) -> bool:
        return any(choice.accepts(value) for choice in self.choices)

    def __call__(self, value: object) -> None:
        candidates = [choice for choice in self.choices if choice.accepts(value)]
        if len(candidates) == 1:
            # The branch whose type fits is the one the caller meant: its complaint is
            # the useful one ("must not be empty"), not a list of every alternative.
            candidates[0](value)
            return
        if not candidates:
            raise _wrong_type(self.expected, value)
        self._several(candidates, value)

    def _several(self, candidates: list[Check], value: object) -> None:
        """Exactly one of several branches whose type fits must pass."""
        failures: list[ValidationError] = []
        for choice in candidates:
            try:
                choice(value)
            except ValidationError as error:
                failures.append(error)
        passed = len(candidates) - len(failures)
        if passed > 1:
            raise ValidationError(f"matches more than one of: {self.expected}")
        if passed == 0:
            raise failures[0]

    def all_valid(self, values: list[Any]) -> bool:
        # Values of one exact type go to the one branch that takes that type, if only
        # one does (`accepts` looks at the type alone), and that branch decides.
        if not values:
            return True
        if len(set(map(type, values))) != 1:
            return False
        candidates = [choice for choice in self.choices if choice.accepts(values[0])]
        return len(candidates) == 1 and candidates[0].all_valid(values)


@attrs.frozen
class _AnyOf(_OneOf):
    """`anyOf`: like `oneOf`, but a value may match several choices."""

    def _several(self, candidates: list[Check], value: object) -> None:
        failures: list[ValidationError] = []
        for choice in candidates:
            try:
                choice(value)
            except ValidationError as error:
                failures.append(error)
            else:
                return
        raise failures[0]


@attrs.frozen
class _Nullable:
    """A value of `inner`, or None (JSON null)."""

    inner: Check

    @property
    def expected(self) -> str:
        return f"{self.inner.expected} or None"

    @property
    def plural(self) -> str:
        return f"{_plural(self.inner)} or None"

    def accepts(self, value: object) -> bool:
        return value is None or self.inner.accepts(value)

    def __call__(self, value: object) -> None:
        if value is None:
            return
        if not self.inner.accepts(value):
            raise _wrong_type(self.expected, value)
        self.inner(value)

    def all_valid(self, values: list[Any]) -> bool:
        return self.inner.all_valid([value for value in values if value is not None])


@attrs.frozen
class _Anything:
    """A schema that names no type: any JSON value (the parser made it one already)."""

    @property
    def expected(self) -> str:
        return "any JSON value"

    @property
    def plural(self) -> str:
        return "JSON values"

    def accepts(self, value: object) -> bool:
        return True

    def __call__(self, value: object) -> None:
        return None

    def all_valid(self, values: list[Any]) -> bool:
        return True


@attrs.frozen
class _Const:
    """`const`: the one value (of the same JSON type: `True` is not `1`)."""

    value: str | int | bool

    @property
    def expected(self) -> str:
        return repr(self.value)

    @property
    def plural(self) -> str:
        return f"values {self.value!r}"

    def accepts(self, value: object) -> bool:
        return type(value) is type(self.value)

    def __call__(self, value: object) -> None:
        if type(value) is type(self.value) and value == self.value:
            return
        raise _wrong_type(self.expected, value)

    def all_valid(self, values: list[Any]) -> bool:
        return all(type(value) is type(self.value) and value == self.value for value in values)


@attrs.frozen
class _Binary:
    """`format: binary`: bytes (in JSON, their base64 text: see `_decode.base64_bytes`)."""

    @property
    def expected(self) -> str:
        return "bytes"

    def accepts(self, value: object) -> bool:
        return isinstance(value, bytes)

    def __call__(self, value: object) -> None:
        if not isinstance(value, bytes):
            raise _wrong_type(self.expected, value)

    def all_valid(self, values: list[Any]) -> bool:
        return _of_types(values, frozenset({bytes}))


@attrs.frozen
class _Null:
    """`type: null`: only None."""

    @property
    def expected(self) -> str:
        return "None"

    def accepts(self, value: object) -> bool:
        return value is None

    def __call__(self, value: object) -> None:
        if value is not None:
            raise _wrong_type(self.expected, value)

    def all_valid(self, values: list[Any]) -> bool:
        return all(value is None for value in values)


@attrs.frozen
class _Titled:
    """A value the spec names by its `title` ("token id"), so that messages can too."""

    title: str
    inner: Check

    @property
    def expected(self) -> str:
        return f"{_article(self.title)} {self.title} ({self.inner.expected})"

    @property
    def plural(self) -> str:
        return f"{_pluralise(self.title)} ({_plural(self.inner)})"

    def accepts(self, value: object) -> bool:
        return self.inner.accepts(value)

    def __call__(self, value: object) -> None:
        if not self.inner.accepts(value):
            raise _wrong_type(self.expected, value)
        self.inner(value)

    def all_valid(self, values: list[Any]) -> bool:
        return self.inner.all_valid(values)


def string(
    *,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
    format: str | None = None,
) -> Check:
    """`type: string`, with its length, `pattern` and `format` (`email`, `uri`)."""
    return _String(min_length, max_length, pattern, format)


def integer(
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: float | None = None,
    exclusive_maximum: float | None = None,
    multiple_of: float | None = None,
) -> Check:
    """`type: integer` and its bounds. `True` is not an integer here, though Python says so."""
    return _Number(True, minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of)


def number(
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: float | None = None,
    exclusive_maximum: float | None = None,
    multiple_of: float | None = None,
) -> Check:
    """`type: number` and its bounds; NaN and infinities are refused (JSON has neither)."""
    return _Number(False, minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of)


def boolean() -> Check:
    """`type: boolean`."""
    return _Boolean()


def member(enum: type[Enum]) -> Check:
    """A `$ref` to an enum schema: the value must be a member of the generated enum."""
    return _Member(enum)


def instance(model: type[Any]) -> Check:
    """A `$ref` to an object schema: the value must be the generated model (checked already)."""
    return _Instance(model)


def array(
    items: Check,
    *,
    min_items: int | None = None,
    max_items: int | None = None,
    unique_items: bool = False,
) -> Check:
    """`type: array`: its length, `uniqueItems`, then every item against `items`."""
    return _Array(items, min_items, max_items, unique_items)


def vector(*, min_items: int | None = None, max_items: int | None = None) -> Check:
    """`type: array` of plain numbers: the list, its length and its items.

    An embedding answer can hold millions of floats; a Python call per float would cost
    more than parsing them, so the items are checked in C-level passes (a count of their
    exact types, their sum), not one by one. A string, null, boolean or nested list
    among them is refused, naming its index, and so is an infinity: JSON has none, but
    a number too large for a float (`1e999`) reads as one.
    """
    return _Vector(min_items, max_items)


def mapping(values: Check) -> Check:
    """`type: object` with `additionalProperties: <schema>`: a dict of str to values."""
    return _Mapping(values)


def one_of(*choices: Check) -> Check:
    """`oneOf`: exactly one choice must accept the value."""
    return _OneOf(choices)


def any_of(*choices: Check) -> Check:
    """`anyOf`: at least one choice must accept the value."""
    return _AnyOf(choices)


def nullable(inner: Check) -> Check:
    """A schema that also allows null (`nullable`, `type: [X, "null"]`, a null branch)."""
    return _Nullable(inner)


def const(value: str | int | bool) -> Check:
    """`const`: the value must be exactly this one (typed as a `Literal`)."""
    return _Const(value)


def binary() -> Check:
    """`format: binary`: bytes."""
    return _Binary()


def null() -> Check:
    """`type: null` alone: only None."""
    return _Null()


def anything() -> Check:
    """A schema with no type (`{}`): any JSON value is valid."""
    return _Anything()


def titled(title: str, inner: Check) -> Check:
    """`inner`, named in messages by the schema's `title`: "a list of token ids (integers)"."""
    return _Titled(title, inner)


def field(check: Check, *, optional: bool = False) -> Callable[[Any, Any, Any], None]:
    """An attrs validator running `check`, naming the model and field when it fails.

    `optional` fields accept `UNSET`, the marker of a field that is left out of the body.
    """

    def validate(instance: Any, attribute: Any, value: Any) -> None:
        if optional and isinstance(value, Unset):
            return
        try:
            check(value)
        except ValidationError as error:
            raise error.within(attribute.name, model=type(instance).__name__) from None

    return validate


def extra_keys(known: frozenset[str]) -> Callable[[Any, Any, Any], None]:
    """An attrs validator for `additional_properties`: str keys the spec does not name."""

    def validate(instance: Any, attribute: Any, value: Any) -> None:
        for key in value:
            if not isinstance(key, str) or key in known:
                raise ValidationError(
                    f"must hold only keys the spec does not name, got {_show(key)}",
                    path=(attribute.name,),
                    model=type(instance).__name__,
                )

    return validate


# One-pass list tests for the quick forms of checks that `from_dict` runs (see the
# generator's `model_plan.quick`): each holds only when every item passes its check.


def exactly(values: list[Any], kind: type) -> bool:
    """Every value is exactly a `kind` (a model, an enum): `instance` and `member` pass."""
    return _of_types(values, frozenset({kind}))


def plain_texts(values: list[Any], min_length: int) -> bool:
    """Every value is ASCII text of at least `min_length` characters: `string` passes."""
    if not _of_types(values, _STR) or not all(map(str.isascii, values)):
        return False
    if min_length <= 0:
        return True
    if min_length == 1:
        return all(values)  # a non-empty str is true
    return min(map(len, values), default=min_length) >= min_length


def plain_floats(values: list[Any]) -> bool:
    """Every value is a finite float: `vector` passes (one count of types, one sum)."""
    return list(map(type, values)).count(float) == len(values) and isfinite(sum(values))
