"""The generator: deterministic, drift-checked, versioned by content."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import versioning
from generator.__main__ import OUTPUT_DIR, generate
from generator.package import HEADER_TEXT
from generator.tree import existing_files
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def fresh() -> dict[str, str]:
    return generate(ROOT)


def test_generation_is_deterministic_and_matches_the_committed_tree(fresh: dict[str, str]) -> None:
    assert generate(ROOT) == fresh
    assert existing_files(ROOT / OUTPUT_DIR) == fresh


def test_generation_takes_under_five_seconds() -> None:
    started = time.perf_counter()
    generate(ROOT)
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


def test_a_changed_output_gets_a_new_version_and_an_old_one_its_old_version() -> None:
    ledger: list[dict[str, str]] = []
    first = versioning.choose_version("1.0.0", "aaa", ledger)
    assert first == "1.0.0"
    ledger.append({"version": first, "sha256": "aaa"})
    second = versioning.choose_version("1.0.0", "bbb", ledger)
    assert second == "1.0.0.post1"
    ledger.append({"version": second, "sha256": "bbb"})
    assert versioning.choose_version("1.0.0", "aaa", ledger) == "1.0.0"
    assert versioning.choose_version("1.0.0", "ccc", ledger) == "1.0.0.post2"
    assert versioning.choose_version("1.1.0", "ccc", ledger) == "1.1.0"


def test_the_committed_version_is_the_ledger_entry_for_the_committed_content(
    fresh: dict[str, str],
) -> None:
    from orq_router_api import __version__

    ledger = versioning.read_ledger(fresh[versioning.LEDGER])
    hashed = {
        path: text
        for path, text in fresh.items()
        if path not in {versioning.LEDGER, "orq_router_api/_version.py"}
    }
    digest = versioning.content_hash(hashed)
    assert {"version": __version__, "sha256": digest} in ledger
    assert len({entry["version"] for entry in ledger}) == len(ledger)


def test_unsupported_schema_shapes_stop_generation() -> None:
    from generator.model_plan import plan_models
    from generator.spec import Spec

    document = {
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {"when": {"type": "string", "format": "date-time"}},
                }
            }
        }
    }
    with pytest.raises(NotImplementedError, match="unsupported format 'date-time'"):
        plan_models(Spec(document=document, path=Path("x.yaml")))
