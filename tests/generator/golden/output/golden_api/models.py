# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, Unpack

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
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_label = data["label"] if "label" in data else _decode.missing("label", name)
        v_quantity = data.get("quantity", UNSET)
        if (type(v_label) is str and v_label.isascii()) and (
            v_quantity is UNSET
            or (
                type(v_quantity) is int
                and -_v.FLOAT_MAX <= v_quantity <= _v.FLOAT_MAX
                and v_quantity >= 1
            )
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "label", v_label)
            object.__setattr__(built, "quantity", v_quantity)
            return built
        return cls(
            label=v_label,
            quantity=v_quantity,
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
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_radius = data["radius"] if "radius" in data else _decode.missing("radius", name)
        if (
            (type(v_radius) is float or type(v_radius) is int)
            and -_v.FLOAT_MAX <= v_radius <= _v.FLOAT_MAX
            and v_radius > 0
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "radius", v_radius)
            return built
        return cls(
            radius=v_radius,
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
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_side = data["side"] if "side" in data else _decode.missing("side", name)
        if (
            (type(v_side) is float or type(v_side) is int)
            and -_v.FLOAT_MAX <= v_side <= _v.FLOAT_MAX
            and v_side > 0
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "side", v_side)
            return built
        return cls(
            side=v_side,
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
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_field = data["field"] if "field" in data else _decode.missing("field", name)
        v_value = data.get("value", UNSET)
        if (type(v_field) is str and v_field.isascii()) and (
            v_value is UNSET or (type(v_value) is str and v_value.isascii())
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "field", v_field)
            object.__setattr__(built, "value", v_value)
            return built
        return cls(
            field=v_field,
            value=v_value,
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
        data = src if type(src) is dict else _decode.as_object(src, name)
        v_id = data["id"] if "id" in data else _decode.missing("id", name)
        v_name = data["name"] if "name" in data else _decode.missing("name", name)
        if "shape" not in data:
            _decode.missing("shape", name)
        try:
            v_shape = _decode.enum_member(Shape)(data["shape"])
        except _v.ValidationError as error:
            raise error.within("shape", model=name) from None
        v_created = data.get("created", UNSET)
        v_score = data.get("score", UNSET)
        v_vector = data.get("vector", UNSET)
        v_details = (
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
        )
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        return cls(
            id=v_id,
            name=v_name,
            shape=v_shape,
            created=v_created,
            score=v_score,
            vector=v_vector,
            details=v_details,
            additional_properties=v_additional_properties,
        )


class PartType(StrEnum):
    """What a part holds; both parts declare it whole, the mapping tells them apart."""

    TEXT = "text"
    IMAGE_URL = "image_url"


@attrs.frozen(kw_only=True)
class TextPart:
    """TextPart"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"type", "text"})
    type: PartType = attrs.field(validator=_v.field(_v.member(PartType)))
    """What a part holds; both parts declare it whole, the mapping tells them apart."""
    text: str = attrs.field(validator=_v.field(_v.string()))
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["type"] = self.type.value
        out["text"] = self.text
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        if "type" not in data:
            _decode.missing("type", name)
        try:
            v_type = _decode.enum_member(PartType)(data["type"])
        except _v.ValidationError as error:
            raise error.within("type", model=name) from None
        v_text = data["text"] if "text" in data else _decode.missing("text", name)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            type(v_type) is PartType
            and (type(v_text) is str and v_text.isascii())
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "type", v_type)
            object.__setattr__(built, "text", v_text)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            type=v_type,
            text=v_text,
            additional_properties=v_additional_properties,
        )


@attrs.frozen(kw_only=True)
class ImagePart:
    """ImagePart"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"type", "url"})
    type: PartType = attrs.field(validator=_v.field(_v.member(PartType)))
    """What a part holds; both parts declare it whole, the mapping tells them apart."""
    url: str = attrs.field(validator=_v.field(_v.string(format="uri")))
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["type"] = self.type.value
        out["url"] = self.url
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        if "type" not in data:
            _decode.missing("type", name)
        try:
            v_type = _decode.enum_member(PartType)(data["type"])
        except _v.ValidationError as error:
            raise error.within("type", model=name) from None
        v_url = data["url"] if "url" in data else _decode.missing("url", name)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        return cls(
            type=v_type,
            url=v_url,
            additional_properties=v_additional_properties,
        )


@attrs.frozen(kw_only=True)
class CreatedEvent:
    """CreatedEvent"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"kind", "at"})
    kind: Literal["created"] = attrs.field(validator=_v.field(_v.const("created")))
    at: int = attrs.field(validator=_v.field(_v.integer()))
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["kind"] = self.kind
        out["at"] = self.at
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        v_kind = data["kind"] if "kind" in data else _decode.missing("kind", name)
        v_at = data["at"] if "at" in data else _decode.missing("at", name)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            (type(v_kind) is str and v_kind == "created")
            and (type(v_at) is int and -_v.FLOAT_MAX <= v_at <= _v.FLOAT_MAX)
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "kind", v_kind)
            object.__setattr__(built, "at", v_at)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            kind=v_kind,
            at=v_at,
            additional_properties=v_additional_properties,
        )


class DeletedEventKind(StrEnum):
    """DeletedEventKind"""

    DELETED = "deleted"


@attrs.frozen(kw_only=True)
class FastMode:
    """FastMode"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"mode", "burst"})
    mode: Literal["fast"] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.const("fast"), optional=True)
    )
    burst: int | Unset = attrs.field(default=UNSET, validator=_v.field(_v.integer(), optional=True))
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        if not isinstance(self.mode, Unset):
            out["mode"] = self.mode
        if not isinstance(self.burst, Unset):
            out["burst"] = self.burst
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        v_mode = data.get("mode", UNSET)
        v_burst = data.get("burst", UNSET)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            (v_mode is UNSET or (type(v_mode) is str and v_mode == "fast"))
            and (
                v_burst is UNSET
                or (type(v_burst) is int and -_v.FLOAT_MAX <= v_burst <= _v.FLOAT_MAX)
            )
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "mode", v_mode)
            object.__setattr__(built, "burst", v_burst)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            mode=v_mode,
            burst=v_burst,
            additional_properties=v_additional_properties,
        )


