"""`openai`: any OpenAI-compatible `/v1/embeddings` upstream, behind the router's routing.

The request goes on as `{"input", "model", "encoding_format": "float"[, "dimensions"]}`
(floats: every compatible server speaks them), with `Authorization: Bearer $KEY` when
the model names `api_key_env`. The upstream's status is the attempt's status, so the
router's retry and fallbacks see a 429 or a 503 as such, and its `Retry-After` goes with
the failure (the router waits for it before a retry, and passes it on when the failure
is the answer); a refused upstream key (401, 403) becomes 502, since the client's own
key was fine, and so does an upstream that cannot be reached or answers something that
is not an embeddings list.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from typing import Any, Final

import numpy as np
import urllib3

from orq_router_server.backends import Embedded, Job
from orq_router_server.config import OpenAISpec
from orq_router_server.errors import ConfigError, RouterError

__all__ = ["UpstreamBackend"]

READ_TIMEOUT_S: Final = 600.0
"""The socket's own limit; a request's `timeout.call_timeout` usually ends it sooner."""


class UpstreamBackend:
    """An `openai` model: one upstream model behind one base URL."""

    def __init__(self, name: str, *, base_url: str, model: str, api_key: str | None) -> None:
        self.name = name
        self.url = base_url.rstrip("/") + "/embeddings"
        self.model = model
        self._api_key = api_key
        self._pool = urllib3.PoolManager(maxsize=8, retries=False)

    @classmethod
    def from_spec(cls, name: str, spec: OpenAISpec) -> UpstreamBackend:
        """Reads the key from the environment now, so that a missing one stops the start."""
        api_key = None
        if spec.api_key_env is not None:
            api_key = os.environ.get(spec.api_key_env)
            if not api_key:
                raise ConfigError(f'models."{name}".api_key_env: ${spec.api_key_env} is not set')
        return cls(name, base_url=spec.base_url, model=spec.model, api_key=api_key)

    @property
    def dimensions(self) -> None:
        return None

    async def embed(self, job: Job, attempt: int) -> Embedded:
        body: dict[str, Any] = {
            "input": [item if isinstance(item, str) else list(item) for item in job.inputs],
            "model": self.model,
            "encoding_format": "float",
        }
        if job.dimensions is not None:
            body["dimensions"] = job.dimensions
        return await asyncio.to_thread(self._post, json.dumps(body).encode(), len(job.inputs))

    def _post(self, payload: bytes, count: int) -> Embedded:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        try:
            response = self._pool.request(
                "POST",
                self.url,
                body=payload,
                headers=headers,
                timeout=urllib3.Timeout(connect=10.0, read=READ_TIMEOUT_S),
            )
        except urllib3.exceptions.HTTPError as error:
            raise RouterError(
                502, "upstream_unreachable", f"model {self.name}: upstream {self.url}: {error}"
            ) from None
        if response.status != 200:
            raise self._failure(response.status, response.data, response.headers.get("retry-after"))
        try:
            answer = json.loads(response.data)
            rows = sorted(answer["data"], key=lambda item: item["index"])
            vectors = np.asarray([row["embedding"] for row in rows], dtype=np.float32)
            usage = answer.get("usage") or {}
            tokens = int(usage.get("prompt_tokens", 0))
        except (ValueError, KeyError, TypeError) as error:
            raise RouterError(
                502,
                "upstream_invalid_answer",
                f"model {self.name}: upstream answer is not an embeddings list ({error!r})",
            ) from None
        if vectors.ndim != 2 or len(vectors) != count:
            raise RouterError(
                502,
                "upstream_invalid_answer",
                f"model {self.name}: upstream answered {len(vectors)} vectors for {count} inputs",
            )
        return Embedded(vectors=vectors, prompt_tokens=tokens)

    def _failure(self, status: int, data: bytes, retry_after: str | None = None) -> RouterError:
        message = data[:500].decode("utf-8", "replace")
        with contextlib.suppress(ValueError, KeyError, TypeError):
            message = str(json.loads(data)["error"]["message"])
        if status in (401, 403):
            return RouterError(
                502,
                "upstream_auth_failed",
                f"model {self.name}: upstream refused its key ({status}): {message}",
            )
        if not 400 <= status <= 599:
            status = 502
        headers = {"retry-after": retry_after.strip()} if retry_after else None
        return RouterError(
            status, "upstream_error", f"model {self.name}: upstream: {message}", headers=headers
        )
