"""Typed helpers for the option fields of a request, and their dict forms.

Every option of `create` accepts a helper from here *or* a plain dict shaped like the
JSON, and dicts go through the same helper: a typo'd key is an error naming the key
(with a "did you mean"), never dropped. A helper checks itself when it is built:

- what the spec says (through the generated model: `retry.count` 0..5, `cache.ttl`
  1..259200 s, `weight > 0`, `call_timeout >= 1` ms, an email's shape, ...);
- what a client can tell that the spec does not state: model ids in `provider/model`
  form, at least one model and no duplicates in fallbacks and load balancers, an
  http(s) `logo_url`, string metadata values.

So a bad option raises `ValidationError` before anything is sent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal, Self, TypeVar
from urllib.parse import urlsplit

import attrs

import orq_router_api.models as api
from orq_router._errors import ValidationError, unknown_field
from orq_router_api import UNSET
from orq_router_api import ValidationError as _ApiValidationError

__all__ = [
    "Cache",
    "Contact",
    "Fallbacks",
    "Identity",
    "LoadBalancer",
    "OrqOptions",
    "Retry",
    "RouterTimeout",
    "fallbacks",
    "weighted",
]

#: `provider/model`: a provider name, a slash, then the provider's model id.
MODEL_ID: Final = re.compile(r"[A-Za-z0-9][\w.-]*/\S+")

M = TypeVar("M")


def _built(model: type[M], label: str, /, **fields: Any) -> M:
    """The generated model with these fields (None: not set), its errors named `label`."""
    try:
        return model(**{key: UNSET if value is None else value for key, value in fields.items()})
    except _ApiValidationError as error:
        raise ValidationError.from_api(error, model=label) from None


def _parsed(model: Any, data: Mapping[str, Any]) -> Any:
    """`model.from_dict(data)`, its errors made ours."""
    try:
        return model.from_dict(data)
    except _ApiValidationError as error:
        raise ValidationError.from_api(error, model=error.model) from None


def _value(value: Any) -> Any:
    """A generated model's field value, with `UNSET` read as None."""
    return None if value is UNSET else value


def check_model_id(model: object, *path: str | int) -> str:
    """The model id, if it is a `provider/model` string."""
    if not isinstance(model, str) or MODEL_ID.fullmatch(model) is None:
        raise ValidationError(
            f"must be a model id in provider/model form, like 'openai/text-embedding-3-small',"
            f" got {model!r}",
            path=path,
        )
    return model


def _is_list(value: object) -> bool:
    """A list-like value: any iterable but a string, bytes or a mapping."""
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping))


# The converters make a tuple of a list-like value and leave anything else as it is,
# for the checks after them to refuse with a `ValidationError` (never a `TypeError`).


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values) if _is_list(values) else values  # type: ignore[return-value]


