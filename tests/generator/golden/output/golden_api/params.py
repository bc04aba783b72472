# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
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

from golden_api.models import (
    Circle,
    CreatedEvent,
    CreateThingRequestColour,
    CreateThingRequestDetailed,
    CreateThingRequestLevel,
    CreateThingRequestModelOption1,
    CreateThingRequestMood,
    CreateThingRequestOwner,
    CreateThingRequestSize,
    DeletedEvent,
    DeletedEventKind,
    FastMode,
    FiltersItem,
    ImagePart,
    Part,
    PartType,
    Shape,
    SlowMode,
    Square,
    TextPart,
)
from golden_api.types import SupportsToModel

__all__ = [
    "CircleParam",
    "CreateThingRequestColourValue",
    "CreateThingRequestDetailedParam",
    "CreateThingRequestLevelValue",
    "CreateThingRequestModelOption1Value",
    "CreateThingRequestMoodValue",
    "CreateThingRequestOptions",
    "CreateThingRequestOwnerParam",
    "CreateThingRequestParam",
    "CreateThingRequestSizeValue",
    "CreatedEventParam",
    "DeletedEventKindValue",
    "DeletedEventParam",
    "FastModeParam",
    "FiltersItemParam",
    "GetThingOrderValue",
    "ImagePartParam",
    "PartParam",
    "PartTypeValue",
    "SearchOptions",
    "SearchParam",
    "ShapeValue",
    "SlowModeParam",
    "SquareParam",
    "TagThingRequestOptions",
    "TagThingRequestParam",
    "TextPartParam",
]


ShapeValue: TypeAlias = Literal["circle", "square"]
"""The values of `Shape`, as written in JSON."""

PartTypeValue: TypeAlias = Literal["text", "image_url"]
"""The values of `PartType`, as written in JSON."""

DeletedEventKindValue: TypeAlias = Literal["deleted"]
"""The values of `DeletedEventKind`, as written in JSON."""

CreateThingRequestColourValue: TypeAlias = Literal["red", "green", "blue"]
"""The values of `CreateThingRequestColour`, as written in JSON."""

CreateThingRequestSizeValue: TypeAlias = Literal[1, 2, 3]
"""The values of `CreateThingRequestSize`, as written in JSON."""

CreateThingRequestMoodValue: TypeAlias = Literal["happy", "sad"]
"""The values of `CreateThingRequestMood`, as written in JSON."""

CreateThingRequestModelOption1Value: TypeAlias = Literal["small", "large"]
"""The values of `CreateThingRequestModelOption1`, as written in JSON."""

CreateThingRequestLevelValue: TypeAlias = Literal[1]
"""The values of `CreateThingRequestLevel`, as written in JSON."""

GetThingOrderValue: TypeAlias = Literal["asc", "desc"]
"""The values of `GetThingOrder`, as written in JSON."""


class PartParam(TypedDict, total=False):
    """The JSON form of `Part`, with its values in any accepted form."""

    label: Required[str]
    quantity: int
    """When omitted, the server uses `1`."""


class CircleParam(TypedDict, total=False):
    """The JSON form of `Circle`, with its values in any accepted form."""

    radius: Required[float]


class SquareParam(TypedDict, total=False):
    """The JSON form of `Square`, with its values in any accepted form."""

    side: Required[float]


SearchParam = TypedDict(
    "SearchParam",
    {
        "query": "Required[str]",
        "limit": "int",
        "x-y": "int",
        "include": "Sequence[FiltersItem | FiltersItemParam | SupportsToModel[FiltersItem]] | SupportsToModel[list[FiltersItem]]",
        "exclude": "Sequence[FiltersItem | FiltersItemParam | SupportsToModel[FiltersItem]] | SupportsToModel[list[FiltersItem]]",
    },
    total=False,
)
"""The JSON form of `Search`, with its values in any accepted form."""


class FiltersItemParam(TypedDict, total=False):
    """The JSON form of `FiltersItem`, with its values in any accepted form."""

    field: Required[str]
    value: str


class TextPartParam(TypedDict, total=False):
    """The JSON form of `TextPart`, with its values in any accepted form."""

    type: Required[PartType | PartTypeValue]
    """What a part holds; both parts declare it whole, the mapping tells them apart."""
    text: Required[str]


class ImagePartParam(TypedDict, total=False):
    """The JSON form of `ImagePart`, with its values in any accepted form."""

    type: Required[PartType | PartTypeValue]
    """What a part holds; both parts declare it whole, the mapping tells them apart."""
    url: Required[str]


