"""Render the package around the models: client, errors, endpoint modules, metadata."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from generator.model_plan import docstring
from generator.spec import Spec

TEMPLATES = Path(__file__).parent / "templates" / "package"

DISTRIBUTION = "orq-router-api"
PACKAGE = "orq_router_api"
HEADER_TEXT = (
    "Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`."
)
HEADER = f"# {HEADER_TEXT}"

#: The one file that holds the version; everything else is hashed to choose it.
VERSION_FILE = f"{PACKAGE}/_version.py"

RUNTIME = Path(__file__).parent / "runtime"
#: Modules of `RUNTIME` copied into the package as they are, behind the header line.
RUNTIME_MODULES = ("types.py", "validation.py", "_decode.py")

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)
_environment.filters["docstring"] = docstring


def snake_case(name: str) -> str:
    """`createEmbedding` -> `create_embedding`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).replace("-", "_").lower()


def _render(template: str, **context: object) -> str:
    base = {"header": HEADER, "header_text": HEADER_TEXT, "package": PACKAGE}
    return _environment.get_template(template).render(**base, **context)


def render_package(spec: Spec, *, models: str) -> dict[str, str]:
    """Every file of the distribution but the version file, by path relative to its root."""
    operations = list(spec.operations())
    error_models = sorted({name for op in operations for name in op.error_schemas})
    info = spec.document["info"]
    bearer = spec.document["components"]["securitySchemes"]["bearerAuth"]
    files = {
        "pyproject.toml": _render("pyproject.toml.jinja2", distribution=DISTRIBUTION),
        "README.md": _render(
            "README.md.jinja2",
            distribution=DISTRIBUTION,
            title=info["title"],
            spec_version=spec.version,
        ),
        f"{PACKAGE}/__init__.py": _render("__init__.py.jinja2", title=info["title"]),
        f"{PACKAGE}/py.typed": _render("py.typed.jinja2"),
        f"{PACKAGE}/models.py": models,
        f"{PACKAGE}/errors.py": _render("errors.py.jinja2", error_models=error_models),
        f"{PACKAGE}/client.py": _render(
            "client.py.jinja2",
            server_url=spec.server_url,
            bearer_description=" ".join(bearer.get("description", "").split()),
        ),
        f"{PACKAGE}/api/__init__.py": _render("api_init.py.jinja2"),
    }
    for module in RUNTIME_MODULES:
        files[f"{PACKAGE}/{module}"] = f"{HEADER}\n" + (RUNTIME / module).read_text(
            encoding="utf-8"
        )
    tags = {tag["name"]: tag.get("description", "") for tag in spec.document.get("tags", [])}
    by_tag: dict[str, list[str]] = {}
    for op in operations:
        tag_module = snake_case(op.tag)
        module = snake_case(op.operation_id)
        by_tag.setdefault(op.tag, []).append(module)
        models_used = sorted({op.request_schema, op.response_schema, *op.error_schemas})
        files[f"{PACKAGE}/api/{tag_module}/{module}.py"] = _render(
            "endpoint.py.jinja2", op=op, models=models_used
        )
    for tag, modules in sorted(by_tag.items()):
        files[f"{PACKAGE}/api/{snake_case(tag)}/__init__.py"] = _render(
            "tag_init.py.jinja2",
            tag=tag,
            tag_module=snake_case(tag),
            description=tags.get(tag, ""),
            modules=sorted(modules),
        )
    return files


def render_version_file(*, version: str, spec_version: str) -> str:
    return _render("_version.py.jinja2", version=version, spec_version=spec_version)
