# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Self, Unpack

import attrs

from orq_router_api import _decode, _encode
from orq_router_api import validation as _v
from orq_router_api.types import UNSET, Unset

if TYPE_CHECKING:
    from orq_router_api import params as _params


class EncodingFormat(StrEnum):
    """
    The format in which the embeddings are returned: `float` (arrays of numbers) or `base64`
    (little-endian float32 bytes, base64 encoded).
    """

    FLOAT = "float"
    BASE64 = "base64"


@attrs.frozen(kw_only=True)
class Fallback:
    """A model to use if the primary model fails."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"model"})
    model: str = attrs.field(validator=_v.field(_v.string()))
    """Fallback model identifier, in `provider/model` form."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["model"] = self.model
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_model = data["model"] if "model" in data else _decode.missing("model", name)
        if type(v_model) is str and v_model.isascii():
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "model", v_model)
            return built
        return cls(
            model=v_model,
        )


@attrs.frozen(kw_only=True)
class Retry:
    """How the router retries a failed call to the model."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"count", "on_codes"})
    count: int | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.integer(minimum=0, maximum=5), optional=True)
    )
    """Number of retry attempts on a failed call to the model."""
    on_codes: list[int] | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(_v.array(_v.integer(minimum=100, maximum=599)), optional=True),
    )
    """HTTP status codes that trigger a retry."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        if not isinstance(self.count, Unset):
            out["count"] = self.count
        if not isinstance(self.on_codes, Unset):
            out["on_codes"] = self.on_codes
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_count = data.get("count", UNSET)
        v_on_codes = data.get("on_codes", UNSET)
        return cls(
            count=v_count,
            on_codes=v_on_codes,
        )


class CacheType(StrEnum):
    """The cache strategy; `exact_match` reuses a response for an identical request."""

    EXACT_MATCH = "exact_match"


class LoadBalancerType(StrEnum):
    """The balancing strategy; `weight_based` picks a model in proportion to its weight."""

    WEIGHT_BASED = "weight_based"


@attrs.frozen(kw_only=True)
class LoadBalancerModel:
    """One model of a load balancer and its share of the traffic."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"model", "weight"})
    model: str = attrs.field(validator=_v.field(_v.string()))
    """Model identifier, in `provider/model` form."""
    weight: float = attrs.field(validator=_v.field(_v.number(exclusive_minimum=0)))
    """The model's relative weight; must be greater than zero."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["model"] = self.model
        out["weight"] = self.weight
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_model = data["model"] if "model" in data else _decode.missing("model", name)
        v_weight = data["weight"] if "weight" in data else _decode.missing("weight", name)
        if (type(v_model) is str and v_model.isascii()) and (
            (type(v_weight) is float or type(v_weight) is int)
            and -_v.FLOAT_MAX <= v_weight <= _v.FLOAT_MAX
            and v_weight > 0
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "model", v_model)
            object.__setattr__(built, "weight", v_weight)
            return built
        return cls(
            model=v_model,
            weight=v_weight,
        )


@attrs.frozen(kw_only=True)
class Timeout:
    """A time limit on each call the router makes to a model."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"call_timeout"})
    call_timeout: int = attrs.field(validator=_v.field(_v.integer(minimum=1)))
    """Timeout of one call to the model, in milliseconds."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["call_timeout"] = self.call_timeout
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_call_timeout = (
            data["call_timeout"]
            if "call_timeout" in data
            else _decode.missing("call_timeout", name)
        )
        if (
            type(v_call_timeout) is int
            and -_v.FLOAT_MAX <= v_call_timeout <= _v.FLOAT_MAX
            and v_call_timeout >= 1
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "call_timeout", v_call_timeout)
            return built
        return cls(
            call_timeout=v_call_timeout,
        )