@attrs.frozen(kw_only=True)
class SlowMode:
    """SlowMode"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"mode", "delay"})
    mode: Literal["slow"] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.const("slow"), optional=True)
    )
    delay: float | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.number(), optional=True)
    )
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        if not isinstance(self.mode, Unset):
            out["mode"] = self.mode
        if not isinstance(self.delay, Unset):
            out["delay"] = self.delay
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        v_mode = data.get("mode", UNSET)
        v_delay = data.get("delay", UNSET)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            (v_mode is UNSET or (type(v_mode) is str and v_mode == "slow"))
            and (
                v_delay is UNSET
                or (
                    (type(v_delay) is float or type(v_delay) is int)
                    and -_v.FLOAT_MAX <= v_delay <= _v.FLOAT_MAX
                )
            )
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "mode", v_mode)
            object.__setattr__(built, "delay", v_delay)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            mode=v_mode,
            delay=v_delay,
            additional_properties=v_additional_properties,
        )


@attrs.frozen(kw_only=True)
class Record:
    """required names a property it does not define (any value)."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"id", "extra"})
    id: str = attrs.field(validator=_v.field(_v.string()))
    extra: Any = attrs.field(validator=_v.field(_v.anything()))
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["id"] = self.id
        out["extra"] = self.extra
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        v_id = data["id"] if "id" in data else _decode.missing("id", name)
        v_extra = data["extra"] if "extra" in data else _decode.missing("extra", name)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (type(v_id) is str and v_id.isascii()) and not v_additional_properties:
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "id", v_id)
            object.__setattr__(built, "extra", v_extra)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            id=v_id,
            extra=v_extra,
            additional_properties=v_additional_properties,
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
        data = src if type(src) is dict else _decode.as_object(src, name)
        v_email = data["email"] if "email" in data else _decode.missing("email", name)
        v_homepage = data.get("homepage", UNSET)
        v_nickname = data.get("nickname", UNSET)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        return cls(
            email=v_email,
            homepage=v_homepage,
            nickname=v_nickname,
            additional_properties=v_additional_properties,
        )


