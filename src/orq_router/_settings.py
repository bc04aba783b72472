"""What a setting may be: the checks a client's settings and a call's own options share.

Each check returns what is wrong, in words, or None; the caller raises its own error
(`ConfigError` for a client's settings, `ValidationError` for a call's options), so one
rule reads the same in both places. A header's value is never shown: it may be a secret.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import urllib3

__all__ = ["CONNECT_TIMEOUT", "count_problem", "headers_problem", "timeout_problem"]

CONNECT_TIMEOUT: Final = 5.0
"""Seconds to open a connection, within the attempt's limit (`http_timeout`), for both
clients: a router that does not accept a connection in 5 s is not going to answer."""

#: An HTTP header name (RFC 9110 `token`).
_HEADER_NAME: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def headers_problem(headers: object, where: str) -> str | None:
    """Headers http.client would refuse at request time (a name, a type, a line break)."""
    if not isinstance(headers, Mapping):
        return f"{where} must be a mapping of header names to values"
    for name, value in headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            return f"{where}: {name!r} is not a valid header name"
        if not isinstance(value, str):
            return f"{where}[{name!r}] must be a str, got {type(value).__name__}"
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            return f"{where}[{name!r}] has a character HTTP headers cannot carry"
        if any(char in value for char in "\r\n\0"):
            return f"{where}[{name!r}] has a line break or NUL character"
    return None


def timeout_problem(timeout: object, where: str) -> str | None:
    """A time limit is seconds above zero, None (no limit) or a `urllib3.Timeout`."""
    if timeout is None or isinstance(timeout, urllib3.Timeout):
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        return f"{where} must be seconds > 0, got {timeout!r}"
    return None


def count_problem(value: object, where: str, *, minimum: int) -> str | None:
    """A whole number of at least `minimum` (not a bool, not a float)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{where} must be an int, got {value!r}"
    if value < minimum:
        return f"{where} must be {minimum} or more, got {value}"
    return None
