"""Run datamodel-code-generator: its names first, then `models.py` through the attrs template.

The engine has no attrs output, so it runs as `dataclasses.dataclass` with
`templates/models/dataclass.jinja2` in place of its own template. The engine decides
class names, order, field names and type hints, and it says which, through its model
metadata (`--emit-model-metadata`): `engine_names` runs it once for those names, so that
nothing here repeats its naming rules (`Foo_Bar` is the class `FooBar`, the property
`class` the attribute `class_`). `render_models` runs it again with each class's plan
(`model_plan`), handed over by the schema's path, which the engine keys its template
data by: checks, `from_dict`, `to_dict`, docstrings.

The imports the attrs template needs are added to the engine's own; ruff sorts them
and drops the unused (the engine's `dataclasses` imports among them).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import attrs
import datamodel_code_generator as engine
from datamodel_code_generator.enums import DataModelType
from datamodel_code_generator.format import PythonVersion

from generator import model_plan
from generator.model_plan import Names, Plan
from generator.spec import SCHEMA_REF, Spec

TEMPLATES = Path(__file__).parent / "templates" / "models"

#: What the module starts with, before the engine's classes: the attrs template's needs
#: and the engine's type hints'. ruff sorts them, and drops those a spec does not use.
IMPORTS = """\
from collections.abc import Mapping, Sequence
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, TypeAlias, Unpack

import attrs

from {package} import _decode, _encode
from {package} import validation as _v
from {package}.types import UNSET, SupportsToModel, Unset

if TYPE_CHECKING:
    from {package} import params as _params
"""

_OPTIONS: dict[str, Any] = {
    "input_file_type": engine.InputFileType.OpenAPI,
    "output_model_type": DataModelType.DataclassesDataclass,
    "target_python_version": PythonVersion.PY_311,
    "disable_timestamp": True,
    "use_standard_collections": True,
    "use_union_operator": True,
    "strict_nullable": True,
    "use_double_quotes": True,
    "use_schema_description": True,
    "use_field_description": True,
    "capitalise_enum_members": True,
    "treat_dot_as_module": False,
    "formatters": [],
}


def render_models(spec: Spec, *, package: str, header: str) -> tuple[str, Plan]:
    """The source of `<package>/models.py`, and the plan it was written from.

    The plan needs the engine's names, which the engine's metadata gives only once it
    has run: it runs first with each schema's own name (what the engine keeps for
    PascalCase names, the common case), and again with the names its metadata reports
    when any differs.
    """
    names = Names()
    for _ in range(3):
        plan = model_plan.plan(spec, names)
        source, found = _run_engine(spec, plan, header)
        if _same(found, names, spec):
            plan = attrs.evolve(plan, names=found)  # the same names, each one written out
            return _finish(source, plan, package, header), plan
        names = found
    raise RuntimeError("the engine's names did not settle")  # pragma: no cover


def _run_engine(spec: Spec, plan: Plan, header: str) -> tuple[str, Names]:
    """One run of the engine: its module, and the names its metadata reports."""
    with tempfile.TemporaryDirectory(prefix="orq-engine-") as scratch:
        metadata = Path(scratch) / "models.json"
        source = engine.generate(
            spec.typing_view(),
            custom_template_dir=TEMPLATES,
            extra_template_data=defaultdict(dict, plan.template_data()),
            custom_file_header=header,
            emit_model_metadata=metadata,
            **_OPTIONS,
        )
        models = json.loads(metadata.read_text(encoding="utf-8"))["models"]
    if not isinstance(source, str):
        raise TypeError(f"expected one module from the engine, got {type(source).__name__}")
    return source, _names(spec, models)


def _names(spec: Spec, models: list[dict[str, Any]]) -> Names:
    """The class of each component and the attribute of each property, as the engine
    named them (its model metadata: the names of its own parse)."""
    classes: dict[str, str] = {}
    fields: dict[tuple[str, str], str] = {}
    for model in models:
        source = str(model.get("source_ref") or "")
        if not source.startswith(SCHEMA_REF):
            continue
        component = source[len(SCHEMA_REF) :]
        if component not in spec.schemas or component in classes:
            continue  # an alias the engine made inside a schema, not the schema itself
        classes[component] = str(model["class_name"])
        for field in model["fields"]:
            if field.get("original_name") is not None:
                fields[(component, str(field["original_name"]))] = str(field["name"])
    missing = sorted(name for name in spec.schemas if name not in classes)
    if missing:
        raise RuntimeError(f"the engine wrote no class for the schemas {missing}")
    return Names(classes, fields)


def _same(found: Names, assumed: Names, spec: Spec) -> bool:
    """Whether the engine named every class and attribute as the plan assumed."""
    for component, schema in spec.schemas.items():
        if found.cls(component) != assumed.cls(component):
            return False
        for wire_name in schema.get("properties", {}):
            if found.attribute(component, wire_name) != assumed.attribute(component, wire_name):
                return False
    return True


def _finish(source: str, plan: Plan, package: str, header: str) -> str:
    source = _with_imports(source, header, package)
    mismatches = [line.strip() for line in source.splitlines() if "!!GENERATOR" in line]
    if mismatches:
        raise RuntimeError("the engine and the plan disagree:\n" + "\n".join(mismatches))
    names = sorted(plan.names.classes.values())
    exports = "".join(f'    "{name}",\n' for name in names)
    return f"{source}\n\n__all__ = [\n{exports}]\n"


def _with_imports(source: str, header: str, package: str) -> str:
    """The engine's module with the imports the attrs template needs added before its
    first class. Its own imports stay as they are: ruff drops the `dataclasses` ones,
    which the attrs template leaves unused, and sorts the rest (`tree.format_files`)."""
    first = re.search(r"^(class |@|[A-Za-z_]\w*: TypeAlias)", source, flags=re.MULTILINE)
    if first is None or not source.startswith(header):
        raise RuntimeError("the engine's output has no header or no class")
    imports = IMPORTS.format(package=package)
    return f"{source[: first.start()].rstrip()}\n{imports}\n\n{source[first.start() :]}"
