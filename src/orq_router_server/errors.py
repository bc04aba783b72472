"""The router's refusals and failures, and the one error body they all answer with.

Every non-2xx answer is `{"error": {"message", "type", "code", "param"}}`, the spec's
`ErrorResponse`: a client's mistake gets its 4xx here, a model's failure the status the
model failed with. Nothing a client sends may turn into a 500; a 500 means a bug here.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["ConfigError", "RouterError", "error_type"]

_TYPES: Final = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    413: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    504: "timeout_error",
}


def error_type(status: int) -> str:
    """The OpenAI-style `type` of an error status (`server_error` for any other 5xx)."""
    if status in _TYPES:
        return _TYPES[status]
    return "server_error" if status >= 500 else "invalid_request_error"


class RouterError(Exception):
    """An answer that is not a success: its status, and what goes in the error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The spec's `ErrorResponse`."""
        error: dict[str, Any] = {
            "message": self.message,
            "type": error_type(self.status),
            "code": self.code,
        }
        if self.param is not None:
            error["param"] = self.param
        return {"error": error}

    def __repr__(self) -> str:
        return f"RouterError({self.status}, {self.code!r}, {self.message!r})"


class ConfigError(ValueError):
    """A configuration the router refuses to start with; its message is one line."""
