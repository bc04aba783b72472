"""The client's retry policy for HTTP requests: a urllib3 `Retry`, not a loop of our own.

urllib3 already does what is needed: exponential backoff with jitter, `Retry-After`
(on 413, 429 and 503) capped at a maximum, separate budgets for connection, read and
status failures. Only the settings are ours.
"""

from __future__ import annotations

from typing import Final

import urllib3

#: Statuses worth another try: timeout, conflict, rate limit, any server error.
RETRY_STATUSES: Final = frozenset({408, 409, 429, *range(500, 600)})

BACKOFF_FACTOR: Final = 0.5
"""urllib3's exponential backoff: the first retry at once, then 1 s, 2 s, 4 s, ..."""
BACKOFF_JITTER: Final = 0.25
"""Up to a quarter second added at random, so that many clients do not retry in step."""
BACKOFF_MAX: Final = 8.0
RETRY_AFTER_MAX: Final = 60
"""A server asking for a longer wait gets this many seconds, then the next try."""


def retry_policy(max_retries: int) -> urllib3.Retry:
    """Up to `max_retries` more tries after a connection error, a read error (timeouts
    included) or a status in `RETRY_STATUSES`.

    POST is retried: an embeddings request has no side effect, so sending it twice is
    safe. When the tries are used up on a status, the last answer is returned (not
    raised by urllib3), so it becomes the status's own error class with its body.
    """
    return urllib3.Retry(
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
