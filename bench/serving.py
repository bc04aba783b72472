"""The local router serving the real model, against the model run in-process.

`python -m bench.serving [--quick] [--threads N]` runs this part alone; `python -m bench`
runs it after the client benchmarks (when the `minilm` extra is installed).

- The ceiling: `SentenceTransformer.encode` in this process on 512 real sentences (from
  Python's own help topics, `pydoc_data.topics`), at its best: the faster of the client's
  8 batches of 64 (one call each) and all 512 in one call (`batch_size=64`, which sorts
  them by length first, so that each batch pads little).
- The router: `orq_router_server` with all-MiniLM-L6-v2 (its default batching settings)
  in its own process, called through `orq_router.Orq` over loopback.
- torch's threads are pinned to the same number in both processes (`--threads`, default
  the CPUs this process may use, torch's own choice): left to itself on a loaded machine
  MiniLM swings 20x, and the ratio would compare two different machines. Encode on
  every CPU is reported beside (the same figure unless `--threads` differs).

Goals (`bench/goals.py`):

- `serving_single`: one client sending the 512 sentences in batches of 64, throughput /
  the ceiling's (>= 0.95);
- `serving_concurrent`: 16 clients each sending requests of 1-4 of the sentences,
  throughput / the ceiling's (>= 0.90), and `serving_concurrent_p99`: their p99 latency /
  the ceiling's time for one batch of 64 (<= 2.0);
- `serving_after_timeout`: a one-sentence request sent right after a 128-text request
  timed out (`call_timeout` 100 ms): its latency / (its idle latency + one pass of the
  timed-out request's texts, in-process) (<= 1.0). The texts are full-length (256 word
  pieces) and sent as the model's token ids, so that the router spends no time splitting
  them into word pieces: its first pass is surely running when the timeout fires, the
  case that costs most.

Rounds alternate ceiling and router, so that a slow minute on a shared machine hits
both; ratios are of medians. Every answer's vectors are checked against the ceiling's.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import random
import re
import statistics
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MODEL: Final = "local/all-minilm-l6-v2"
SENTENCES: Final = 512
CLIENT_BATCH: Final = 64
CLIENTS: Final = 16
LARGE_TEXTS: Final = 128
LARGE_TEXT_CHARS: Final = 1500
"""About 300 word pieces: every text of the timed-out request is a full 256-piece input."""
CALL_TIMEOUT_MS: Final = 100
START_TIMEOUT_S: Final = 300.0


@dataclass(frozen=True)
class ServingSettings:
    """How much to measure; `quick` is a smoke run of the same code paths."""

    rounds: int = 5
    concurrent_rounds: int = 3
    idle_calls: int = 30
    timeout_runs: int = 5
    threads: int = 0
    """torch threads in both processes; 0: the CPUs this process may use (torch's own
    choice on a machine like this one, and the router's)."""
    quick: bool = False

    def torch_threads(self) -> int:
        if self.threads:
            return self.threads
        try:
            return len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            return os.cpu_count() or 1


FULL: Final = ServingSettings()
QUICK: Final = ServingSettings(
    rounds=2, concurrent_rounds=1, idle_calls=10, timeout_runs=2, quick=True
)


@dataclass
class ServingResults:
    """Seconds (or sentences per second) of each measurement, every round kept."""

    threads: int
    sentences: int
    ceiling_s: list[float] = field(default_factory=list)
    """In-process encode of the client's 8 batches of 64, one run per round."""
    ceiling_sorted_s: list[float] = field(default_factory=list)
    """In-process encode of all 512 at once (batch_size 64, sorted by length)."""
    ceiling_all_cpus_s: list[float] = field(default_factory=list)
    """The same with torch on every CPU (reported beside, not a goal)."""
    ceiling_batch_s: list[float] = field(default_factory=list)
    """In-process encode of one batch of 64, every batch of every round."""
    single_s: list[float] = field(default_factory=list)
    """The router, one client, the same 8 batches, one run per round."""
    concurrent_s: list[float] = field(default_factory=list)
    concurrent_latency_s: list[float] = field(default_factory=list)
    idle_s: list[float] = field(default_factory=list)
    """One sentence through the router, nothing else running."""
    after_timeout_s: list[float] = field(default_factory=list)
    timeouts: int = 0
    """How many of the large requests ended in 504 (all should)."""
    large_pass_s: list[float] = field(default_factory=list)
    """In-process: one of the router's passes of the timed-out request's texts (as many
    full-length texts as its `max_batch_tokens` holds)."""
    max_abs_difference: float = 0.0
    """Router vectors vs the ceiling's, over every checked answer."""
    error: str | None = None

    def throughput(self, seconds: list[float]) -> float | None:
        return self.sentences / statistics.median(seconds) if seconds else None

    def ceiling(self) -> float | None:
        """In-process throughput at its best: batches of 64, or all at once sorted."""
        found = [self.throughput(self.ceiling_s), self.throughput(self.ceiling_sorted_s)]
        return max((value for value in found if value is not None), default=None)

    def p99(self, seconds: list[float]) -> float | None:
        if not seconds:
            return None
        ordered = sorted(seconds)
        return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def sentences(count: int = SENTENCES) -> list[str]:
    """Real English sentences of 30-300 characters from Python's help topics, in order."""
    from pydoc_data.topics import topics

    found: list[str] = []
    seen: set[str] = set()
    for name in sorted(topics):
        for part in re.split(r"(?<=[.!?])\s+", topics[name]):
            text = " ".join(part.split())
            if 30 <= len(text) <= 300 and text[0].isupper() and text not in seen:
                seen.add(text)
                found.append(text)
                if len(found) == count:
                    return found
    raise RuntimeError(f"only {len(found)} sentences in pydoc_data.topics")


def long_texts(count: int = LARGE_TEXTS, chars: int = LARGE_TEXT_CHARS) -> list[str]:
    """`count` windows of `chars` characters over the help topics' whole text."""
    from pydoc_data.topics import topics

    words = " ".join(topics[name] for name in sorted(topics)).split()
    texts: list[str] = []
    current: list[str] = []
    size = 0
    for word in words:
        current.append(word)
        size += len(word) + 1
        if size >= chars:
            texts.append(" ".join(current))
            current, size = [], 0
            if len(texts) == count:
                return texts
    raise RuntimeError("the help topics are too short")


def available() -> bool:
    """Whether the real model can run here (the `minilm` extra)."""
    from orq_router_server import minilm_available

    return minilm_available()


def _serve(ready: Connection, threads: int) -> None:
    """The router process: MiniLM (its default settings) pinned to `threads`, until stopped."""
    os.environ["OMP_NUM_THREADS"] = str(threads)  # before torch is first imported
    os.environ["MKL_NUM_THREADS"] = str(threads)
    import torch

    torch.set_num_threads(threads)
    from orq_router_server import LocalRouter, LocalServer, create_app, parse_config

    router = LocalRouter(parse_config({"models": {MODEL: {"backend": "minilm"}}}))
    with LocalServer(create_app(router)) as server:
        ready.send(server.url)
        ready.recv()  # anything, or the parent's end closing: stop


@contextmanager
def _router(threads: int) -> Iterator[str]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(
        target=_serve, args=(child, threads), name="bench-router", daemon=True
    )
    process.start()
    child.close()
    try:
        if not parent.poll(START_TIMEOUT_S):
            raise RuntimeError(f"the router did not start within {START_TIMEOUT_S:.0f} s")
        yield parent.recv()
    finally:
        with suppress(OSError):
            parent.send("stop")
        parent.close()
        process.join(30)
        if process.is_alive():
            process.terminate()
            process.join(10)


def _chunks(items: Sequence[str], size: int) -> list[list[str]]:
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def _requests(texts: Sequence[str], seed: int = 15) -> list[list[str]]:
    """The sentences dealt into requests of 1-4, the same every run."""
    draw = random.Random(seed)
    requests: list[list[str]] = []
    start = 0
    while start < len(texts):
        size = draw.randint(1, 4)
        requests.append(list(texts[start : start + size]))
        start += size
    return requests


def measure(settings: ServingSettings, log: Callable[[str], None]) -> ServingResults:
    """Start the router, measure the ceiling and the router in alternating rounds."""
    threads = settings.torch_threads()
    texts = sentences()
    results = ServingResults(threads=threads, sentences=len(texts))
    try:
        _measure(settings, texts, results, log)
    except Exception as error:  # reported, not fatal: the rest of the bench stands
        results.error = f"{type(error).__name__}: {error}".splitlines()[0][:200]
        log(f"  serving: failed: {results.error}")
    return results


def _measure(
    settings: ServingSettings,
    texts: list[str],
    results: ServingResults,
    log: Callable[[str], None],
) -> None:
    import numpy as np
    import torch

    from orq_router import APIStatusError, Orq, RouterTimeout
    from orq_router_server.backends.minilm import load_model
    from orq_router_server.config import MiniLMSpec

    threads = results.threads
    model = load_model()
    torch.set_num_threads(threads)
    spec = MiniLMSpec()
    limit = int(model.max_seq_length)
    # Inputs in one of the router's passes of full-length texts:
    one_pass = max(1, min(spec.max_batch_inputs, spec.max_batch_tokens // limit))
    log(f"serving: MiniLM, torch threads pinned to {threads} here and in the router")

    def encode(items: Sequence[str], batch_size: int) -> npt.NDArray[np.float32]:
        vectors: npt.NDArray[np.float32] = model.encode(
            list(items), batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return vectors

    chunks = _chunks(texts, CLIENT_BATCH)
    expected = np.concatenate([encode(chunk, CLIENT_BATCH) for chunk in chunks])  # warm-up
    large = long_texts()
    large_ids = [
        model.tokenizer(text, add_special_tokens=False)["input_ids"][: limit - 2] for text in large
    ]
    with _router(threads) as url, Orq(base_url=url, max_retries=0) as client:

        def check(vectors: npt.NDArray[np.float32], rows: slice) -> None:
            difference = float(np.abs(vectors - expected[rows]).max())
            results.max_abs_difference = max(results.max_abs_difference, difference)

        client.router.embeddings.create(input=chunks[0], model=MODEL)  # warm-up
        log(f"  one client, batches of {CLIENT_BATCH}: {settings.rounds} rounds")
        for _ in range(settings.rounds):
            started = time.perf_counter()
            for chunk in chunks:
                began = time.perf_counter()
                encode(chunk, CLIENT_BATCH)
                results.ceiling_batch_s.append(time.perf_counter() - began)
            results.ceiling_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            answers = [client.router.embeddings.create(input=c, model=MODEL) for c in chunks]
            results.single_s.append(time.perf_counter() - started)
            check(np.concatenate([answer.to_numpy() for answer in answers]), slice(None))
            started = time.perf_counter()
            encode(texts, CLIENT_BATCH)
            results.ceiling_sorted_s.append(time.perf_counter() - started)
            torch.set_num_threads(os.cpu_count() or 1)
            started = time.perf_counter()
            encode(texts, CLIENT_BATCH)
            results.ceiling_all_cpus_s.append(time.perf_counter() - started)
            torch.set_num_threads(threads)

        requests = _requests(texts)
        log(
            f"  {CLIENTS} clients, {len(requests)} requests of 1-4 sentences:"
            f" {settings.concurrent_rounds} rounds"
        )
        for _ in range(settings.concurrent_rounds):
            seconds, latencies, rows = _concurrent(url, requests)
            results.concurrent_s.append(seconds)
            results.concurrent_latency_s += latencies
            check(rows, slice(None))

        one = [texts[0]]
        log(f"  idle latency of one sentence: {settings.idle_calls} calls")
        for _ in range(settings.idle_calls):
            started = time.perf_counter()
            client.router.embeddings.create(input=one, model=MODEL)
            results.idle_s.append(time.perf_counter() - started)
        log(
            f"  after a {len(large)}-text request timed out at {CALL_TIMEOUT_MS} ms:"
            f" {settings.timeout_runs} runs"
        )
        for _ in range(settings.timeout_runs):
            started = time.perf_counter()
            encode(large[:one_pass], one_pass)
            results.large_pass_s.append(time.perf_counter() - started)
            try:
                client.router.embeddings.create(
                    input=large_ids,
                    model=MODEL,
                    timeout=RouterTimeout(call_timeout=CALL_TIMEOUT_MS),
                )
            except APIStatusError as error:
                results.timeouts += error.status_code == 504
            started = time.perf_counter()
            answer = client.router.embeddings.create(input=one, model=MODEL)
            results.after_timeout_s.append(time.perf_counter() - started)
            check(answer.to_numpy(), slice(0, 1))
            time.sleep(0.5)  # idle again before the next run


def _concurrent(
    url: str, requests: list[list[str]]
) -> tuple[float, list[float], npt.NDArray[np.float32]]:
    """Every request sent by `CLIENTS` threads: wall seconds, latencies, rows in order."""
    import numpy as np

    from orq_router import Orq

    rows: list[Any] = [None] * len(requests)
    latencies: list[float] = []
    lock = threading.Lock()
    next_request = iter(range(len(requests)))
    clients = [Orq(base_url=url, max_retries=0) for _ in range(CLIENTS)]
    start = threading.Barrier(CLIENTS + 1)

    def work(client: Orq) -> None:
        start.wait()
        while True:
            with lock:
                index = next(next_request, None)
            if index is None:
                return
            began = time.perf_counter()
            answer = client.router.embeddings.create(input=requests[index], model=MODEL)
            elapsed = time.perf_counter() - began
            vectors = answer.to_numpy()
            with lock:
                latencies.append(elapsed)
                rows[index] = vectors

    workers = [threading.Thread(target=work, args=(client,)) for client in clients]
    for worker in workers:
        worker.start()
    start.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    for client in clients:
        client.close()
    if any(row is None for row in rows):
        raise RuntimeError("a concurrent request got no answer")
    return seconds, latencies, np.concatenate(rows)


def describe(results: ServingResults) -> list[str]:
    """The serving measurements as markdown lines for the report."""
    if results.error:
        return [f"- failed: {results.error}"]

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:,.1f} ms" if values else "-"

    def rate(seconds: list[float]) -> str:
        value = results.throughput(seconds)
        return f"{value:,.0f} sentences/s" if value else "-"

    p99 = results.p99(results.concurrent_latency_s)
    return [
        f"- torch threads: {results.threads} in both processes; {results.sentences} sentences",
        f"- ceiling, in-process encode in the client's batches of {CLIENT_BATCH}:"
        f" {rate(results.ceiling_s)} (one batch {ms(results.ceiling_batch_s)});"
        f" all at once, sorted by length: {rate(results.ceiling_sorted_s)};"
        f" the same on all {os.cpu_count()} CPUs: {rate(results.ceiling_all_cpus_s)}",
        f"- router, one client, batches of {CLIENT_BATCH}: {rate(results.single_s)}",
        f"- router, {CLIENTS} clients, 1-4 sentences a request: {rate(results.concurrent_s)},"
        f" latency median {ms(results.concurrent_latency_s)}, p99 "
        + (f"{p99 * 1000:,.1f} ms" if p99 is not None else "-"),
        f"- one sentence: idle {ms(results.idle_s)}; right after a timed-out"
        f" {LARGE_TEXTS}-text request {ms(results.after_timeout_s)} (worst"
        + (f" {max(results.after_timeout_s) * 1000:,.1f} ms" if results.after_timeout_s else " -")
        + f"); one pass of those texts in-process {ms(results.large_pass_s)};"
        f" {results.timeouts} of {len(results.after_timeout_s)} large requests timed out",
        f"- vectors: max abs difference router vs in-process encode"
        f" {results.max_abs_difference:.2g}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serving", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer rounds")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: CPUs)")
    args = parser.parse_args()
    base = QUICK if args.quick else FULL
    settings = ServingSettings(**{**base.__dict__, "threads": args.threads})
    results = measure(settings, lambda line: print(line, flush=True))
    from bench.goals import serving_goals

    print()
    print("\n".join(describe(results)))
    for name, goal in serving_goals(results).items():
        print("  " + goal.describe(name))


if __name__ == "__main__":
    main()
