"""`orq-router serve`: the local AI Router (placeholder until the server lands)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: Any) -> None:
    command: argparse.ArgumentParser = commands.add_parser("serve", help="run the local router")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print("orq-router serve: not built yet", file=sys.stderr)
    return 2