@attrs.frozen(kw_only=True)
class Identity:
    """
    The person or system the request is made for, tracked by orq.ai. Used by both `orq.identity` and
    `orq.contact`.
    """

    _wire_keys: ClassVar[frozenset[str]] = frozenset(
        {"id", "display_name", "email", "metadata", "logo_url", "tags"}
    )
    id: str = attrs.field(validator=_v.field(_v.string(min_length=1)))
    """Unique identifier of the identity."""
    display_name: str | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.string(), optional=True)
    )
    """Name shown for the identity."""
    email: str | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.string(format="email"), optional=True)
    )
    """Email address of the identity."""
    metadata: list[dict[str, str]] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.array(_v.mapping(_v.string())), optional=True)
    )
    """
    Extra information about the identity, as a list of objects whose values are strings (the
    reference's example sends one object).
    """
    logo_url: str | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.string(format="uri"), optional=True)
    )
    """URL of the identity's avatar or logo."""
    tags: list[str] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.array(_v.string()), optional=True)
    )
    """Tags to group identities by."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["id"] = self.id
        if not isinstance(self.display_name, Unset):
            out["display_name"] = self.display_name
        if not isinstance(self.email, Unset):
            out["email"] = self.email
        if not isinstance(self.metadata, Unset):
            out["metadata"] = self.metadata
        if not isinstance(self.logo_url, Unset):
            out["logo_url"] = self.logo_url
        if not isinstance(self.tags, Unset):
            out["tags"] = self.tags
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_id = data["id"] if "id" in data else _decode.missing("id", name)
        v_display_name = data.get("display_name", UNSET)
        v_email = data.get("email", UNSET)
        v_metadata = data.get("metadata", UNSET)
        v_logo_url = data.get("logo_url", UNSET)
        v_tags = data.get("tags", UNSET)
        return cls(
            id=v_id,
            display_name=v_display_name,
            email=v_email,
            metadata=v_metadata,
            logo_url=v_logo_url,
            tags=v_tags,
        )


class ListObject(StrEnum):
    """The object type of a list answer."""

    LIST = "list"


class EmbeddingObject(StrEnum):
    """The object type of an embedding."""

    EMBEDDING = "embedding"


@attrs.frozen(kw_only=True)
class Usage:
    """The usage information for the request."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"prompt_tokens", "total_tokens"})
    prompt_tokens: int = attrs.field(validator=_v.field(_v.integer()))
    """Number of tokens in the input."""
    total_tokens: int = attrs.field(validator=_v.field(_v.integer()))
    """Total number of tokens used by the request."""
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["prompt_tokens"] = self.prompt_tokens
        out["total_tokens"] = self.total_tokens
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        v_prompt_tokens = (
            data["prompt_tokens"]
            if "prompt_tokens" in data
            else _decode.missing("prompt_tokens", name)
        )
        v_total_tokens = (
            data["total_tokens"]
            if "total_tokens" in data
            else _decode.missing("total_tokens", name)
        )
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            (type(v_prompt_tokens) is int and -_v.FLOAT_MAX <= v_prompt_tokens <= _v.FLOAT_MAX)
            and (type(v_total_tokens) is int and -_v.FLOAT_MAX <= v_total_tokens <= _v.FLOAT_MAX)
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "prompt_tokens", v_prompt_tokens)
            object.__setattr__(built, "total_tokens", v_total_tokens)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            prompt_tokens=v_prompt_tokens,
            total_tokens=v_total_tokens,
            additional_properties=v_additional_properties,
        )


