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

Each helper builds its generated model through the model's own typed constructor (no
`Any` in between), so a field the spec renames or retypes fails `mypy` here. A helper
made from a dict or a model keeps what it was given whole: fields the helper has no
keyword for (added to the spec later) still reach the wire.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Generic, ParamSpec, Self, TypeVar
from urllib.parse import urlsplit

import attrs

import orq_router_api.models as api
from orq_router._errors import ValidationError, unknown_field
from orq_router._model_ids import MODEL_ID
from orq_router_api import UNSET, SupportsToModel, Unset
from orq_router_api import ValidationError as _ApiValidationError
from orq_router_api.params import CacheTypeValue, OrqSettingsParam

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


M = TypeVar("M")
T = TypeVar("T")
P = ParamSpec("P")


def _built(model: Callable[P, M], label: str, /, *args: P.args, **fields: P.kwargs) -> M:
    """The generated model built with these fields, its errors named `label`."""
    try:
        return model(*args, **fields)
    except _ApiValidationError as error:
        raise ValidationError.from_api(error, model=label) from None


def _parsed(from_dict: Callable[[Mapping[str, Any]], M], data: Any) -> M:
    """A generated model's `from_dict(data)`, its errors made ours."""
    try:
        return from_dict(data)
    except _ApiValidationError as error:
        raise ValidationError.from_api(error, model=error.model) from None


def _unset(value: T | None) -> T | Unset:
    """None (this package's "not set") as the generated layer's `UNSET`."""
    return UNSET if value is None else value


def _value(value: T | Unset) -> T | None:
    """A generated model's field value, with `UNSET` read as None."""
    return None if isinstance(value, Unset) else value


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


def _no_duplicates(models: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for index, model in enumerate(models):
        if model in seen:
            raise ValidationError(f"{model!r} appears twice in the {what}", path=(index,))
        seen.add(model)


class _Option(Generic[M]):
    """What every helper can do: be built from its JSON form, and be coerced.

    `to_model()` gives the generated model (or list of models) the option is sent as,
    which `_model` holds: built by the helper from its fields, or, for a helper made
    from a dict or a model, the model that was parsed from it (`_keep`).
    """

    _model: M

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """The helper from its JSON form (the dict, or list, the wire has)."""
        raise NotImplementedError

    def to_model(self) -> M:
        """The generated model (or list of models) this option is sent as."""
        return self._model

    def _keep(self, model: M) -> Self:
        """This helper, sending `model` (parsed from what it was made of) as it is."""
        object.__setattr__(self, "_model", model)
        return self

    @classmethod
    def coerce(cls, value: object, *path: str | int) -> Self:
        """A helper from a helper, a builder, a generated model, or the JSON form."""
        if isinstance(value, cls):
            return value
        to_model = getattr(value, "to_model", None)  # a builder (SupportsToModel)
        if callable(to_model):
            value = to_model()
        to_dict = getattr(value, "to_dict", None)
        data = to_dict() if callable(to_dict) and attrs.has(type(value)) else value
        if isinstance(data, list):
            data = [item.to_dict() if attrs.has(type(item)) else item for item in data]
        try:
            return cls.from_json(data)
        except ValidationError as error:
            raise error.within(*path) from None


@attrs.frozen(kw_only=True)
class Retry(_Option[api.Retry]):
    """How the router retries a failed call to the model (the body's `retry`).

    Not this client's own retries of the HTTP request: those are `Orq(max_retries=...)`.
    """

    count: int | None = None
    """Retries after the first call, 0 to 5."""
    on_codes: tuple[int, ...] | None = attrs.field(default=None, converter=_optional_ints)
    """HTTP statuses of the model's provider that trigger a retry, e.g. (429, 500, 503)."""
    _model: api.Retry = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        # Junk that is not a tuple goes on as it is, for the model's check to refuse.
        codes = list(self.on_codes) if isinstance(self.on_codes, tuple) else self.on_codes
        model = _built(api.Retry, "Retry", count=_unset(self.count), on_codes=_unset(codes))
        object.__setattr__(self, "_model", model)

    @classmethod
    def from_json(cls, data: Any) -> Self:
        model = _parsed(api.Retry.from_dict, data)
        return cls(count=_value(model.count), on_codes=_value(model.on_codes))._keep(model)


@attrs.frozen(kw_only=True)
class Cache(_Option[api.Cache]):
    """Exact-match caching of responses by the router (the body's `cache`)."""

    ttl: int | None = None
    """Seconds a cached response lives, 1 to 259200 (3 days); the server's default is 1800."""
    type: api.CacheType | CacheTypeValue = "exact_match"
    """The cache strategy, one of the spec's `CacheType` values."""
    _model: api.Cache = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        try:
            kind = api.CacheType(self.type)
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in api.CacheType)
            raise ValidationError(
                f"must be one of {allowed}, got {self.type!r}", path=("type",), model="Cache"
            ) from None
        model = _built(api.Cache, "Cache", type=kind, ttl=_unset(self.ttl))
        object.__setattr__(self, "_model", model)

    @classmethod
    def from_json(cls, data: Any) -> Self:
        model = _parsed(api.Cache.from_dict, data)
        return cls(ttl=_value(model.ttl), type=model.type)._keep(model)


@attrs.frozen
class RouterTimeout(_Option[api.Timeout]):
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
        model = _parsed(api.Timeout.from_dict, data)
        return cls(model.call_timeout)._keep(model)