def _pairs(values: Iterable[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    return tuple(values) if _is_list(values) else values  # type: ignore[return-value]


def _optional_ints(values: Iterable[int] | None) -> tuple[int, ...] | None:
    return tuple(values) if values is not None and _is_list(values) else values  # type: ignore[return-value]


def _optional_strings(values: Iterable[str] | None) -> tuple[str, ...] | None:
    return tuple(values) if values is not None and _is_list(values) else values  # type: ignore[return-value]


def _as_list(value: Any) -> Any:
    """A tuple field as the list the generated model wants (anything else as it is)."""
    return list(value) if isinstance(value, tuple) else value


def _no_duplicates(models: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for index, model in enumerate(models):
        if model in seen:
            raise ValidationError(f"{model!r} appears twice in the {what}", path=(index,))
        seen.add(model)


class _Option:
    """What every helper can do: be built from its JSON form, and be coerced."""

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """The helper from its JSON form (the dict, or list, the wire has)."""
        raise NotImplementedError

    def to_model(self) -> Any:
        """The generated model (or list of models) this option is sent as."""
        raise NotImplementedError

    @classmethod
    def coerce(cls, value: object, *path: str | int) -> Self:
        """A helper from a helper, a generated model, or the JSON form."""
        if isinstance(value, cls):
            return value
        to_dict = getattr(value, "to_dict", None)
        data = to_dict() if callable(to_dict) and type(value).__module__ == api.__name__ else value
        try:
            return cls.from_json(data)
        except ValidationError as error:
            raise error.within(*path) from None


@attrs.frozen(kw_only=True)
class Retry(_Option):
    """How the router retries a failed call to the model (the body's `retry`).

    Not this client's own retries of the HTTP request: those are `Orq(max_retries=...)`.
    """

    count: int | None = None
    """Retries after the first call, 0 to 5."""
    on_codes: tuple[int, ...] | None = attrs.field(default=None, converter=_optional_ints)
    """HTTP statuses of the model's provider that trigger a retry, e.g. (429, 500, 503)."""
    _model: api.Retry = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        codes = _as_list(self.on_codes)
        object.__setattr__(
            self, "_model", _built(api.Retry, "Retry", count=self.count, on_codes=codes)
        )

    @classmethod
    def from_json(cls, data: Any) -> Self:
        model = _parsed(api.Retry, data)
        return cls(count=_value(model.count), on_codes=_value(model.on_codes))

    def to_model(self) -> api.Retry:
        return self._model


@attrs.frozen(kw_only=True)
class Cache(_Option):
    """Exact-match caching of responses by the router (the body's `cache`)."""

    ttl: int | None = None
    """Seconds a cached response lives, 1 to 259200 (3 days); the server's default is 1800."""
    type: Literal["exact_match"] = "exact_match"
    _model: api.Cache = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        try:
            kind = api.CacheType(self.type)
        except ValueError:
            raise ValidationError(
                f"must be 'exact_match', got {self.type!r}", path=("type",), model="Cache"
            ) from None
        object.__setattr__(self, "_model", _built(api.Cache, "Cache", type=kind, ttl=self.ttl))

    @classmethod
    def from_json(cls, data: Any) -> Self:
        model = _parsed(api.Cache, data)
        return cls(ttl=_value(model.ttl))

    def to_model(self) -> api.Cache:
        return self._model


@attrs.frozen
class RouterTimeout(_Option):
    """A limit on each call the router makes to a model (the body's `timeout`).

    In milliseconds, as on the wire. Not the HTTP timeout of this client, which is
    `Orq(http_timeout=...)`. `RouterTimeout.seconds(30)` reads better for long limits.
    """

    call_timeout: int
    """Milliseconds, at least 1."""
    _model: api.Timeout = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self, "_model", _built(api.Timeout, "RouterTimeout", call_timeout=self.call_timeout)
        )

    @classmethod
    def seconds(cls, seconds: float) -> Self:
        """A limit given in seconds, rounded to the millisecond."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValidationError(
                f"must be a number of seconds, got {type(seconds).__name__}",
                path=("call_timeout",),
                model=cls.__name__,
            )
        milliseconds = seconds * 1000
        if isinstance(milliseconds, float) and not math.isfinite(milliseconds):
            raise ValidationError(
                f"must be a finite number of seconds, got {seconds}",
                path=("call_timeout",),
                model=cls.__name__,
            )
        return cls(round(milliseconds))

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return cls(_parsed(api.Timeout, data).call_timeout)

    def to_model(self) -> api.Timeout:
        return self._model


@attrs.frozen
class Fallbacks(_Option):
    """Models to try, in order, when the primary model fails (the body's `fallbacks`).

    Built with `fallbacks("openai/text-embedding-3-large", "cohere/embed-english-v3.0")`;
    the JSON form is a list of `{"model": ...}` objects (plain strings are accepted too).
    """

    models: tuple[str, ...] = attrs.field(converter=_strings)
    _model: list[api.Fallback] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.models, tuple):
            raise ValidationError(
                f"must be model ids, got {type(self.models).__name__}", model="Fallbacks"
            )
        if not self.models:
            raise ValidationError("must name at least one model", model="Fallbacks")
        built = []
        try:
            for index, model in enumerate(self.models):
                check_model_id(model, index)
                try:  # the spec's own checks too (a string UTF-8 can carry)
                    built.append(_built(api.Fallback, "Fallbacks", model=model))
                except ValidationError as error:
                    raise error.within(index) from None
            _no_duplicates(self.models, "fallbacks")
        except ValidationError as error:
            raise error.within(model="Fallbacks") from None
        object.__setattr__(self, "_model", built)

    @classmethod
    def from_json(cls, data: Any) -> Self:
        if isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
            raise ValidationError(
                f"must be a list of models, got {type(data).__name__} {data!r}"[:200]
            )
        models = []
        for index, item in enumerate(data):
            if isinstance(item, str):
                models.append(item)
                continue
            if isinstance(item, api.Fallback):
                item = item.to_dict()
            try:
                models.append(_parsed(api.Fallback, item).model)
            except ValidationError as error:
                raise error.within(index) from None
        return cls(models)

    def to_model(self) -> list[api.Fallback]:
        return list(self._model)


def fallbacks(*models: str) -> Fallbacks:
    """`fallbacks("openai/text-embedding-3-large", "cohere/embed-english-v3.0")`."""
    return Fallbacks(models)


@attrs.frozen
class LoadBalancer(_Option):
    """Spread requests over models in proportion to their weights (`load_balancer`).

    Weights are relative and sent as given, not normalised: `{"a/x": 7, "b/y": 3}` and
    `{"a/x": 0.7, "b/y": 0.3}` route alike. Each must be a finite number above zero.
    """

    weights: tuple[tuple[str, float], ...] = attrs.field(converter=_pairs)
    _model: api.LoadBalancer = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        name = "LoadBalancer"
        if not isinstance(self.weights, tuple):
            raise ValidationError(
                f"must be (model, weight) pairs, got {type(self.weights).__name__}",
                path=("models",),
                model=name,
            )
        if not self.weights:
            raise ValidationError("must name at least one model", path=("models",), model=name)
        members = []
        for index, pair in enumerate(self.weights):
            where = ("models", index)
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValidationError(
                    f"must be a (model, weight) pair, got {pair!r}"[:200], path=where, model=name
                )
            model, weight = pair
            try:
                check_model_id(model, *where, "model")
            except ValidationError as error:
                raise error.within(model=name) from None
            if isinstance(weight, bool) or not isinstance(weight, (int, float)):
                raise ValidationError(
                    f"must be a number, got {weight!r}", path=(*where, "weight"), model=name
                )
            # An int is never converted here: math.isfinite(10**400) raises OverflowError.
            if (isinstance(weight, float) and not math.isfinite(weight)) or weight <= 0:
                raise ValidationError(
                    f"must be greater than 0, got {weight}", path=(*where, "weight"), model=name
                )
            try:  # the spec's own checks, such as a weight too large for a float
                members.append(_built(api.LoadBalancerModel, name, model=model, weight=weight))
            except ValidationError as error:
                raise error.within(*where, model=name) from None
        try:
            _no_duplicates([model for model, _ in self.weights], "load balancer")
        except ValidationError as error:
            raise error.within("models", model=name) from None
        balancer = _built(
            api.LoadBalancer, name, type=api.LoadBalancerType.WEIGHT_BASED, models=members
        )
        object.__setattr__(self, "_model", balancer)

    @classmethod
    def weighted(cls, weights: Mapping[str, float] | Iterable[tuple[str, float]]) -> Self:
        """`LoadBalancer.weighted({"openai/text-embedding-3-small": 0.7, ...})`."""
        pairs = weights.items() if isinstance(weights, Mapping) else weights
        return cls(tuple((model, weight) for model, weight in pairs))

    @classmethod
    def from_json(cls, data: Any) -> Self:
        model = _parsed(api.LoadBalancer, data)
        return cls(tuple((member.model, member.weight) for member in model.models))

    def to_model(self) -> api.LoadBalancer:
        return self._model


def weighted(weights: Mapping[str, float] | Iterable[tuple[str, float]]) -> LoadBalancer:
    """`weighted({"openai/text-embedding-3-small": 0.7, "azure/text-embedding-3-small": 0.3})`."""
    return LoadBalancer.weighted(weights)


def _metadata(value: object) -> tuple[dict[str, str], ...] | None:
    """One dict, or a list of dicts, as the tuple of dicts the wire's list is made of."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return (dict(value),)
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return tuple(dict(item) if isinstance(item, Mapping) else item for item in value)
    return value  # type: ignore[return-value]  # refused in __attrs_post_init__


@attrs.frozen(kw_only=True)
class Identity(_Option):
    """Who the request is made for, tracked by orq.ai (the body's `orq.identity`).

    `metadata` takes one dict (`{"department": "Engineering"}`) or a list of dicts; it is
    sent as the reference shows it, a list of objects with string values.
    """

    id: str
    display_name: str | None = None
    email: str | None = None
    metadata: tuple[dict[str, str], ...] | None = attrs.field(default=None, converter=_metadata)
    logo_url: str | None = None
    tags: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_strings)
    _model: api.Identity = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        name = type(self).__name__
        if isinstance(self.id, str) and not self.id.strip():
            raise ValidationError("must not be blank", path=("id",), model=name)
        if self.logo_url is not None:
            parts = urlsplit(self.logo_url) if isinstance(self.logo_url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValidationError(
                    f"must be an http(s) URL, got {self.logo_url!r}", path=("logo_url",), model=name
                )
        model = _built(
            api.Identity,
            name,
            id=self.id,
            display_name=self.display_name,
            email=self.email,
            metadata=_as_list(self.metadata),
            logo_url=self.logo_url,
            tags=_as_list(self.tags),
        )
        object.__setattr__(self, "_model", model)

    @classmethod
    def from_json(cls, data: Any) -> Self:
        model = _parsed(api.Identity, data)
        return cls(
            id=model.id,
            display_name=_value(model.display_name),
            email=_value(model.email),
            metadata=_value(model.metadata),
            logo_url=_value(model.logo_url),
            tags=_value(model.tags),
        )

    def to_model(self) -> api.Identity:
        return self._model


class Contact(Identity):
    """The contact the request is made for (the body's `orq.contact`); same shape as Identity."""


#: The option fields of `orq`, and the helper each one takes.
ORQ_FIELDS: Final[Mapping[str, type[_Option]]] = {
    "fallbacks": Fallbacks,
    "cache": Cache,
    "retry": Retry,
    "identity": Identity,
    "contact": Contact,
    "load_balancer": LoadBalancer,
    "timeout": RouterTimeout,
}


@attrs.frozen(kw_only=True)
class OrqOptions(_Option):
    """The body's `orq` object: the trace name, routing options, identity and contact.

    Each option takes its helper or its dict form, like the top-level options.
    """

    name: str | None = None
    fallbacks: Fallbacks | Sequence[Any] | None = None
    cache: Cache | Mapping[str, Any] | None = None
    retry: Retry | Mapping[str, Any] | None = None
    identity: Identity | Mapping[str, Any] | None = None
    contact: Contact | Mapping[str, Any] | None = None
    load_balancer: LoadBalancer | Mapping[str, Any] | None = None
    timeout: RouterTimeout | Mapping[str, Any] | None = None
    _model: api.OrqSettings = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        fields: dict[str, Any] = {"name": self.name}
        for field, helper in ORQ_FIELDS.items():
            value = getattr(self, field)
            if value is not None:
                try:
                    coerced = helper.coerce(value, field)
                except ValidationError as error:
                    raise error.within(model="OrqOptions") from None
                object.__setattr__(self, field, coerced)
                fields[field] = coerced.to_model()
        object.__setattr__(self, "_model", _built(api.OrqSettings, "OrqOptions", **fields))

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """From the JSON form; its values may be helpers too (`{"identity": Identity(...)}`)."""
        if not isinstance(data, Mapping):
            raise ValidationError(f"must be a dict shaped like the JSON, got {type(data).__name__}")
        known = api.OrqSettings._wire_keys
        for key in data:
            if key not in known:
                raise unknown_field(key, sorted(known), "orq")
        return cls(**{str(key): value for key, value in data.items()})

    def to_model(self) -> api.OrqSettings:
        return self._model

    def merged(self, override: OrqOptions) -> OrqOptions:
        """These options with every field `override` sets taken from it (defaults merging)."""
        changes = {
            field.name: getattr(override, field.name)
            for field in attrs.fields(OrqOptions)
            if field.init and getattr(override, field.name) is not None
        }
        return attrs.evolve(self, **changes)
