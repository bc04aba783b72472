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

Per-call options (`RequestOptions`: `extra_headers`, `extra_body`, `http_timeout`) are no
body fields: `split_options` takes them out of a call's keywords and checks them, for
`create`, `embed_many` and `embed_many_iter` of both clients alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final, TypedDict, Unpack

import attrs
import urllib3

import orq_router_api.models as api
from orq_router._errors import ValidationError, unknown_field
from orq_router._settings import count_problem, headers_problem, timeout_problem
from orq_router._types import NOT_GIVEN, NotGiven
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

__all__ = [
    "BODY_FIELDS",
    "NO_OPTIONS",
    "BulkOptions",
    "CallOptions",
    "CreateParams",
    "EmbedManyParams",
    "EmbeddingInput",
    "EmbeddingParams",
    "RequestBuilder",
    "RequestDefaults",
    "RequestOptions",
    "build_request",
    "request_builder",
    "split_options",
]

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


class RequestOptions(TypedDict, total=False):
    """Options of one call that are not body fields: `create`, `embed_many` and
    `embed_many_iter` take them, on `Orq` and `AsyncOrq` alike (as openai's methods do)."""

    extra_headers: Mapping[str, str]
    """Headers for this call, laid over the client's (the API key's header stays the key's)."""
    extra_body: Mapping[str, object]
    """JSON fields laid over the body: a field the server knows before the spec does.
    Sent as given, after the body's own fields were checked; not checked themselves."""
    http_timeout: float | urllib3.Timeout | None
    """This call's limit on each attempt, meant as `Orq(http_timeout=...)` means it
    (None: no limit). Not the body's `timeout`, the router's limit on the model."""


class BulkOptions(TypedDict, total=False):
    """How `embed_many` and `embed_many_iter` split and send their inputs."""

    batch_size: int
    """Inputs per request; default 128."""
    max_concurrency: int
    """Requests in flight at once, and so connections at most; default 4. The client's
    pool grows to keep this many, so no connection is opened only to be dropped."""
    max_workers: int
    """Deprecated: the old name of `max_concurrency` (a `DeprecationWarning`)."""
    progress: bool
    """Show a tqdm progress bar counting inputs; default False."""


class CreateParams(EmbeddingParams, RequestOptions, total=False):
    """The keywords of `create` besides `input`: body fields and per-call options."""


class EmbedManyParams(EmbeddingParams, RequestOptions, BulkOptions, total=False):
    """The keywords of `embed_many` and `embed_many_iter` besides `texts`."""


_OPTION_NAMES: Final = tuple(RequestOptions.__annotations__)


@attrs.frozen
class CallOptions:
    """A call's checked `RequestOptions`; `NO_OPTIONS` when it has none (the usual case)."""

    extra_headers: Mapping[str, str] | None = None
    extra_body: Mapping[str, Any] | None = None
    http_timeout: float | urllib3.Timeout | NotGiven | None = NOT_GIVEN


NO_OPTIONS: Final = CallOptions()


def split_options(params: Mapping[str, Any]) -> tuple[EmbeddingParams, CallOptions]:
    """A call's body fields, and its per-call options checked (`ValidationError`)."""
    if not any(name in params for name in _OPTION_NAMES):
        return params, NO_OPTIONS  # type: ignore[return-value]  # keys checked later
    body = dict(params)
    headers = body.pop("extra_headers", None)
    extra = body.pop("extra_body", None)
    timeout = body.pop("http_timeout", NOT_GIVEN)
    if headers is not None and (problem := headers_problem(headers, "extra_headers")):
        raise ValidationError(problem.split(" ", 1)[1], path=("extra_headers",))
    if extra is not None:
        _check_extra_body(extra)
    if not isinstance(timeout, NotGiven) and (problem := timeout_problem(timeout, "x")):
        raise ValidationError(problem.split(" ", 1)[1], path=("http_timeout",))
    options = CallOptions(
        dict(headers) if headers else None, dict(extra) if extra else None, timeout
    )
    return body, options  # type: ignore[return-value]  # keys checked by build_request


def _check_extra_body(extra: object) -> None:
    """Keys are strings and values JSON, or the call fails here rather than mid-send."""
    if not isinstance(extra, Mapping):
        raise ValidationError(
            f"must be a mapping of JSON fields, got {type(extra).__name__}", path=("extra_body",)
        )
    for key, value in extra.items():
        if not isinstance(key, str):
            raise ValidationError(f"keys must be str, got {key!r}", path=("extra_body",))
        try:
            json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as error:
            raise ValidationError(f"is not JSON: {error}", path=("extra_body", key)) from None


