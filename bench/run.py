"""The measurements: cold start, one-input latency, one large batch, peak memory.

Every contender is measured in the same run against the same server. The in-process
timings go round-robin over the cases in a few rounds, so that a slow minute on a
shared machine spreads over every row instead of landing on one. Each loop is bounded
both in calls and in seconds; when the time runs out first, the table shows how many
calls there were. Nothing is asserted about the numbers.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import aio, bulk, coldstart, corpora, goals, memory, report, serving
from bench import router as router_bench
from bench.bulk import Throughput
from bench.clients import CASES, COLD_START, Call, Case, shape
from bench.corpora import Corpora
from bench.server import running
from bench.serving import ServingResults


@dataclass(frozen=True)
class Settings:
    """How much to measure; `QUICK` is a smoke run of the same code paths."""

    dimensions: int = 1536
    batch: int = 2048
    calls: int = 300
    """One-input calls measured per case (after warm-up), spread over the rounds."""
    warmup: int = 30
    batch_calls: int = 9
    """Large-batch calls measured per case, spread over the rounds."""
    rounds: int = 3
    cold_runs: int = 5
    process_runs: int = 15
    """Whole `python -c` runs per program for the cold-start goal (at least 7)."""
    bulk_runs: int = 3
    """Timed `embed_many` runs per side and configuration, after one warm-up."""
    async_runs: int = 3
    """Timed runs per side of each `AsyncOrq` vs raw aiohttp comparison, after a warm-up."""
    latency_budget_s: float = 60.0
    """Per case, all rounds together: a limit that only a broken contender reaches."""
    batch_budget_s: float = 120.0
    memory_modes: tuple[str, ...] = ("rss", "tracemalloc")
    corpora_cli_rows: int = 100_000
    """Lines of the file `orq-router embed` and the raw client embed (`cli_bulk`)."""
    corpora_ray_rows: int = 1_000_000
    """Parquet rows embedded by the CLI and by `embed_dataset` (`ray_vs_cli`): a million,
    so that the goal compares rows/s while rows flow. Ray Data's start-up (its worker
    processes import `ray.data`, pandas among it; first file 2.3-2.5 s after the start,
    the CLI's 1.2-1.6 s at 100,000 rows) weighs on a 100,000-row job (3-6 s for the CLI):
    0.65-0.98 there. The report gives each side's first-file time beside its total."""
    corpora_crash_rows: int = 40_000
    """Rows of the Ray job whose driver is killed and rerun (`crash_waste`)."""
    corpora_runs: int = 3
    quick: bool = False


FULL = Settings()
QUICK = Settings(
    calls=30,
    warmup=5,
    batch_calls=2,
    rounds=1,
    cold_runs=2,
    process_runs=7,
    bulk_runs=1,
    async_runs=1,
    latency_budget_s=10.0,
    memory_modes=("rss",),  # tracemalloc makes openai's float call take half a minute
    corpora_cli_rows=40_000,
    corpora_ray_rows=200_000,
    corpora_crash_rows=20_000,
    corpora_runs=1,
    quick=True,
)


@dataclass
class Samples:
    """Timings in ms of one case, or why it could not be measured."""

    times: list[float] = field(default_factory=list)
    error: str | None = None

    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.error else None

    def p95(self) -> float | None:
        if not self.times or self.error:
            return None
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Results:
    """Everything the report needs."""

    settings: Settings
    url: str
    body_sizes: dict[str, int]
    cold: dict[str, tuple[float, float] | str] = field(default_factory=dict)
    """contender: best (client ms, first-call ms), or the error."""
    single: dict[str, Samples] = field(default_factory=dict)
    batch: dict[str, Samples] = field(default_factory=dict)
    memory: dict[tuple[str, str], float | str] = field(default_factory=dict)
    """(case, mode): peak MB, or the error."""
    whole_process: dict[str, list[float]] = field(default_factory=dict)
    """"orq-router" and "floor": ms of each whole `python -c` run."""
    bulk: dict[str, Throughput] = field(default_factory=dict)
    """Configuration: seconds per `embed_many` run, ours and raw."""
    aio: aio.Measured | None = None
    """`AsyncOrq` vs raw aiohttp against the local router (`bench/aio.py`)."""
    router: router_bench.RouterResults | None = None
    """The local router against a bare app and LiteLLM (`bench/router.py`)."""
    corpora: Corpora | None = None
    """The CLI and Ray Data against the floor, and a crash's waste (`bench/corpora.py`)."""
    serving: ServingResults | None = None
    """The local router with the real model (None: the `minilm` extra is not installed)."""
    wall_s: float = 0.0


