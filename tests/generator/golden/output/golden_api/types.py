# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""Values every generated module shares: the "not set" marker and the response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Generic, Literal, Protocol, TypeVar, runtime_checkable

import attrs

__all__ = ["UNSET", "Response", "SupportsToModel", "Unset"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Unset:
    """The type of `UNSET`: a field the caller did not set.

    An `UNSET` field is left out of the JSON body, so the server applies its own default.
    It is not `None`, which would be sent as JSON `null`.
    """

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        # Copies and pickles stay the one marker, so `isinstance` and `is` keep working.
        return "UNSET"


UNSET: Final = Unset()


@attrs.frozen
class Response(Generic[T]):
    """An answer of the server: status, headers, raw body and the parsed body."""

    status_code: int
    headers: Mapping[str, str]
    """The response headers; urllib3's `HTTPHeaderDict`, so lookups ignore case."""
    content: bytes
    """The body exactly as received."""
    parsed: T


@runtime_checkable
class SupportsToModel(Protocol[T_co]):
    """Anything that builds a model of this package: `to_model()` returns it.

    Where a request is built from keywords or dicts (`from_params`, the `...Param`
    dicts), a value of a model field may be such a builder instead of the model itself,
    so that a layer on top (a helper like `Retry(count=3)`) is accepted as it is.
    """

    def to_model(self) -> T_co: ...
