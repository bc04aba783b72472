"""`orq-router embed`: embed a file of inputs (placeholder until it lands)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: Any) -> None:
    command: argparse.ArgumentParser = commands.add_parser("embed", help="embed a file of inputs")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print("orq-router embed: not built yet", file=sys.stderr)
    return 2
