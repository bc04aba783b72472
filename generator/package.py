"""Render the package around the models: client, errors, params, endpoint modules, metadata."""

from __future__ import annotations

import keyword
import re
import textwrap
from pathlib import Path

import attrs
import jinja2

from generator.model_plan import OperationPlan, Plan, docstring
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


def module_name(name: str) -> str:
    """`createEmbedding` -> `create_embedding`, `Text Embeddings` -> `text_embeddings`:
    an operation's or tag's module."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    text = re.sub(r"\W+|_+", "_", words).strip("_").lower()
    if not text or text[0].isdigit():
        text = f"m_{text}"
    return f"{text}_" if keyword.iskeyword(text) else text


def _render(target: Target, template: str, **context: object) -> str:
    base = {
        "header": target.header,
        "header_text": target.header_text,
        "package": target.package,
        "distribution": target.distribution,
    }
    return _environment.get_template(template).render(**base, **context)


def render_package(spec: Spec, target: Target, *, plan: Plan, models: str) -> dict[str, str]:
    """Every file of the distribution but the version file, by path relative to its root."""
    package = target.package
    error_models = sorted({name for op in plan.operations for name in op.error_models})
    files = {
        "pyproject.toml": _render(target, "pyproject.toml.jinja2", title=spec.title),
        "README.md": _render_readme(spec, target, plan),
        f"{package}/__init__.py": _render(target, "__init__.py.jinja2", title=spec.title),
        f"{package}/py.typed": _render(target, "py.typed.jinja2"),
        f"{package}/models.py": models,
        f"{package}/params.py": _render_params(spec, target, plan),
        f"{package}/errors.py": _render(target, "errors.py.jinja2", error_models=error_models),
        f"{package}/client.py": _render(
            target, "client.py.jinja2", auth=spec.auth, server_url=spec.server_url
        ),
        f"{package}/async_client.py": _render(
            target, "async_client.py.jinja2", server_url=spec.server_url
        ),
        f"{package}/servers.py": _render(target, "servers.py.jinja2", server_url=spec.server_url),
        f"{package}/api/__init__.py": _render(target, "api_init.py.jinja2"),
    }
    for module in RUNTIME_MODULES:
        text = (RUNTIME / module).read_text(encoding="utf-8")
        files[f"{package}/{module}"] = f"{target.header}\n{text}"
    tags = {tag["name"]: tag.get("description", "") for tag in spec.document.get("tags", [])}
    by_tag: dict[str, list[str]] = {}
    for operation in plan.operations:
        op = operation.op
        tag_module = module_name(op.tag)
        module = module_name(op.operation_id)
        if module in by_tag.get(op.tag, []):
            raise RuntimeError(f"two operations of tag {op.tag!r} are the module {module}")
        by_tag.setdefault(op.tag, []).append(module)
        files[f"{package}/api/{tag_module}/{module}.py"] = _render_endpoint(target, operation)
    for tag, modules in sorted(by_tag.items()):
        files[f"{package}/api/{module_name(tag)}/__init__.py"] = _render(
            target,
            "tag_init.py.jinja2",
            tag=tag,
            tag_module=module_name(tag),
            description=tags.get(tag, ""),
            modules=sorted(modules),
        )
    return files


def _render_endpoint(target: Target, plan: OperationPlan) -> str:
    """One operation's module: `sync`, `sync_detailed`, their asyncio twins and what
    they share."""
    keywords: list[str] = []
    arguments: list[str] = []
    if plan.request is not None:
        keywords.append(f"body: {plan.request.model_type}")
        arguments.append("body=body")
    optional = []
    for parameter in plan.parameters:
        name = parameter.parameter.keyword
        if parameter.parameter.required:
            keywords.append(f"{name}: {parameter.annotation}")
        else:
            optional.append(f"{name}: {parameter.annotation} = None")
        arguments.append(f"{name}={name}")
    extras = ["extra_headers=extra_headers"]
    if plan.request is not None and plan.request.model:
        extras.append("extra_body=extra_body")
    answer = plan.response.model_type if plan.response is not None else "None"
    if plan.op.empty_statuses and answer != "None":
        answer += " | None"
    checked = bool(plan.parameters) or any(
        value is not None and value.model is None for value in (plan.request, plan.response)
    )
    summary = " ".join((plan.op.summary or plan.op.operation_id).split()).rstrip(".")
    detailed = f"{summary}: status, headers, raw bytes and the parsed `{answer}`."
    detailed = detailed.replace("\\", "\\\\").replace('"""', r"\"\"\"")
    awaited = f"{summary}, awaited: what `sync_detailed` returns, over aiohttp."
    awaited = awaited.replace("\\", "\\\\").replace('"""', r"\"\"\"")
    return _render(
        target,
        "endpoint.py.jinja2",
        summary=summary,
        detailed_summary="\n    ".join(textwrap.wrap(detailed, width=92)),
        awaited_summary="\n    ".join(textwrap.wrap(awaited, width=92)),
        op=plan.op,
        plan=plan,
        keywords=", ".join([*keywords, *optional]),
        extras_forwarded=", ".join([*arguments, *extras]),
        answer=answer,
        checked=checked,
    )


def _render_readme(spec: Spec, target: Target, plan: Plan) -> str:
    """The package's README, its example the first operation with a model body (else
    the first operation)."""
    with_body = [op for op in plan.operations if op.request is not None and op.request.model]
    first = (with_body or list(plan.operations))[0]
    body_model = first.request.model if first.request is not None else None
    component = first.op.request_schema
    required = (
        [f.python_name for f in plan.models[component].fields.values() if f.required]
        if component is not None
        else []
    )
    return _render(
        target,
        "README.md.jinja2",
        title=spec.title,
        spec_version=spec.version,
        spec_name=target.spec_name,
        example_module=f"{module_name(first.op.tag)}.{module_name(first.op.operation_id)}",
        example_operation=module_name(first.op.operation_id),
        example_request=body_model,
        example_required=required,
        example_arguments=", ".join(
            f"{p.parameter.keyword}=..." for p in first.parameters if p.parameter.required
        ),
        needs_base_url=spec.server_url is None,
    )


def _render_params(spec: Spec, target: Target, plan: Plan) -> str:
    """`params.py`: the `...Param` dicts, the `...Options` keywords, the `...Value` literals."""
    request_side = spec.request_schemas
    enums = [enum for name, enum in plan.enums.items() if name in request_side]
    params = [model for name, model in plan.models.items() if name in request_side]
    bodies = [model for model in params if model.is_body]
    taken = set(plan.names.classes.values())
    made = [f"{enum.name}Value" for enum in enums] + [f"{model.name}Param" for model in params]
    made += [f"{model.name}Options" for model in bodies]
    clashes = sorted(taken & set(made))
    if clashes:
        raise RuntimeError(f"params.py would redefine schemas of the spec: {clashes}")
    return _render(
        target,
        "params.py.jinja2",
        enums=enums,
        params=params,
        bodies=bodies,
        model_names=sorted(taken),
        exports=sorted(made),
        plain_keys=_plain_keys,
    )


def _plain_keys(names: object) -> bool:
    """Whether every key can be a class attribute (else `TypedDict("X", {...})` is used)."""
    assert isinstance(names, (list, tuple, dict))
    return all(name.isidentifier() and not keyword.iskeyword(name) for name in names)


def render_version_file(target: Target, *, version: str, spec_version: str) -> str:
    return _render(target, "_version.py.jinja2", version=version, spec_version=spec_version)
