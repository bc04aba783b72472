"""`python -m bench.readme [--check]`: the README's performance tables, from the results.

The table between the `<!-- bench:goals -->` markers of README.md is rendered from
`bench/results.json` (written by `nox -s bench`), and the one between the
`<!-- bench:goals:stdlib -->` markers, when README.md has them, from
`bench/results-stdlib.json` (`nox -s bench -- --stdlib`: orq-router without its `fast`
extra); never typed by hand. `--check` (and a test) fails when they disagree.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
README: Final = ROOT / "README.md"
RESULTS: Final = ROOT / "bench" / "results.json"
START: Final = "<!-- bench:goals -->"
END: Final = "<!-- /bench:goals -->"
STDLIB_RESULTS: Final = ROOT / "bench" / "results-stdlib.json"
STDLIB_START: Final = "<!-- bench:goals:stdlib -->"
STDLIB_END: Final = "<!-- /bench:goals:stdlib -->"


def table(results: dict[str, Any], source: str = "bench/results.json") -> str:
    """The goals of one run as a markdown table, with where and when it ran."""
    lines = [
        "| goal | measured ratio | target | |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, goal in results["goals"].items():
        ratio = "-" if goal["ratio"] is None else f"{goal['ratio']:.3f}"
        verdict = "met" if goal["met"] else "**not met**"
        lines.append(
            f"| `{name}` | {ratio} | {goal['comparison']} {goal['target']:.2f} | {verdict} |"
        )
    facts = results["environment"]
    run = "quick run" if results["quick"] else "full run"
    reads = facts.get("orq_router_reads_with")
    lines += [
        "",
        f"From `{source}`: {run} of {facts['date']}, Python {facts['python']},"
        f" {facts['machine']}." + (f" orq-router read the answers with {reads}." if reads else ""),
    ]
    return "\n".join(lines)


def rendered(
    readme: str,
    results: dict[str, Any],
    start: str = START,
    end: str = END,
    source: str = "bench/results.json",
) -> str:
    """The README with the text between the markers replaced by the table."""
    head, found_start, rest = readme.partition(start)
    _, found_end, tail = rest.partition(end)
    if not found_start or not found_end:
        raise ValueError(f"README.md needs the markers {start} and {end}")
    return f"{head}{start}\n{table(results, source)}\n{end}{tail}"


def rendered_all(readme: str) -> str:
    """The README with every table it has markers for rendered from its results file."""
    readme = rendered(readme, json.loads(RESULTS.read_text(encoding="utf-8")))
    if STDLIB_START in readme:
        stdlib = json.loads(STDLIB_RESULTS.read_text(encoding="utf-8"))
        readme = rendered(readme, stdlib, STDLIB_START, STDLIB_END, "bench/results-stdlib.json")
    return readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.readme", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    readme = README.read_text(encoding="utf-8")
    wanted = rendered_all(readme)
    if readme == wanted:
        print("README.md's performance tables match bench/results*.json")
        return 0
    if args.check:
        print("README.md's performance tables are stale: run `python -m bench.readme`")
        return 1
    README.write_text(wanted, encoding="utf-8")
    print("README.md's performance tables rewritten from bench/results*.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
