"""How far the stack itself is from the goals this bench misses: parts of ours switched off.

`python -m bench.limits [--quick]` (or `nox -s bench -- limits [--quick]`) writes
`bench/LIMITS.md`. Not goals, and nothing here is a product: each row removes work the
real thing must do, to show what the rest costs on its own.

- Router (`router_overhead` <= 1.5, `router_throughput` >= 0.67): `orq-router serve` as it
  is; with the hashing model replaced by one precomputed row (`embed_rows` returns it);
  with the request log off; with both. Each against the bare Starlette app, driven by
  `bench/router.py`'s load generator, the goals computed the same way. If the row with
  both off still misses a goal, no work on the model or the log can meet it: what is
  left is parsing and checking the body, routing, metrics, headers, the answer's
  encoding and the ASGI server.
- AsyncOrq (`async_per_call_cpu` <= 1.10): client CPU per request of `bench/aio.py`'s
  per-call run (2,000 requests, 64 tasks, the local router), layer by layer: raw aiohttp;
  the generated `AsyncClient.request` (our session handling, headers, timeout) sending a
  prebuilt body, read as raw does; the generated `create_embedding.asyncio_detailed`
  (request model built and checked, answer parsed into the response models); and
  `AsyncOrq.create` (defaults, retries, connection slots, the facade's result).

Figures on a shared two-core VM move by tens of percent between runs: the rows of one
table are measured interleaved, medians of `rounds`.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Final

from bench import aio
from bench import router as router_bench

OUTPUT: Final = Path(__file__).parent / "LIMITS.md"
SWITCHES: Final = {
    "router": (),
    "no model": ("model",),
    "no request log": ("log",),
    "no model, no log": ("model", "log"),
}


# --- the router with parts switched off: `python -m bench.limits serve SWITCHES serve ...` --


def _serve(switches: str, args: list[str]) -> None:
    """The command line `ARGS` (`serve ...`), with `switches` (comma-separated) turned off."""
    if "model" in switches:
        import numpy as np

        import orq_router_server.backends.hashing as hashing

        def precomputed(inputs: Any, dimensions: int) -> tuple[Any, tuple[int, ...]]:
            row = np.full((1, dimensions), dimensions**-0.5, dtype=np.float32)
            return row, (9,) * len(inputs)

        hashing.embed_rows = precomputed  # what `HashingBackend.embed` calls
    if "log" in switches:
        import orq_router_server.app as app

        # Switched off where the request path looks it up (the module's own name for it).
        vars(app)["log_request"] = lambda **fields: None
    from orq_router.cli import main

    sys.argv = ["orq-router", *args]
    main()


def _launcher(switches: tuple[str, ...]) -> tuple[str, ...]:
    """The command that runs `orq-router` with `switches` off (`_serve`)."""
    return (sys.executable, "-m", "bench.limits", "serve", ",".join(switches) or "-")


def measure_router(load: router_bench.Load) -> dict[str, dict[int, router_bench.Figures]]:
    """Every variant and the bare app at every concurrency, interleaved, `load.rounds`."""
    figures: dict[str, dict[int, router_bench.Figures]] = {}
    with tempfile.TemporaryDirectory(prefix="orq-bench-limits-") as scratch, ExitStack() as stack:
        folder = Path(scratch)
        servers = [
            stack.enter_context(
                router_bench.router_server(folder, name=name, launcher=_launcher(switches))
            )
            for name, switches in SWITCHES.items()
        ]
        body = router_bench._router_body(servers[0].port)
        servers.insert(0, stack.enter_context(router_bench.bare_server(body, folder)))
        for server in servers:
            figures[server.name] = {c: router_bench.Figures() for c in router_bench.CONCURRENCY}
        for _ in range(load.rounds):
            for concurrency in router_bench.CONCURRENCY:
                for server in servers:
                    router_bench._measure(
                        server, figures[server.name][concurrency], concurrency, load.requests
                    )
    return figures


def router_table(figures: dict[str, dict[int, router_bench.Figures]]) -> str:
    bare = figures["bare"]
    levels = router_bench.CONCURRENCY
    lines = [
        "| server | CPU ms / request at " + ", ".join(f"c={c}" for c in levels)
        + " | requests / s | CPU / bare (<= 1.5) | worst throughput / bare (>= 0.67) |",
        "| --- | --- | --- | ---: | ---: |",
    ]  # fmt: skip
    for name, by_level in figures.items():
        cpu = [by_level[c].cpu() or 0.0 for c in levels]
        rate = [by_level[c].throughput() or 0.0 for c in levels]
        bare_cpu = statistics.fmean(bare[c].cpu() or 0.0 for c in levels)
        worst = min(rate[i] / (bare[c].throughput() or 1.0) for i, c in enumerate(levels))
        lines.append(
            f"| {name} | {' / '.join(f'{v:.3f}' for v in cpu)} | "
            f"{' / '.join(f'{v:.0f}' for v in rate)} | "
            f"{statistics.fmean(cpu) / bare_cpu:.2f} | {worst:.2f} |"
        )
    return "\n".join(lines)


# --- AsyncOrq layer by layer ------------------------------------------------------------


def _generated_request(url: str) -> aio.Side:
    """The generated `AsyncClient.request` with a prebuilt body; the answer read as raw."""
    import aiohttp
    import numpy as np

    import orq_router_api

    loads, b64decode, dumps = aio._readers()
    headers = {"Content-Type": "application/json"}

    async def side() -> None:
        connector = aiohttp.TCPConnector(limit=aio.CONCURRENCY)
        async with aiohttp.ClientSession(connector=connector) as session:
            api = orq_router_api.AsyncClient(base_url=url, session=session)

            async def one(index: int) -> None:
                body = dumps(
                    {"input": [f"input {index}"], "model": aio.MODEL, "encoding_format": "base64"}
                )
                _, _, content = await api.request("POST", aio.PATH, body=body, headers=headers)
                row = loads(content)["data"][0]["embedding"]
                np.frombuffer(b64decode(row), dtype="<f4").reshape(1, -1)

            await aio._lanes(aio.REQUESTS, one)

    return side


def _generated_models(url: str) -> aio.Side:
    """The generated `asyncio_detailed`: the request model checked and encoded, the answer
    parsed into the response models; the row decoded as raw decodes it."""
    import aiohttp
    import numpy as np

    import orq_router_api
    from orq_router_api.api.embeddings import create_embedding
    from orq_router_api.models import CreateEmbeddingRequest

    _, b64decode, _ = aio._readers()

    async def side() -> None:
        connector = aiohttp.TCPConnector(limit=aio.CONCURRENCY)
        async with aiohttp.ClientSession(connector=connector) as session:
            api = orq_router_api.AsyncClient(base_url=url, session=session)

            async def one(index: int) -> None:
                body = CreateEmbeddingRequest.from_dict(
                    {"input": [f"input {index}"], "model": aio.MODEL, "encoding_format": "base64"}
                )
                answer = await create_embedding.asyncio_detailed(api, body=body)
                row = answer.parsed.data[0].embedding
                assert isinstance(row, str)
                np.frombuffer(b64decode(row), dtype="<f4").reshape(1, -1)

            await aio._lanes(aio.REQUESTS, one)

    return side


def measure_async(rounds: int) -> dict[str, list[float]]:
    """Client CPU microseconds per request of each layer, `rounds` interleaved runs."""
    with aio.local_router() as url:
        sides: dict[str, Callable[[], Awaitable[Any]]] = {
            "raw aiohttp": aio.raw_per_call(url),
            "generated AsyncClient.request": _generated_request(url),
            "generated asyncio_detailed (models)": _generated_models(url),
            "AsyncOrq.create": aio.ours_per_call(url),
        }
        loop = asyncio.new_event_loop()
        try:
            for side in sides.values():  # warm-up
                loop.run_until_complete(side())
            spent: dict[str, list[float]] = {name: [] for name in sides}
            for _ in range(rounds):
                for name, side in sides.items():
                    started = time.process_time()
                    loop.run_until_complete(side())
                    spent[name].append((time.process_time() - started) / aio.REQUESTS * 1e6)
        finally:
            loop.close()
    return spent


def async_table(spent: dict[str, list[float]]) -> str:
    raw = statistics.median(spent["raw aiohttp"])
    lines = [
        "| client | CPU µs / request (median) | runs | / raw aiohttp (<= 1.10) |",
        "| --- | ---: | --- | ---: |",
    ]
    for name, values in spent.items():
        median = statistics.median(values)
        runs = ", ".join(f"{v:.0f}" for v in values)
        lines.append(f"| {name} | {median:.1f} | {runs} | {median / raw:.2f} |")
    return "\n".join(lines)


def main() -> None:
    quick = "--quick" in sys.argv
    load = router_bench.QUICK if quick else router_bench.FULL
    rounds = 1 if quick else 5
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print("router, parts switched off ...", flush=True)
    router = router_table(measure_router(load))
    print(router, flush=True)
    print("AsyncOrq, layer by layer ...", flush=True)
    layers = async_table(measure_async(rounds))
    print(layers, flush=True)
    OUTPUT.write_text(
        f"# What the missed goals would need ({started}{', quick' if quick else ''})\n\n"
        "Written by `python -m bench.limits` (see its docstring). Not goals: each row"
        " switches off work the product must do.\n\n"
        f"## Router: `orq-router serve` with parts switched off, against the bare app\n\n"
        f"{load.requests} requests per server, concurrency and round; {load.rounds} rounds,"
        f" medians; CPU of the server process.\n\n{router}\n\n"
        f"## AsyncOrq, layer by layer\n\n{aio.REQUESTS} requests from {aio.CONCURRENCY}"
        f" tasks to the local router, client CPU; {rounds} interleaved runs.\n\n{layers}\n"
    )
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        _serve(sys.argv[2], sys.argv[3:])
    else:
        main()
