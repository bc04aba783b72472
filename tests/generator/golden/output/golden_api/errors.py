# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""The errors the generated client raises.

`ValidationError` (a `ValueError`) is raised before a request for a value the spec
forbids. `UnexpectedStatus` and `MalformedResponse` are raised after one, and carry
everything the server answered, so nothing is lost. Network failures are urllib3's own
exceptions (`urllib3.exceptions.HTTPError` and its subclasses), raised unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from golden_api._validation_error import ValidationError

if TYPE_CHECKING:  # the models load with the first answer read, not with the errors
    from golden_api.models import CreateThingError4XX

__all__ = ["ApiError", "MalformedResponse", "UnexpectedStatus", "ValidationError"]


class ApiError(Exception):
    """The server answered, but not with what the spec promises for success."""

    def __init__(
        self, message: str, *, status_code: int, headers: Mapping[str, str], content: bytes
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.headers = headers
        self.content = content


class UnexpectedStatus(ApiError):
    """A status other than the documented success status.

    `parsed` is the body read as the documented error schema, or None when it is not one
    (a proxy's HTML page, say) or the spec documents none; `content` always holds the raw
    bytes.
    """

    def __init__(
        self,
        *,
        status_code: int,
        headers: Mapping[str, str],
        content: bytes,
        parsed: CreateThingError4XX | None,
    ) -> None:
        detail = content[:200].decode("utf-8", "replace")
        super().__init__(
            f"HTTP {status_code}: {detail}",
            status_code=status_code,
            headers=headers,
            content=content,
        )
        self.parsed = parsed


class MalformedResponse(ApiError):
    """A 2xx answer whose body is not the JSON the spec describes."""
