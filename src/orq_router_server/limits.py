"""Per-caller limits: requests and tokens per minute, requests at once; a 429 past them.

A caller is an API key when the configuration lists `api_keys`, else a client address.
Its limits are `[limits]` (every caller) and, for a key, `[limits.keys."<key>"]`:

- `requests_per_minute = N`: a bucket of N requests, refilled at N a minute. N
  back-to-back requests pass; the next waits 60/N seconds.
- `tokens_per_minute = M`: a bucket of M tokens, refilled at M a minute, charged after
  the answer with the tokens the model read (`usage.prompt_tokens`; a cache hit reads
  none). How many tokens a request will cost is only known once a model has read it,
  so a request is let in while the bucket holds any token: one large request may take
  it below zero, and the caller then waits until it is above zero again.
- `max_concurrent = C`: requests of the caller being answered at once.

Refused, the answer is 429 with the spec's error body (`code` `rate_limit_exceeded`),
`Retry-After` in whole seconds (1 to 60) and OpenAI's headers
`x-ratelimit-{limit,remaining,reset}-{requests,tokens}` for the limits that are set;
admitted answers carry the same headers. Limits live where the router's state is:
`MemoryLimiter` in this process, `RedisLimiter` in Redis (one Lua script a request, so
that every worker process counts against the same buckets). A Redis that cannot be
reached lets requests through (and is logged): the limits protect a service, an outage
of the store should not become one of the service.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Protocol

import attrs

from orq_router_server.config import Limit
from orq_router_server.errors import RouterError
from orq_router_server.state import PREFIX, RedisStore, Store

if TYPE_CHECKING:
    from redis.commands.core import AsyncScript

__all__ = [
    "Limiter",
    "MemoryLimiter",
    "RateLimited",
    "RedisLimiter",
    "caller_id",
    "duration",
    "open_limiter",
]

MAX_RETRY_AFTER_S: Final = 60
STALE_REQUEST_S: Final = 3600
"""A request counted as running this long is taken as lost (its worker died) in Redis."""


class RateLimited(RouterError):
    """429: the caller is over one of its limits."""

    def __init__(self, caller: str, what: str, message: str, headers: dict[str, str]) -> None:
        super().__init__(429, "rate_limit_exceeded", message, headers=headers)
        self.caller = caller
        self.what = what
        """`requests`, `tokens` or `concurrent`."""


def caller_id(api_key: str | None, address: str | None) -> str:
    """Who a limit counts: `key_` and 12 hex digits of the key's SHA-256, or `addr:` and
    the client's address. An id names a key in metrics and in Redis; the key never is."""
    if api_key is not None:
        return "key_" + hashlib.sha256(api_key.encode()).hexdigest()[:12]
    return f"addr:{address or 'unknown'}"


def duration(seconds: float) -> str:
    """A wait as OpenAI writes it in `x-ratelimit-reset-*`: `250ms`, `1.5s`, `6m0s`."""
    if seconds < 1:
        return f"{max(0, math.ceil(seconds * 1000))}ms"
    minutes, rest = divmod(seconds, 60)
    text = f"{rest:.3f}".rstrip("0").rstrip(".")
    return f"{int(minutes)}m{text}s" if minutes else f"{text}s"


def _retry_after(wait_s: float) -> str:
    return str(min(MAX_RETRY_AFTER_S, max(1, math.ceil(wait_s))))


@attrs.frozen
class _Levels:
    """What the buckets hold after an admission or a refusal: the headers' figures."""

    requests: float
    tokens: float
    running: int


def _headers(limit: Limit, levels: _Levels) -> dict[str, str]:
    headers: dict[str, str] = {}
    rpm, tpm = limit.requests_per_minute, limit.tokens_per_minute
    if rpm is not None:
        headers["x-ratelimit-limit-requests"] = str(rpm)
        headers["x-ratelimit-remaining-requests"] = str(max(0, math.floor(levels.requests)))
        headers["x-ratelimit-reset-requests"] = duration((rpm - levels.requests) * 60 / rpm)
    if tpm is not None:
        headers["x-ratelimit-limit-tokens"] = str(tpm)
        headers["x-ratelimit-remaining-tokens"] = str(max(0, math.floor(levels.tokens)))
        headers["x-ratelimit-reset-tokens"] = duration((tpm - levels.tokens) * 60 / tpm)
    return headers


