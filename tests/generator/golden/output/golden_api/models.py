# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Self, Unpack

import attrs

from golden_api import _decode, _encode
from golden_api import validation as _v
from golden_api.types import UNSET, Unset

if TYPE_CHECKING:
    from golden_api import params as _params


class Shape(StrEnum):
    """A component enum."""

    CIRCLE = "circle"
    SQUARE = "square"


@attrs.frozen(kw_only=True)
class Part:
    """A component object used in lists, maps, unions."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"label", "quantity"})
    label: str = attrs.field(validator=_v.field(_v.string()))
    quantity: int | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.integer(minimum=1), optional=True)
    )
    """When omitted, the server uses `1`."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["label"] = self.label
        if not isinstance(self.quantity, Unset):
            out["quantity"] = self.quantity
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        return cls(
            label=data["label"] if "label" in data else _decode.missing("label", name),
            quantity=data.get("quantity", UNSET),
        )


@attrs.frozen(kw_only=True)
class Circle:
    """Circle"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"radius"})
    radius: float = attrs.field(validator=_v.field(_v.number(exclusive_minimum=0)))

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["radius"] = self.radius
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        return cls(
            radius=data["radius"] if "radius" in data else _decode.missing("radius", name),
        )


@attrs.frozen(kw_only=True)
class Square:
    """Square"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"side"})
    side: float = attrs.field(validator=_v.field(_v.number(exclusive_minimum=0)))

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["side"] = self.side
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        return cls(
            side=data["side"] if "side" in data else _decode.missing("side", name),
        )


@attrs.frozen(kw_only=True)
class FiltersItem:
    """FiltersItem"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"field", "value"})
    field: str = attrs.field(validator=_v.field(_v.string()))
    value: str | Unset = attrs.field(default=UNSET, validator=_v.field(_v.string(), optional=True))

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["field"] = self.field
        if not isinstance(self.value, Unset):
            out["value"] = self.value
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        return cls(
            field=data["field"] if "field" in data else _decode.missing("field", name),
            value=data.get("value", UNSET),
        )


@attrs.frozen(kw_only=True)
class Thing:
    """A response model; it keeps keys the spec does not name."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset(
        {"id", "name", "shape", "created", "score", "vector", "details"}
    )
    id: str = attrs.field(validator=_v.field(_v.string()))
    name: str = attrs.field(validator=_v.field(_v.string()))
    shape: Shape = attrs.field(validator=_v.field(_v.member(Shape)))
    """A component enum."""
    created: int | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(
            _v.integer(minimum=-9223372036854775808, maximum=9223372036854775807), optional=True
        ),
    )
    score: float | Unset | None = attrs.field(
        default=UNSET, validator=_v.field(_v.nullable(_v.number()), optional=True)
    )
    vector: list[float] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.vector(), optional=True)
    )
    details: list[Circle | Square] | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(
            _v.array(_v.any_of(_v.instance(Circle), _v.instance(Square))), optional=True
        ),
    )
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["id"] = self.id
        out["name"] = self.name
        out["shape"] = self.shape.value
        if not isinstance(self.created, Unset):
            out["created"] = self.created
        if not isinstance(self.score, Unset):
            out["score"] = self.score
        if not isinstance(self.vector, Unset):
            out["vector"] = self.vector
        if not isinstance(self.details, Unset):
            out["details"] = [_encode.to_json(item) for item in self.details]
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = _decode.as_object(src, name)
        return cls(
            id=data["id"] if "id" in data else _decode.missing("id", name),
            name=data["name"] if "name" in data else _decode.missing("name", name),
            shape=_decode.required(data, "shape", name, _decode.enum_member(Shape)),
            created=data.get("created", UNSET),
            score=data.get("score", UNSET),
            vector=data.get("vector", UNSET),
            details=(
                _decode.optional(
                    data,
                    "details",
                    name,
                    _decode.list_of(
                        _decode.union(
                            (_v.instance(Circle), _decode.model(Circle)),
                            (_v.instance(Square), _decode.model(Square)),
                            exactly_one=False,
                        )
                    ),
                )
                if "details" in data
                else UNSET
            ),
            additional_properties=_decode.unknown_keys(data, cls._wire_keys),
        )


class CreateThingRequestColour(StrEnum):
    """An inline enum, named CreateThingRequestColour."""

    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class CreateThingRequestSize(IntEnum):
    """An inline integer enum."""

    INTEGER_1 = 1
    INTEGER_2 = 2
    INTEGER_3 = 3


class CreateThingRequestMood(StrEnum):
    """A nullable inline enum."""

    HAPPY = "happy"
    SAD = "sad"


