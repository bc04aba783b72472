"""`orq-router serve`: the local AI Router (needs the `server` extra).

    orq-router serve [--host 127.0.0.1] [--port 8787] [--config FILE] [--workers N]
                     [--grace-seconds S]

In this order, each step one line on stderr and a non-zero exit when it fails, before
anything slow happens: the configuration is read and checked (exit 2), so is what it
needs from the environment (an `api_key_env`, the `minilm` extra, a Redis that answers;
exit 2), then the port is bound (exit 1). Then it prints the URL it listens on and
answers at once (`/health` 200, `/ready` 503) while the models load; `/ready` turns 200
once they have. Every line on stderr is one JSON object (a request, or a log record).

SIGTERM or SIGINT drains (`/ready` 503, requests in flight get `--grace-seconds`, then a
JSON 503) and stops (exit 0). SIGHUP reloads `--config`; a file that is refused keeps
the running configuration, with one line. `--workers N` runs N uvicorn worker processes
on the one socket; with `state = "redis://..."` they share the cache and the limits,
and `/metrics` adds up all of them (prometheus-client's multiprocess mode).

The server is imported only here, when the command runs: `import orq_router` stays light.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
from types import FrameType
from typing import Any

from orq_router._hosts import is_loopback

__all__ = ["register", "run"]

PROG = "orq-router serve"
MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"


def register(commands: Any) -> None:
    command: argparse.ArgumentParser = commands.add_parser(
        "serve",
        help="run the local AI Router (needs the server extra)",
        description=(
            "Run the local AI Router: POST /v2/router/embeddings (the orq.ai spec) and"
            " POST /v1/embeddings (OpenAI's form), with real retry, fallbacks, load"
            " balancing, timeouts, cache and limits; GET /health, /ready and /metrics."
            " Without --config it serves local/hashing-384 and, with the minilm extra,"
            " local/all-minilm-l6-v2, and needs no key."
        ),
    )
    command.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    command.add_argument("--port", type=int, default=8787, help="port, 0 for any free (8787)")
    command.add_argument("--config", metavar="FILE", help="TOML: models, keys, limits, state")
    command.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="worker processes on the one port (1); share state with state = 'redis://...'",
    )
    command.add_argument(
        "--grace-seconds",
        type=float,
        default=5.0,
        metavar="S",
        help="on SIGTERM, how long requests in flight may still take (5)",
    )
    command.set_defaults(run=run)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class _Stop(Exception):
    """SIGINT or SIGTERM: uvicorn re-raises the signal once it has shut down."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def _say(message: str, level: str = "error") -> None:
    """One line on stderr, as a JSON object like every other line there."""
    line = {"level": level, "logger": "orq_router.cli", "message": f"{PROG}: {message}"}
    print(json.dumps(line, ensure_ascii=False), file=sys.stderr, flush=True)


def _fail(message: str, code: int = 2) -> int:
    _say(message)
    return code


def run(args: argparse.Namespace) -> int:
    multiproc_dir = None
    if args.workers > 1 and not os.environ.get(MULTIPROC_DIR):
        # prometheus-client reads it when first imported, in every worker: set it first.
        multiproc_dir = tempfile.mkdtemp(prefix="orq-router-metrics-")
        os.environ[MULTIPROC_DIR] = multiproc_dir
    try:
        return _run(args)
    finally:
        if multiproc_dir is not None:
            shutil.rmtree(multiproc_dir, ignore_errors=True)
            os.environ.pop(MULTIPROC_DIR, None)


def _run(args: argparse.Namespace) -> int:
    try:
        from orq_router_server import ConfigError
        from orq_router_server.requestlog import json_stderr
        from orq_router_server.running import (
            ServedApp,
            ServeSettings,
            Supervisor,
            bind,
            read_config,
            served_config,
            url_of,
        )
        from orq_router_server.state import check_redis
    except ImportError as error:
        missing = (error.name or "a module").split(".")[0]
        return _fail(
            f"needs the server extra ({missing} is missing): pip install 'orq-router[server]'"
        )
    json_stderr()
    try:
        config = read_config(args.config)
    except ConfigError as error:
        return _fail(f"bad config: {error}")
    if config.state != "memory":
        try:
            check_redis(config.state)
        except OSError as error:
            return _fail(f"bad config: state: {error}")
    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}", 1)
    if config.api_keys is None and not is_loopback(args.host):
        _say(
            f"warning: {args.host} is not loopback and no api_keys are configured:"
            " anyone who can reach it can use it",
            "warning",
        )
    if args.workers > 1 and config.state == "memory":
        _say(
            f"warning: {args.workers} workers with state = 'memory': each keeps its own cache"
            " and limits (state = 'redis://...' shares them)",
            "warning",
        )
    settings = ServeSettings(
        config_path=args.config, grace_s=args.grace_seconds, workers=args.workers
    )
    app = ServedApp(settings)
    uvicorn_config = served_config(app, settings)
    print(f"{PROG}: listening on {url_of(sock)}", flush=True)
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if args.workers > 1:
            supervisor = Supervisor(uvicorn_config, [sock], args.config)
            supervisor.run()
            print(f"{PROG}: stopped ({supervisor.stopped_by or 'a worker failed'})", flush=True)
            return 0 if supervisor.stopped_by else 2
        import uvicorn

        uvicorn.Server(uvicorn_config).run(sockets=[sock])
    except _Stop as stop:
        if app.lifecycle is not None and app.lifecycle.failed is not None:
            return 2
        print(f"{PROG}: stopped ({stop})", flush=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
    return 0
