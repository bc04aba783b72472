"""The request body, read and checked against the spec by hand.

The router does not use the generated models: it is the oracle the SDK is tested
against, so it must be able to disagree with them. Every rule of
`CreateEmbeddingRequest` in `openapi/orq-router.yaml` is written out here (types, enums,
minimums, required and unknown keys, email and URI formats); a body that breaks one is
refused with 422 and the path of the field (`param`), a body that is not a JSON object
with 400.

The routing options may sit at the top level or under `orq`; when both are given, the
top-level one is used, whole (`Routing`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias

import attrs

from orq_router_server.errors import RouterError

__all__ = [
    "DEFAULT_CACHE_TTL",
    "DEFAULT_RETRY_CODES",
    "EmbeddingCall",
    "Input",
    "RetryPolicy",
    "Routing",
    "Trace",
    "parse_body",
]

Input: TypeAlias = str | tuple[int, ...]
"""One input: a text, or a list of token ids."""

DEFAULT_RETRY_CODES: Final = frozenset({429, 500, 502, 503, 504})
"""The API reference's example `on_codes`, used when a retry names none."""
DEFAULT_RETRY_COUNT: Final = 1
"""A `retry` without `count` retries once (the reference gives no default)."""
DEFAULT_CACHE_TTL: Final = 1800
MAX_CALL_TIMEOUT_MS: Final = 86_400_000
"""A day: longer limits are kept as this (asyncio cannot wait for 10^30 ms)."""

_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+")
_URI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S*")
_ROUTING_KEYS: Final = ("fallbacks", "retry", "cache", "load_balancer", "timeout")
_BODY_KEYS: Final = frozenset(
    {"input", "model", "encoding_format", "dimensions", "user", "name", *_ROUTING_KEYS, "orq"}
)
_ORQ_KEYS: Final = frozenset({"name", *_ROUTING_KEYS, "identity", "contact"})
_ROUTING_ATTRIBUTES: Final = {
    "fallbacks": "fallbacks",
    "retry": "retry",
    "cache": "cache_ttl",
    "load_balancer": "load_balancer",
    "timeout": "call_timeout_ms",
}
_IDENTITY_KEYS: Final = ("id", "display_name", "email", "metadata", "logo_url", "tags")
_NO_ORQ: Final[Mapping[str, Any]] = {}


@attrs.frozen
class RetryPolicy:
    """`retry`: `count` more attempts at a model whose failure status is in `on_codes`."""

    count: int
    on_codes: frozenset[int]


@attrs.frozen
class Routing:
    """The routing options in force: each the top-level one if given, else `orq`'s."""

    fallbacks: tuple[str, ...] = ()
    retry: RetryPolicy | None = None
    cache_ttl: int | None = None
    """Seconds; None when the request asked for no cache."""
    load_balancer: tuple[tuple[str, float], ...] | None = None
    call_timeout_ms: int | None = None

    def key_material(self) -> list[Any]:
        """What of the routing can change the answer (the cache's TTL cannot)."""
        retry = None if self.retry is None else [self.retry.count, sorted(self.retry.on_codes)]
        balancer = None if self.load_balancer is None else [list(m) for m in self.load_balancer]
        return [list(self.fallbacks), retry, balancer, self.call_timeout_ms]


@attrs.frozen
class Trace:
    """Who the request is for: logged, never part of the answer."""

    user: str | None = None
    name: str | None = None
    identity: Mapping[str, Any] | None = None
    contact: Mapping[str, Any] | None = None


@attrs.frozen
class EmbeddingCall:
    """A checked request: what to embed, with which model, how to route and answer."""

    inputs: tuple[Input, ...]
    model: str
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = None
    routing: Routing = Routing()
    trace: Trace = Trace()

    def models(self) -> list[tuple[str, str]]:
        """Every model the request names, with the field that names it."""
        named = [("model", self.model)]
        named += [
            (f"fallbacks[{i}].model", model) for i, model in enumerate(self.routing.fallbacks)
        ]
        for i, (model, _) in enumerate(self.routing.load_balancer or ()):
            named.append((f"load_balancer.models[{i}].model", model))
        return named

    def key_material(self) -> list[Any]:
        """Every field that can change the answer, for the cache's key."""
        inputs = [item if isinstance(item, str) else list(item) for item in self.inputs]
        return [
            inputs,
            self.model,
            self.encoding_format,
            self.dimensions,
            self.routing.key_material(),
        ]


_NO_ROUTING: Final = Routing()
_NO_TRACE: Final = Trace()
_ROUTING_KEY_SET: Final = frozenset(_ROUTING_KEYS)


