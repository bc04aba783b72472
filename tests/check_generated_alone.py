"""Run by `nox -s package` in an environment holding only `pip install ./generated`.

Proves the generated distribution stands alone: it installs with nothing but its declared
dependencies, imports, and never reaches for a module outside them and the stdlib.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
import sys

DECLARED = {"attrs", "urllib3"}
EXTRAS = {"async": {"aiohttp"}}
"""Optional dependencies, by extra: importing the package must never need them."""

before = set(sys.modules)
package = importlib.import_module("orq_router_api")
for module in pkgutil.walk_packages(package.__path__, prefix="orq_router_api."):
    importlib.import_module(module.name)

distribution = importlib.metadata.distribution("orq-router-api")


def _name(requirement: str) -> str:
    return requirement.split(";")[0].split(">")[0].split("<")[0].split("=")[0].strip()


def _extra(requirement: str) -> str | None:
    """The extra a requirement belongs to (its marker, quoted either way), or None."""
    marker = requirement.partition(";")[2].replace("'", '"')
    return marker.split('extra == "')[1].split('"')[0] if 'extra == "' in marker else None


requires = {_name(req) for req in distribution.requires or [] if _extra(req) is None}
assert requires == DECLARED, f"declared dependencies changed: {requires}"
extras = {
    extra: {_name(req) for req in distribution.requires or [] if _extra(req) == extra}
    for extra in EXTRAS
}
assert extras == EXTRAS, f"optional dependencies changed: {extras}"

loaded = {name.split(".")[0] for name in set(sys.modules) - before}
owners = importlib.metadata.packages_distributions()
allowed = DECLARED | {"orq-router-api"}
foreign = sorted(
    name
    for name in loaded
    if name not in sys.stdlib_module_names
    and not name.startswith("_")
    and not set(owners.get(name, [name])) & allowed
)
assert not foreign, f"orq_router_api imported modules outside its dependencies: {foreign}"

from orq_router_api.models import CreateEmbeddingRequest  # noqa: E402

body = CreateEmbeddingRequest(input="hello", model="openai/text-embedding-3-small").to_dict()
assert body == {"input": "hello", "model": "openai/text-embedding-3-small"}, body
print(f"orq-router-api {package.__version__}: installs and imports with only {sorted(DECLARED)}.")
