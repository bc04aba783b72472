# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""What the generated `from_params` methods use to turn keyword arguments into JSON.

A request built from keywords may hold values in several forms (a model or a dict, an
enum member or its value, a tuple or a list, a helper with `to_model()`). They are all
brought to plain JSON here, and the one strict reader, `from_dict`, builds and checks the
model from that: one set of rules and one set of error messages for every form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

import attrs

from .types import SupportsToModel

_SCALARS = (str, int, float, bool, type(None))


def to_json(value: object) -> Any:
    """The value as JSON data: models as dicts, enum members as values, sequences as lists.

    A value this cannot convert is returned as it is, for the model's check to refuse
    with a message that names the field.
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Mapping):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return [item if type(item) in _SCALARS else to_json(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if attrs.has(type(value)) and callable(to_dict):
        return to_json(to_dict())
    if isinstance(value, SupportsToModel):
        return to_json(value.to_model())
    return value


def params(
    required: Mapping[str, object], options: Mapping[str, object], renames: Mapping[str, str]
) -> dict[str, Any]:
    """The JSON object of a request built from keywords.

    `required` holds the required fields by wire name (None there is JSON null);
    `options` the optional ones by keyword name, where None means "not set" and the
    field is left out; `renames` maps a keyword name to its wire name where they differ.
    """
    data = {key: to_json(value) for key, value in required.items()}
    for key, value in options.items():
        if value is not None:
            data[renames.get(key, key)] = to_json(value)
    return data
