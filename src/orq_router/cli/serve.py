"""`orq-router serve`: the local AI Router on loopback (needs the `server` extra).

    orq-router serve [--host 127.0.0.1] [--port 8787] [--config FILE]

Prints the URL it listens on, then one JSON line per request on stderr; stops cleanly
(exit 0) on SIGINT or SIGTERM. A bad configuration, a missing extra or a taken port is
one line on stderr and exit 2 (1 for the port), never a traceback. The server is
imported only here, when the command runs: `import orq_router` stays light.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from types import FrameType
from typing import Any

from orq_router._hosts import is_loopback

__all__ = ["register", "run"]

PROG = "orq-router serve"


def register(commands: Any) -> None:
    command: argparse.ArgumentParser = commands.add_parser(
        "serve",
        help="run the local AI Router (needs the server extra)",
        description=(
            "Run the local AI Router: POST /v2/router/embeddings (the orq.ai spec) and"
            " POST /v1/embeddings (OpenAI's form), with real retry, fallbacks, load"
            " balancing, timeouts and cache. Without --config it serves local/hashing-384"
            " and, with the minilm extra, local/all-minilm-l6-v2, and needs no key."
        ),
    )
    command.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    command.add_argument("--port", type=int, default=8787, help="port, 0 for any free (8787)")
    command.add_argument("--config", metavar="FILE", help="TOML: models, keys, limits")
    command.set_defaults(run=run)


class _Stop(Exception):
    """SIGINT or SIGTERM: uvicorn re-raises the signal once it has shut down."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def _fail(message: str, code: int = 2) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    try:
        from orq_router_server import (
            ConfigError,
            LocalRouter,
            create_app,
            default_config,
            load_config,
        )
        from orq_router_server.running import bind, url_of, uvicorn_server
    except ImportError as error:
        missing = (error.name or "a module").split(".")[0]
        return _fail(
            f"needs the server extra ({missing} is missing): pip install 'orq-router[server]'"
        )
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    started = time.perf_counter()
    try:
        config = load_config(args.config) if args.config else default_config()
        router = LocalRouter(config)
    except ConfigError as error:
        return _fail(f"bad config: {error}")
    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}", 1)
    if config.api_keys is None and not is_loopback(args.host):
        print(
            f"{PROG}: warning: {args.host} is not loopback and no api_keys are configured:"
            " anyone who can reach it can use it",
            file=sys.stderr,
        )
    server = uvicorn_server(create_app(router))
    print(f"{PROG}: listening on {url_of(sock)}", flush=True)
    print(
        f"{PROG}: models {', '.join(router.models)}"
        f" (ready in {time.perf_counter() - started:.1f} s); Ctrl-C stops",
        flush=True,
    )
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[sock])
    except _Stop as stop:
        print(f"{PROG}: stopped ({stop})", flush=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
    return 0
