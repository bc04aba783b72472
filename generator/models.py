"""Write `models.py` with datamodel-code-generator, through the attrs template.

The engine has no attrs output, so it runs as `dataclasses.dataclass` with
`templates/models/dataclass.jinja2` in place of its own template. The engine decides
class names, order, field names and type hints; `model_plan` supplies what goes inside
each class beyond that (checks, `from_dict`, `to_dict`, docstrings).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import datamodel_code_generator as engine
from datamodel_code_generator.enums import DataModelType
from datamodel_code_generator.format import PythonVersion

from generator.model_plan import template_data
from generator.spec import Spec

TEMPLATES = Path(__file__).parent / "templates" / "models"

#: What replaces the engine's `from dataclasses import dataclass`: the attrs template's
#: own needs. ruff sorts it with the rest afterwards.
IMPORTS = """\
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Self, Unpack

import attrs

from {package} import _decode, _encode
from {package} import validation as _v
from {package}.types import UNSET, SupportsToModel, Unset

if TYPE_CHECKING:
    from {package} import params as _params
"""


def render_models(spec: Spec, *, package: str, header: str) -> str:
    """The source of `<package>/models.py`."""
    source = engine.generate(
        spec.typing_view(),
        input_file_type=engine.InputFileType.OpenAPI,
        output_model_type=DataModelType.DataclassesDataclass,
        custom_template_dir=TEMPLATES,
        extra_template_data=defaultdict(dict, template_data(spec)),
        custom_file_header=header,
        target_python_version=PythonVersion.PY_311,
        disable_timestamp=True,
        use_standard_collections=True,
        use_union_operator=True,
        strict_nullable=True,
        use_double_quotes=True,
        use_schema_description=True,
        use_field_description=True,
        capitalise_enum_members=True,
        formatters=[],
    )
    if not isinstance(source, str):
        raise TypeError(f"expected one module from the engine, got {type(source).__name__}")
    engine_import = "from dataclasses import dataclass\n"
    if source.count(engine_import) != 1:
        raise RuntimeError("the engine's dataclass import moved: check the template's output")
    source = source.replace(engine_import, IMPORTS.format(package=package))
    mismatches = [line.strip() for line in source.splitlines() if "!!GENERATOR" in line]
    if mismatches:
        raise RuntimeError("the engine and the plan disagree:\n" + "\n".join(mismatches))
    names = sorted(name for name in spec.schemas)
    missing = [
        name
        for name in names
        if f"\nclass {name}(" not in source and f"\nclass {name}:" not in source
    ]
    if missing:
        raise RuntimeError(f"the engine renamed or dropped schemas: {missing}")
    exports = "".join(f'    "{name}",\n' for name in names)
    return f"{source}\n\n__all__ = [\n{exports}]\n"