def _describe(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".splitlines()[0]
    return text if len(text) <= 120 else text[:117] + "..."


def _timed_calls(
    call: Call,
    texts: list[str],
    count: int,
    budget_s: float,
    *,
    collect: bool,
) -> list[float]:
    """Up to `count` timed calls in ms, stopping early when `budget_s` is spent."""
    times: list[float] = []
    deadline = time.monotonic() + budget_s
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        started = time.perf_counter_ns()
        result = call(texts)
        elapsed = time.perf_counter_ns() - started
        times.append(elapsed / 1e6)
        del result
        if collect:  # large results: free them outside the timing, not in the next call
            gc.collect()
    return times


def _rounds(
    calls: dict[str, Call],
    texts: list[str],
    *,
    dimensions: int,
    total: int,
    warmup: int,
    rounds: int,
    budget_s: float,
    collect: bool,
    log: Callable[[str], None],
) -> dict[str, Samples]:
    """Round-robin timing of every case: `total` calls each, split over `rounds`.

    Switching from one client to the next costs the next its first calls (its code and
    connection gone cold meanwhile): each case starts each round with untimed calls, and
    the order turns by one case each round, so that no case always comes first.
    """
    samples = {key: Samples() for key in calls}
    per_round = math.ceil(total / rounds)
    rewarm = warmup // 10  # 3 for one-input calls; none for large batches (seconds each)
    order = list(calls.items())
    for round_index in range(rounds):
        turn = round_index % len(order) if order else 0
        for key, call in order[turn:] + order[:turn]:
            sample = samples[key]
            if sample.error:
                continue
            try:
                if round_index == 0:
                    result = call(texts)
                    found = shape(result)
                    if found != (len(texts), dimensions):
                        raise RuntimeError(f"got {found} for {len(texts)} x {dimensions}")
                    del result
                    _timed_calls(call, texts, warmup - 1, budget_s, collect=collect)
                elif rewarm:
                    _timed_calls(call, texts, rewarm, budget_s, collect=collect)
                sample.times += _timed_calls(
                    call, texts, per_round, budget_s / rounds, collect=collect
                )
            except Exception as error:  # a failing contender is reported, not fatal
                sample.error = _describe(error)
                log(f"  {key}: failed: {sample.error}")
        log(f"  round {round_index + 1}/{rounds} done")
    return samples


def _connect(cases: Sequence[Case], url: str, results: Results) -> dict[str, Call]:
    calls: dict[str, Call] = {}
    for case in cases:
        try:
            calls[case.key] = case.connect(url)
        except Exception as error:
            message = _describe(error)
            results.single[case.key] = Samples(error=message)
            results.batch[case.key] = Samples(error=message)
    return calls


def measure(settings: Settings, log: Callable[[str], None]) -> Results:
    """Start the server, measure every case, stop the server."""
    started = time.perf_counter()
    log(f"building responses for 1 and {settings.batch} inputs x {settings.dimensions} ...")
    with running(settings.dimensions, (1, settings.batch)) as server:
        results = Results(settings, server.url, server.body_sizes)

        log(f"cold start: best of {settings.cold_runs} fresh processes per contender")
        best: dict[str, list[tuple[float, float]]] = {name: [] for name in COLD_START}
        for _ in range(settings.cold_runs):  # interleaved, so drift hits everyone
            for name in COLD_START:
                if isinstance(results.cold.get(name), str):
                    continue
                try:
                    best[name].append(coldstart.measure(name, server.url))
                except Exception as error:
                    results.cold[name] = _describe(error)
        for name, runs in best.items():
            if runs and name not in results.cold:
                results.cold[name] = (min(r[0] for r in runs), min(r[1] for r in runs))

        log(f"cold start as whole processes: {settings.process_runs} runs each, interleaved")
        programs = coldstart.WHOLE_PROCESS
        for program in programs.values():  # compiled bytecode cached before the clock runs
            coldstart.whole_process(program)
        for _ in range(settings.process_runs):
            for name, program in programs.items():
                results.whole_process.setdefault(name, []).append(coldstart.whole_process(program))

        calls = _connect(CASES, server.url, results)
        one = ["The quick brown fox jumps over the lazy dog"]
        log(f"one input: {settings.calls} calls per case after {settings.warmup} warm-up")
        results.single.update(
            _rounds(
                calls,
                one,
                dimensions=settings.dimensions,
                total=settings.calls,
                warmup=settings.warmup,
                rounds=settings.rounds,
                budget_s=settings.latency_budget_s,
                collect=False,
                log=log,
            )
        )
        many = [f"benchmark input number {i}" for i in range(settings.batch)]
        log(f"{settings.batch} inputs: {settings.batch_calls} calls per case after 1 warm-up")
        results.batch.update(
            _rounds(
                calls,
                many,
                dimensions=settings.dimensions,
                total=settings.batch_calls,
                warmup=1,
                rounds=min(settings.rounds, settings.batch_calls),
                budget_s=settings.batch_budget_s,
                collect=True,
                log=log,
            )
        )
        for call in calls.values():  # an async client closes its session in its own loop
            close = getattr(call, "close", None)
            if close is not None:
                close()
        del calls
        gc.collect()

        log(f"peak memory of one {settings.batch}-input call: fresh process per case and mode")
        for case in CASES:
            for mode in settings.memory_modes:
                try:
                    results.memory[case.key, mode] = memory.measure(
                        case.key, server.url, settings.batch, mode
                    )
                except Exception as error:
                    results.memory[case.key, mode] = _describe(error)

    sizes = bulk.batch_sizes(bulk.TEXTS, bulk.CONFIGS)
    log(
        f"bulk: embed_many vs a raw threaded client, {bulk.TEXTS} texts, server latency "
        f"{bulk.LATENCY_S * 1000:.0f} ms, {settings.bulk_runs} run(s) per side and configuration"
    )
    with running(settings.dimensions, sorted(sizes), latency_s=bulk.LATENCY_S) as server:
        results.bulk = bulk.measure(server.url, runs=settings.bulk_runs, log=log)
    log(
        f"async: AsyncOrq vs raw aiohttp, {aio.REQUESTS} requests at concurrency"
        f" {aio.CONCURRENCY} to the local router, {settings.async_runs} run(s) per side"
    )
    results.aio = aio.measure(runs=settings.async_runs, log=log)
    log("local router: orq-router serve vs a bare Starlette app, LiteLLM proxy beside")
    results.router = router_bench.measure(
        router_bench.QUICK if settings.quick else router_bench.FULL, log
    )
    log(
        f"corpora: the CLI vs a raw client ({settings.corpora_cli_rows} lines), Ray Data vs"
        f" the CLI ({settings.corpora_ray_rows} rows), a killed Ray driver"
        f" ({settings.corpora_crash_rows} rows)"
    )
    results.corpora = corpora.measure(
        cli_rows=settings.corpora_cli_rows,
        ray_rows=settings.corpora_ray_rows,
        crash_rows=settings.corpora_crash_rows,
        runs=settings.corpora_runs,
        log=log,
    )
    if serving.available():
        results.serving = serving.measure(serving.QUICK if settings.quick else serving.FULL, log)
    else:
        log("serving: skipped (the minilm extra is not installed)")
    results.wall_s = time.perf_counter() - started
    return results


def main(settings: Settings, output: str | None, goals_output: str | None) -> None:
    """Measure, print the report and the goals, and write them (unless None)."""

    def log(message: str) -> None:
        print(message, flush=True)

    results = measure(settings, log)
    verdicts = goals.evaluate(results)
    text = report.render(results, verdicts)
    print()
    print(text)
    print("Goals:")
    for name, goal in verdicts.items():
        print("  " + goal.describe(name))
    if output:
        report.write(text, output)
        log(f"written to {output}")
    if goals_output:
        goals.write(verdicts, results, Path(goals_output))
        log(f"written to {goals_output}")
