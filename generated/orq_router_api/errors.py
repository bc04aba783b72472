# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""The errors the generated client raises.

`ValidationError` (a `ValueError`) is raised before a request for a value the spec
forbids. `UnexpectedStatus` and `MalformedResponse` are raised after one, and carry
everything the server answered, so nothing is lost. Network failures are urllib3's own
exceptions (`urllib3.exceptions.HTTPError` and its subclasses), raised unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from orq_router_api._validation_error import ValidationError

if TYPE_CHECKING:  # the models load with the first answer read, not with the errors
    from orq_router_api.models import ErrorResponse

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
        parsed: ErrorResponse | None,
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
