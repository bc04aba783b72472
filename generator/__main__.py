"""`python -m generator`: an OpenAPI document in, an installable Python package out.

    python -m generator [--spec FILE] [--out DIR] [--package NAME] [--distribution NAME]
                        [--operation ID ...] [--lenient] [--check | --release]

Without `--spec` and `--out` it regenerates this repository's `generated/` from
`openapi/orq-router.yaml` (what `nox -s generate` runs). It writes into DIR only, and
refuses a non-empty DIR that does not hold a generated package.

- `--operation ID` (repeatable) generates only these operations (by operationId) and
  what they use: the rest of the document may hold what this generator cannot write.
- `--lenient` repairs common mistakes of real documents instead of refusing them, with a
  warning each: a default that does not fit its schema, a `type` contradicting the
  union beside it, an API key header written `Authorization: Bearer`.
- `--check` writes nothing: it prints the diff between DIR and a fresh generation
  (code, version, changelog) and exits 1 when there is one.
- `--release` records the current spec and version as the last release (`release.json`),
  the base of the next version (see `generator/versioning.py`).

What cannot be generated stops it with one line naming the place in the document (its
JSON pointer) and why, and exit status 2; warnings go to stderr and do not stop it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import attrs

from generator import spec as specs
from generator import tree, versioning
from generator.canonical import Canonicaliser
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
    operations: tuple[str, ...] = ()
    """The operationIds to generate (all when empty)."""
    lenient: bool = False

    @classmethod
    def default(cls, root: Path = ROOT) -> Job:
        """This repository's spec into its `generated/`."""
        return cls(root / SPEC_FILE, root / OUTPUT_DIR)


def render_code(spec: specs.Spec, target: Target) -> dict[str, str]:
    """Every file of the package but the version, changelog and release record."""
    if not spec.operation_list:
        raise specs.UnsupportedSpec("#/paths", "the document has no operation to generate")
    models, plan = render_models(spec, package=target.package, header=target.header)
    return tree.format_files(render_package(spec, target, plan=plan, models=models))


#: The hash of the code the current generator writes for a recorded spec, by spec and
#: target: it cannot change while this process runs.
_REGENERATED: dict[tuple[str, Target], str] = {}


def generate(
    job: Job, *, release: bool = False, warn: Callable[[str], None] | None = None
) -> dict[str, str]:
    """Every file the output folder should hold, formatted and versioned, by relative path.

    `warn` is given each warning (a repair, a format that is not checked), one line each.
    """
    spec = specs.load(job.spec_file, operations=job.operations, lenient=job.lenient)
    for warning in spec.warnings:
        if warn is not None:
            warn(warning)
    files = render_code(spec, job.target)
    existing = tree.existing_files(job.out)
    record = versioning.read_record(existing.get(versioning.RECORD))
    sha256 = versioning.content_hash(files)

    def regenerate(document: specs.JsonObject) -> str:
        key = (json.dumps(document, sort_keys=True), job.target)
        if key not in _REGENERATED:
            old = Canonicaliser(document, lenient=job.lenient).spec(job.spec_file)
            _REGENERATED[key] = versioning.content_hash(render_code(old, job.target))
        return _REGENERATED[key]

    entry = versioning.next_entry(record, spec, sha256, regenerate, lenient=job.lenient)
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


def survey(spec_file: Path, *, lenient: bool = False) -> list[tuple[str, specs.SpecError | None]]:
    """Each operation of the document (by name: `spec.operation_name`), and why it
    cannot be generated (None: it can).

    Every operation is read on its own, with what it uses, as `--operation` would: the
    document is read once, each operation's schemas and nodes are checked (the model
    engine is not run).
    """
    from generator import document, model_plan

    raw = document.read(spec_file)
    found: list[tuple[str, specs.SpecError | None]] = []
    for operation_id, _ in document.operations(raw):
        try:
            spec = specs.build(raw, spec_file, operations=[operation_id], lenient=lenient)
            model_plan.plan(spec, model_plan.Names())
        except specs.SpecError as error:
            found.append((operation_id, error))
        else:
            found.append((operation_id, None))
    return found


def _list_operations(job: Job) -> int:
    """`--list-operations`: one line an operation, `ok` or why not; 0 when all are ok."""
    try:
        found = survey(job.spec_file, lenient=job.lenient)
    except specs.SpecError as error:
        print(f"{job.spec_file}: {error}", file=sys.stderr)
        return 2
    for operation_id, refusal in found:
        print(f"{operation_id}: {'ok' if refusal is None else refusal}")
    supported = sum(refusal is None for _, refusal in found)
    print(f"{supported} of {len(found)} operations can be generated.", file=sys.stderr)
    return 0 if supported == len(found) else 1


def _warn(job: Job) -> Callable[[str], None]:
    def warn(text: str) -> None:
        print(f"{job.spec_file}: warning: {text}", file=sys.stderr)

    return warn


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
    operations: tuple[str, ...] = (),
    lenient: bool = False,
) -> Job:
    """The job the command line describes; `root` anchors the defaults and the header."""
    default = Job.default(root)
    spec_file = spec or default.spec_file
    out = out or default.out
    package = package or (distribution or "").replace("-", "_") or None
    distribution = distribution or (package.replace("_", "-") if package else None)
    if (spec_file, out, package, distribution, operations, lenient) == (
        default.spec_file, default.out, None, None, (), False,
    ):  # fmt: skip
        return default
    spec_name, out_name = _display(spec_file, root), _display(out, root)
    command = f"python -m generator --spec {spec_name} --out {out_name}"
    command += f" --package {package}" if package else ""
    command += "".join(f" --operation {operation}" for operation in operations)
    command += " --lenient" if lenient else ""
    target = Target(
        package=package or DEFAULT_TARGET.package,
        distribution=distribution or DEFAULT_TARGET.distribution,
        spec_name=spec_name,
        command=command,
    )
    return Job(spec_file, out, target, operations, lenient)


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
    parser.add_argument(
        "--operation",
        action="append",
        default=[],
        metavar="ID",
        help="generate only this operation (by operationId); repeat for more",
    )
    parser.add_argument(
        "--lenient", action="store_true", help="repair common mistakes, with a warning each"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="compare, do not write")
    mode.add_argument("--release", action="store_true", help="record this as the last release")
    mode.add_argument(
        "--list-operations",
        action="store_true",
        help="list each operation and whether it can be generated (writes nothing)",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    job = make_job(
        root=args.root,
        spec=args.spec,
        out=args.out,
        package=args.package,
        distribution=args.distribution,
        operations=tuple(args.operation),
        lenient=args.lenient,
    )
    if args.list_operations:
        return _list_operations(job)
    shown = _display(job.out, args.root)
    started = time.perf_counter()
    try:
        if not args.check:
            tree.check_writable(job.out)
        files = generate(job, release=args.release, warn=_warn(job))
    except specs.SpecError as error:
        hint = ""
        if isinstance(error, specs.UnsupportedSpec) and error.pointer.startswith("#/paths/"):
            hint = " (--operation ID generates the others)"
        print(f"{job.spec_file}: {error}{hint}", file=sys.stderr)
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