@attrs.frozen(kw_only=True)
class ErrorDetail:
    """
    What went wrong. SDK note: OpenAI-style servers send null for the optional fields they have no
    value for, so each of them may be null.
    """

    _wire_keys: ClassVar[frozenset[str]] = frozenset(
        {"message", "type", "code", "param", "doc_url"}
    )
    message: str = attrs.field(validator=_v.field(_v.string()))
    """A human-readable description of the error."""
    type: str | Unset | None = attrs.field(
        default=UNSET, validator=_v.field(_v.nullable(_v.string()), optional=True)
    )
    """The error's category, when the server sends one."""
    code: str | Unset | None = attrs.field(
        default=UNSET, validator=_v.field(_v.nullable(_v.string()), optional=True)
    )
    """A machine-readable error code, e.g. `invalid_api_key`."""
    param: str | Unset | None = attrs.field(
        default=UNSET, validator=_v.field(_v.nullable(_v.string()), optional=True)
    )
    """The request field the error is about, when there is one."""
    doc_url: str | Unset | None = attrs.field(
        default=UNSET, validator=_v.field(_v.nullable(_v.string()), optional=True)
    )
    """A page that explains the error."""
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["message"] = self.message
        if not isinstance(self.type, Unset):
            out["type"] = self.type
        if not isinstance(self.code, Unset):
            out["code"] = self.code
        if not isinstance(self.param, Unset):
            out["param"] = self.param
        if not isinstance(self.doc_url, Unset):
            out["doc_url"] = self.doc_url
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        v_message = data["message"] if "message" in data else _decode.missing("message", name)
        v_type = data.get("type", UNSET)
        v_code = data.get("code", UNSET)
        v_param = data.get("param", UNSET)
        v_doc_url = data.get("doc_url", UNSET)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            (type(v_message) is str and v_message.isascii())
            and (v_type is UNSET or (v_type is None or (type(v_type) is str and v_type.isascii())))
            and (v_code is UNSET or (v_code is None or (type(v_code) is str and v_code.isascii())))
            and (
                v_param is UNSET
                or (v_param is None or (type(v_param) is str and v_param.isascii()))
            )
            and (
                v_doc_url is UNSET
                or (v_doc_url is None or (type(v_doc_url) is str and v_doc_url.isascii()))
            )
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "message", v_message)
            object.__setattr__(built, "type", v_type)
            object.__setattr__(built, "code", v_code)
            object.__setattr__(built, "param", v_param)
            object.__setattr__(built, "doc_url", v_doc_url)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            message=v_message,
            type=v_type,
            code=v_code,
            param=v_param,
            doc_url=v_doc_url,
            additional_properties=v_additional_properties,
        )