@attrs.frozen(kw_only=True)
class CreateThingRequestOwner:
    """An inline object, named CreateThingRequestOwner."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"email", "homepage", "nickname"})
    email: str = attrs.field(validator=_v.field(_v.string(format="email")))
    homepage: str | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.string(format="uri"), optional=True)
    )
    nickname: str | Unset | None = attrs.field(
        default=UNSET, validator=_v.field(_v.nullable(_v.string()), optional=True)
    )
    """OpenAPI 3.0's nullable."""
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["email"] = self.email
        if not isinstance(self.homepage, Unset):
            out["homepage"] = self.homepage
        if not isinstance(self.nickname, Unset):
            out["nickname"] = self.nickname
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = _decode.as_object(src, name)
        return cls(
            email=data["email"] if "email" in data else _decode.missing("email", name),
            homepage=data.get("homepage", UNSET),
            nickname=data.get("nickname", UNSET),
            additional_properties=_decode.unknown_keys(data, cls._wire_keys),
        )


@attrs.frozen(kw_only=True)
class CreateThingError4XX:
    """CreateThingError4XX"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"message", "retryable"})
    message: str = attrs.field(validator=_v.field(_v.string()))
    retryable: bool | Unset | None = attrs.field(
        default=UNSET, validator=_v.field(_v.nullable(_v.boolean()), optional=True)
    )
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["message"] = self.message
        if not isinstance(self.retryable, Unset):
            out["retryable"] = self.retryable
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = _decode.as_object(src, name)
        return cls(
            message=data["message"] if "message" in data else _decode.missing("message", name),
            retryable=data.get("retryable", UNSET),
            additional_properties=_decode.unknown_keys(data, cls._wire_keys),
        )


@attrs.frozen(kw_only=True)
class SearchThingsResponse:
    """SearchThingsResponse"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"things", "next"})
    things: list[Thing] = attrs.field(validator=_v.field(_v.array(_v.instance(Thing))))
    next: str | Unset | None = attrs.field(
        default=UNSET, validator=_v.field(_v.nullable(_v.string()), optional=True)
    )
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["things"] = [item.to_dict() for item in self.things]
        if not isinstance(self.next, Unset):
            out["next"] = self.next
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = _decode.as_object(src, name)
        return cls(
            things=_decode.required(data, "things", name, _decode.list_of(Thing.from_dict)),
            next=data.get("next", UNSET),
            additional_properties=_decode.unknown_keys(data, cls._wire_keys),
        )


@attrs.frozen(kw_only=True)
class Search:
    """Search"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset(
        {"query", "limit", "x-y", "include", "exclude"}
    )
    query: str = attrs.field(validator=_v.field(_v.string()))
    limit: int | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.integer(minimum=1, maximum=100), optional=True)
    )
    x_y: int | Unset = attrs.field(default=UNSET, validator=_v.field(_v.integer(), optional=True))
    """A wire name that is no Python name."""
    include: list[FiltersItem] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.array(_v.instance(FiltersItem)), optional=True)
    )
    """An alias component holding an inline object, used twice."""
    exclude: list[FiltersItem] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.array(_v.instance(FiltersItem)), optional=True)
    )
    """An alias component holding an inline object, used twice."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["query"] = self.query
        if not isinstance(self.limit, Unset):
            out["limit"] = self.limit
        if not isinstance(self.x_y, Unset):
            out["x-y"] = self.x_y
        if not isinstance(self.include, Unset):
            out["include"] = [item.to_dict() for item in self.include]
        if not isinstance(self.exclude, Unset):
            out["exclude"] = [item.to_dict() for item in self.exclude]
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        return cls(
            query=data["query"] if "query" in data else _decode.missing("query", name),
            limit=data.get("limit", UNSET),
            x_y=data.get("x-y", UNSET),
            include=(
                _decode.optional(data, "include", name, _decode.list_of(_decode.model(FiltersItem)))
                if "include" in data
                else UNSET
            ),
            exclude=(
                _decode.optional(data, "exclude", name, _decode.list_of(_decode.model(FiltersItem)))
                if "exclude" in data
                else UNSET
            ),
        )

    @classmethod
    def from_params(
        cls,
        *,
        query: str,
        **options: Unpack[_params.SearchOptions],
    ) -> Self:
        """Build from keyword arguments: the required fields, then any optional ones.

        Values may be in any form `params` describes (models or dicts, enum members or
        plain values, any sequence, builders with `to_model()`); an optional field given
        as None is left out. The result is checked like any other construction.
        """
        required: dict[str, object] = {
            "query": query,
        }
        return cls.from_dict(_encode.params(required, options, {"x_y": "x-y"}))