class CreateThingRequestModelOption1(StrEnum):
    """CreateThingRequestModelOption1"""

    SMALL = "small"
    LARGE = "large"


@attrs.frozen(kw_only=True)
class CreateThingRequestDetailed:
    """allOf of several objects, merged into one model."""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"label", "note", "quantity"})
    label: str = attrs.field(validator=_v.field(_v.string()))
    note: str = attrs.field(validator=_v.field(_v.string()))
    quantity: int | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.integer(minimum=1), optional=True)
    )
    """When omitted, the server uses `1`."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["label"] = self.label
        out["note"] = self.note
        if not isinstance(self.quantity, Unset):
            out["quantity"] = self.quantity
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_label = data["label"] if "label" in data else _decode.missing("label", name)
        v_note = data["note"] if "note" in data else _decode.missing("note", name)
        v_quantity = data.get("quantity", UNSET)
        if (
            (type(v_label) is str and v_label.isascii())
            and (type(v_note) is str and v_note.isascii())
            and (
                v_quantity is UNSET
                or (
                    type(v_quantity) is int
                    and -_v.FLOAT_MAX <= v_quantity <= _v.FLOAT_MAX
                    and v_quantity >= 1
                )
            )
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "label", v_label)
            object.__setattr__(built, "note", v_note)
            object.__setattr__(built, "quantity", v_quantity)
            return built
        return cls(
            label=v_label,
            note=v_note,
            quantity=v_quantity,
        )


class CreateThingRequestLevel(IntEnum):
    """CreateThingRequestLevel"""

    INTEGER_1 = 1


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
        data = src if type(src) is dict else _decode.as_object(src, name)
        v_message = data["message"] if "message" in data else _decode.missing("message", name)
        v_retryable = data.get("retryable", UNSET)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            (type(v_message) is str and v_message.isascii())
            and (v_retryable is UNSET or (v_retryable is None or type(v_retryable) is bool))
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "message", v_message)
            object.__setattr__(built, "retryable", v_retryable)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            message=v_message,
            retryable=v_retryable,
            additional_properties=v_additional_properties,
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
        data = src if type(src) is dict else _decode.as_object(src, name)
        if "things" not in data:
            _decode.missing("things", name)
        try:
            v_things = _decode.list_of(Thing.from_dict)(data["things"])
        except _v.ValidationError as error:
            raise error.within("things", model=name) from None
        v_next = data.get("next", UNSET)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            (type(v_things) is list and _v.exactly(v_things, Thing))
            and (v_next is UNSET or (v_next is None or (type(v_next) is str and v_next.isascii())))
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "things", v_things)
            object.__setattr__(built, "next", v_next)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            things=v_things,
            next=v_next,
            additional_properties=v_additional_properties,
        )


class GetThingOrder(StrEnum):
    """GetThingOrder"""

    ASC = "asc"
    DESC = "desc"


@attrs.frozen(kw_only=True)
class TagThingRequest:
    """TagThingRequest"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"type", "len"})
    _option_names: ClassVar[frozenset[str]] = frozenset({})
    type: str = attrs.field(validator=_v.field(_v.string()))
    len: int = attrs.field(validator=_v.field(_v.integer()))

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["type"] = self.type
        out["len"] = self.len
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_type = data["type"] if "type" in data else _decode.missing("type", name)
        v_len = data["len"] if "len" in data else _decode.missing("len", name)
        if (type(v_type) is str and v_type.isascii()) and (
            type(v_len) is int and -_v.FLOAT_MAX <= v_len <= _v.FLOAT_MAX
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "type", v_type)
            object.__setattr__(built, "len", v_len)
            return built
        return cls(
            type=v_type,
            len=v_len,
        )

    @classmethod
    def from_params(
        cls,
        *,
        type: str,
        len: int,
        **options: Unpack[_params.TagThingRequestOptions],
    ) -> Self:
        """Build from keyword arguments: the required fields, then any optional ones.

        Values may be in any form `params` describes (models or dicts, enum members or
        plain values, any sequence, builders with `to_model()`); an optional field given
        as None is left out. The result is checked like any other construction.
        """
        required: dict[str, object] = {
            "type": type,
            "len": len,
        }
        return cls.from_dict(_encode.params(required, options, {}))