def _verdict(caller: str, limit: Limit, levels: _Levels, refused: str) -> dict[str, str]:
    """The admitted answer's headers, or `RateLimited` for the limit that refused."""
    headers = _headers(limit, levels)
    if not refused:
        return headers
    if refused == "concurrent":
        wait = 1.0
        message = f"Too many requests at once: at most {limit.max_concurrent} for this caller."
    elif refused == "requests":
        rpm = limit.requests_per_minute or 1
        wait = (1 - levels.requests) * 60 / rpm
        message = f"Rate limit reached for requests: {rpm} per minute for this caller."
    else:
        tpm = limit.tokens_per_minute or 1
        wait = (1 - levels.tokens) * 60 / tpm
        message = f"Rate limit reached for tokens: {tpm} per minute for this caller."
    retry_after = _retry_after(wait)
    headers["retry-after"] = retry_after
    raise RateLimited(caller, refused, f"{message} Retry in {retry_after} s.", headers)


class Limiter(Protocol):
    """Admits a caller's request under its limits, and counts its end."""

    async def admit(self, caller: str, limit: Limit, request_id: str) -> dict[str, str]:
        """The `x-ratelimit-*` headers of an admitted request, or raise `RateLimited`."""

    async def finish(self, caller: str, limit: Limit, request_id: str, tokens: int) -> None:
        """The admitted request is answered: it read `tokens` tokens, and runs no more."""


@attrs.define
class _Caller:
    requests: float
    requests_at: float
    tokens: float
    tokens_at: float
    running: int = 0


class MemoryLimiter:
    """Limits in this process (`state = "memory"`). `clock` is in seconds."""

    MAX_CALLERS: Final = 100_000
    """Past this many callers, those whose buckets are full again are forgotten."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._callers: dict[str, _Caller] = {}

    def _caller(self, caller: str, limit: Limit, now: float) -> _Caller:
        state = self._callers.get(caller)
        if state is None:
            if len(self._callers) >= self.MAX_CALLERS:
                self._forget_idle(now)
            rpm = float(limit.requests_per_minute or 0)
            tpm = float(limit.tokens_per_minute or 0)
            state = self._callers[caller] = _Caller(rpm, now, tpm, now)
        return state

    @staticmethod
    def _refill(level: float, since: float, capacity: int | None, now: float) -> float:
        if capacity is None:
            return 0.0
        return min(float(capacity), level + (now - since) * capacity / 60)

    async def admit(self, caller: str, limit: Limit, request_id: str) -> dict[str, str]:
        now = self._clock()
        state = self._caller(caller, limit, now)
        state.requests = self._refill(
            state.requests, state.requests_at, limit.requests_per_minute, now
        )
        state.requests_at = now
        state.tokens = self._refill(state.tokens, state.tokens_at, limit.tokens_per_minute, now)
        state.tokens_at = now
        refused = ""
        if limit.max_concurrent is not None and state.running >= limit.max_concurrent:
            refused = "concurrent"
        elif limit.requests_per_minute is not None and state.requests < 1:
            refused = "requests"
        elif limit.tokens_per_minute is not None and state.tokens <= 0:
            refused = "tokens"
        else:
            if limit.requests_per_minute is not None:
                state.requests -= 1
            state.running += 1
        return _verdict(
            caller, limit, _Levels(state.requests, state.tokens, state.running), refused
        )

    async def finish(self, caller: str, limit: Limit, request_id: str, tokens: int) -> None:
        state = self._callers.get(caller)
        if state is None:
            return
        state.running = max(0, state.running - 1)
        if tokens and limit.tokens_per_minute is not None:
            now = self._clock()
            state.tokens = self._refill(state.tokens, state.tokens_at, limit.tokens_per_minute, now)
            state.tokens_at = now
            state.tokens -= tokens

    def _forget_idle(self, now: float) -> None:
        # A caller with nothing running whose buckets have had a minute to refill is as new.
        idle = [
            name
            for name, state in self._callers.items()
            if state.running == 0 and now - max(state.requests_at, state.tokens_at) >= 60
        ]
        for name in idle:
            del self._callers[name]


_ADMIT: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rpm, tpm, most = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local function level(key, capacity)
  local saved = redis.call('HMGET', key, 'l', 's')
  local l, s = tonumber(saved[1]), tonumber(saved[2])
  if l == nil then return capacity end
  return math.min(capacity, l + (now - s) * capacity / 60)
end
local requests = 0
local tokens = 0
local running = 0
if rpm > 0 then requests = level(KEYS[1], rpm) end
if tpm > 0 then tokens = level(KEYS[2], tpm) end
if most > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[5]))
  running = redis.call('ZCARD', KEYS[3])
end
local refused = ''
if most > 0 and running >= most then refused = 'concurrent'
elseif rpm > 0 and requests < 1 then refused = 'requests'
elseif tpm > 0 and tokens <= 0 then refused = 'tokens'
else
  if rpm > 0 then requests = requests - 1 end
  if most > 0 then
    redis.call('ZADD', KEYS[3], now, ARGV[4])
    redis.call('EXPIRE', KEYS[3], tonumber(ARGV[5]))
    running = running + 1
  end
end
if rpm > 0 then
  redis.call('HSET', KEYS[1], 'l', tostring(requests), 's', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil((rpm - requests) * 60000 / rpm) + 1000)
end
return {refused, tostring(requests), tostring(tokens), running}
"""
"""Refill, check and take, atomically: KEYS = requests bucket, tokens bucket, running set;
ARGV = requests/min, tokens/min, max at once (0 for none), request id, stale seconds.
Time is Redis's own, so that every worker's clock agrees. A bucket's key expires once
it would be full again: an absent key is a full bucket."""

