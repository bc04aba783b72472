"""Render the package around the models: client, errors, params, endpoint modules, metadata."""

from __future__ import annotations

import keyword
import re
import textwrap
from pathlib import Path

import attrs
import jinja2

from generator.model_plan import docstring, plan_enums, plan_models
from generator.spec import Spec

TEMPLATES = Path(__file__).parent / "templates" / "package"
RUNTIME = Path(__file__).parent / "runtime"
#: Modules of `RUNTIME` copied into the package as they are, behind the header line.
RUNTIME_MODULES = ("types.py", "validation.py", "_validation_error.py", "_decode.py", "_encode.py")

DISTRIBUTION = "orq-router-api"
PACKAGE = "orq_router_api"


@attrs.frozen
class Target:
    """What to call the generated distribution, and where its spec is said to come from."""

    package: str = PACKAGE
    """The import name: `orq_router_api`."""
    distribution: str = DISTRIBUTION
    """The name on the package index: `orq-router-api`."""
    spec_name: str = "openapi/orq-router.yaml"
    """The spec's path as the header names it (relative, so output does not depend on
    where the repository is checked out)."""
    command: str = "nox -s generate"
    """What regenerates the output, for the header."""

    @property
    def header_text(self) -> str:
        return f"Generated from {self.spec_name} by generator/. Do not edit: run `{self.command}`."

    @property
    def header(self) -> str:
        """The header as Python comment lines, each within the line length."""
        return "\n".join(f"# {line}" for line in textwrap.wrap(self.header_text, width=98))

    @property
    def version_file(self) -> str:
        """The one file that holds the version: everything else is hashed to choose it."""
        return f"{self.package}/_version.py"


DEFAULT_TARGET = Target()
HEADER_TEXT = DEFAULT_TARGET.header_text

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)
_environment.filters["docstring"] = docstring


def snake_case(name: str) -> str:
    """`createEmbedding` -> `create_embedding`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).replace("-", "_").replace(" ", "_").lower()


def _render(target: Target, template: str, **context: object) -> str:
    base = {
        "header": target.header,
        "header_text": target.header_text,
        "package": target.package,
        "distribution": target.distribution,
    }
    return _environment.get_template(template).render(**base, **context)


def render_package(spec: Spec, target: Target, *, models: str) -> dict[str, str]:
    """Every file of the distribution but the version file, by path relative to its root."""
    package = target.package
    operations = list(spec.operations())
    error_models = sorted({name for op in operations for name in op.error_schemas})
    first = operations[0]
    files = {
        "pyproject.toml": _render(target, "pyproject.toml.jinja2", title=spec.title),
        "README.md": _render(
            target,
            "README.md.jinja2",
            title=spec.title,
            spec_version=spec.version,
            spec_name=target.spec_name,
            example_module=f"{snake_case(first.tag)}.{snake_case(first.operation_id)}",
            example_operation=snake_case(first.operation_id),
            example_request=first.request_schema,
            example_required=[
                field.python_name
                for field in plan_models(spec)[first.request_schema].fields.values()
                if field.required
            ],
        ),
        f"{package}/__init__.py": _render(target, "__init__.py.jinja2", title=spec.title),
        f"{package}/py.typed": _render(target, "py.typed.jinja2"),
        f"{package}/models.py": models,
        f"{package}/params.py": _render_params(spec, target),
        f"{package}/errors.py": _render(target, "errors.py.jinja2", error_models=error_models),
        f"{package}/client.py": _render(target, "client.py.jinja2", auth=spec.auth),
        f"{package}/async_client.py": _render(target, "async_client.py.jinja2"),
        f"{package}/servers.py": _render(target, "servers.py.jinja2", server_url=spec.server_url),
        f"{package}/api/__init__.py": _render(target, "api_init.py.jinja2"),
    }
    for module in RUNTIME_MODULES:
        text = (RUNTIME / module).read_text(encoding="utf-8")
        files[f"{package}/{module}"] = f"{target.header}\n{text}"
    tags = {tag["name"]: tag.get("description", "") for tag in spec.document.get("tags", [])}
    by_tag: dict[str, list[str]] = {}
    for op in operations:
        tag_module = snake_case(op.tag)
        module = snake_case(op.operation_id)
        by_tag.setdefault(op.tag, []).append(module)
        models_used = sorted({op.request_schema, op.response_schema, *op.error_schemas})
        files[f"{package}/api/{tag_module}/{module}.py"] = _render(
            target, "endpoint.py.jinja2", op=op, models=models_used
        )
    for tag, modules in sorted(by_tag.items()):
        files[f"{package}/api/{snake_case(tag)}/__init__.py"] = _render(
            target,
            "tag_init.py.jinja2",
            tag=tag,
            tag_module=snake_case(tag),
            description=tags.get(tag, ""),
            modules=sorted(modules),
        )
    return files


def _render_params(spec: Spec, target: Target) -> str:
    """`params.py`: the `...Param` dicts, the `...Options` keywords, the `...Value` literals."""
    request_side = spec.request_schemas
    models = plan_models(spec)
    enums = [enum for name, enum in plan_enums(spec).items() if name in request_side]
    params = [models[name] for name in models if name in request_side]
    bodies = [plan for plan in params if plan.is_body]
    taken = set(spec.schemas)
    made = [f"{enum.name}Value" for enum in enums] + [f"{plan.name}Param" for plan in params]
    made += [f"{plan.name}Options" for plan in bodies]
    clashes = sorted(taken & set(made))
    if clashes:
        raise RuntimeError(f"params.py would redefine schemas of the spec: {clashes}")
    return _render(
        target,
        "params.py.jinja2",
        enums=enums,
        params=params,
        bodies=bodies,
        model_names=sorted(name for name in spec.schemas),
        exports=sorted(made),
        plain_keys=_plain_keys,
    )


def _plain_keys(names: object) -> bool:
    """Whether every key can be a class attribute (else `TypedDict("X", {...})` is used)."""
    assert isinstance(names, (list, tuple, dict))
    return all(name.isidentifier() and not keyword.iskeyword(name) for name in names)


def render_version_file(target: Target, *, version: str, spec_version: str) -> str:
    return _render(target, "_version.py.jinja2", version=version, spec_version=spec_version)
