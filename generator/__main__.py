"""`python -m generator [--check] [--root DIR]`: regenerate `generated/` from `openapi/`.

With `--check`, nothing is written: the command prints the diff between the committed
`generated/` and a fresh generation, and exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator import package, spec, tree, versioning
from generator.models import render_models

SPEC_FILE = Path("openapi") / "orq-router.yaml"
OUTPUT_DIR = Path("generated")


def generate(root: Path) -> dict[str, str]:
    """Every file `generated/` should hold, formatted, versioned, by relative path."""
    document = spec.load(root / SPEC_FILE)
    models = render_models(document, package=package.PACKAGE, header=package.HEADER)
    files = tree.format_files(package.render_package(document, models=models))
    existing = tree.existing_files(root / OUTPUT_DIR).get(versioning.LEDGER)
    ledger = versioning.read_ledger(existing)
    sha256 = versioning.content_hash(files)
    version = versioning.choose_version(document.version, sha256, ledger)
    if not any(entry["version"] == version for entry in ledger):
        ledger = [*ledger, {"version": version, "sha256": sha256}]
    # The version template renders ruff-clean text (lint's format check keeps it so), so
    # it needs no second ruff run.
    files[package.VERSION_FILE] = package.render_version_file(
        version=version, spec_version=document.version
    )
    files[versioning.LEDGER] = versioning.write_ledger(ledger, package.HEADER_TEXT)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    files = generate(args.root)
    output = args.root / OUTPUT_DIR
    elapsed = time.perf_counter() - started
    if args.check:
        difference = tree.diff(tree.existing_files(output), files)
        if difference:
            sys.stdout.write(difference)
            print(f"\n{OUTPUT_DIR}/ is stale: run `nox -s generate` and commit the result.")
            return 1
        print(f"{OUTPUT_DIR}/ is up to date ({elapsed:.2f} s).")
        return 0
    changed = tree.write(output, files)
    summary = ", ".join(changed) if changed else "no change"
    print(f"{OUTPUT_DIR}/: {len(files)} files, {summary} ({elapsed:.2f} s).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
