"""`orq-router`: the command line around the SDK and the local router.

- `orq-router serve`: the local AI Router on loopback (needs the `server` extra).
- `orq-router embed`: embed a file of inputs through any router, resumable.

Each subcommand lives in its own module and registers itself; heavy imports (the
server, numpy) happen inside the subcommand that needs them, so `orq-router --help`
stays fast and `import orq_router` never loads this package.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from orq_router._version import __version__
from orq_router.cli import embed, serve

__all__ = ["main"]


def parser() -> argparse.ArgumentParser:
    """The whole command line: one subparser per subcommand module."""
    root = argparse.ArgumentParser(
        prog="orq-router", description="The orq.ai AI Router embeddings SDK's command line."
    )
    root.add_argument("--version", action="version", version=f"orq-router {__version__}")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve.register(commands)
    embed.register(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; its return value is the process's exit code.

    A command line argparse cannot read exits with 2 and a usage line; an unknown flag
    is named, with the closest known one (`--modle`: did you mean --model?).
    """
    root = parser()
    args, unknown = root.parse_known_args(argv)
    if unknown:
        command: argparse.ArgumentParser = getattr(args, "parser", root)
        command.error(_unrecognized(unknown, command))
    code: int = args.run(args)
    return code


def _unrecognized(unknown: Sequence[str], command: argparse.ArgumentParser) -> str:
    import difflib  # only for a mistyped command line: not on every run's start-up

    flags = [item.split("=", 1)[0] for item in unknown if item.startswith("-")]
    if not flags:
        return f"unrecognized arguments: {' '.join(unknown)}"
    known = [option for action in command._actions for option in action.option_strings]
    parts = []
    for flag in flags:
        close = difflib.get_close_matches(flag, known, n=1)
        parts.append(f"{flag} (did you mean {close[0]}?)" if close else flag)
    noun = "option" if len(parts) == 1 else "options"
    return f"unrecognized {noun}: {', '.join(parts)}"
