"""The client's retry policy for HTTP requests: a urllib3 `Retry`, for both clients.

urllib3 already does what is needed: exponential backoff with jitter, `Retry-After`
(on 413, 429 and 503) capped at a maximum, separate budgets for connection, read and
status failures. Only the settings are ours, and two small changes of behaviour
(`RouterRetry`): a `Retry-After` that cannot be read counts as absent, and the wait
between tries stops early when the bulk run it belongs to is cancelled.

`Orq` hands the policy to urllib3, which asks it after each attempt. `AsyncOrq` asks it
the very same questions (`after_status`, `after_error`: `is_retry`, `increment`, then
`wait`), in the order urllib3's `urlopen` does, so both clients retry the same
answers and errors, the same number of times, after the same waits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import urllib3
from urllib3.exceptions import InvalidHeader, MaxRetryError

from orq_router import _cancel

#: Statuses worth another try: timeout, conflict, rate limit, any server error.
RETRY_STATUSES: Final = frozenset({408, 409, 429, *range(500, 600)})

BACKOFF_FACTOR: Final = 0.5
"""urllib3's exponential backoff: the first retry at once, then 1 s, 2 s, 4 s, ..."""
BACKOFF_JITTER: Final = 0.25
"""Up to a quarter second added at random, so that many clients do not retry in step."""
BACKOFF_MAX: Final = 8.0
RETRY_AFTER_MAX: Final = 60
"""A server asking for a longer wait gets this many seconds, then the next try."""


class RouterRetry(urllib3.Retry):
    """urllib3's `Retry`, lenient about `Retry-After` and cancellable while it waits.

    urllib3 raises `InvalidHeader` for a `Retry-After` it cannot parse (`soon`, `1.5`,
    `-1`, empty), and the answer that carried it is lost. Such a header is only
    advice: here it counts as absent, so the usual backoff applies, or, when the tries
    are used up, the status's own error is raised with its body.
    """

    def get_retry_after(self, response: urllib3.BaseHTTPResponse) -> float | None:
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None

    def wait(self, response: urllib3.BaseHTTPResponse | None = None) -> float:
        """Seconds to wait before the next try: `Retry-After` (capped) when the answer
        has a readable one, else the backoff; what urllib3's `sleep` waits."""
        wait = None
        if self.respect_retry_after_header and response is not None:
            wait = self.get_retry_after(response)
        return wait or self.get_backoff_time()

    def sleep(self, response: urllib3.BaseHTTPResponse | None = None) -> None:
        wait = self.wait(response)
        if wait > 0:
            _cancel.pause(wait)
        else:
            scope = _cancel.current()
            if scope is not None:
                scope.check()


def retry_policy(max_retries: int) -> RouterRetry:
    """Up to `max_retries` more tries after a connection error, a read error (timeouts
    included) or a status in `RETRY_STATUSES`.

    POST is retried: an embeddings request has no side effect, so sending it twice is
    safe. When the tries are used up on a status, the last answer is returned (not
    raised by urllib3), so it becomes the status's own error class with its body.
    A redirect is never followed (the key must not travel to another host): the 3xx
    answer becomes an `APIStatusError` naming where it pointed.
    """
    return RouterRetry(
        total=max_retries,
        connect=max_retries,
        read=max_retries,
        status=max_retries,
        redirect=0,
        allowed_methods=frozenset({"POST"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=BACKOFF_FACTOR,
        backoff_jitter=BACKOFF_JITTER,
        backoff_max=BACKOFF_MAX,
        respect_retry_after_header=True,
        retry_after_max=RETRY_AFTER_MAX,
        raise_on_status=False,
        raise_on_redirect=False,
    )


def after_status(
    policy: RouterRetry, method: str, url: str, status: int, headers: Mapping[str, str]
) -> tuple[RouterRetry, float] | None:
    """After an answer with this status: the policy for the next try and the wait
    before it, or None when this answer is final (not retried, or no tries left)."""
    if not policy.is_retry(method, status, bool(headers.get("Retry-After"))):
        return None
    answer = urllib3.HTTPResponse(headers=dict(headers), status=status, preload_content=False)
    try:
        policy = policy.increment(method, url, response=answer)
    except MaxRetryError:
        return None  # raise_on_status is off: the last answer becomes the status's error
    return policy, policy.wait(answer)


def after_error(
    policy: RouterRetry, method: str, url: str, error: Exception
) -> tuple[RouterRetry, float]:
    """After a network error (as urllib3's exception): the policy for the next try and
    the wait before it; raises `MaxRetryError` (or the error) when no try is left."""
    policy = policy.increment(method, url, error=error)
    return policy, policy.wait()
