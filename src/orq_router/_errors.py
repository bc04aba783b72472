"""The exception tree, and the one table from HTTP status to exception class.

    OrqError
    ├── ConfigError               bad client settings (no key, key over plain http)
    ├── ClientClosedError         a call on a client that was closed
    ├── ValidationError           bad input, raised before any request (a ValueError)
    ├── APIError                  something went wrong talking to the API
    │   ├── APIStatusError        the server answered with an error status
    │   │   ├── BadRequestError             400
    │   │   ├── AuthenticationError         401
    │   │   ├── PermissionDeniedError       403
    │   │   ├── NotFoundError               404
    │   │   ├── ConflictError               409
    │   │   ├── UnprocessableEntityError    422
    │   │   ├── RateLimitError              429
    │   │   └── InternalServerError         >= 500
    │   │   (a 3xx redirect is an APIStatusError too: never followed)
    │   ├── APIConnectionError    no answer: refused, reset, DNS, TLS
    │   │   └── APITimeoutError   no answer in time
    │   └── APIResponseValidationError   a 2xx whose body is not the documented JSON
    └── EmbedManyError            some batches of `embed_many` failed (carries the rest)

    KeyboardInterrupt
    └── EmbedManyInterrupted      Ctrl-C during `embed_many` (carries what was finished)

Every error raised after a request carries what the caller needs to act on it: the
status, the headers, the raw and parsed body, and the request id.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from orq_router._vectors import Matrix
from orq_router_api import ValidationError as _ApiValidationError
from orq_router_api.models import ErrorDetail, ErrorResponse, Usage

if TYPE_CHECKING:
    from orq_router.responses import EmbeddedBatch

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BatchFailure",
    "ClientClosedError",
    "ConfigError",
    "ConflictError",
    "EmbedManyError",
    "EmbedManyInterrupted",
    "InternalServerError",
    "NotFoundError",
    "OrqError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "ValidationError",
]

REQUEST_ID_HEADER = "x-request-id"


class OrqError(Exception):
    """The base of every error this SDK raises."""


class ConfigError(OrqError, ValueError):
    """The client's settings cannot work: say, no API key, or a key over plain http."""


class ClientClosedError(OrqError, RuntimeError):
    """The client was closed (`close()`, or the end of its `with` block).

    Closing is for good, and shared with the client's `with_options` copies (they use
    the same connections): make a new `Orq()` to send more requests.
    """


class ValidationError(OrqError, _ApiValidationError):
    """Input the spec forbids, refused before any request is sent.

    `location` says where (`orq.retry.count`, `input[2]`), `message` what is wrong.
    It is a `ValueError`, and also the generated layer's `ValidationError`.
    """

    @classmethod
    def from_api(
        cls, error: _ApiValidationError, *outer: str | int, model: str | None = None
    ) -> ValidationError:
        """The generated layer's error as ours: `outer` goes before its path."""
        return cls(error.message, path=(*outer, *error.path), model=model)


def unknown_field(key: object, allowed: Sequence[str], where: str) -> ValidationError:
    """The error for a key that is not a field: named, with the closest field as a hint."""
    close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return ValidationError(f"is not a field of {where}{hint}", path=(str(key),))


class APIError(OrqError):
    """A request was sent (or tried) and did not give a usable answer."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url


class APIStatusError(APIError):
    """The server answered with a status other than 200.

    `body` is the answer's JSON (or its text when it is not JSON), `error` the
    documented error object when the body is one, `request_id` the server's id of the
    request (the `X-Request-Id` header), `content` the raw bytes.
    """

    def __init__(
        self,
        *,
        method: str,
        url: str,
        status_code: int,
        headers: Mapping[str, str],
        content: bytes,
        error: ErrorDetail | None,
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.error = error
        self.request_id: str | None = headers.get(REQUEST_ID_HEADER)
        self.body: Any = _body(content)
        detail = error.message if error is not None else _short(content)
        if 300 <= status_code < 400:
            detail = _redirect(headers) + (f" ({detail})" if detail else "")
        where = f" (request id {self.request_id})" if self.request_id else ""
        super().__init__(f"Error code: {status_code} - {detail}{where}", method=method, url=url)

    @property
    def code(self) -> str | None:
        """The machine-readable error code (`invalid_api_key`), when the server sent one."""
        code = getattr(self.error, "code", None)
        return code if isinstance(code, str) else None


class BadRequestError(APIStatusError):
    """400: the server refused the body."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this (scope, project, workspace)."""


class NotFoundError(APIStatusError):
    """404: unknown route or model."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the server's state; retried by default."""


class UnprocessableEntityError(APIStatusError):
    """422: the body is well-formed but cannot be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests; retried by default, honouring `Retry-After`."""


class InternalServerError(APIStatusError):
    """A status of 500 or more: the router or the upstream provider failed."""


class APIConnectionError(APIError):
    """No answer: the connection was refused or reset, or DNS or TLS failed."""


class APITimeoutError(APIConnectionError):
    """No answer within the HTTP timeout (`Orq(http_timeout=...)`)."""


class APIResponseValidationError(APIError):
    """A 200 answer whose body is not the JSON the spec describes; `content` keeps it."""

    def __init__(self, message: str, *, method: str, url: str, content: bytes) -> None:
        super().__init__(message, method=method, url=url)
        self.content = content


