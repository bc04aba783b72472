"""Async: `AsyncOrq` against raw aiohttp, client CPU per request and throughput.

Both sides make 2,000 requests at concurrency 64 to the local router (`orq_router_server`
with its default models, in a process of its own, so that the client's CPU time is the
client's alone), asking for base64 and ending with float32 arrays:

- per call: 2,000 `create` calls of one input each from 64 tasks, each answer
  `.to_numpy()`; raw: 64 tasks posting the same JSON with an aiohttp session, the answer
  read with orjson (or `json`) and its row decoded with pybase64 (or `binascii`) +
  `numpy.frombuffer`;
- bulk: `embed_many` of 2,000 batches with `max_concurrency=64`, ending with its
  `(n, d)` array; raw: the same 2,000 POSTs from 64 tasks, each batch's rows decoded
  into place in one preallocated array.

CPU is `time.process_time()` of this process over a whole run (session and client
made inside it), divided by the requests; throughput is requests per wall second.
Each side runs `runs` times after a warm-up, alternating, and the medians are compared.
The raw side reads with what orq-router reads with in this run (the `fast` extra, or
the standard library with `--stdlib`), so neither side has a faster parser.
"""

from __future__ import annotations

import asyncio
import binascii
import itertools
import json
import multiprocessing
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Final

from bench.clients import hide_fast_extra

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]
else:
    Matrix = Any

REQUESTS: Final = 2_000
CONCURRENCY: Final = 64
BULK_BATCH: Final = 8
"""Inputs per request of the bulk comparison."""
MODEL: Final = "local/hashing-384"
PATH: Final = "/v2/router/embeddings"
MAX_LIFETIME_S: Final = 1800.0

Side = Callable[[], Awaitable[Matrix | None]]


def _serve(ready: Connection, lifetime: float) -> None:
    """The server process: the local router on a free loopback port until told to stop."""
    from orq_router_server import LocalRouter, LocalServer, create_app, default_config

    with LocalServer(create_app(LocalRouter(default_config()))) as server:
        ready.send(server.url)
        ready.poll(lifetime)  # anything sent, or the pipe closed, stops it


