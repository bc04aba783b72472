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

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "RESULTS.md"
DEFAULT_GOALS = Path(__file__).resolve().parent / "results.json"


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="orq-router vs orq-ai-sdk vs openai vs raw urllib3, on loopback.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: few calls, one round (under 2 minutes)"
    )
    parser.add_argument(
        "--output",
        default=str(DEFAULT_OUTPUT),
        help="where to write the markdown report (overwritten); '' to skip (default: %(default)s)",
    )
    parser.add_argument(
        "--goals",
        default=str(DEFAULT_GOALS),
        help="where to write the goals as JSON (overwritten); '' to skip (default: %(default)s)",
    )
    parser.add_argument(
        "--stdlib",
        action="store_true",
        help="measure orq-router without its `fast` extra (orjson, pybase64 hidden)",
    )
    args = parser.parse_args()
    if args.stdlib:
        os.environ[STDLIB_ONLY] = "1"  # inherited by the cold-start and memory probes
    run.main(run.QUICK if args.quick else run.FULL, args.output or None, args.goals or None)


if __name__ == "__main__":
    main()