@attrs.frozen(kw_only=True)
class Cache:
    """How the router caches responses."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"type", "ttl"})
    type: CacheType = attrs.field(validator=_v.field(_v.member(CacheType)))
    """The cache strategy; `exact_match` reuses a response for an identical request."""
    ttl: int | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.integer(minimum=1, maximum=259200), optional=True)
    )
    """
    Time to live of a cached response, in seconds (at most 3 days).

    When omitted, the server uses `1800`.
    """

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["type"] = self.type.value
        if not isinstance(self.ttl, Unset):
            out["ttl"] = self.ttl
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        if "type" not in data:
            _decode.missing("type", name)
        try:
            v_type = _decode.enum_member(CacheType)(data["type"])
        except _v.ValidationError as error:
            raise error.within("type", model=name) from None
        v_ttl = data.get("ttl", UNSET)
        if type(v_type) is CacheType and (
            v_ttl is UNSET
            or (
                type(v_ttl) is int
                and -_v.FLOAT_MAX <= v_ttl <= _v.FLOAT_MAX
                and v_ttl >= 1
                and v_ttl <= 259200
            )
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "type", v_type)
            object.__setattr__(built, "ttl", v_ttl)
            return built
        return cls(
            type=v_type,
            ttl=v_ttl,
        )


@attrs.frozen(kw_only=True)
class LoadBalancer:
    """How the router spreads requests over several models."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"type", "models"})
    type: LoadBalancerType = attrs.field(validator=_v.field(_v.member(LoadBalancerType)))
    """The balancing strategy; `weight_based` picks a model in proportion to its weight."""
    models: list[LoadBalancerModel] = attrs.field(
        validator=_v.field(_v.array(_v.instance(LoadBalancerModel), min_items=1))
    )
    """The models to spread requests over, each with its weight."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["type"] = self.type.value
        out["models"] = [item.to_dict() for item in self.models]
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        if "type" not in data:
            _decode.missing("type", name)
        try:
            v_type = _decode.enum_member(LoadBalancerType)(data["type"])
        except _v.ValidationError as error:
            raise error.within("type", model=name) from None
        if "models" not in data:
            _decode.missing("models", name)
        try:
            v_models = _decode.list_of(_decode.model(LoadBalancerModel))(data["models"])
        except _v.ValidationError as error:
            raise error.within("models", model=name) from None
        if type(v_type) is LoadBalancerType and (
            type(v_models) is list
            and len(v_models) >= 1
            and _v.exactly(v_models, LoadBalancerModel)
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "type", v_type)
            object.__setattr__(built, "models", v_models)
            return built
        return cls(
            type=v_type,
            models=v_models,
        )


@attrs.frozen(kw_only=True)
class OrqSettings:
    """
    orq.ai routing and tracing settings. SDK note: the reference accepts the routing options both at
    the top level and here; when an option is given in both places, the top-level one wins (it is
    used whole, not merged with this one), and so does the top-level `name`.
    """

    _wire_keys: ClassVar[frozenset[str]] = frozenset(
        {"name", "fallbacks", "cache", "retry", "identity", "contact", "load_balancer", "timeout"}
    )
    name: str | Unset = attrs.field(default=UNSET, validator=_v.field(_v.string(), optional=True))
    """The name to display on the trace."""
    fallbacks: list[Fallback] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.array(_v.instance(Fallback)), optional=True)
    )
    """Array of fallback models to use if primary model fails"""
    cache: Cache | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(Cache), optional=True)
    )
    """Cache configuration for the request."""
    retry: Retry | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(Retry), optional=True)
    )
    """Retry configuration for the request"""
    identity: Identity | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(Identity), optional=True)
    )
    """The identity the request is made for, tracked by orq.ai."""
    contact: Identity | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(Identity), optional=True)
    )
    """The contact the request is made for; the same shape as `identity`."""
    load_balancer: LoadBalancer | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(LoadBalancer), optional=True)
    )
    """Load balancer configuration for the request."""
    timeout: Timeout | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(Timeout), optional=True)
    )
    """
    Timeout configuration to apply to the request. If the request exceeds the timeout, it will be
    retried or fallback to the next model if configured.
    """

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        if not isinstance(self.name, Unset):
            out["name"] = self.name
        if not isinstance(self.fallbacks, Unset):
            out["fallbacks"] = [item.to_dict() for item in self.fallbacks]
        if not isinstance(self.cache, Unset):
            out["cache"] = self.cache.to_dict()
        if not isinstance(self.retry, Unset):
            out["retry"] = self.retry.to_dict()
        if not isinstance(self.identity, Unset):
            out["identity"] = self.identity.to_dict()
        if not isinstance(self.contact, Unset):
            out["contact"] = self.contact.to_dict()
        if not isinstance(self.load_balancer, Unset):
            out["load_balancer"] = self.load_balancer.to_dict()
        if not isinstance(self.timeout, Unset):
            out["timeout"] = self.timeout.to_dict()
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_name = data.get("name", UNSET)
        v_fallbacks = (
            _decode.optional(data, "fallbacks", name, _decode.list_of(_decode.model(Fallback)))
            if "fallbacks" in data
            else UNSET
        )
        v_cache = (
            _decode.optional(data, "cache", name, _decode.model(Cache))
            if "cache" in data
            else UNSET
        )
        v_retry = (
            _decode.optional(data, "retry", name, _decode.model(Retry))
            if "retry" in data
            else UNSET
        )
        v_identity = (
            _decode.optional(data, "identity", name, _decode.model(Identity))
            if "identity" in data
            else UNSET
        )
        v_contact = (
            _decode.optional(data, "contact", name, _decode.model(Identity))
            if "contact" in data
            else UNSET
        )
        v_load_balancer = (
            _decode.optional(data, "load_balancer", name, _decode.model(LoadBalancer))
            if "load_balancer" in data
            else UNSET
        )
        v_timeout = (
            _decode.optional(data, "timeout", name, _decode.model(Timeout))
            if "timeout" in data
            else UNSET
        )
        if (
            (v_name is UNSET or (type(v_name) is str and v_name.isascii()))
            and (
                v_fallbacks is UNSET
                or (type(v_fallbacks) is list and _v.exactly(v_fallbacks, Fallback))
            )
            and (v_cache is UNSET or type(v_cache) is Cache)
            and (v_retry is UNSET or type(v_retry) is Retry)
            and (v_identity is UNSET or type(v_identity) is Identity)
            and (v_contact is UNSET or type(v_contact) is Identity)
            and (v_load_balancer is UNSET or type(v_load_balancer) is LoadBalancer)
            and (v_timeout is UNSET or type(v_timeout) is Timeout)
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "name", v_name)
            object.__setattr__(built, "fallbacks", v_fallbacks)
            object.__setattr__(built, "cache", v_cache)
            object.__setattr__(built, "retry", v_retry)
            object.__setattr__(built, "identity", v_identity)
            object.__setattr__(built, "contact", v_contact)
            object.__setattr__(built, "load_balancer", v_load_balancer)
            object.__setattr__(built, "timeout", v_timeout)
            return built
        return cls(
            name=v_name,
            fallbacks=v_fallbacks,
            cache=v_cache,
            retry=v_retry,
            identity=v_identity,
            contact=v_contact,
            load_balancer=v_load_balancer,
            timeout=v_timeout,
        )


@attrs.frozen(kw_only=True)
class Embedding:
    """One embedding vector."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"object", "embedding", "index"})
    object: EmbeddingObject = attrs.field(validator=_v.field(_v.member(EmbeddingObject)))
    """The object type of an embedding."""
    embedding: list[float] | str = attrs.field(
        validator=_v.field(_v.one_of(_v.vector(), _v.string()))
    )
    """
    The embedding vector: an array of numbers, or, when `encoding_format` is `base64`, a base64
    string of little-endian float32 values.
    """
    index: int = attrs.field(validator=_v.field(_v.integer()))
    """The index of the input this embedding belongs to."""
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["object"] = self.object.value
        out["embedding"] = self.embedding
        out["index"] = self.index
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        if "object" not in data:
            _decode.missing("object", name)
        try:
            v_object = _decode.enum_member(EmbeddingObject)(data["object"])
        except _v.ValidationError as error:
            raise error.within("object", model=name) from None
        v_embedding = (
            data["embedding"] if "embedding" in data else _decode.missing("embedding", name)
        )
        v_index = data["index"] if "index" in data else _decode.missing("index", name)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            type(v_object) is EmbeddingObject
            and (
                (type(v_embedding) is list and _v.plain_floats(v_embedding))
                or (type(v_embedding) is str and v_embedding.isascii())
            )
            and (type(v_index) is int and -_v.FLOAT_MAX <= v_index <= _v.FLOAT_MAX)
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "object", v_object)
            object.__setattr__(built, "embedding", v_embedding)
            object.__setattr__(built, "index", v_index)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            object=v_object,
            embedding=v_embedding,
            index=v_index,
            additional_properties=v_additional_properties,
        )