@attrs.frozen
class Fallbacks(_Option[list[api.Fallback]]):
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
        parsed = []
        for index, item in enumerate(data):
            if isinstance(item, str):
                item = {"model": item}
            elif isinstance(item, api.Fallback):
                item = item.to_dict()
            try:
                parsed.append(_parsed(api.Fallback.from_dict, item))
            except ValidationError as error:
                raise error.within(index) from None
        return cls([fallback.model for fallback in parsed])._keep(parsed)


def fallbacks(*models: str) -> Fallbacks:
    """`fallbacks("openai/text-embedding-3-large", "cohere/embed-english-v3.0")`."""
    return Fallbacks(models)


@attrs.frozen
class LoadBalancer(_Option[api.LoadBalancer]):
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
        model = _parsed(api.LoadBalancer.from_dict, data)
        return cls(tuple((member.model, member.weight) for member in model.models))._keep(model)


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
class Identity(_Option[api.Identity]):
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
            display_name=_unset(self.display_name),
            email=_unset(self.email),
            metadata=_unset(
                list(self.metadata) if isinstance(self.metadata, tuple) else self.metadata
            ),
            logo_url=_unset(self.logo_url),
            tags=_unset(list(self.tags) if isinstance(self.tags, tuple) else self.tags),
        )
        object.__setattr__(self, "_model", model)

    @classmethod
    def from_json(cls, data: Any) -> Self:
        model = _parsed(api.Identity.from_dict, data)
        return cls(
            id=model.id,
            display_name=_value(model.display_name),
            email=_value(model.email),
            metadata=_value(model.metadata),
            logo_url=_value(model.logo_url),
            tags=_value(model.tags),
        )._keep(model)


class Contact(Identity):
    """The contact the request is made for (the body's `orq.contact`); same shape as Identity."""


#: The option fields of `orq`, and the helper each one takes.
ORQ_FIELDS: Final[Mapping[str, type[_Option[Any]]]] = {
    "fallbacks": Fallbacks,
    "cache": Cache,
    "retry": Retry,
    "identity": Identity,
    "contact": Contact,
    "load_balancer": LoadBalancer,
    "timeout": RouterTimeout,
}


H = TypeVar("H", bound=_Option[Any])


def _sent(option: SupportsToModel[M] | None) -> M | Unset:
    """What an option sends: its model, or `UNSET` when it is not set."""
    return UNSET if option is None else option.to_model()


@attrs.frozen(kw_only=True)
class OrqOptions(_Option[api.OrqSettings]):
    """The body's `orq` object: the trace name, routing options, identity and contact.

    Each option takes its helper or its dict form, like the top-level options. Fields of
    the spec's `orq` that have no keyword here go in `extra`, as JSON.
    """

    name: str | None = None
    fallbacks: Fallbacks | Sequence[Any] | None = None
    cache: Cache | Mapping[str, Any] | None = None
    retry: Retry | Mapping[str, Any] | None = None
    identity: Identity | Mapping[str, Any] | None = None
    contact: Contact | Mapping[str, Any] | None = None
    load_balancer: LoadBalancer | Mapping[str, Any] | None = None
    timeout: RouterTimeout | Mapping[str, Any] | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict)
    """Other fields of the spec's `orq` object, checked by the generated model and sent."""
    _model: api.OrqSettings = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        fallbacks = self._coerced(Fallbacks, "fallbacks")
        cache = self._coerced(Cache, "cache")
        retry = self._coerced(Retry, "retry")
        identity = self._coerced(Identity, "identity")
        contact = self._coerced(Contact, "contact")
        load_balancer = self._coerced(LoadBalancer, "load_balancer")
        timeout = self._coerced(RouterTimeout, "timeout")
        model = _built(
            api.OrqSettings,
            "OrqOptions",
            name=_unset(self.name),
            fallbacks=_sent(fallbacks),
            cache=_sent(cache),
            retry=_sent(retry),
            identity=_sent(identity),
            contact=_sent(contact),
            load_balancer=_sent(load_balancer),
            timeout=_sent(timeout),
        )
        if self.extra:
            try:
                model = _parsed(api.OrqSettings.from_dict, {**model.to_dict(), **self.extra})
            except ValidationError as error:
                raise error.within(model="OrqOptions") from None
        object.__setattr__(self, "_model", model)

    def _coerced(self, helper: type[H], field: str) -> H | None:
        """The field's value through its helper (stored back), or None when it is not set."""
        value = getattr(self, field)
        if value is None:
            return None
        try:
            coerced = helper.coerce(value, field)
        except ValidationError as error:
            raise error.within(model="OrqOptions") from None
        object.__setattr__(self, field, coerced)
        return coerced

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """From the JSON form; its values may be helpers too (`{"identity": Identity(...)}`)."""
        if not isinstance(data, Mapping):
            raise ValidationError(f"must be a dict shaped like the JSON, got {type(data).__name__}")
        known = OrqSettingsParam.__annotations__
        for key in data:
            if key not in known:
                raise unknown_field(key, sorted(known), "orq")
        keywords = {field.name for field in attrs.fields(cls) if field.init} - {"extra"}
        return cls(
            **{str(key): value for key, value in data.items() if key in keywords},
            extra={str(key): value for key, value in data.items() if key not in keywords},
        )

    def merged(self, override: OrqOptions) -> OrqOptions:
        """These options with every field `override` sets taken from it (defaults merging)."""
        changes = {
            field.name: getattr(override, field.name)
            for field in attrs.fields(OrqOptions)
            if field.init and field.name != "extra" and getattr(override, field.name) is not None
        }
        if override.extra:
            changes["extra"] = {**self.extra, **override.extra}
        return attrs.evolve(self, **changes)
