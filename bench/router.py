"""The local router's own cost: `orq-router serve` against a bare app, and LiteLLM beside it.

Three servers, each its own process, driven by the same load generator (raw HTTP/1.1
over asyncio, keep-alive, `concurrency` connections each sending back to back):

- `bare`: a Starlette app on uvicorn (same settings, so httptools and uvloop when they
  are installed) whose one route returns a precomputed body: the router's own answer
  to the request below, fetched from it once. It does no work at all: the floor of a
  Python ASGI server answering this request.
- `router`: `orq-router serve` with the hashing model (`local/hashing-384`): the request
  is one short sentence, in base64 (what this SDK and openai ask for).
- `litellm`: LiteLLM's proxy (`litellm[proxy]==1.106.12`, its own virtualenv: its pins
  clash with ours) with one model, `openai/local/hashing-384` at the router's `/v1`, so
  every request goes through LiteLLM, then the router. Reported beside, not a goal of
  ours to meet: it shows what a general-purpose proxy costs in front of the same router.

CPU per request is the server process tree's own CPU time (user + system, every thread,
from /proc) over the requests it answered; throughput is requests over wall time. The
client runs on the other core; on two cores nothing else should run meanwhile. Each
figure is the median of `rounds` rounds, the servers interleaved within a round.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

HOST: Final = "127.0.0.1"
MODEL: Final = "local/hashing-384"
REQUEST: Final = {
    "input": "The quick brown fox jumps over the lazy dog",
    "model": MODEL,
    "encoding_format": "base64",
}
CONCURRENCY: Final = (1, 8, 32)
LITELLM_ENV: Final = "ORQ_BENCH_LITELLM"
"""The `litellm` command of LiteLLM's own virtualenv (the bench session sets it)."""
LITELLM_KEY: Final = "sk-bench-litellm-0000"
START_TIMEOUT_S: Final = 120.0


@dataclass(frozen=True)
class Load:
    """How many requests per server and concurrency, in how many rounds."""

    requests: int
    rounds: int
    litellm_requests: int


FULL: Final = Load(requests=3000, rounds=3, litellm_requests=300)
QUICK: Final = Load(requests=400, rounds=1, litellm_requests=60)


@dataclass
class Figures:
    """One server at one concurrency: CPU ms per request and requests/s, per round."""

    cpu_ms: list[float] = field(default_factory=list)
    per_s: list[float] = field(default_factory=list)
    errors: int = 0

    def cpu(self) -> float | None:
        return statistics.median(self.cpu_ms) if self.cpu_ms else None

    def throughput(self) -> float | None:
        return statistics.median(self.per_s) if self.per_s else None