class CreatedEventParam(TypedDict, total=False):
    """The JSON form of `CreatedEvent`, with its values in any accepted form."""

    kind: Required[Literal["created"]]
    at: Required[int]


class DeletedEventParam(TypedDict, total=False):
    """The JSON form of `DeletedEvent`, with its values in any accepted form."""

    kind: Required[DeletedEventKind | DeletedEventKindValue]
    reason: str


class FastModeParam(TypedDict, total=False):
    """The JSON form of `FastMode`, with its values in any accepted form."""

    mode: Literal["fast"]
    burst: int


class SlowModeParam(TypedDict, total=False):
    """The JSON form of `SlowMode`, with its values in any accepted form."""

    mode: Literal["slow"]
    delay: float


CreateThingRequestParam = TypedDict(
    "CreateThingRequestParam",
    {
        "name": "Required[str]",
        "shape": "Required[Shape | ShapeValue]",
        "colour": "CreateThingRequestColour | CreateThingRequestColourValue",
        "size": "CreateThingRequestSize | CreateThingRequestSizeValue",
        "mood": "CreateThingRequestMood | CreateThingRequestMoodValue | None",
        "owner": "CreateThingRequestOwner | CreateThingRequestOwnerParam | SupportsToModel[CreateThingRequestOwner]",
        "tags": "Sequence[str] | None",
        "labels": "Mapping[str, str]",
        "extras": "Mapping[str, object]",
        "anything": "object",
        "weight": "float",
        "count": "int",
        "big": "int",
        "ratio": "float | str",
        "reference": "str | int | None",
        "code": "str | int",
        "vector": "Sequence[float]",
        "matrix": "Sequence[Sequence[int]]",
        "parts": "Sequence[Part | PartParam | SupportsToModel[Part]] | SupportsToModel[list[Part]]",
        "part_map": "Mapping[str, Part | PartParam | SupportsToModel[Part]] | SupportsToModel[dict[str, Part]]",
        "parent": "Part | PartParam | SupportsToModel[Part] | None",
        "detail": "Circle | CircleParam | SupportsToModel[Circle] | Square | SquareParam | SupportsToModel[Square]",
        "flag": "bool",
        "from": "str",
        "id_alias": "str",
        "wrapped": "Part | PartParam | SupportsToModel[Part]",
        "kind": "Literal['thing']",
        "model": "CreateThingRequestModelOption1 | CreateThingRequestModelOption1Value | str",
        "detailed": "CreateThingRequestDetailed | CreateThingRequestDetailedParam | SupportsToModel[CreateThingRequestDetailed]",
        "content": "TextPart | TextPartParam | SupportsToModel[TextPart] | ImagePart | ImagePartParam | SupportsToModel[ImagePart]",
        "event": "CreatedEvent | CreatedEventParam | SupportsToModel[CreatedEvent] | DeletedEvent | DeletedEventParam | SupportsToModel[DeletedEvent]",
        "mode": "FastMode | FastModeParam | SupportsToModel[FastMode] | SlowMode | SlowModeParam | SupportsToModel[SlowMode]",
        "width": "float",
        "blob": "bytes",
        "when": "str",
        "names": "Sequence[str]",
        "step": "int",
        "unique": "Sequence[int]",
        "level": "CreateThingRequestLevel | CreateThingRequestLevelValue | None",
    },
    total=False,
)
"""The JSON form of `CreateThingRequest`, with its values in any accepted form."""


class CreateThingRequestOwnerParam(TypedDict, total=False):
    """The JSON form of `CreateThingRequestOwner`, with its values in any accepted form."""

    email: Required[str]
    homepage: str
    nickname: str | None
    """OpenAPI 3.0's nullable."""


class CreateThingRequestDetailedParam(TypedDict, total=False):
    """The JSON form of `CreateThingRequestDetailed`, with its values in any accepted form."""

    label: Required[str]
    quantity: int
    """When omitted, the server uses `1`."""
    note: Required[str]


class TagThingRequestParam(TypedDict, total=False):
    """The JSON form of `TagThingRequest`, with its values in any accepted form."""

    type: Required[str]
    len: Required[int]


class SearchOptions(TypedDict, total=False):
    """The optional fields of `Search`, as keyword arguments of `from_params`.

    A keyword given as None is left out of the body, like one not given.
    """

    limit: int | None
    x_y: int | None
    """A wire name that is no Python name."""
    include: (
        Sequence[FiltersItem | FiltersItemParam | SupportsToModel[FiltersItem]]
        | SupportsToModel[list[FiltersItem]]
        | None
    )
    """An alias component holding an inline object, used twice."""
    exclude: (
        Sequence[FiltersItem | FiltersItemParam | SupportsToModel[FiltersItem]]
        | SupportsToModel[list[FiltersItem]]
        | None
    )
    """An alias component holding an inline object, used twice."""


