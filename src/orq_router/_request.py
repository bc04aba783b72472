"""From the keywords of a call and the client's defaults to the generated request model.

Merging: a value given in the call wins over the client's default for that field; None
given in the call drops the default (the field is left out). `orq` is merged one level
deeper: the call's `orq` fields win over the default `orq`'s, the others are kept, so a
default identity survives a call that only names its trace.

Encoding: when neither the call nor the defaults choose `encoding_format`, the request
asks for base64 (a third of the bytes, decoded in C) and the response still exposes
floats. An explicit choice is sent as is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal, TypedDict

import attrs

import orq_router_api.models as api
from orq_router._errors import ValidationError, unknown_field
from orq_router.options import (
    Cache,
    Fallbacks,
    LoadBalancer,
    OrqOptions,
    Retry,
    RouterTimeout,
    _Option,
    check_model_id,
)
from orq_router_api import ValidationError as _ApiValidationError

__all__ = ["BODY_FIELDS", "EmbeddingInput", "EmbeddingParams", "RequestDefaults", "build_request"]

#: A string, or a list whose items are strings or lists of token ids.
EmbeddingInput = str | Sequence[str] | Sequence[Sequence[int]] | Sequence[str | Sequence[int]]


class EmbeddingParams(TypedDict, total=False):
    """The body fields besides `input`, as keyword arguments (all optional per call).

    Each takes None to leave the field out even when the client has a default for it.
    """

    model: str | None
    """ID of the model to use, e.g. `openai/text-embedding-3-small`."""
    encoding_format: Literal["float", "base64"] | api.EncodingFormat | None
    """Wire encoding; unset means base64 on the wire, floats in the result."""
    dimensions: int | None
    """Length of the returned vectors, for models that can shorten them."""
    user: str | None
    """A unique identifier representing your end-user."""
    name: str | None
    """The name to display on the trace."""
    fallbacks: Fallbacks | Sequence[str | Mapping[str, Any]] | None
    """Models to try if the primary model fails: `fallbacks("a/x", "b/y")` or a list."""
    retry: Retry | Mapping[str, Any] | None
    """The router's retries of the model call: `Retry(count=3, on_codes=(429, 503))`."""
    cache: Cache | Mapping[str, Any] | None
    """The router's response cache: `Cache(ttl=3600)`."""
    load_balancer: LoadBalancer | Mapping[str, Any] | None
    """Weighted routing: `weighted({"a/x": 0.7, "b/y": 0.3})`."""
    timeout: RouterTimeout | Mapping[str, Any] | None
    """The router's limit per model call: `RouterTimeout(call_timeout=30000)` (ms)."""
    orq: OrqOptions | Mapping[str, Any] | None
    """orq.ai settings: trace name, routing options, `identity` and `contact`."""


BODY_FIELDS: Final = ("input", *EmbeddingParams.__annotations__)

#: Option fields and the helper that each takes (dicts go through the same helper).
_HELPERS: Final[Mapping[str, type[_Option]]] = {
    "fallbacks": Fallbacks,
    "retry": Retry,
    "cache": Cache,
    "load_balancer": LoadBalancer,
    "timeout": RouterTimeout,
    "orq": OrqOptions,
}


def _input(value: object) -> object:
    """Tuples (and other sequences) as the lists the wire has; the checks come later."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        return value
    return [
        item if isinstance(item, (str, bytes)) or not isinstance(item, Sequence) else list(item)
        for item in value
    ]


def _encoding(value: object) -> api.EncodingFormat:
    if isinstance(value, str):
        try:
            return api.EncodingFormat(value)
        except ValueError:
            pass
    raise ValidationError(
        f"must be one of 'float', 'base64', got {value!r}", path=("encoding_format",)
    )


def normalise(field: str, value: object) -> object:
    """A call's (or default's) value in the form the request is built from."""
    helper = _HELPERS.get(field)
    if helper is not None:
        return helper.coerce(value, field)
    if field == "encoding_format":
        return _encoding(value)
    if field == "input":
        return _input(value)
    if field == "model":
        # One rule for every model id, here and in fallbacks and load balancers.
        return check_model_id(value, "model")
    return value


def _checked(field: str, value: object) -> object:
    """Check one plain field against the spec now, as a whole request would be checked."""
    if field in ("model", "dimensions", "user", "name"):
        probe = {"input": "x", "model": "x", field: value}
        try:
            api.CreateEmbeddingRequest(**probe)  # type: ignore[arg-type]
        except _ApiValidationError as error:
            raise ValidationError.from_api(error) from None
    return value


def _overlay(
    base: Mapping[str, object],
    changes: Mapping[str, object],
    *,
    allowed: Sequence[str],
    where: str,
    check_now: bool,
) -> dict[str, object]:
    """`base` with `changes` laid over it: a value wins, None removes the field, and
    `orq` is merged field by field. The one rule for calls over defaults and for
    `with_options` over a client's defaults."""
    merged = dict(base)
    for field, value in changes.items():
        if field not in allowed:
            raise unknown_field(field, allowed, where)
        if value is None:
            merged.pop(field, None)
            continue
        value = normalise(field, value)
        if check_now:
            value = _checked(field, value)
        previous = merged.get(field)
        if isinstance(value, OrqOptions) and isinstance(previous, OrqOptions):
            value = previous.merged(value)
        merged[field] = value
    return merged


_DEFAULTABLE: Final = BODY_FIELDS[1:]


@attrs.frozen
class RequestDefaults:
    """Body fields set once on a client and merged into each of its calls."""

    values: Mapping[str, object] = attrs.field(factory=dict)

    @classmethod
    def from_mapping(cls, defaults: Mapping[str, object] | None) -> RequestDefaults:
        """Checked like a call's keywords, so a bad default fails when the client is made."""
        return cls().merged(defaults)

    def merged(self, more: Mapping[str, object] | None) -> RequestDefaults:
        """These defaults with `more` laid over them, by the rule calls follow."""
        where = "the defaults (input has no default)"
        return RequestDefaults(
            _overlay(self.values, more or {}, allowed=_DEFAULTABLE, where=where, check_now=True)
        )


def build_request(
    call: Mapping[str, object], defaults: RequestDefaults
) -> tuple[api.CreateEmbeddingRequest, bool]:
    """The request model for a call, and whether the caller asked for base64 explicitly."""
    merged = _overlay(
        defaults.values, call, allowed=BODY_FIELDS, where="the request", check_now=False
    )
    for required in ("input", "model"):
        if required not in merged:
            hint = (
                " (pass model=... or set Orq(defaults={'model': ...}))"
                if required == "model"
                else ""
            )
            raise ValidationError(f"is required{hint}", path=(required,))
    explicit = merged.get("encoding_format")
    merged["encoding_format"] = explicit or api.EncodingFormat.BASE64
    fields = {
        field: value.to_model() if isinstance(value, _Option) else value
        for field, value in merged.items()
    }
    try:
        request = api.CreateEmbeddingRequest(**fields)  # type: ignore[arg-type]
    except _ApiValidationError as error:
        raise ValidationError.from_api(error) from None
    return request, explicit is api.EncodingFormat.BASE64
