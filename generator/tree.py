"""Format the rendered files with ruff, then write them to, or compare them with, disk."""

from __future__ import annotations

import difflib
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

#: Files that tools leave in `generated/` and that are not the generator's business.
_IGNORED_PARTS = frozenset(
    {"__pycache__", "build", "dist", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
)


def format_files(files: Mapping[str, str]) -> dict[str, str]:
    """The files after ruff's import sorting and formatting, with the output's own config."""
    with tempfile.TemporaryDirectory(prefix="orq-generate-") as scratch:
        root = Path(scratch)
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        config = ["--config", str(root / "pyproject.toml")]
        ruff = [sys.executable, "-m", "ruff"]
        # I: import order; F401, F811: imports a template offers but a spec does not use,
        # or that the model engine repeats.
        subprocess.run([*ruff, "check", "--quiet", "--fix", "--select", "I,F401,F811", *config,
                        "."], cwd=root, check=True)  # fmt: skip
        subprocess.run([*ruff, "format", "--quiet", *config, "."], cwd=root, check=True)
        return {relative: (root / relative).read_text(encoding="utf-8") for relative in files}


class NotGenerated(Exception):
    """The output folder holds something else than a generated package: it is left alone."""


def check_writable(root: Path) -> None:
    """Refuse to write into a non-empty folder that the generator did not write."""
    if not root.exists() or not any(root.iterdir()):
        return
    marker = root / "pyproject.toml"
    if not marker.is_file() or not marker.read_text(encoding="utf-8").startswith("# Generated"):
        raise NotGenerated(f"{root} is not empty and holds no generated package: not writing")


def existing_files(root: Path) -> dict[str, str]:
    """The text files under `root` that the generator owns, by relative path."""
    if not root.exists():
        return {}
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not _ignored(relative):
            found[relative.as_posix()] = path.read_text(encoding="utf-8")
    return found


def _ignored(relative: Path) -> bool:
    return any(part in _IGNORED_PARTS or part.endswith(".egg-info") for part in relative.parts)


def diff(old: Mapping[str, str], new: Mapping[str, str]) -> str:
    """A unified diff from `old` to `new` (empty when they are the same)."""
    chunks: list[str] = []
    for relative in sorted(old.keys() | new.keys()):
        before, after = old.get(relative), new.get(relative)
        if before == after:
            continue
        chunks.extend(
            difflib.unified_diff(
                (before or "").splitlines(keepends=True),
                (after or "").splitlines(keepends=True),
                fromfile=f"a/{relative}" if before is not None else "/dev/null",
                tofile=f"b/{relative}" if after is not None else "/dev/null",
            )
        )
    return "".join(chunks)


def write(root: Path, files: Mapping[str, str]) -> list[str]:
    """Make `root` hold exactly `files`; return the paths that changed."""
    old = existing_files(root)
    changed = []
    for relative, text in files.items():
        if old.get(relative) != text:
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(relative)
    for relative in old.keys() - files.keys():
        (root / relative).unlink()
        changed.append(relative)
    for folder in sorted(root.rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return sorted(changed)
