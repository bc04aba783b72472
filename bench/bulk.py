"""Bulk throughput: `embed_many` against a raw threaded client doing the same work.

Both sides embed the same texts in the same batches with the same number of threads,
against the same server, which takes `latency` per request as a model would. The raw
client is what a careful user would write with urllib3 alone: a thread pool, one POST
per batch asking for base64, `json.loads`, and each row decoded straight into its place
in one preallocated `(n, d)` float32 array. `embed_many` must end with the same array.

Each configuration (batch size x workers) is timed several times, alternating the two
sides, so that drift on a shared machine hits both; the ratio is ours / raw throughput,
from the medians, so above 1 means ours is faster.
"""

from __future__ import annotations

import binascii
import json
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from bench.clients import API_KEY, MODEL, PATH, hide_fast_extra

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]
else:
    Matrix = Any

TEXTS: Final = 20_000
LATENCY_S: Final = 0.020
CONFIGS: Final = ((128, 4), (128, 8), (256, 4), (256, 8))
"""(batch size, workers): the corners of the goal's "batch 128-256, 4-8 workers"."""

Bulk = Callable[[list[str], int, int], Matrix]


def batch_sizes(total: int, configs: Sequence[tuple[int, int]]) -> set[int]:
    """Every number of inputs one request will carry: the server pre-builds each answer."""
    sizes = set()
    for batch, _ in configs:
        sizes.add(batch)
        if total % batch:
            sizes.add(total % batch)
    return sizes


def ours(url: str) -> Bulk:
    """`client.router.embeddings.embed_many(...)`, ending with its (n, d) array."""
    hide_fast_extra()
    from orq_router import Orq

    client = Orq(api_key=API_KEY, base_url=url)

    def run(texts: list[str], batch_size: int, workers: int) -> Matrix:
        result = client.router.embeddings.embed_many(
            texts, model=MODEL, batch_size=batch_size, max_workers=workers
        )
        matrix: Matrix = result.to_numpy()
        return matrix

    return run


def raw(url: str) -> Bulk:
    """The floor: urllib3 + a thread pool, rows decoded into one preallocated array."""
    import numpy as np
    import urllib3

    pool = urllib3.PoolManager(maxsize=16)
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}

    def run(texts: list[str], batch_size: int, workers: int) -> Matrix:
        holder: list[Matrix] = []
        lock = threading.Lock()

        def send(start: int) -> None:
            body = {
                "input": texts[start : start + batch_size],
                "model": MODEL,
                "encoding_format": "base64",
            }
            answer = pool.request("POST", url + PATH, body=json.dumps(body), headers=headers)
            rows = json.loads(answer.data)["data"]
            for item in rows:
                packed = binascii.a2b_base64(item["embedding"])
                if not holder:
                    with lock:
                        if not holder:
                            holder.append(np.empty((len(texts), len(packed) // 4), np.float32))
                holder[0][start + item["index"]] = np.frombuffer(packed, dtype="<f4")

        with ThreadPoolExecutor(workers) as executor:
            list(executor.map(send, range(0, len(texts), batch_size)))
        return holder[0]

    return run


@dataclass
class Throughput:
    """Seconds per run of one side for one configuration."""

    ours: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)

    def ratio(self) -> float:
        """ours / raw throughput (raw time / our time), from the medians."""
        return statistics.median(self.raw) / statistics.median(self.ours)


def measure(url: str, *, runs: int, log: Callable[[str], None]) -> dict[str, Throughput]:
    """Time every configuration `runs` times per side, alternating; check the arrays agree."""
    texts = [f"bulk input number {i}" for i in range(TEXTS)]
    sides = {"ours": ours(url), "raw": raw(url)}
    results: dict[str, Throughput] = {}
    for batch_size, workers in CONFIGS:
        key = f"batch {batch_size}, {workers} workers"
        found = {name: run(texts, batch_size, workers) for name, run in sides.items()}  # warm-up
        if found["ours"].shape != found["raw"].shape or not (found["ours"] == found["raw"]).all():
            raise RuntimeError(f"{key}: embed_many and the raw client disagree")
        del found
        timing = Throughput()
        for _ in range(runs):
            for name, run in sides.items():
                started = time.perf_counter()
                run(texts, batch_size, workers)
                getattr(timing, name).append(time.perf_counter() - started)
        results[key] = timing
        log(
            f"  {key}: ours {statistics.median(timing.ours):.2f} s, raw "
            f"{statistics.median(timing.raw):.2f} s, ratio {timing.ratio():.3f}"
        )
    return results