@attrs.frozen(kw_only=True)
class ErrorResponse:
    """The JSON body of every non-2xx answer."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"error"})
    error: ErrorDetail = attrs.field(validator=_v.field(_v.instance(ErrorDetail)))
    """
    What went wrong. SDK note: OpenAI-style servers send null for the optional fields they have no
    value for, so each of them may be null.
    """
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["error"] = self.error.to_dict()
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        if "error" not in data:
            _decode.missing("error", name)
        try:
            v_error = ErrorDetail.from_dict(data["error"])
        except _v.ValidationError as error:
            raise error.within("error", model=name) from None
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if type(v_error) is ErrorDetail and not v_additional_properties:
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "error", v_error)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            error=v_error,
            additional_properties=v_additional_properties,
        )


@attrs.frozen(kw_only=True)
class CreateEmbeddingRequest:
    """
    The body of `POST /v2/router/embeddings`. SDK note: `fallbacks`, `retry`, `cache`,
    `load_balancer` and `timeout` may also be given under `orq`; where both are given, the top-level
    one wins.
    """

    _wire_keys: ClassVar[frozenset[str]] = frozenset(
        {
            "input",
            "model",
            "encoding_format",
            "dimensions",
            "user",
            "name",
            "fallbacks",
            "retry",
            "cache",
            "load_balancer",
            "timeout",
            "orq",
        }
    )
    _option_names: ClassVar[frozenset[str]] = frozenset(
        {
            "encoding_format",
            "dimensions",
            "user",
            "name",
            "fallbacks",
            "retry",
            "cache",
            "load_balancer",
            "timeout",
            "orq",
        }
    )
    input: str | list[str | list[int]] = attrs.field(
        validator=_v.field(
            _v.one_of(
                _v.string(min_length=1),
                _v.array(
                    _v.one_of(
                        _v.string(min_length=1),
                        _v.array(_v.titled("token id", _v.integer()), min_items=1),
                    ),
                    min_items=1,
                ),
            )
        )
    )
    """
    Input text to embed, encoded as a string or array of tokens. Either one non-empty string, or a
    non-empty array whose items are non-empty strings or non-empty arrays of integer token ids.
    """
    model: str = attrs.field(validator=_v.field(_v.string()))
    """ID of the model to use"""
    encoding_format: EncodingFormat | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.member(EncodingFormat), optional=True)
    )
    """
    Type of the document element

    When omitted, the server uses `"float"`.
    """
    dimensions: int | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.integer(minimum=1), optional=True)
    )
    """
    The number of dimensions the resulting output embeddings should have. SDK note: the reference
    types it as a number; only whole numbers of at least one are meaningful, so it is an integer
    here.
    """
    user: str | Unset = attrs.field(default=UNSET, validator=_v.field(_v.string(), optional=True))
    """A unique identifier representing your end-user"""
    name: str | Unset = attrs.field(default=UNSET, validator=_v.field(_v.string(), optional=True))
    """The name to display on the trace. If not specified, the default system name will be used."""
    fallbacks: list[Fallback] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.array(_v.instance(Fallback)), optional=True)
    )
    """Array of fallback models to use if primary model fails"""
    retry: Retry | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(Retry), optional=True)
    )
    """Retry configuration for the request"""
    cache: Cache | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(Cache), optional=True)
    )
    """Cache configuration for the request."""
    load_balancer: LoadBalancer | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(LoadBalancer), optional=True)
    )
    """Load balancer configuration for the request."""
    timeout: Timeout | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(Timeout), optional=True)
    )
    """
    Timeout configuration to apply to the request. If the request exceeds the timeout, it will be
    retried or fallback to the next model if configured.
    """
    orq: OrqSettings | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(OrqSettings), optional=True)
    )
    """orq.ai settings of the request (the reference gives no description)."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["input"] = self.input
        out["model"] = self.model
        if not isinstance(self.encoding_format, Unset):
            out["encoding_format"] = self.encoding_format.value
        if not isinstance(self.dimensions, Unset):
            out["dimensions"] = self.dimensions
        if not isinstance(self.user, Unset):
            out["user"] = self.user
        if not isinstance(self.name, Unset):
            out["name"] = self.name
        if not isinstance(self.fallbacks, Unset):
            out["fallbacks"] = [item.to_dict() for item in self.fallbacks]
        if not isinstance(self.retry, Unset):
            out["retry"] = self.retry.to_dict()
        if not isinstance(self.cache, Unset):
            out["cache"] = self.cache.to_dict()
        if not isinstance(self.load_balancer, Unset):
            out["load_balancer"] = self.load_balancer.to_dict()
        if not isinstance(self.timeout, Unset):
            out["timeout"] = self.timeout.to_dict()
        if not isinstance(self.orq, Unset):
            out["orq"] = self.orq.to_dict()
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_input = data["input"] if "input" in data else _decode.missing("input", name)
        v_model = data["model"] if "model" in data else _decode.missing("model", name)
        v_encoding_format = (
            _decode.optional(data, "encoding_format", name, _decode.enum_member(EncodingFormat))
            if "encoding_format" in data
            else UNSET
        )
        v_dimensions = data.get("dimensions", UNSET)
        v_user = data.get("user", UNSET)
        v_name = data.get("name", UNSET)
        v_fallbacks = (
            _decode.optional(data, "fallbacks", name, _decode.list_of(_decode.model(Fallback)))
            if "fallbacks" in data
            else UNSET
        )
        v_retry = (
            _decode.optional(data, "retry", name, _decode.model(Retry))
            if "retry" in data
            else UNSET
        )
        v_cache = (
            _decode.optional(data, "cache", name, _decode.model(Cache))
            if "cache" in data
            else UNSET
        )
        v_load_balancer = (
            _decode.optional(data, "load_balancer", name, _decode.model(LoadBalancer))
            if "load_balancer" in data
            else UNSET
        )
        v_timeout = (
            _decode.optional(data, "timeout", name, _decode.model(Timeout))
            if "timeout" in data
            else UNSET
        )
        v_orq = (
            _decode.optional(data, "orq", name, _decode.model(OrqSettings))
            if "orq" in data
            else UNSET
        )
        if (
            (
                (type(v_input) is str and v_input.isascii() and len(v_input) >= 1)
                or (type(v_input) is list and len(v_input) >= 1 and _v.plain_texts(v_input, 1))
            )
            and (type(v_model) is str and v_model.isascii())
            and (v_encoding_format is UNSET or type(v_encoding_format) is EncodingFormat)
            and (
                v_dimensions is UNSET
                or (
                    type(v_dimensions) is int
                    and -_v.FLOAT_MAX <= v_dimensions <= _v.FLOAT_MAX
                    and v_dimensions >= 1
                )
            )
            and (v_user is UNSET or (type(v_user) is str and v_user.isascii()))
            and (v_name is UNSET or (type(v_name) is str and v_name.isascii()))
            and (
                v_fallbacks is UNSET
                or (type(v_fallbacks) is list and _v.exactly(v_fallbacks, Fallback))
            )
            and (v_retry is UNSET or type(v_retry) is Retry)
            and (v_cache is UNSET or type(v_cache) is Cache)
            and (v_load_balancer is UNSET or type(v_load_balancer) is LoadBalancer)
            and (v_timeout is UNSET or type(v_timeout) is Timeout)
            and (v_orq is UNSET or type(v_orq) is OrqSettings)
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "input", v_input)
            object.__setattr__(built, "model", v_model)
            object.__setattr__(built, "encoding_format", v_encoding_format)
            object.__setattr__(built, "dimensions", v_dimensions)
            object.__setattr__(built, "user", v_user)
            object.__setattr__(built, "name", v_name)
            object.__setattr__(built, "fallbacks", v_fallbacks)
            object.__setattr__(built, "retry", v_retry)
            object.__setattr__(built, "cache", v_cache)
            object.__setattr__(built, "load_balancer", v_load_balancer)
            object.__setattr__(built, "timeout", v_timeout)
            object.__setattr__(built, "orq", v_orq)
            return built
        return cls(
            input=v_input,
            model=v_model,
            encoding_format=v_encoding_format,
            dimensions=v_dimensions,
            user=v_user,
            name=v_name,
            fallbacks=v_fallbacks,
            retry=v_retry,
            cache=v_cache,
            load_balancer=v_load_balancer,
            timeout=v_timeout,
            orq=v_orq,
        )

    @classmethod
    def from_params(
        cls,
        *,
        input: str | Sequence[str | Sequence[int]],
        model: str,
        **options: Unpack[_params.CreateEmbeddingRequestOptions],
    ) -> Self:
        """Build from keyword arguments: the required fields, then any optional ones.

        Values may be in any form `params` describes (models or dicts, enum members or
        plain values, any sequence, builders with `to_model()`); an optional field given
        as None is left out. The result is checked like any other construction.
        """
        if options.keys() <= cls._option_names:
            # The values as they were given; any that is not plainly valid (a dict, a
            # plain enum value, a tuple, a builder, None) fails its quick form, and the
            # request is then built from JSON, below.
            v_input = input
            v_model = model
            v_encoding_format = options.get("encoding_format", UNSET)
            v_dimensions = options.get("dimensions", UNSET)
            v_user = options.get("user", UNSET)
            v_name = options.get("name", UNSET)
            v_fallbacks = options.get("fallbacks", UNSET)
            v_retry = options.get("retry", UNSET)
            v_cache = options.get("cache", UNSET)
            v_load_balancer = options.get("load_balancer", UNSET)
            v_timeout = options.get("timeout", UNSET)
            v_orq = options.get("orq", UNSET)
            if (
                (
                    (type(v_input) is str and v_input.isascii() and len(v_input) >= 1)
                    or (type(v_input) is list and len(v_input) >= 1 and _v.plain_texts(v_input, 1))
                )
                and (type(v_model) is str and v_model.isascii())
                and (v_encoding_format is UNSET or type(v_encoding_format) is EncodingFormat)
                and (
                    v_dimensions is UNSET
                    or (
                        type(v_dimensions) is int
                        and -_v.FLOAT_MAX <= v_dimensions <= _v.FLOAT_MAX
                        and v_dimensions >= 1
                    )
                )
                and (v_user is UNSET or (type(v_user) is str and v_user.isascii()))
                and (v_name is UNSET or (type(v_name) is str and v_name.isascii()))
                and (
                    v_fallbacks is UNSET
                    or (type(v_fallbacks) is list and _v.exactly(v_fallbacks, Fallback))
                )
                and (v_retry is UNSET or type(v_retry) is Retry)
                and (v_cache is UNSET or type(v_cache) is Cache)
                and (v_load_balancer is UNSET or type(v_load_balancer) is LoadBalancer)
                and (v_timeout is UNSET or type(v_timeout) is Timeout)
                and (v_orq is UNSET or type(v_orq) is OrqSettings)
            ):
                # Every value passed the quick form of its check: no validator call needed.
                built = object.__new__(cls)
                object.__setattr__(built, "input", v_input)
                object.__setattr__(built, "model", v_model)
                object.__setattr__(built, "encoding_format", v_encoding_format)
                object.__setattr__(built, "dimensions", v_dimensions)
                object.__setattr__(built, "user", v_user)
                object.__setattr__(built, "name", v_name)
                object.__setattr__(built, "fallbacks", v_fallbacks)
                object.__setattr__(built, "retry", v_retry)
                object.__setattr__(built, "cache", v_cache)
                object.__setattr__(built, "load_balancer", v_load_balancer)
                object.__setattr__(built, "timeout", v_timeout)
                object.__setattr__(built, "orq", v_orq)
                return built
        required: dict[str, object] = {
            "input": input,
            "model": model,
        }
        return cls.from_dict(_encode.params(required, options, {}))