def parse_body(raw: bytes, *, max_inputs: int, openai: bool = False) -> EmbeddingCall:
    """Read and check one request body.

    `openai=True` reads `POST /v1/embeddings`: the same fields, plus OpenAI's form of one
    tokenized input, a flat list of integers.
    """
    data = _fast_loads(raw)
    try:
        if data is _NOT_READ:
            data = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        message = "the body is not valid JSON"
        if isinstance(error, json.JSONDecodeError):
            message += f": {error.msg} (line {error.lineno}, column {error.colno})"
        raise RouterError(400, "invalid_json", message) from None
    if not isinstance(data, dict):
        raise RouterError(400, "invalid_json", "the body must be a JSON object")
    return _Reader().call(data, max_inputs=max_inputs, openai=openai)


_NOT_READ: Final = object()


def _fast_loads(raw: bytes) -> Any:
    """orjson's reading of a body (the `fast` extra), or `_NOT_READ` when it is not
    installed or refuses the body: the standard library then reads it and decides.

    Where orjson reads a body at all it reads what `json.loads` reads (NaN and Infinity
    are refused by both here); what it refuses (integers past 64 bits, a lone surrogate,
    UTF-16, deep nesting) goes to `json.loads`, so every answer stays the same.
    """
    if _orjson_loads is None:
        return _NOT_READ
    try:
        return _orjson_loads(raw)
    except ValueError:
        return _NOT_READ


def _orjson() -> Callable[[bytes], Any] | None:
    try:
        import orjson
    except ImportError:  # the fast extra is optional
        return None
    return orjson.loads


_orjson_loads = _orjson()


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _invalid(path: str, message: str) -> RouterError:
    return RouterError(422, "invalid_request", f"{path}: {message}", param=path)