class CreateThingRequestOptions(TypedDict, total=False):
    """The optional fields of `CreateThingRequest`, as keyword arguments of `from_params`.

    A keyword given as None is left out of the body, like one not given.
    """

    colour: CreateThingRequestColour | CreateThingRequestColourValue | None
    """
    An inline enum, named CreateThingRequestColour.

    When omitted, the server uses `"red"`.
    """
    size: CreateThingRequestSize | CreateThingRequestSizeValue | None
    """An inline integer enum."""
    mood: CreateThingRequestMood | CreateThingRequestMoodValue | None
    """A nullable inline enum."""
    owner: (
        CreateThingRequestOwner
        | CreateThingRequestOwnerParam
        | SupportsToModel[CreateThingRequestOwner]
        | None
    )
    """An inline object, named CreateThingRequestOwner."""
    tags: Sequence[str] | None
    """A nullable array, written as a list of types."""
    labels: Mapping[str, str] | None
    """A map of strings."""
    extras: Mapping[str, object] | None
    """A map of any JSON values."""
    anything: object | None
    """No type at all, any JSON value."""
    weight: float | None
    count: int | None
    big: int | None
    ratio: float | str | None
    """oneOf of scalars."""
    reference: str | int | None
    """anyOf with a null branch and titles that only name types."""
    code: str | int | None
    """Two types, one schema."""
    vector: Sequence[float] | None
    """A vector (its floats are not walked one by one)."""
    matrix: Sequence[Sequence[int]] | None
    """A list of lists of titled integers."""
    parts: Sequence[Part | PartParam | SupportsToModel[Part]] | SupportsToModel[list[Part]] | None
    part_map: (
        Mapping[str, Part | PartParam | SupportsToModel[Part]]
        | SupportsToModel[dict[str, Part]]
        | None
    )
    """A map of objects."""
    parent: Part | PartParam | SupportsToModel[Part] | None
    """A nullable reference."""
    detail: (
        Circle
        | CircleParam
        | SupportsToModel[Circle]
        | Square
        | SquareParam
        | SupportsToModel[Square]
        | None
    )
    """A union of two objects, told apart by their keys."""
    flag: bool | None
    from_: str | None
    """A Python keyword as a field name."""
    id_alias: str | None
    """A component that is only an alias of a string."""
    wrapped: Part | PartParam | SupportsToModel[Part] | None
    """allOf with one member."""
    kind: Literal["thing"] | None
    """A constant, typed as a Literal."""
    model: CreateThingRequestModelOption1 | CreateThingRequestModelOption1Value | str | None
    """A type beside anyOf, which goes into each branch."""
    detailed: (
        CreateThingRequestDetailed
        | CreateThingRequestDetailedParam
        | SupportsToModel[CreateThingRequestDetailed]
        | None
    )
    """allOf of several objects, merged into one model."""
    content: (
        TextPart
        | TextPartParam
        | SupportsToModel[TextPart]
        | ImagePart
        | ImagePartParam
        | SupportsToModel[ImagePart]
        | None
    )
    """A discriminator with a mapping."""
    event: (
        CreatedEvent
        | CreatedEventParam
        | SupportsToModel[CreatedEvent]
        | DeletedEvent
        | DeletedEventParam
        | SupportsToModel[DeletedEvent]
        | None
    )
    """A discriminator without a mapping; names with underscores."""
    mode: (
        FastMode
        | FastModeParam
        | SupportsToModel[FastMode]
        | SlowMode
        | SlowModeParam
        | SupportsToModel[SlowMode]
        | None
    )
    """No discriminator, but each branch has its own constant."""
    width: float | None
    """An integer width on a number."""
    blob: bytes | None
    """Bytes (base64 in JSON)."""
    when: str | None
    """A format no node checks (a warning; checked as a string)."""
    names: Sequence[str] | None
    """
    An array with a default.

    When omitted, the server uses `[]`.
    """
    step: int | None
    unique: Sequence[int] | None
    level: CreateThingRequestLevel | CreateThingRequestLevelValue | None
    """A nullable constant, an enum of one value."""


class TagThingRequestOptions(TypedDict, total=False):
    """The optional fields of `TagThingRequest`, as keyword arguments of `from_params`.

    A keyword given as None is left out of the body, like one not given.
    """

    pass
