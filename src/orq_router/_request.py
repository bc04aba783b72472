"""From the keywords of a call and the client's defaults to the generated request model.

The keywords are the generated layer's: `EmbeddingParams` is the generated
`CreateEmbeddingRequestOptions` (every optional field of the body, with the type and the
docstring the spec gives it) plus `model`, which the client's defaults may supply. So a
field added to the spec is a typed keyword of `create` after `nox -s generate`, and the
request is built by the generated `CreateEmbeddingRequest.from_params`, whose signature
mypy checks this module against: a field made required, removed or retyped in the spec
fails the type check here, not a user's call at run time.

Merging: a value given in the call wins over the client's default for that field; None
given in the call drops the default (the field is left out). `orq` is merged one level
deeper: the call's `orq` fields win over the default `orq`'s, the others are kept, so a
default identity survives a call that only names its trace.

Helpers: the fields a helper of `options` improves (fallbacks, retry, cache,
load_balancer, timeout, orq) go through it whatever form they come in, so a dict gets the
helper's checks too (model ids in `provider/model` form, no duplicates, ...).

Encoding: when neither the call nor the defaults choose `encoding_format`, the request
asks for base64 (a third of the bytes, decoded in C) and the response still exposes
floats. An explicit choice is sent as is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Unpack

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
    check_model_id,
)
from orq_router_api import ValidationError as _ApiValidationError
from orq_router_api.params import CreateEmbeddingRequestOptions

__all__ = ["BODY_FIELDS", "EmbeddingInput", "EmbeddingParams", "RequestDefaults", "build_request"]

#: A string, or a list whose items are strings or lists of token ids.
EmbeddingInput = str | Sequence[str] | Sequence[Sequence[int]] | Sequence[str | Sequence[int]]


class EmbeddingParams(CreateEmbeddingRequestOptions, total=False):
    """The keywords of `create` besides `input`: the body's fields, all optional per call.

    Every field but `model` comes from the generated `CreateEmbeddingRequestOptions`.
    Each takes None to leave the field out even when the client has a default for it.
    """

    model: str | None
    """ID of the model to use, e.g. `openai/text-embedding-3-small`; required unless the
    client has a default."""


BODY_FIELDS: Final = ("input", *EmbeddingParams.__annotations__)
_DEFAULTABLE: Final = BODY_FIELDS[1:]


def _as_params(**params: Unpack[EmbeddingParams]) -> EmbeddingParams:
    """Keywords as `EmbeddingParams` (their keys are checked by `_check_keys` first)."""
    return params


def _check_keys(given: Mapping[str, object], allowed: Sequence[str], where: str) -> None:
    """Refuse a keyword that is not a field (a `**dict` can hold any), naming the closest."""
    for key in given:
        if key not in allowed:
            raise unknown_field(key, allowed, where)


def _improved(params: EmbeddingParams) -> EmbeddingParams:
    """The fields a helper improves, through their helper; the others as they are."""
    out = params.copy()
    if (fallbacks := params.get("fallbacks")) is not None:
        out["fallbacks"] = Fallbacks.coerce(fallbacks, "fallbacks")
    if (retry := params.get("retry")) is not None:
        out["retry"] = Retry.coerce(retry, "retry")
    if (cache := params.get("cache")) is not None:
        out["cache"] = Cache.coerce(cache, "cache")
    if (balancer := params.get("load_balancer")) is not None:
        out["load_balancer"] = LoadBalancer.coerce(balancer, "load_balancer")
    if (timeout := params.get("timeout")) is not None:
        out["timeout"] = RouterTimeout.coerce(timeout, "timeout")
    if (orq := params.get("orq")) is not None:
        out["orq"] = OrqOptions.coerce(orq, "orq")
    return out


def _overlay(base: EmbeddingParams, changes: EmbeddingParams) -> EmbeddingParams:
    """`base` with `changes` laid over it: a value wins, None removes the field, and
    `orq` is merged field by field. The one rule for calls over defaults and for
    `with_options` over a client's defaults."""
    merged: EmbeddingParams = {**base, **changes}
    old, new = base.get("orq"), changes.get("orq")
    if old is not None and new is not None:
        merged["orq"] = OrqOptions.coerce(old, "orq").merged(OrqOptions.coerce(new, "orq"))
    return _improved(merged)


def _request(
    input: EmbeddingInput, params: EmbeddingParams, *, model_hint: str = ""
) -> tuple[api.CreateEmbeddingRequest, bool]:
    """The request model, and whether base64 was asked for explicitly."""
    options = params.copy()
    model = options.pop("model", None)
    if input is None:
        raise ValidationError("is required", path=("input",))
    if model is None:
        raise ValidationError(f"is required{model_hint}", path=("model",))
    # One rule for every model id: the fallback and load-balancer helpers check theirs so.
    model = check_model_id(model, "model")
    explicit = options.get("encoding_format")
    if explicit is None:
        options["encoding_format"] = api.EncodingFormat.BASE64
    body: CreateEmbeddingRequestOptions = options
    try:
        request = api.CreateEmbeddingRequest.from_params(input=input, model=model, **body)
    except _ApiValidationError as error:
        raise ValidationError.from_api(error) from None
    return request, explicit == api.EncodingFormat.BASE64


@attrs.frozen
class RequestDefaults:
    """Body fields set once on a client and merged into each of its calls."""

    params: EmbeddingParams = attrs.field(factory=lambda: _as_params())

    @property
    def values(self) -> Mapping[str, object]:
        """The defaults that are set (a None given to drop one is not a value)."""
        return {key: value for key, value in self.params.items() if value is not None}

    @classmethod
    def from_mapping(cls, defaults: Mapping[str, Any] | None) -> RequestDefaults:
        """Checked like a call's keywords, so a bad default fails when the client is made."""
        return cls().merged(defaults)

    def merged(self, more: Mapping[str, Any] | None) -> RequestDefaults:
        """These defaults with `more` laid over them, by the rule calls follow."""
        more = more or {}
        _check_keys(more, _DEFAULTABLE, "the defaults (input has no default)")
        # The one untyped door: defaults come as a plain mapping; every value is checked
        # below, by the helpers and the generated model, before the client exists.
        params = _overlay(self.params, _as_params(**more))
        probe = params.copy()
        if probe.get("model") is None:
            probe["model"] = "provider/model"
        _request("a", probe)  # every default checked now, as the spec and the helpers say
        return RequestDefaults(params)


def build_request(
    input: EmbeddingInput, call: EmbeddingParams, defaults: RequestDefaults
) -> tuple[api.CreateEmbeddingRequest, bool]:
    """The request model for a call, and whether the caller asked for base64 explicitly."""
    _check_keys(call, _DEFAULTABLE, "the request")
    params = _overlay(defaults.params, call)
    hint = " (pass model=... or set Orq(defaults={'model': ...}))"
    return _request(input, params, model_hint=hint)