@attrs.frozen
class BatchFailure:
    """One batch of `embed_many` that failed after its retries: inputs `start` to `stop - 1`."""

    start: int
    stop: int
    error: BaseException

    def __str__(self) -> str:
        kind = type(self.error).__name__
        return f"inputs {self.start}..{self.stop - 1} failed: {kind}: {self.error}"


class _StoppedRun(BaseException):
    """What a bulk run that stopped early had done; nothing that was computed is lost.

    (A `BaseException` only so that an `Exception` and a `KeyboardInterrupt` can share
    it; never raised itself.)

    - `failures`: each failed batch, its input range and its error;
    - `completed`: input ranges embedded; `cancelled`: ranges whose requests were in
      flight when the run was interrupted (their answers were abandoned);
      `not_attempted`: ranges never sent;
    - `embeddings` (`embed_many`): all `n` rows in input order, a float32 array whose
      missing rows are NaN (with numpy) or a list whose missing rows are None;
      None for `embed_many_iter`, whose rows were yielded as they came;
    - `pending` (`embed_many_iter`): batches that finished but were not yielded yet,
      because an earlier batch did not finish; keep them, they are paid for;
    - `usage` and `models` of the batches that succeeded.
    """

    failures: tuple[BatchFailure, ...]
    completed: tuple[range, ...]
    cancelled: tuple[range, ...]
    not_attempted: tuple[range, ...]
    embeddings: Matrix | list[list[float] | None] | None
    pending: tuple[EmbeddedBatch, ...]
    usage: Usage
    models: tuple[str, ...]

    def __init__(
        self,
        *,
        failures: Sequence[BatchFailure],
        completed: Sequence[range],
        not_attempted: Sequence[range],
        embeddings: Matrix | list[list[float] | None] | None,
        usage: Usage,
        models: tuple[str, ...],
        cancelled: Sequence[range] = (),
        pending: Sequence[EmbeddedBatch] = (),
    ) -> None:
        self.failures = tuple(failures)
        self.completed = tuple(completed)
        self.cancelled = tuple(cancelled)
        self.not_attempted = tuple(not_attempted)
        self.embeddings = embeddings
        self.pending = tuple(pending)
        self.usage = usage
        self.models = models
        super().__init__(f"{self._headline()}; {self._summary()}")

    def _headline(self) -> str:
        raise NotImplementedError

    def _summary(self) -> str:
        done = sum(len(span) for span in self.completed)
        embeddings = self.embeddings
        out_of = f" of {len(embeddings)}" if embeddings is not None else ""
        kept = " (kept in .embeddings)" if embeddings is not None else ""
        if self.pending:
            kept = f" ({sum(b.stop - b.start for b in self.pending)} not yet yielded: .pending)"
        parts = [str(failure) for failure in self.failures]
        parts += [f"inputs {_span(span)} were abandoned in flight" for span in self.cancelled]
        parts += [f"inputs {_span(span)} were not sent" for span in self.not_attempted]
        return f"{done}{out_of} inputs embedded{kept}: " + "; ".join(parts)


def _span(span: range) -> str:
    return f"{span.start}..{span.stop - 1}"


class EmbedManyError(_StoppedRun, OrqError):
    """Some batches of `embed_many` (or `embed_many_iter`) failed after their retries.

    After the first failure no new batch is started; those in flight finish (so
    `cancelled` is empty). The first failure is also this exception's `__cause__`. The
    fields say what was done: `failures`, `completed`, `not_attempted`, `embeddings`,
    `pending`, `usage`, `models`.
    """

    def _headline(self) -> str:
        return f"{len(self.failures)} batch(es) failed"


class EmbedManyInterrupted(_StoppedRun, KeyboardInterrupt):
    """Ctrl-C (KeyboardInterrupt) during `embed_many` or `embed_many_iter`.

    Still a `KeyboardInterrupt`, so it stops a program as Ctrl-C should; it carries
    what was finished, as `EmbedManyError` does: `embeddings` (`embed_many`) or
    `pending` (`embed_many_iter`), `completed`, and the `cancelled` ranges whose
    requests were in flight (abandoned at once; no new request starts).
    """

    def _headline(self) -> str:
        return "interrupted"


#: The one place that says which status raises which class.
STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(
    *,
    method: str,
    url: str,
    status_code: int,
    headers: Mapping[str, str],
    content: bytes,
    parsed: ErrorResponse | None,
) -> APIStatusError:
    """The exception for an error status, from `STATUS_ERRORS` (>= 500: server errors)."""
    cls = STATUS_ERRORS.get(status_code)
    if cls is None:
        cls = InternalServerError if status_code >= 500 else APIStatusError
    return cls(
        method=method,
        url=url,
        status_code=status_code,
        headers=headers,
        content=content,
        error=parsed.error if parsed is not None else None,
    )


def _redirect(headers: Mapping[str, str]) -> str:
    location = headers.get("location")
    where = f"to {location}" if location else "with no Location header"
    return (
        f"redirect {where}, not followed: the API key is sent only to base_url"
        " (point base_url at the final address)"
    )


def _body(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deeply
        return content.decode("utf-8", "replace")


def _short(content: bytes) -> str:
    text = content.decode("utf-8", "replace").strip()
    return text if len(text) <= 200 else text[:197] + "..."