@contextmanager
def local_router(timeout: float = 120.0) -> Iterator[str]:
    """The local router in a process of its own; its base URL."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(
        target=_serve, args=(theirs, MAX_LIFETIME_S), name="bench-router", daemon=True
    )
    process.start()
    try:
        if not ours.poll(timeout):
            raise RuntimeError(f"the local router did not start within {timeout:.0f} s")
        yield str(ours.recv())
    finally:
        ours.send("stop")
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()


def _readers() -> tuple[Callable[[bytes], Any], Callable[[str], bytes], Callable[[Any], bytes]]:
    """loads, b64decode and dumps as orq-router has them in this run."""
    hide_fast_extra()
    try:
        import orjson
        import pybase64
    except ImportError:
        return (
            json.loads,
            lambda text: binascii.a2b_base64(text, strict_mode=True),
            lambda value: json.dumps(value).encode(),
        )
    return orjson.loads, lambda text: pybase64.b64decode(text, validate=True), orjson.dumps


async def _lanes(count: int, work: Callable[[int], Awaitable[None]]) -> None:
    """`work(i)` for i in range(count), from `CONCURRENCY` tasks."""
    indexes = iter(range(count))

    async def lane() -> None:
        for index in indexes:
            await work(index)

    await asyncio.gather(*(lane() for _ in range(CONCURRENCY)))


def ours_per_call(url: str) -> Side:
    hide_fast_extra()
    from orq_router import AsyncOrq

    async def run() -> None:
        async with AsyncOrq(base_url=url, max_connections=CONCURRENCY) as client:
            create = client.router.embeddings.create

            async def one(index: int) -> None:
                (await create(input=[f"input {index}"], model=MODEL)).to_numpy()

            await _lanes(REQUESTS, one)

    async def side() -> None:
        await run()

    return side


def raw_per_call(url: str) -> Side:
    import aiohttp
    import numpy as np

    loads, b64decode, dumps = _readers()
    headers = {"Content-Type": "application/json"}

    async def side() -> None:
        connector = aiohttp.TCPConnector(limit=CONCURRENCY)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def one(index: int) -> None:
                body = {"input": [f"input {index}"], "model": MODEL, "encoding_format": "base64"}
                async with session.post(url + PATH, data=dumps(body), headers=headers) as answer:
                    content = await answer.read()
                row = loads(content)["data"][0]["embedding"]
                np.frombuffer(b64decode(row), dtype="<f4").reshape(1, -1)

            await _lanes(REQUESTS, one)

    return side


def _bulk_texts() -> list[str]:
    return [f"bulk input {i}" for i in range(REQUESTS * BULK_BATCH)]


def ours_bulk(url: str) -> Side:
    hide_fast_extra()
    from orq_router import AsyncOrq

    texts = _bulk_texts()

    async def side() -> Matrix:
        async with AsyncOrq(base_url=url) as client:
            result = await client.router.embeddings.embed_many(
                texts, model=MODEL, batch_size=BULK_BATCH, max_concurrency=CONCURRENCY
            )
            matrix: Matrix = result.to_numpy()
            return matrix

    return side


def raw_bulk(url: str) -> Side:
    import aiohttp
    import numpy as np

    loads, b64decode, dumps = _readers()
    headers = {"Content-Type": "application/json"}
    texts = _bulk_texts()

    async def side() -> Matrix:
        holder: list[Matrix] = []
        connector = aiohttp.TCPConnector(limit=CONCURRENCY)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def one(index: int) -> None:
                start = index * BULK_BATCH
                chunk = texts[start : start + BULK_BATCH]
                body = {"input": chunk, "model": MODEL, "encoding_format": "base64"}
                async with session.post(url + PATH, data=dumps(body), headers=headers) as answer:
                    content = await answer.read()
                for item in loads(content)["data"]:
                    row = np.frombuffer(b64decode(item["embedding"]), dtype="<f4")
                    if not holder:
                        holder.append(np.empty((len(texts), row.shape[0]), np.float32))
                    holder[0][start + item["index"]] = row

            await _lanes(REQUESTS, one)
        return holder[0]

    return side


@dataclass
class Runs:
    """CPU and wall seconds of each run of both sides of one comparison."""

    cpu: dict[str, list[float]] = field(default_factory=lambda: {"ours": [], "raw": []})
    wall: dict[str, list[float]] = field(default_factory=lambda: {"ours": [], "raw": []})

    def cpu_per_request_ms(self, side: str) -> float:
        return statistics.median(self.cpu[side]) / REQUESTS * 1000

    def cpu_ratio(self) -> float:
        """ours / raw client CPU per request (lower is better)."""
        return self.cpu_per_request_ms("ours") / self.cpu_per_request_ms("raw")

    def throughput(self, side: str) -> float:
        return REQUESTS / statistics.median(self.wall[side])

    def throughput_ratio(self) -> float:
        """ours / raw requests per second (higher is better)."""
        return self.throughput("ours") / self.throughput("raw")


@dataclass
class Measured:
    """Both comparisons of one bench run."""

    per_call: Runs
    bulk: Runs


def _timed(loop: asyncio.AbstractEventLoop, side: Side) -> tuple[float, float, Matrix | None]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = loop.run_until_complete(side())
    return time.process_time() - cpu, time.perf_counter() - wall, result


def _compare(
    loop: asyncio.AbstractEventLoop, sides: dict[str, Side], runs: int, check: bool
) -> Runs:
    found = {name: loop.run_until_complete(side()) for name, side in sides.items()}  # warm-up
    if check:
        ours, raw = found["ours"], found["raw"]
        assert ours is not None and raw is not None
        if ours.shape != raw.shape or not (ours == raw).all():
            raise RuntimeError("embed_many and the raw aiohttp client disagree")
    del found
    measured = Runs()
    for _, (name, side) in itertools.product(range(runs), sides.items()):
        cpu, wall, _result = _timed(loop, side)
        measured.cpu[name].append(cpu)
        measured.wall[name].append(wall)
    return measured


def measure(*, runs: int, log: Callable[[str], None]) -> Measured:
    """Start the local router, time both comparisons, stop it."""
    with local_router() as url:
        loop = asyncio.new_event_loop()
        try:
            per_call = _compare(
                loop, {"ours": ours_per_call(url), "raw": raw_per_call(url)}, runs, False
            )
            log(
                f"  per call: client CPU ours {per_call.cpu_per_request_ms('ours'):.3f} ms,"
                f" raw aiohttp {per_call.cpu_per_request_ms('raw'):.3f} ms a request"
            )
            bulk = _compare(loop, {"ours": ours_bulk(url), "raw": raw_bulk(url)}, runs, True)
            log(
                f"  bulk: client CPU ours {bulk.cpu_per_request_ms('ours'):.3f} ms, raw"
                f" {bulk.cpu_per_request_ms('raw'):.3f} ms a request; {bulk.throughput('ours'):.0f}"
                f" vs {bulk.throughput('raw'):.0f} requests/s"
            )
        finally:
            loop.close()
    return Measured(per_call=per_call, bulk=bulk)
