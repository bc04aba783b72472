# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""The forms a request can be built from besides its models: keywords and plain dicts.

- `<Enum>Value`: the plain values of an enum, as a `Literal` (`"float"` for
  `EncodingFormat.FLOAT`).
- `<Model>Param`: a dict shaped like the JSON of a model a request holds. Its values may
  be in any form a caller has at hand: models or dicts for nested objects, members or
  plain values for enums, any sequence for a list, or a builder with `to_model()`.
- `<Body>Options`: the optional fields of a request body, as the keyword arguments of
  `<Body>.from_params(...)`; a keyword given as None is left out of the body.

All of them are read by the same strict `from_dict`, so every form is checked alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, Required, TypeAlias, TypedDict

from orq_router_api.models import (
    Cache,
    CacheType,
    EncodingFormat,
    Fallback,
    Identity,
    LoadBalancer,
    LoadBalancerModel,
    LoadBalancerType,
    OrqSettings,
    Retry,
    Timeout,
)
from orq_router_api.types import SupportsToModel

__all__ = [
    "CacheParam",
    "CacheTypeValue",
    "CreateEmbeddingRequestOptions",
    "CreateEmbeddingRequestParam",
    "EncodingFormatValue",
    "FallbackParam",
    "IdentityParam",
    "LoadBalancerModelParam",
    "LoadBalancerParam",
    "LoadBalancerTypeValue",
    "OrqSettingsParam",
    "RetryParam",
    "TimeoutParam",
]


EncodingFormatValue: TypeAlias = Literal["float", "base64"]
"""The values of `EncodingFormat`, as written in JSON."""

CacheTypeValue: TypeAlias = Literal["exact_match"]
"""The values of `CacheType`, as written in JSON."""

LoadBalancerTypeValue: TypeAlias = Literal["weight_based"]
"""The values of `LoadBalancerType`, as written in JSON."""


class CreateEmbeddingRequestParam(TypedDict, total=False):
    """The JSON form of `CreateEmbeddingRequest`, with its values in any accepted form."""

    input: Required[str | Sequence[str | Sequence[int]]]
    """
    Input text to embed, encoded as a string or array of tokens. Either one non-empty string, or a
    non-empty array whose items are non-empty strings or non-empty arrays of integer token ids.
    """
    model: Required[str]
    """ID of the model to use"""
    encoding_format: EncodingFormat | EncodingFormatValue
    """
    Type of the document element

    When omitted, the server uses `"float"`.
    """
    dimensions: int
    """
    The number of dimensions the resulting output embeddings should have. SDK note: the reference
    types it as a number; only whole numbers of at least one are meaningful, so it is an integer
    here.
    """
    user: str
    """A unique identifier representing your end-user"""
    name: str
    """The name to display on the trace. If not specified, the default system name will be used."""
    fallbacks: (
        Sequence[Fallback | FallbackParam | SupportsToModel[Fallback]]
        | SupportsToModel[list[Fallback]]
    )
    """Array of fallback models to use if primary model fails"""
    retry: Retry | RetryParam | SupportsToModel[Retry]
    """Retry configuration for the request"""
    cache: Cache | CacheParam | SupportsToModel[Cache]
    """Cache configuration for the request."""
    load_balancer: LoadBalancer | LoadBalancerParam | SupportsToModel[LoadBalancer]
    """Load balancer configuration for the request."""
    timeout: Timeout | TimeoutParam | SupportsToModel[Timeout]
    """
    Timeout configuration to apply to the request. If the request exceeds the timeout, it will be
    retried or fallback to the next model if configured.
    """
    orq: OrqSettings | OrqSettingsParam | SupportsToModel[OrqSettings]
    """orq.ai settings of the request (the reference gives no description)."""


class FallbackParam(TypedDict, total=False):
    """The JSON form of `Fallback`, with its values in any accepted form."""

    model: Required[str]
    """Fallback model identifier, in `provider/model` form."""


class RetryParam(TypedDict, total=False):
    """The JSON form of `Retry`, with its values in any accepted form."""

    count: int
    """Number of retry attempts on a failed call to the model."""
    on_codes: Sequence[int]
    """HTTP status codes that trigger a retry."""


class CacheParam(TypedDict, total=False):
    """The JSON form of `Cache`, with its values in any accepted form."""

    type: Required[CacheType | CacheTypeValue]
    """The cache strategy; `exact_match` reuses a response for an identical request."""
    ttl: int
    """
    Time to live of a cached response, in seconds (at most 3 days).

    When omitted, the server uses `1800`.
    """