def bulk_settings(params: Mapping[str, Any]) -> tuple[dict[str, Any], int, int, bool]:
    """`embed_many`'s keywords without its own: (the rest, batch size, concurrency,
    progress), each checked; `max_workers` still works, with a `DeprecationWarning`."""
    from orq_router._bulk import DEFAULT_BATCH_SIZE, DEFAULT_MAX_CONCURRENCY

    rest = dict(params)
    if "input" in rest:
        raise ValidationError("embed_many takes its inputs as `texts`", path=("input",))
    batch_size = rest.pop("batch_size", DEFAULT_BATCH_SIZE)
    concurrency = rest.pop("max_concurrency", NOT_GIVEN)
    concurrency_name = "max_concurrency"
    if "max_workers" in rest:
        import warnings

        workers = rest.pop("max_workers")
        if not isinstance(concurrency, NotGiven):
            raise ValidationError(
                "give max_concurrency only (max_workers is its deprecated name)",
                path=("max_workers",),
            )
        warnings.warn(
            "max_workers is deprecated: call it max_concurrency (the same meaning)",
            DeprecationWarning,
            stacklevel=5,
        )
        concurrency, concurrency_name = workers, "max_workers"
    if isinstance(concurrency, NotGiven):
        concurrency = DEFAULT_MAX_CONCURRENCY
    progress = rest.pop("progress", False)
    for name, value in (("batch_size", batch_size), (concurrency_name, concurrency)):
        if count_problem(value, name, minimum=1):
            raise ValidationError(
                f"must be a whole number of at least 1, got {value!r}", path=(name,)
            )
    return rest, batch_size, concurrency, bool(progress)


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


class RequestBuilder:
    """Everything of a request but its `input`, merged and checked once: `build` makes
    the request for any input. `embed_many` makes one for all its batches, so each batch
    costs the generated model's construction alone (its checks of the input included).

    A plain slotted class, not attrs: `create` makes one per call."""

    __slots__ = ("keep_base64", "model", "options")

    def __init__(
        self, model: str, options: CreateEmbeddingRequestOptions, keep_base64: bool
    ) -> None:
        self.model = model
        self.options = options
        self.keep_base64 = keep_base64
        """Whether base64 was asked for explicitly (then the wire strings are kept)."""

    @classmethod
    def resolve(cls, params: EmbeddingParams, *, model_hint: str = "") -> RequestBuilder:
        """The fields of `params` checked as far as they go without the input."""
        options = params.copy()
        model = options.pop("model", None)
        if model is None:
            raise ValidationError(f"is required{model_hint}", path=("model",))
        # One rule for every model id: the fallback and load-balancer helpers check theirs so.
        model = check_model_id(model, "model")
        explicit = options.get("encoding_format")
        if explicit is None:
            options["encoding_format"] = api.EncodingFormat.BASE64
        body: CreateEmbeddingRequestOptions = options
        return cls(model, body, explicit == api.EncodingFormat.BASE64)

    def build(self, input: EmbeddingInput) -> api.CreateEmbeddingRequest:
        """The request model for `input` (`ValidationError` names what is wrong)."""
        if input is None:
            raise ValidationError("is required", path=("input",))
        try:
            return api.CreateEmbeddingRequest.from_params(
                input=input, model=self.model, **self.options
            )
        except _ApiValidationError as error:
            raise ValidationError.from_api(error) from None


def _request(
    input: EmbeddingInput, params: EmbeddingParams, *, model_hint: str = ""
) -> tuple[api.CreateEmbeddingRequest, bool]:
    """The request model, and whether base64 was asked for explicitly."""
    if input is None:
        raise ValidationError("is required", path=("input",))
    builder = RequestBuilder.resolve(params, model_hint=model_hint)
    return builder.build(input), builder.keep_base64


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


_MODEL_HINT: Final = " (pass model=... or set Orq(defaults={'model': ...}))"


def request_builder(call: EmbeddingParams, defaults: RequestDefaults) -> RequestBuilder:
    """A call's fields over the client's defaults, checked: its requests' builder."""
    _check_keys(call, _DEFAULTABLE, "the request")
    return RequestBuilder.resolve(_overlay(defaults.params, call), model_hint=_MODEL_HINT)


def build_request(
    input: EmbeddingInput, call: EmbeddingParams, defaults: RequestDefaults
) -> tuple[api.CreateEmbeddingRequest, bool]:
    """The request model for a call, and whether the caller asked for base64 explicitly."""
    _check_keys(call, _DEFAULTABLE, "the request")
    params = _overlay(defaults.params, call)
    return _request(input, params, model_hint=_MODEL_HINT)
