"""The generator on this repository's spec: deterministic, drift-checked, fast."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.__main__ import OUTPUT_DIR, Job, generate
from generator.canonical import Canonicaliser
from generator.package import HEADER_TEXT
from generator.tree import existing_files
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def fresh() -> dict[str, str]:
    return generate(Job.default(ROOT))


def test_generation_is_deterministic_and_matches_the_committed_tree(fresh: dict[str, str]) -> None:
    assert generate(Job.default(ROOT)) == fresh
    assert existing_files(ROOT / OUTPUT_DIR) == fresh


def test_generation_takes_under_five_seconds() -> None:
    started = time.perf_counter()
    generate(Job.default(ROOT))
    assert time.perf_counter() - started < 5.0


def test_every_generated_file_says_it_is_generated(fresh: dict[str, str]) -> None:
    for relative, text in fresh.items():
        assert HEADER_TEXT in text.splitlines()[0] or HEADER_TEXT in text[:300], relative


def _copy_project(destination: Path) -> Path:
    for folder in ("openapi", "generated"):
        shutil.copytree(ROOT / folder, destination / folder)
    return destination


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--check", "--root", str(root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_passes_on_an_untouched_copy(tmp_path: Path) -> None:
    result = _check(_copy_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_check_fails_with_a_diff_after_a_one_line_spec_edit(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    spec = root / "openapi" / "orq-router.yaml"
    text = spec.read_text()
    edited = text.replace(
        "description: A unique identifier representing your end-user",
        "description: The end-user this request is made for",
    )
    assert edited.count("\n") == text.count("\n") and edited != text
    spec.write_text(edited)

    result = _check(root)

    assert result.returncode == 1
    assert "--- a/orq_router_api/models.py" in result.stdout
    assert '+    """The end-user this request is made for"""' in result.stdout
    assert "is stale" in result.stdout
    # --check never writes.
    assert existing_files(root / "generated") == existing_files(ROOT / "generated")


def test_check_fails_after_a_hand_edit_of_generated_code(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    models = root / "generated" / "orq_router_api" / "models.py"
    models.write_text(models.read_text() + "# hand edit\n")
    result = _check(root)
    assert result.returncode == 1
    assert "-# hand edit" in result.stdout


def test_an_unknown_format_is_checked_as_its_type_with_a_warning() -> None:
    document = {
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {
                        "when": {"type": "string", "format": "date-time"},
                        "since": {"type": "string", "format": "date-time"},
                        "size": {"type": "integer", "format": "uint32"},
                    },
                }
            }
        }
    }
    spec = Canonicaliser(document).spec(Path("x.yaml"))
    assert spec.schemas["Thing"]["properties"]["when"] == {"type": "string"}
    assert spec.warnings == (
        "#/components/schemas/Thing/properties/when/format: format 'date-time' is not"
        " checked: the value is checked as a string and 1 more place(s)",
        "#/components/schemas/Thing/properties/size/format: format 'uint32' is not"
        " checked: the value is checked as an integer",
    )
