"""`python -m generator`: an OpenAPI document in, an installable Python package out.

    python -m generator [--spec FILE] [--out DIR] [--package NAME] [--distribution NAME]
                        [--check | --release]

Without `--spec` and `--out` it regenerates this repository's `generated/` from
`openapi/orq-router.yaml` (what `nox -s generate` runs). It writes into DIR only, and
refuses a non-empty DIR that does not hold a generated package.

- `--check` writes nothing: it prints the diff between DIR and a fresh generation
  (code, version, changelog) and exits 1 when there is one.
- `--release` records the current spec and version as the last release (`release.json`),
  the base of the next version (see `generator/versioning.py`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import attrs

from generator import spec as specs
from generator import tree, versioning
from generator.models import render_models
from generator.package import DEFAULT_TARGET, Target, render_package, render_version_file

ROOT = Path(__file__).resolve().parent.parent
SPEC_FILE = Path("openapi") / "orq-router.yaml"
OUTPUT_DIR = Path("generated")


@attrs.frozen
class Job:
    """One generation: which spec, into which folder, under which names."""

    spec_file: Path
    out: Path
    target: Target = DEFAULT_TARGET

    @classmethod
    def default(cls, root: Path = ROOT) -> Job:
        """This repository's spec into its `generated/`."""
        return cls(root / SPEC_FILE, root / OUTPUT_DIR)


def render_code(spec: specs.Spec, target: Target) -> dict[str, str]:
    """Every file of the package but the version, changelog and release record."""
    models = render_models(spec, package=target.package, header=target.header)
    return tree.format_files(render_package(spec, target, models=models))


#: The hash of the code the current generator writes for a recorded spec, by spec and
#: target: it cannot change while this process runs.
_REGENERATED: dict[tuple[str, Target], str] = {}


def generate(job: Job, *, release: bool = False) -> dict[str, str]:
    """Every file the output folder should hold, formatted and versioned, by relative path."""
    spec = specs.load(job.spec_file)
    files = render_code(spec, job.target)
    existing = tree.existing_files(job.out)
    record = versioning.read_record(existing.get(versioning.RECORD))
    sha256 = versioning.content_hash(files)

    def regenerate(document: specs.JsonObject) -> str:
        key = (json.dumps(document, sort_keys=True), job.target)
        if key not in _REGENERATED:
            old = specs.Canonicaliser(document).spec(job.spec_file)
            _REGENERATED[key] = versioning.content_hash(render_code(old, job.target))
        return _REGENERATED[key]

    entry = versioning.next_entry(record, spec, sha256, regenerate)
    if release and (record is None or entry.version != record.version):
        history = (entry, *(record.history if record is not None else ()))
        record = versioning.Record(entry.version, sha256, spec.document, history)
    target = job.target
    files[target.version_file] = render_version_file(
        target, version=entry.version, spec_version=spec.version
    )
    files[versioning.CHANGELOG] = versioning.render_changelog(
        distribution=target.distribution,
        header_text=target.header_text,
        current=entry,
        record=record,
    )
    if record is not None:
        files[versioning.RECORD] = versioning.write_record(record, target.header_text)
    return files


def _display(path: Path, root: Path) -> str:
    """A path as the output's header names it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def make_job(
    *,
    root: Path = ROOT,
    spec: Path | None = None,
    out: Path | None = None,
    package: str | None = None,
    distribution: str | None = None,
) -> Job:
    """The job the command line describes; `root` anchors the defaults and the header."""
    default = Job.default(root)
    spec_file = spec or default.spec_file
    out = out or default.out
    package = package or (distribution or "").replace("-", "_") or None
    distribution = distribution or (package.replace("_", "-") if package else None)
    if (spec_file, out, package, distribution) == (default.spec_file, default.out, None, None):
        return default
    spec_name, out_name = _display(spec_file, root), _display(out, root)
    target = Target(
        package=package or DEFAULT_TARGET.package,
        distribution=distribution or DEFAULT_TARGET.distribution,
        spec_name=spec_name,
        command=f"python -m generator --spec {spec_name} --out {out_name}"
        + (f" --package {package}" if package else ""),
    )
    return Job(spec_file, out, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--spec", type=Path, help="the OpenAPI document (YAML or JSON)")
    parser.add_argument("--out", type=Path, help="the folder to write the package into")
    parser.add_argument("--package", help="the import name (default orq_router_api)")
    parser.add_argument("--distribution", help="the distribution name (default orq-router-api)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="compare, do not write")
    mode.add_argument("--release", action="store_true", help="record this as the last release")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    job = make_job(
        root=args.root,
        spec=args.spec,
        out=args.out,
        package=args.package,
        distribution=args.distribution,
    )
    shown = _display(job.out, args.root)
    started = time.perf_counter()
    try:
        if not args.check:
            tree.check_writable(job.out)
        files = generate(job, release=args.release)
    except specs.UnsupportedSpec as error:
        print(f"{job.spec_file}: {error}", file=sys.stderr)
        return 2
    except tree.NotGenerated as error:
        print(error, file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    version = files[job.target.version_file].split('__version__ = "')[1].split('"')[0]
    if args.check:
        difference = tree.diff(tree.existing_files(job.out), files)
        if difference:
            sys.stdout.write(difference)
            print(f"\n{shown}/ is stale: run `{job.target.command}` and commit the result.")
            return 1
        print(f"{shown}/ is up to date, version {version} ({elapsed:.2f} s).")
        return 0
    changed = tree.write(job.out, files)
    summary = ", ".join(changed) if changed else "no change"
    print(f"{shown}/: version {version}, {len(files)} files, {summary} ({elapsed:.2f} s).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
