"""`python -m bench [--quick] [--output PATH]`: run the benchmark and print the report.

The `__main__` guard matters: the server process is started with multiprocessing's
spawn method, which imports this module again in the child.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench import run
from bench.clients import STDLIB_ONLY

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "RESULTS.md"
DEFAULT_GOALS = HERE / "results.json"
STDLIB_OUTPUT = HERE / "RESULTS-stdlib.md"
STDLIB_GOALS = HERE / "results-stdlib.json"


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="orq-router vs orq-ai-sdk vs openai vs raw urllib3, on loopback.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: few calls, one round (a few minutes)"
    )
    parser.add_argument(
        "--output",
        help="where to write the markdown report (overwritten); '' to skip"
        f" (default: {DEFAULT_OUTPUT.name}, or {STDLIB_OUTPUT.name} with --stdlib, in bench/)",
    )
    parser.add_argument(
        "--goals",
        help="where to write the goals as JSON (overwritten); '' to skip"
        f" (default: {DEFAULT_GOALS.name}, or {STDLIB_GOALS.name} with --stdlib, in bench/)",
    )
    parser.add_argument(
        "--stdlib",
        action="store_true",
        help="measure orq-router without its `fast` extra (orjson, pybase64 hidden)",
    )
    args = parser.parse_args()
    output: Path | None = STDLIB_OUTPUT if args.stdlib else DEFAULT_OUTPUT
    goals: Path | None = STDLIB_GOALS if args.stdlib else DEFAULT_GOALS
    if args.output is not None:
        output = Path(args.output) if args.output else None
    if args.goals is not None:
        goals = Path(args.goals) if args.goals else None
    if args.stdlib:
        os.environ[STDLIB_ONLY] = "1"  # inherited by the cold-start and memory probes
    run.main(
        run.QUICK if args.quick else run.FULL,
        str(output) if output else None,
        str(goals) if goals else None,
    )


if __name__ == "__main__":
    main()
