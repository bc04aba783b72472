"""One structured line per request: who it was for, what served it, how it went.

Logged as JSON on the `orq_router_server.requests` logger at INFO, one object a line:
`request_id`, `method`, `path`, `status`, `ms`, and when the body was read `model` (asked),
`served` (the model that answered), `attempts`, `cache`, `inputs`, `prompt_tokens`,
`user`, `name`, `identity`, `contact`; on failure `error` (the error code). Never the
API key, nor any header.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from orq_router_server.request import EmbeddingCall

__all__ = ["LOGGER_NAME", "log_request"]

LOGGER_NAME = "orq_router_server.requests"
logger = logging.getLogger(LOGGER_NAME)


def log_request(
    *,
    request_id: str,
    method: str,
    path: str,
    status: int,
    ms: float,
    call: EmbeddingCall | None = None,
    served: str | None = None,
    attempts: int | None = None,
    cache: str | None = None,
    prompt_tokens: int | None = None,
    error: str | None = None,
) -> None:
    """Write the request's line (a no-op unless INFO is enabled for the logger)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    record: dict[str, Any] = {
        "request_id": request_id,
        "method": method,
        "path": path,
        "status": status,
        "ms": round(ms, 2),
    }
    if call is not None:
        trace = call.trace
        record.update(
            model=call.model,
            inputs=len(call.inputs),
            user=trace.user,
            name=trace.name,
            identity=dict(trace.identity) if trace.identity is not None else None,
            contact=dict(trace.contact) if trace.contact is not None else None,
        )
    extra = {
        "served": served,
        "attempts": attempts,
        "cache": cache,
        "prompt_tokens": prompt_tokens,
        "error": error,
    }
    record.update({key: value for key, value in extra.items() if value is not None})
    logger.info(json.dumps({k: v for k, v in record.items() if v is not None}))
