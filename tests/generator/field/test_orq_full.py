"""The whole orq.ai document (`../shared/specs/orq-official-full.yaml`, 279 operations).

Every operation the generator supports generates into one package, which imports; the
operations it cannot write are named below with the reason, each checked to be refused
for that reason alone (`--operation` leaves them out). Slow: `nox -s field` runs it, and
it is skipped when `../shared` is not beside this checkout.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import document, model_plan
from generator import spec as specs
from generator.__main__ import main
from tests.generator import SHARED

FULL = SHARED / "specs" / "orq-official-full.yaml"
PACKAGE = "orq_full_api"

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("ORQ_FIELD"), reason="slow: `nox -s field` runs it (ORQ_FIELD=1)"
    ),
    pytest.mark.skipif(not FULL.exists(), reason="../shared/specs is not beside this checkout"),
]

#: The operations this generator cannot write, and why (a part of the refusal).
SKIPPED = {
    "DeploymentStream": "this one is text/event-stream",
    "StreamRunAgent": "this one is text/event-stream",
    "StreamAgent": "this one is text/event-stream",
    "createImageEdit": "this one is multipart/form-data",
    "createImageVariation": "this one is multipart/form-data",
    "createTranscription": "this one is multipart/form-data",
    "createTranslation": "this one is multipart/form-data",
    "SearchKnowledge": "anyOf next to ['properties'] is not supported",
    "NotifierUpdate": "unsupported keyword(s) minProperties",
}


@pytest.fixture(scope="module")
def raw() -> dict[str, object]:
    return document.read(FULL)


@pytest.mark.parametrize("operation", sorted(SKIPPED))
def test_an_operation_it_cannot_write_is_refused_for_its_reason(
    raw: dict[str, object], operation: str
) -> None:
    with pytest.raises(specs.SpecError) as caught:
        spec = specs.build(raw, FULL, operations=[operation])
        model_plan.plan(spec, model_plan.Names())
    assert SKIPPED[operation] in caught.value.what
    assert caught.value.pointer.startswith("#/")


@pytest.fixture(scope="module")
def package(raw: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    supported = [name for name in document.operation_ids(raw) if name not in SKIPPED]
    out = tmp_path_factory.mktemp("orq-full") / "out"
    arguments = ["--spec", str(FULL), "--out", str(out), "--package", PACKAGE]
    arguments += [part for name in supported for part in ("--operation", name)]
    assert main(arguments) == 0
    sys.path.insert(0, str(out))
    try:
        yield out
    finally:
        sys.path.remove(str(out))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_every_other_operation_generates_and_every_module_imports(
    raw: dict[str, object], package: Path
) -> None:
    module = importlib.import_module(PACKAGE)
    names = {
        found.name
        for found in pkgutil.walk_packages(module.__path__, prefix=f"{PACKAGE}.")
        if importlib.import_module(found.name)
    }
    operations = [name for name in names if name.count(".") == 3]
    assert len(operations) == len(document.operation_ids(raw)) - len(SKIPPED)
    assert f"{PACKAGE}.api.embeddings.create_embedding" in names