class _Reader:
    """The schema's rules, one method per kind of value; `path` names the field."""

    def call(self, data: dict[str, Any], *, max_inputs: int, openai: bool) -> EmbeddingCall:
        self.object(data, "", _BODY_KEYS, required=("input", "model"))
        inputs = self.inputs(data["input"], openai=openai)
        if len(inputs) > max_inputs:
            raise RouterError(
                400,
                "too_many_inputs",
                f"input: {len(inputs)} inputs, at most {max_inputs} per request",
                param="input",
            )
        model = self.string(data["model"], "model")
        encoding = data.get("encoding_format", "float")
        if encoding not in ("float", "base64"):
            raise _invalid("encoding_format", f"must be 'float' or 'base64', got {encoding!r}")
        dimensions = None
        if "dimensions" in data:
            dimensions = self.integer(data["dimensions"], "dimensions", minimum=1)
        orq = self.object(data["orq"], "orq", _ORQ_KEYS) if "orq" in data else _NO_ORQ
        routing = self.routing(data, orq)
        orq_name = self.optional_string(orq, "name", "orq.name")
        name = self.optional_string(data, "name", "name")
        user = self.optional_string(data, "user", "user")
        if orq_name is None and name is None and user is None and not orq:
            trace = _NO_TRACE  # most requests: nothing to trace
        else:
            trace = Trace(
                user=user,
                name=orq_name if name is None else name,
                identity=self.identity(orq["identity"], "orq.identity")
                if "identity" in orq
                else None,
                contact=self.identity(orq["contact"], "orq.contact") if "contact" in orq else None,
            )
        return EmbeddingCall(
            inputs=inputs,
            model=model,
            encoding_format=encoding,
            dimensions=dimensions,
            routing=routing,
            trace=trace,
        )

    def inputs(self, value: Any, *, openai: bool) -> tuple[Input, ...]:
        if isinstance(value, str):
            return (self.string(value, "input", min_length=1),)
        items = self.array(value, "input", min_items=1)
        if openai and all(isinstance(item, int) and not isinstance(item, bool) for item in items):
            return (tuple(items),)
        result: list[Input] = []
        for i, item in enumerate(items):
            path = f"input[{i}]"
            if isinstance(item, str):
                result.append(self.string(item, path, min_length=1))
            elif isinstance(item, list):
                ids = self.array(item, path, min_items=1)
                result.append(tuple(self.integer(t, f"{path}[{j}]") for j, t in enumerate(ids)))
            else:
                raise _invalid(path, "must be a string or a list of token ids")
        return tuple(result)

    def routing(self, top: Mapping[str, Any], orq: Mapping[str, Any]) -> Routing:
        # Both places are checked; where both are given the top-level one is used, whole.
        if not orq and _ROUTING_KEY_SET.isdisjoint(top):
            return _NO_ROUTING  # most requests: no routing options
        found: dict[str, Any] = {}
        for key in _ROUTING_KEYS:
            if key in orq:
                found[_ROUTING_ATTRIBUTES[key]] = self._routing_field(key, orq[key], "orq." + key)
            if key in top:
                found[_ROUTING_ATTRIBUTES[key]] = self._routing_field(key, top[key], key)
        return Routing(**found)

    def _routing_field(self, key: str, value: Any, path: str) -> Any:
        if key == "fallbacks":
            items = self.array(value, path)
            return tuple(
                self.string(
                    self.object(item, f"{path}[{i}]", ("model",), required=("model",))["model"],
                    f"{path}[{i}].model",
                )
                for i, item in enumerate(items)
            )
        if key == "retry":
            retry = self.object(value, path, ("count", "on_codes"))
            count = DEFAULT_RETRY_COUNT
            if "count" in retry:
                count = self.integer(retry["count"], f"{path}.count", minimum=0, maximum=5)
            codes = DEFAULT_RETRY_CODES
            if "on_codes" in retry:
                listed = self.array(retry["on_codes"], f"{path}.on_codes")
                codes = frozenset(
                    self.integer(code, f"{path}.on_codes[{i}]", minimum=100, maximum=599)
                    for i, code in enumerate(listed)
                )
            return RetryPolicy(count=count, on_codes=codes)
        if key == "cache":
            cache = self.object(value, path, ("type", "ttl"), required=("type",))
            if cache["type"] != "exact_match":
                raise _invalid(f"{path}.type", f"must be 'exact_match', got {cache['type']!r}")
            if "ttl" not in cache:
                return DEFAULT_CACHE_TTL
            return self.integer(cache["ttl"], f"{path}.ttl", minimum=1, maximum=259_200)
        if key == "load_balancer":
            balancer = self.object(value, path, ("type", "models"), required=("type", "models"))
            if balancer["type"] != "weight_based":
                raise _invalid(f"{path}.type", f"must be 'weight_based', got {balancer['type']!r}")
            models = self.array(balancer["models"], f"{path}.models", min_items=1)
            entries = []
            for i, item in enumerate(models):
                where = f"{path}.models[{i}]"
                entry = self.object(item, where, ("model", "weight"), required=("model", "weight"))
                weight = self.number(entry["weight"], f"{where}.weight")
                if not weight > 0:
                    raise _invalid(f"{where}.weight", f"must be greater than 0, got {weight}")
                entries.append((self.string(entry["model"], f"{where}.model"), weight))
            return tuple(entries)
        timeout = self.object(value, path, ("call_timeout",), required=("call_timeout",))
        limit = self.integer(timeout["call_timeout"], f"{path}.call_timeout", minimum=1)
        return min(limit, MAX_CALL_TIMEOUT_MS)

    def identity(self, value: Any, path: str) -> dict[str, Any]:
        person = self.object(value, path, _IDENTITY_KEYS, required=("id",))
        self.string(person["id"], f"{path}.id", min_length=1)
        for key in ("display_name", "email", "logo_url"):
            self.optional_string(person, key, f"{path}.{key}")
        if "email" in person and not _EMAIL.fullmatch(person["email"]):
            raise _invalid(f"{path}.email", "must be an email address")
        if "logo_url" in person and not _URI.fullmatch(person["logo_url"]):
            raise _invalid(f"{path}.logo_url", "must be an absolute URI")
        if "metadata" in person:
            for i, item in enumerate(self.array(person["metadata"], f"{path}.metadata")):
                entry = self.object(item, f"{path}.metadata[{i}]", None)
                for name, text in entry.items():
                    self.string(text, f"{path}.metadata[{i}].{name}")
        if "tags" in person:
            for i, tag in enumerate(self.array(person["tags"], f"{path}.tags")):
                self.string(tag, f"{path}.tags[{i}]")
        return person

    def object(
        self,
        value: Any,
        path: str,
        known: Collection[str] | None,
        required: Sequence[str] = (),
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _invalid(path or "body", "must be an object")
        prefix = f"{path}." if path else ""
        if known is not None:
            for key in value:
                if key not in known:
                    raise _invalid(prefix + key, "is not a field of this object")
        for key in required:
            if key not in value:
                raise _invalid(prefix + key, "is required")
        return value

    def array(self, value: Any, path: str, min_items: int = 0) -> list[Any]:
        if not isinstance(value, list):
            raise _invalid(path, "must be an array")
        if len(value) < min_items:
            raise _invalid(path, f"must hold at least {min_items} item(s)")
        return value

    def string(self, value: Any, path: str, min_length: int = 0) -> str:
        if not isinstance(value, str):
            raise _invalid(path, "must be a string")
        if len(value) < min_length:
            raise _invalid(path, "must not be empty")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise RouterError(
                400, "invalid_unicode", f"{path}: holds a lone surrogate", param=path
            ) from None
        return value

    def optional_string(self, source: Mapping[str, Any], key: str, path: str) -> str | None:
        return self.string(source[key], path) if key in source else None

    def integer(
        self, value: Any, path: str, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        # JSON Schema counts 3.0 as an integer: the mathematical value decides.
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _invalid(path, "must be an integer")
        if minimum is not None and value < minimum:
            raise _invalid(path, f"must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise _invalid(path, f"must be at most {maximum}, got {value}")
        return value

    def number(self, value: Any, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _invalid(path, "must be a number")
        try:
            return float(value)
        except OverflowError:
            return math.inf