@dataclass
class RouterResults:
    """`figures[server][concurrency]`, and why a server could not be measured."""

    figures: dict[str, dict[int, Figures]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    body_bytes: int = 0

    def cpu(self, server: str) -> float | None:
        """CPU ms per request over every concurrency (the median rounds, averaged)."""
        values = [f.cpu() for f in self.figures.get(server, {}).values()]
        found = [v for v in values if v is not None]
        return statistics.fmean(found) if found else None

    def throughput(self, server: str, concurrency: int) -> float | None:
        figures = self.figures.get(server, {}).get(concurrency)
        return figures.throughput() if figures else None


# --- the load generator -----------------------------------------------------------------


def _request_bytes(path: str, body: bytes, key: str | None) -> bytes:
    head = [
        f"POST {path} HTTP/1.1",
        f"Host: {HOST}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
    ]
    if key:
        head.append(f"Authorization: Bearer {key}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _connection(port: int, request: bytes, count: int, failures: list[int]) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        for _ in range(count):
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            if status != 200:
                failures.append(status)
    finally:
        writer.close()


def drive(
    port: int, path: str, body: bytes, *, concurrency: int, total: int, key: str | None = None
) -> tuple[float, int]:
    """Send `total` requests over `concurrency` connections; wall seconds and failures."""
    request = _request_bytes(path, body, key)
    share = [
        total // concurrency + (1 if i < total % concurrency else 0) for i in range(concurrency)
    ]
    failures: list[int] = []

    async def run() -> None:
        await asyncio.gather(*(_connection(port, request, n, failures) for n in share if n))

    started = time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - started, len(failures)


# --- CPU time of a process tree, from /proc --------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of `pid` and its descendants, every thread (schedstat, ns)."""
    total = 0.0
    stack = [pid]
    while stack:
        current = stack.pop()
        for stat in Path(f"/proc/{current}/task").glob("*/schedstat"):
            try:
                total += int(stat.read_text().split()[0]) / 1e9
            except (OSError, ValueError, IndexError):
                continue
        stack += _children(current)
    return total


# --- the servers --------------------------------------------------------------------------


@dataclass
class Running:
    name: str
    process: subprocess.Popen[str]
    port: int
    path: str
    key: str | None = None


def _wait_port(process: subprocess.Popen[str], pattern: str) -> int:
    """The port from the process's first stdout line holding `pattern` (`...:PORT`)."""
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"exited with {process.wait()}")
        if pattern in line:
            return int(line.strip().rsplit(":", 1)[-1].strip("/"))
    raise RuntimeError("did not start in time")


def _ready(port: int, path: str, body: bytes, key: str | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            _, failures = drive(port, path, body, concurrency=1, total=1, key=key)
            if not failures:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("never answered 200")
        time.sleep(0.2)


@contextmanager
def _process(command: Sequence[str], **kwargs: object) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def router_server(
    folder: Path,
    *,
    name: str = "router",
    launcher: Sequence[str] = (sys.executable, "-m", "orq_router.cli"),
) -> Iterator[Running]:
    """`orq-router serve` with the hashing model; `launcher` is what runs the command line
    (`bench/limits.py` passes one that switches parts of the router off first)."""
    config = folder / "router.toml"
    config.write_text(f'[models."{MODEL}"]\nbackend = "hashing"\ndimensions = 384\n')
    command = [*launcher, "serve", "--port", "0", "--config", str(config)]
    with _process(command) as process:
        port = _wait_port(process, "listening on")
        running = Running(name, process, port, "/v2/router/embeddings")
        _ready(port, running.path, json.dumps(REQUEST).encode())
        yield running


@contextmanager
def bare_server(body: bytes, folder: Path) -> Iterator[Running]:
    body_file = folder / "body.json"
    body_file.write_bytes(body)
    with _process([sys.executable, "-m", "bench.router", "bare", str(body_file)]) as process:
        port = _wait_port(process, "listening on")
        running = Running("bare", process, port, "/v2/router/embeddings")
        _ready(port, running.path, json.dumps(REQUEST).encode())
        yield running


@contextmanager
def litellm_server(router_port: int, folder: Path) -> Iterator[Running]:
    executable = os.environ.get(LITELLM_ENV)
    if not executable:
        raise RuntimeError(f"LiteLLM is not installed for the bench (${LITELLM_ENV} unset)")
    config = folder / "litellm.yaml"
    config.write_text(
        "model_list:\n"
        f"  - model_name: {MODEL}\n"
        "    litellm_params:\n"
        f"      model: openai/{MODEL}\n"
        f"      api_base: http://{HOST}:{router_port}/v1\n"
        "      api_key: sk-unused\n"
        "general_settings:\n"
        f"  master_key: {LITELLM_KEY}\n"
        "litellm_settings:\n"
        "  telemetry: false\n"
    )
    port = _free_port()
    environment = {**os.environ, "LITELLM_LOG": "ERROR", "LITELLM_TELEMETRY": "False"}
    command = [
        executable,
        "--config",
        str(config),
        "--host",
        HOST,
        "--port",
        str(port),
        "--num_workers",
        "1",
    ]
    with _process(command, env=environment) as process:
        running = Running("litellm", process, port, "/v1/embeddings", LITELLM_KEY)
        _ready(port, running.path, json.dumps(REQUEST).encode(), LITELLM_KEY)
        yield running


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _measure(
    server: Running,
    figures: Figures,
    concurrency: int,
    total: int,
    *,
    behind: tuple[int, Figures] | None = None,
) -> None:
    """One timed load on `server` (after a short warm-up); `behind` is another process
    (pid) whose CPU over the same requests is recorded too."""
    body = json.dumps(REQUEST).encode()
    warm = min(total, 50)
    drive(server.port, server.path, body, concurrency=concurrency, total=warm, key=server.key)
    before = cpu_seconds(server.process.pid)
    before_behind = cpu_seconds(behind[0]) if behind else 0.0
    wall, failures = drive(
        server.port, server.path, body, concurrency=concurrency, total=total, key=server.key
    )
    spent = cpu_seconds(server.process.pid) - before
    figures.cpu_ms.append(spent * 1000 / total)
    figures.per_s.append(total / wall)
    figures.errors += failures
    if behind:
        behind[1].cpu_ms.append((cpu_seconds(behind[0]) - before_behind) * 1000 / total)
        behind[1].per_s.append(total / wall)


def measure(load: Load, log: Callable[[str], None]) -> RouterResults:
    """Every server at every concurrency, `load.rounds` rounds, interleaved."""
    results = RouterResults()
    with tempfile.TemporaryDirectory(prefix="orq-bench-router-") as scratch:
        folder = Path(scratch)
        with router_server(folder) as router:
            body = _router_body(router.port)
            results.body_bytes = len(body)
            with bare_server(body, folder) as bare:
                servers = [bare, router]
                for name in ("bare", "router"):
                    results.figures[name] = {c: Figures() for c in CONCURRENCY}
                for round_index in range(load.rounds):
                    for concurrency in CONCURRENCY:
                        for server in servers:
                            _measure(
                                server,
                                results.figures[server.name][concurrency],
                                concurrency,
                                load.requests,
                            )
                    log(f"  router overhead: round {round_index + 1}/{load.rounds} done")
            try:
                with litellm_server(router.port, folder) as litellm:
                    results.figures["litellm"] = {c: Figures() for c in CONCURRENCY}
                    behind = {c: Figures() for c in CONCURRENCY}
                    for concurrency in CONCURRENCY:
                        _measure(
                            litellm,
                            results.figures["litellm"][concurrency],
                            concurrency,
                            load.litellm_requests,
                            behind=(router.process.pid, behind[concurrency]),
                        )
                    results.figures["router behind litellm"] = behind
                    log("  litellm measured")
            except Exception as error:
                results.failed["litellm"] = f"{type(error).__name__}: {error}"
                log(f"  litellm: not measured: {results.failed['litellm']}")
    return results


def _router_body(port: int) -> bytes:
    """The router's answer to `REQUEST`: what the bare app sends back, byte for byte."""
    import urllib3

    answer = urllib3.request("POST", f"http://{HOST}:{port}/v2/router/embeddings", json=REQUEST)
    assert answer.status == 200, answer.data
    return answer.data


def report(results: RouterResults) -> str:
    """The markdown table of the run."""
    lines = [
        "| server | concurrency | CPU ms / request | requests / s |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, by_concurrency in results.figures.items():
        for concurrency, figures in by_concurrency.items():
            cpu, per_s = figures.cpu(), figures.throughput()
            if cpu is None or per_s is None:
                continue
            errors = f" ({figures.errors} errors)" if figures.errors else ""
            lines.append(f"| {name} | {concurrency} | {cpu:.3f} | {per_s:.0f}{errors} |")
    for name, why in results.failed.items():
        lines.append(f"| {name} | - | not measured: {why} | |")
    return "\n".join(lines)


# --- the bare app, run as `python -m bench.router bare BODY_FILE` ------------------------


def _bare(body_file: str) -> None:
    import socket

    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    body = Path(body_file).read_bytes()

    async def embeddings(request: Request) -> Response:
        await request.body()
        return Response(body, media_type="application/json")

    app = Starlette(routes=[Route("/v2/router/embeddings", embeddings, methods=["POST"])])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind((HOST, 0))
    sock.listen(2048)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", log_config=None
    )
    print(f"listening on http://{HOST}:{sock.getsockname()[1]}", flush=True)
    uvicorn.Server(config).run(sockets=[sock])


def main() -> None:
    """`python -m bench.router [--quick]`: this part of the bench alone, printed."""
    load = QUICK if "--quick" in sys.argv else FULL
    results = measure(load, print)
    print(report(results))


if __name__ == "__main__":
    if sys.argv[1:2] == ["bare"]:
        _bare(sys.argv[2])
    else:
        main()