@attrs.frozen(kw_only=True)
class Search:
    """Search"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset(
        {"query", "limit", "x-y", "include", "exclude"}
    )
    _option_names: ClassVar[frozenset[str]] = frozenset({"limit", "x_y", "include", "exclude"})
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
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_query = data["query"] if "query" in data else _decode.missing("query", name)
        v_limit = data.get("limit", UNSET)
        v_x_y = data.get("x-y", UNSET)
        v_include = (
            _decode.optional(data, "include", name, _decode.list_of(_decode.model(FiltersItem)))
            if "include" in data
            else UNSET
        )
        v_exclude = (
            _decode.optional(data, "exclude", name, _decode.list_of(_decode.model(FiltersItem)))
            if "exclude" in data
            else UNSET
        )
        if (
            (type(v_query) is str and v_query.isascii())
            and (
                v_limit is UNSET
                or (
                    type(v_limit) is int
                    and -_v.FLOAT_MAX <= v_limit <= _v.FLOAT_MAX
                    and v_limit >= 1
                    and v_limit <= 100
                )
            )
            and (v_x_y is UNSET or (type(v_x_y) is int and -_v.FLOAT_MAX <= v_x_y <= _v.FLOAT_MAX))
            and (
                v_include is UNSET
                or (type(v_include) is list and _v.exactly(v_include, FiltersItem))
            )
            and (
                v_exclude is UNSET
                or (type(v_exclude) is list and _v.exactly(v_exclude, FiltersItem))
            )
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "query", v_query)
            object.__setattr__(built, "limit", v_limit)
            object.__setattr__(built, "x_y", v_x_y)
            object.__setattr__(built, "include", v_include)
            object.__setattr__(built, "exclude", v_exclude)
            return built
        return cls(
            query=v_query,
            limit=v_limit,
            x_y=v_x_y,
            include=v_include,
            exclude=v_exclude,
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
        if options.keys() <= cls._option_names:
            # The values as they were given; any that is not plainly valid (a dict, a
            # plain enum value, a tuple, a builder, None) fails its quick form, and the
            # request is then built from JSON, below.
            v_query = query
            v_limit = options.get("limit", UNSET)
            v_x_y = options.get("x_y", UNSET)
            v_include = options.get("include", UNSET)
            v_exclude = options.get("exclude", UNSET)
            if (
                (type(v_query) is str and v_query.isascii())
                and (
                    v_limit is UNSET
                    or (
                        type(v_limit) is int
                        and -_v.FLOAT_MAX <= v_limit <= _v.FLOAT_MAX
                        and v_limit >= 1
                        and v_limit <= 100
                    )
                )
                and (
                    v_x_y is UNSET
                    or (type(v_x_y) is int and -_v.FLOAT_MAX <= v_x_y <= _v.FLOAT_MAX)
                )
                and (
                    v_include is UNSET
                    or (type(v_include) is list and _v.exactly(v_include, FiltersItem))
                )
                and (
                    v_exclude is UNSET
                    or (type(v_exclude) is list and _v.exactly(v_exclude, FiltersItem))
                )
            ):
                # Every value passed the quick form of its check: no validator call needed.
                built = object.__new__(cls)
                object.__setattr__(built, "query", v_query)
                object.__setattr__(built, "limit", v_limit)
                object.__setattr__(built, "x_y", v_x_y)
                object.__setattr__(built, "include", v_include)
                object.__setattr__(built, "exclude", v_exclude)
                return built
        required: dict[str, object] = {
            "query": query,
        }
        return cls.from_dict(_encode.params(required, options, {"x_y": "x-y"}))


@attrs.frozen(kw_only=True)
class DeletedEvent:
    """DeletedEvent"""

    _wire_keys: ClassVar[frozenset[str]] = frozenset({"kind", "reason"})
    kind: DeletedEventKind = attrs.field(validator=_v.field(_v.member(DeletedEventKind)))
    reason: str | Unset = attrs.field(default=UNSET, validator=_v.field(_v.string(), optional=True))
    additional_properties: dict[str, Any] = attrs.field(
        factory=dict, validator=_v.extra_keys(_wire_keys)
    )
    """Keys the server sent that the spec does not name, kept so that nothing is lost."""

    def to_dict(self) -> dict[str, Any]:
        """This model as a JSON object; fields left `UNSET` are left out."""
        out: dict[str, Any] = {}
        out["kind"] = self.kind.value
        if not isinstance(self.reason, Unset):
            out["reason"] = self.reason
        out.update(self.additional_properties)
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        Keys the spec does not name are kept in `additional_properties`.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        if "kind" not in data:
            _decode.missing("kind", name)
        try:
            v_kind = _decode.enum_member(DeletedEventKind)(data["kind"])
        except _v.ValidationError as error:
            raise error.within("kind", model=name) from None
        v_reason = data.get("reason", UNSET)
        v_additional_properties = (
            {} if data.keys() <= cls._wire_keys else _decode.unknown_keys(data, cls._wire_keys)
        )
        if (
            type(v_kind) is DeletedEventKind
            and (v_reason is UNSET or (type(v_reason) is str and v_reason.isascii()))
            and not v_additional_properties
        ):
            # Every value passed the quick form of its check: no validator call needed.
            built = object.__new__(cls)
            object.__setattr__(built, "kind", v_kind)
            object.__setattr__(built, "reason", v_reason)
            object.__setattr__(built, "additional_properties", v_additional_properties)
            return built
        return cls(
            kind=v_kind,
            reason=v_reason,
            additional_properties=v_additional_properties,
        )


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
            "kind",
            "model",
            "detailed",
            "content",
            "event",
            "mode",
            "width",
            "blob",
            "when",
            "names",
            "step",
            "unique",
            "level",
        }
    )
    _option_names: ClassVar[frozenset[str]] = frozenset(
        {
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
            "from_",
            "id_alias",
            "wrapped",
            "kind",
            "model",
            "detailed",
            "content",
            "event",
            "mode",
            "width",
            "blob",
            "when",
            "names",
            "step",
            "unique",
            "level",
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
    kind: Literal["thing"] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.const("thing"), optional=True)
    )
    """A constant, typed as a Literal."""
    model: CreateThingRequestModelOption1 | str | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(
            _v.any_of(_v.member(CreateThingRequestModelOption1), _v.string(min_length=1)),
            optional=True,
        ),
    )
    """A type beside anyOf, which goes into each branch."""
    detailed: CreateThingRequestDetailed | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.instance(CreateThingRequestDetailed), optional=True)
    )
    """allOf of several objects, merged into one model."""
    content: TextPart | ImagePart | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(_v.one_of(_v.instance(TextPart), _v.instance(ImagePart)), optional=True),
    )
    """A discriminator with a mapping."""
    event: CreatedEvent | DeletedEvent | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(
            _v.one_of(_v.instance(CreatedEvent), _v.instance(DeletedEvent)), optional=True
        ),
    )
    """A discriminator without a mapping; names with underscores."""
    mode: FastMode | SlowMode | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(_v.any_of(_v.instance(FastMode), _v.instance(SlowMode)), optional=True),
    )
    """No discriminator, but each branch has its own constant."""
    width: float | Unset = attrs.field(
        default=UNSET,
        validator=_v.field(_v.number(minimum=-2147483648, maximum=2147483647), optional=True),
    )
    """An integer width on a number."""
    blob: bytes | Unset = attrs.field(default=UNSET, validator=_v.field(_v.binary(), optional=True))
    """Bytes (base64 in JSON)."""
    when: str | Unset = attrs.field(default=UNSET, validator=_v.field(_v.string(), optional=True))
    """A format no node checks (a warning; checked as a string)."""
    names: list[str] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.array(_v.string()), optional=True)
    )
    """
    An array with a default.

    When omitted, the server uses `[]`.
    """
    step: int | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.integer(multiple_of=5), optional=True)
    )
    unique: list[int] | Unset = attrs.field(
        default=UNSET, validator=_v.field(_v.array(_v.integer(), unique_items=True), optional=True)
    )
    level: CreateThingRequestLevel | Unset | None = attrs.field(
        default=UNSET,
        validator=_v.field(_v.nullable(_v.member(CreateThingRequestLevel)), optional=True),
    )
    """A nullable constant, an enum of one value."""

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
        if not isinstance(self.kind, Unset):
            out["kind"] = self.kind
        if not isinstance(self.model, Unset):
            out["model"] = _encode.to_json(self.model)
        if not isinstance(self.detailed, Unset):
            out["detailed"] = self.detailed.to_dict()
        if not isinstance(self.content, Unset):
            out["content"] = self.content.to_dict()
        if not isinstance(self.event, Unset):
            out["event"] = self.event.to_dict()
        if not isinstance(self.mode, Unset):
            out["mode"] = self.mode.to_dict()
        if not isinstance(self.width, Unset):
            out["width"] = self.width
        if not isinstance(self.blob, Unset):
            out["blob"] = _encode.base64_text(self.blob)
        if not isinstance(self.when, Unset):
            out["when"] = self.when
        if not isinstance(self.names, Unset):
            out["names"] = self.names
        if not isinstance(self.step, Unset):
            out["step"] = self.step
        if not isinstance(self.unique, Unset):
            out["unique"] = self.unique
        if not isinstance(self.level, Unset):
            out["level"] = None if self.level is None else self.level.value
        return out

    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self:
        """Build from a JSON object; raises `ValidationError` naming the bad field.

        A key the spec does not name is an error, so a typo is never dropped silently.
        """
        name = cls.__name__
        data = src if type(src) is dict else _decode.as_object(src, name)
        _decode.reject_unknown(data, cls._wire_keys, name)
        v_name = data["name"] if "name" in data else _decode.missing("name", name)
        if "shape" not in data:
            _decode.missing("shape", name)
        try:
            v_shape = _decode.enum_member(Shape)(data["shape"])
        except _v.ValidationError as error:
            raise error.within("shape", model=name) from None
        v_colour = (
            _decode.optional(data, "colour", name, _decode.enum_member(CreateThingRequestColour))
            if "colour" in data
            else UNSET
        )
        v_size = (
            _decode.optional(data, "size", name, _decode.enum_member(CreateThingRequestSize))
            if "size" in data
            else UNSET
        )
        v_mood = (
            _decode.optional(
                data, "mood", name, _decode.nullable(_decode.enum_member(CreateThingRequestMood))
            )
            if "mood" in data
            else UNSET
        )
        v_owner = (
            _decode.optional(data, "owner", name, _decode.model(CreateThingRequestOwner))
            if "owner" in data
            else UNSET
        )
        v_tags = data.get("tags", UNSET)
        v_labels = data.get("labels", UNSET)
        v_extras = data.get("extras", UNSET)
        v_anything = data.get("anything", UNSET)
        v_weight = data.get("weight", UNSET)
        v_count = data.get("count", UNSET)
        v_big = data.get("big", UNSET)
        v_ratio = data.get("ratio", UNSET)
        v_reference = data.get("reference", UNSET)
        v_code = data.get("code", UNSET)
        v_vector = data.get("vector", UNSET)
        v_matrix = data.get("matrix", UNSET)
        v_parts = (
            _decode.optional(data, "parts", name, _decode.list_of(_decode.model(Part)))
            if "parts" in data
            else UNSET
        )
        v_part_map = (
            _decode.optional(data, "part_map", name, _decode.dict_of(_decode.model(Part)))
            if "part_map" in data
            else UNSET
        )
        v_parent = (
            _decode.optional(data, "parent", name, _decode.nullable(_decode.model(Part)))
            if "parent" in data
            else UNSET
        )
        v_detail = (
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
        )
        v_flag = data.get("flag", UNSET)
        v_from_ = data.get("from", UNSET)
        v_id_alias = data.get("id_alias", UNSET)
        v_wrapped = (
            _decode.optional(data, "wrapped", name, _decode.model(Part))
            if "wrapped" in data
            else UNSET
        )
        v_kind = data.get("kind", UNSET)
        v_model = (
            _decode.optional(
                data,
                "model",
                name,
                _decode.union(
                    (
                        _v.member(CreateThingRequestModelOption1),
                        _decode.enum_member(CreateThingRequestModelOption1),
                    ),
                    (_v.string(min_length=1), None),
                    exactly_one=False,
                ),
            )
            if "model" in data
            else UNSET
        )
        v_detailed = (
            _decode.optional(data, "detailed", name, _decode.model(CreateThingRequestDetailed))
            if "detailed" in data
            else UNSET
        )
        v_content = (
            _decode.optional(
                data,
                "content",
                name,
                _decode.tagged(
                    "type",
                    (
                        ("text", _decode.model(TextPart)),
                        ("image_url", _decode.model(ImagePart)),
                    ),
                    _decode.union(
                        (_v.instance(TextPart), _decode.model(TextPart)),
                        (_v.instance(ImagePart), _decode.model(ImagePart)),
                        exactly_one=True,
                    ),
                ),
            )
            if "content" in data
            else UNSET
        )
        v_event = (
            _decode.optional(
                data,
                "event",
                name,
                _decode.tagged(
                    "kind",
                    (
                        ("created", _decode.model(CreatedEvent)),
                        ("deleted", _decode.model(DeletedEvent)),
                    ),
                    _decode.union(
                        (_v.instance(CreatedEvent), _decode.model(CreatedEvent)),
                        (_v.instance(DeletedEvent), _decode.model(DeletedEvent)),
                        exactly_one=True,
                    ),
                ),
            )
            if "event" in data
            else UNSET
        )
        v_mode = (
            _decode.optional(
                data,
                "mode",
                name,
                _decode.tagged(
                    "mode",
                    (
                        ("fast", _decode.model(FastMode)),
                        ("slow", _decode.model(SlowMode)),
                    ),
                    _decode.union(
                        (_v.instance(FastMode), _decode.model(FastMode)),
                        (_v.instance(SlowMode), _decode.model(SlowMode)),
                        exactly_one=False,
                    ),
                ),
            )
            if "mode" in data
            else UNSET
        )
        v_width = data.get("width", UNSET)
        v_blob = (
            _decode.optional(data, "blob", name, _decode.base64_bytes) if "blob" in data else UNSET
        )
        v_when = data.get("when", UNSET)
        v_names = data.get("names", UNSET)
        v_step = data.get("step", UNSET)
        v_unique = data.get("unique", UNSET)
        v_level = (
            _decode.optional(
                data, "level", name, _decode.nullable(_decode.enum_member(CreateThingRequestLevel))
            )
            if "level" in data
            else UNSET
        )
        return cls(
            name=v_name,
            shape=v_shape,
            colour=v_colour,
            size=v_size,
            mood=v_mood,
            owner=v_owner,
            tags=v_tags,
            labels=v_labels,
            extras=v_extras,
            anything=v_anything,
            weight=v_weight,
            count=v_count,
            big=v_big,
            ratio=v_ratio,
            reference=v_reference,
            code=v_code,
            vector=v_vector,
            matrix=v_matrix,
            parts=v_parts,
            part_map=v_part_map,
            parent=v_parent,
            detail=v_detail,
            flag=v_flag,
            from_=v_from_,
            id_alias=v_id_alias,
            wrapped=v_wrapped,
            kind=v_kind,
            model=v_model,
            detailed=v_detailed,
            content=v_content,
            event=v_event,
            mode=v_mode,
            width=v_width,
            blob=v_blob,
            when=v_when,
            names=v_names,
            step=v_step,
            unique=v_unique,
            level=v_level,
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
    "CreateThingRequestDetailed",
    "CreateThingRequestLevel",
    "CreateThingRequestModelOption1",
    "CreateThingRequestMood",
    "CreateThingRequestOwner",
    "CreateThingRequestSize",
    "CreatedEvent",
    "DeletedEvent",
    "DeletedEventKind",
    "FastMode",
    "FiltersItem",
    "GetThingOrder",
    "ImagePart",
    "Part",
    "PartType",
    "Record",
    "Search",
    "SearchThingsResponse",
    "Shape",
    "SlowMode",
    "Square",
    "TagThingRequest",
    "TextPart",
    "Thing",
]