class LoadBalancerParam(TypedDict, total=False):
    """The JSON form of `LoadBalancer`, with its values in any accepted form."""

    type: Required[LoadBalancerType | LoadBalancerTypeValue]
    """The balancing strategy; `weight_based` picks a model in proportion to its weight."""
    models: Required[
        Sequence[LoadBalancerModel | LoadBalancerModelParam | SupportsToModel[LoadBalancerModel]]
        | SupportsToModel[list[LoadBalancerModel]]
    ]
    """The models to spread requests over, each with its weight."""


class LoadBalancerModelParam(TypedDict, total=False):
    """The JSON form of `LoadBalancerModel`, with its values in any accepted form."""

    model: Required[str]
    """Model identifier, in `provider/model` form."""
    weight: Required[float]
    """The model's relative weight; must be greater than zero."""


class TimeoutParam(TypedDict, total=False):
    """The JSON form of `Timeout`, with its values in any accepted form."""

    call_timeout: Required[int]
    """Timeout of one call to the model, in milliseconds."""


class OrqSettingsParam(TypedDict, total=False):
    """The JSON form of `OrqSettings`, with its values in any accepted form."""

    name: str
    """The name to display on the trace."""
    fallbacks: (
        Sequence[Fallback | FallbackParam | SupportsToModel[Fallback]]
        | SupportsToModel[list[Fallback]]
    )
    """Array of fallback models to use if primary model fails"""
    cache: Cache | CacheParam | SupportsToModel[Cache]
    """Cache configuration for the request."""
    retry: Retry | RetryParam | SupportsToModel[Retry]
    """Retry configuration for the request"""
    identity: Identity | IdentityParam | SupportsToModel[Identity]
    """The identity the request is made for, tracked by orq.ai."""
    contact: Identity | IdentityParam | SupportsToModel[Identity]
    """The contact the request is made for; the same shape as `identity`."""
    load_balancer: LoadBalancer | LoadBalancerParam | SupportsToModel[LoadBalancer]
    """Load balancer configuration for the request."""
    timeout: Timeout | TimeoutParam | SupportsToModel[Timeout]
    """
    Timeout configuration to apply to the request. If the request exceeds the timeout, it will be
    retried or fallback to the next model if configured.
    """


class IdentityParam(TypedDict, total=False):
    """The JSON form of `Identity`, with its values in any accepted form."""

    id: Required[str]
    """Unique identifier of the identity."""
    display_name: str
    """Name shown for the identity."""
    email: str
    """Email address of the identity."""
    metadata: Sequence[Mapping[str, str]]
    """
    Extra information about the identity, as a list of objects whose values are strings (the
    reference's example sends one object).
    """
    logo_url: str
    """URL of the identity's avatar or logo."""
    tags: Sequence[str]
    """Tags to group identities by."""


class CreateEmbeddingRequestOptions(TypedDict, total=False):
    """The optional fields of `CreateEmbeddingRequest`, as keyword arguments of `from_params`.

    A keyword given as None is left out of the body, like one not given.
    """

    encoding_format: EncodingFormat | EncodingFormatValue | None
    """
    Type of the document element

    When omitted, the server uses `"float"`.
    """
    dimensions: int | None
    """
    The number of dimensions the resulting output embeddings should have. SDK note: the reference
    types it as a number; only whole numbers of at least one are meaningful, so it is an integer
    here.
    """
    user: str | None
    """A unique identifier representing your end-user"""
    name: str | None
    """The name to display on the trace. If not specified, the default system name will be used."""
    fallbacks: (
        Sequence[Fallback | FallbackParam | SupportsToModel[Fallback]]
        | SupportsToModel[list[Fallback]]
        | None
    )
    """Array of fallback models to use if primary model fails"""
    retry: Retry | RetryParam | SupportsToModel[Retry] | None
    """Retry configuration for the request"""
    cache: Cache | CacheParam | SupportsToModel[Cache] | None
    """Cache configuration for the request."""
    load_balancer: LoadBalancer | LoadBalancerParam | SupportsToModel[LoadBalancer] | None
    """Load balancer configuration for the request."""
    timeout: Timeout | TimeoutParam | SupportsToModel[Timeout] | None
    """
    Timeout configuration to apply to the request. If the request exceeds the timeout, it will be
    retried or fallback to the next model if configured.
    """
    orq: OrqSettings | OrqSettingsParam | SupportsToModel[OrqSettings] | None
    """orq.ai settings of the request (the reference gives no description)."""
