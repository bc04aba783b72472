"""Values every generated module shares: the "not set" marker and the response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Generic, Literal, TypeVar

import attrs

__all__ = ["UNSET", "Response", "Unset"]

T = TypeVar("T")


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