@attrs.frozen(kw_only=True)
class CreateThingRequest:
    """CreateThingRequest"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset(
        {
            "name",
            "shape",
            "colour",
            "size",
            "mood",
            "owner",
            "tags",
            "labels",
            "extras",
            "anything",
            "weight",
            "count",
            "big",
            "ratio",
            "reference",
            "code",
            "vector",
            "matrix",
            "parts",
            "part_map",
            "parent",
            "detail",
            "flag",
            "from",
            "id_alias",
            "wrapped",
        }
    )
    name: str = attrs.field(
        validator=_v.field(_v.string(min_length=1, max_length=40, pattern="^[a-z][a-z0-9-]*$"))
    )
    """Lower-case name (required, constrained string)."""
    shape: Shape = attrs.field(validator=_v.field(_v.member(Shape)))
    """A component enum."""
    colour: CreateThingRequestColour | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.member(CreateThingRequestColour), optional=True)
    )
    """
    An inline enum, named CreateThingRequestColour.

    When omitted, the server uses `"red"`.
    """
    size: CreateThingRequestSize | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.member(CreateThingRequestSize), optional=True)
    )
    """An inline integer enum."""
    mood: CreateThingRequestMood | Unset | None = attrs.field(
        default=UNSET,
        validator=_v.field(_v.nullable(_v.member(CreateThingRequestMood)), optional=True),
    )
    """A nullable inline enum."""
    owner: CreateThingRequestOwner | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(CreateThingRequestOwner), optional=True)
    )
    """An inline object, named CreateThingRequestOwner."""
    tags: list[str] | Unset | None = attrs.field(
        default=UNSET,
        validator=_v.field(_v.nullable(_v.array(_v.string(), max_items=3)), optional=True),
    )
    """A nullable array, written as a list of types."""
    labels: dict[str, str] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.mapping(_v.string()), optional=True)
    )
    """A map of strings."""
    extras: dict[str, Any] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.mapping(_v.anything()), optional=True)
    )
    """A map of any JSON values."""
    anything: Any | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.anything(), optional=True)
    )
    """No type at all, any JSON value."""
    weight: float | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(_v.number(maximum=1000, exclusive_minimum=0), optional=True),
    )
    count: int | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.integer(minimum=0, maximum=2147483647), optional=True)
    )
    big: int | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(
            _v.integer(minimum=-9223372036854775808, maximum=9223372036854775807), optional=True
        ),
    )
    ratio: float | str | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(
            _v.one_of(_v.number(minimum=0, maximum=1), _v.string(pattern="^[0-9]+%$")),
            optional=True,
        ),
    )
    """oneOf of scalars."""
    reference: str | int | Unset | None = attrs.field(
        default=UNSET,
        validator=_v.field(_v.nullable(_v.any_of(_v.string(), _v.integer())), optional=True),
    )
    """anyOf with a null branch and titles that only name types."""
    code: str | int | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.any_of(_v.string(), _v.integer()), optional=True)
    )
    """Two types, one schema."""
    vector: list[float] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.vector(), optional=True)
    )
    """A vector (its floats are not walked one by one)."""
    matrix: list[list[int]] | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(_v.array(_v.array(_v.titled("cell", _v.integer()))), optional=True),
    )
    """A list of lists of titled integers."""
    parts: list[Part] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.array(_v.instance(Part)), optional=True)
    )
    part_map: dict[str, Part] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.mapping(_v.instance(Part)), optional=True)
    )
    """A map of objects."""
    parent: Part | Unset | None = attrs.field(
        default=UNSET, validator=_v.field(_v.nullable(_v.instance(Part)), optional=True)
    )
    """A nullable reference."""
    detail: Circle | Square | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(_v.one_of(_v.instance(Circle), _v.instance(Square)), optional=True),
    )
    """A union of two objects, told apart by their keys."""
    flag: bool | Unset = attrs.field(default=UNSET, validator=_v.field(_v.boolean(), optional=True))
    from_: str | Unset = attrs.field(default=UNSET, validator=_v.field(_v.string(), optional=True))
    """A Python keyword as a field name."""
    id_alias: str | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.string(min_length=3), optional=True)
    )
    """A component that is only an alias of a string."""
    wrapped: Part | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(Part), optional=True)
    )
    """allOf with one member."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["name"] = self.name
        out["shape"] = self.shape.value
        if not isinstance(self.colour, Unset):
            out["colour"] = self.colour.value
        if not isinstance(self.size, Unset):
            out["size"] = self.size.value
        if not isinstance(self.mood, Unset):
            out["mood"] = None if self.mood is None else self.mood.value
        if not isinstance(self.owner, Unset):
            out["owner"] = self.owner.to_dict()
        if not isinstance(self.tags, Unset):
            out["tags"] = self.tags
        if not isinstance(self.labels, Unset):
            out["labels"] = self.labels
        if not isinstance(self.extras, Unset):
            out["extras"] = self.extras
        if not isinstance(self.anything, Unset):
            out["anything"] = self.anything
        if not isinstance(self.weight, Unset):
            out["weight"] = self.weight
        if not isinstance(self.count, Unset):
            out["count"] = self.count
        if not isinstance(self.big, Unset):
            out["big"] = self.big
        if not isinstance(self.ratio, Unset):
            out["ratio"] = self.ratio
        if not isinstance(self.reference, Unset):
            out["reference"] = self.reference
        if not isinstance(self.code, Unset):
            out["code"] = self.code
        if not isinstance(self.vector, Unset):
            out["vector"] = self.vector
        if not isinstance(self.matrix, Unset):
            out["matrix"] = self.matrix
        if not isinstance(self.parts, Unset):
            out["parts"] = [item.to_dict() for item in self.parts]
        if not isinstance(self.part_map, Unset):
            out["part_map"] = {key: item.to_dict() for key, item in self.part_map.items()}
        if not isinstance(self.parent, Unset):
            out["parent"] = None if self.parent is None else self.parent.to_dict()
        if not isinstance(self.detail, Unset):
            out["detail"] = _encode.to_json(self.detail)
        if not isinstance(self.flag, Unset):
            out["flag"] = self.flag
        if not isinstance(self.from_, Unset):
            out["from"] = self.from_
        if not isinstance(self.id_alias, Unset):
            out["id_alias"] = self.id_alias
        if not isinstance(self.wrapped, Unset):
            out["wrapped"] = self.wrapped.to_dict()
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        return cls(
            name=data["name"] if "name" in data else _decode.missing("name", name),
            shape=_decode.required(data, "shape", name, _decode.enum_member(Shape)),
            colour=(
                _decode.optional(
                    data, "colour", name, _decode.enum_member(CreateThingRequestColour)
                )
                if "colour" in data
                else UNSET
            ),
            size=(
                _decode.optional(data, "size", name, _decode.enum_member(CreateThingRequestSize))
                if "size" in data
                else UNSET
            ),
            mood=(
                _decode.optional(
                    data,
                    "mood",
                    name,
                    _decode.nullable(_decode.enum_member(CreateThingRequestMood)),
                )
                if "mood" in data
                else UNSET
            ),
            owner=(
                _decode.optional(data, "owner", name, _decode.model(CreateThingRequestOwner))
                if "owner" in data
                else UNSET
            ),
            tags=data.get("tags", UNSET),
            labels=data.get("labels", UNSET),
            extras=data.get("extras", UNSET),
            anything=data.get("anything", UNSET),
            weight=data.get("weight", UNSET),
            count=data.get("count", UNSET),
            big=data.get("big", UNSET),
            ratio=data.get("ratio", UNSET),
            reference=data.get("reference", UNSET),
            code=data.get("code", UNSET),
            vector=data.get("vector", UNSET),
            matrix=data.get("matrix", UNSET),
            parts=(
                _decode.optional(data, "parts", name, _decode.list_of(_decode.model(Part)))
                if "parts" in data
                else UNSET
            ),
            part_map=(
                _decode.optional(data, "part_map", name, _decode.dict_of(_decode.model(Part)))
                if "part_map" in data
                else UNSET
            ),
            parent=(
                _decode.optional(data, "parent", name, _decode.nullable(_decode.model(Part)))
                if "parent" in data
                else UNSET
            ),
            detail=(
                _decode.optional(
                    data,
                    "detail",
                    name,
                    _decode.union(
                        (_v.instance(Circle), _decode.model(Circle)),
                        (_v.instance(Square), _decode.model(Square)),
                        exactly_one=True,
                    ),
                )
                if "detail" in data
                else UNSET
            ),
            flag=data.get("flag", UNSET),
            from_=data.get("from", UNSET),
            id_alias=data.get("id_alias", UNSET),
            wrapped=(
                _decode.optional(data, "wrapped", name, _decode.model(Part))
                if "wrapped" in data
                else UNSET
            ),
        )

    @classmethod
    def from_params(
        cls,
        *,
        name: str,
        shape: Shape | _params.ShapeValue,
        **options: Unpack[_params.CreateThingRequestOptions],
    ) -> Self:
        """Build from keyword arguments: the required fields, then any optional ones.

        Values may be in any form `params` describes (models or dicts, enum members or
        plain values, any sequence, builders with `to_model()`); an optional field given
        as None is left out. The result is checked like any other construction.
        """
        required: dict[str, object] = {
            "name": name,
            "shape": shape,
        }
        return cls.from_dict(_encode.params(required, options, {"from_": "from"}))


__all__ = [
    "Circle",
    "CreateThingError4XX",
    "CreateThingRequest",
    "CreateThingRequestColour",
    "CreateThingRequestMood",
    "CreateThingRequestOwner",
    "CreateThingRequestSize",
    "FiltersItem",
    "Part",
    "Search",
    "SearchThingsResponse",
    "Shape",
    "Square",
    "Thing",
]