@attrs.frozen(kw_only=True)
class CreateEmbeddingResponse:
    """Returns the embedding vector."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"object", "data", "model", "usage"})
    object: ListObject = attrs.field(validator=_v.field(_v.member(ListObject)))
    """The object type of a list answer."""
    data: list[Embedding] = attrs.field(validator=_v.field(_v.array(_v.instance(Embedding))))
    """One embedding per input, in input order."""
    model: str = attrs.field(validator=_v.field(_v.string()))
    """ID of the model to used."""
    usage: Usage = attrs.field(validator=_v.field(_v.instance(Usage)))
    """The usage information for the request."""
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["object"] = self.object.value
        out["data"] = [item.to_dict() for item in self.data]
        out["model"] = self.model
        out["usage"] = self.usage.to_dict()
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        if "object" not in data:
            _decode.missing("object", name)
        try:
            v_object = _decode.enum_member(ListObject)(data["object"])
        except _v.ValidationError as error:
            raise error.within("object", model=name) from None
        if "data" not in data:
            _decode.missing("data", name)
        try:
            v_data = _decode.list_of(Embedding.from_dict)(data["data"])
        except _v.ValidationError as error:
            raise error.within("data", model=name) from None
        v_model = data["model"] if "model" in data else _decode.missing("model", name)
        if "usage" not in data:
            _decode.missing("usage", name)
        try:
            v_usage = Usage.from_dict(data["usage"])
        except _v.ValidationError as error:
            raise error.within("usage", model=name) from None
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            type(v_object) is ListObject
            and (type(v_data) is list and _v.exactly(v_data, Embedding))
            and (type(v_model) is str and v_model.isascii())
            and type(v_usage) is Usage
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "object", v_object)
            object.__setattr__(built, "data", v_data)
            object.__setattr__(built, "model", v_model)
            object.__setattr__(built, "usage", v_usage)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            object=v_object,
            data=v_data,
            model=v_model,
            usage=v_usage,
            additional_properties=v_additional_properties,
        )


__all__ = [
    "Cache",
    "CacheType",
    "CreateEmbeddingRequest",
    "CreateEmbeddingResponse",
    "Embedding",
    "EmbeddingObject",
    "EncodingFormat",
    "ErrorDetail",
    "ErrorResponse",
    "Fallback",
    "Identity",
    "ListObject",
    "LoadBalancer",
    "LoadBalancerModel",
    "LoadBalancerType",
    "OrqSettings",
    "Retry",
    "Timeout",
    "Usage",
]