_FINISH: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local tpm, spent = tonumber(ARGV[1]), tonumber(ARGV[2])
if tpm > 0 and spent > 0 then
  local saved = redis.call('HMGET', KEYS[1], 'l', 's')
  local l, s = tonumber(saved[1]), tonumber(saved[2])
  if l == nil then l = tpm else l = math.min(tpm, l + (now - s) * tpm / 60) end
  l = l - spent
  redis.call('HSET', KEYS[1], 'l', tostring(l), 's', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil((tpm - l) * 60000 / tpm) + 1000)
end
redis.call('ZREM', KEYS[2], ARGV[3])
return 1
"""
"""Charge the tokens read and count the request out: KEYS = tokens bucket, running set;
ARGV = tokens/min (0 for none), tokens read, request id."""


class RedisLimiter:
    """Limits in Redis (`state = "redis://..."`): one bucket per caller for every worker."""

    def __init__(self, store: RedisStore) -> None:
        self.store = store
        self._admit: AsyncScript | None = None
        self._finish: AsyncScript | None = None

    @staticmethod
    def _keys(caller: str) -> tuple[str, str, str]:
        # The braces keep a caller's keys in one slot of a Redis Cluster.
        base = f"{PREFIX}limit:{{{caller}}}:"
        return base + "requests", base + "tokens", base + "running"

    def _scripts(self) -> tuple[AsyncScript, AsyncScript]:
        if self._admit is None or self._finish is None:
            client = self.store.client
            self._admit = client.register_script(_ADMIT)
            self._finish = client.register_script(_FINISH)
        return self._admit, self._finish

    async def admit(self, caller: str, limit: Limit, request_id: str) -> dict[str, str]:
        admit, _ = self._scripts()
        args: list[int | str] = [
            limit.requests_per_minute or 0,
            limit.tokens_per_minute or 0,
            limit.max_concurrent or 0,
            request_id,
            STALE_REQUEST_S,
        ]
        try:
            found: list[Any] = await admit(
                keys=list(self._keys(caller)), args=args, client=self.store.client
            )
        except Exception as error:
            self.store.failed("rate limit", error)
            return {}
        refused, requests, tokens, running = found
        refused = refused.decode() if isinstance(refused, bytes) else str(refused)
        levels = _Levels(float(requests), float(tokens), int(running))
        return _verdict(caller, limit, levels, refused)

    async def finish(self, caller: str, limit: Limit, request_id: str, tokens: int) -> None:
        if limit.tokens_per_minute is None and limit.max_concurrent is None:
            return
        _, finish = self._scripts()
        _, tokens_key, running_key = self._keys(caller)
        args: list[int | str] = [limit.tokens_per_minute or 0, tokens, request_id]
        try:
            await finish(keys=[tokens_key, running_key], args=args, client=self.store.client)
        except Exception as error:
            self.store.failed("rate limit", error)


def open_limiter(store: Store, *, clock: Callable[[], float] = time.monotonic) -> Limiter:
    """The limiter that keeps its counts where `store` keeps the router's state."""
    if isinstance(store, RedisStore):
        return RedisLimiter(store)
    return MemoryLimiter(clock=clock)
