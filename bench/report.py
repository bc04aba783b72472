"""The markdown report: environment, what each row measures, and the numbers.

Ratios ("x ours") divide a row by ours' row that puts the same encoding on the wire and
ends with the same kind of result (the `vs` column of the cases table), so that no
row wins by doing less work; a ratio above 1 means slower or bigger than ours.
"""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Final

from bench.clients import CASES, CASES_BY_KEY, COLD_START, OURS, decoders
from bench.serving import describe as describe_serving

if TYPE_CHECKING:
    from bench.goals import Goal
    from bench.run import Results, Samples

DISTRIBUTIONS: Final = (
    "orq-router",
    "orq-router-api",
    "orq-ai-sdk",
    "openai",
    "urllib3",
    "httpx",
    "httpx2",
    "aiohttp",
    "pydantic",
    "numpy",
    "orjson",
    "pybase64",
)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:,.1f}"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _ratio(value: float | None, reference: float | None) -> str:
    if value is None or reference is None or reference <= 0:
        return "-"
    return f"{value / reference:.2f}x"


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"


def environment() -> dict[str, str]:
    """When, where and with what the run was made: the facts a figure needs beside it."""
    return {
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "machine": f"{platform.system()} {platform.machine()}; nproc {_nproc()}; {_cpu()}",
        "packages": ", ".join(f"{name} {_version(name)}" for name in DISTRIBUTIONS),
        "orq_router_reads_with": decoders(),
    }


def _table(header: list[str], rows: list[list[str]], right_from: int = 1) -> list[str]:
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    return ["| " + " | ".join(row) + " |" for row in (header, align, *rows)]


def _environment(results: Results) -> list[str]:
    settings = results.settings
    facts = environment()
    sizes = results.body_sizes
    batch = settings.batch
    mode = "QUICK smoke run (counts reduced; not for comparison)" if settings.quick else "full"
    return [
        f"- Date: {facts['date']}; run: {mode}; wall time {results.wall_s:.0f} s",
        f"- Python {facts['python']} on {facts['machine']}",
        f"- Packages: {facts['packages']}",
        f"- orq-router reads answers with {facts['orq_router_reads_with']}"
        " (orjson + pybase64: its `fast` extra; json + binascii: the standard library)",
        f"- Server: {results.url} (loopback), own process, pre-built bodies. 1 input x "
        f"{settings.dimensions}: float {_size(sizes.get('1:float', 0))}, base64 "
        f"{_size(sizes.get('1:base64', 0))}; {batch} inputs: float "
        f"{_size(sizes.get(f'{batch}:float', 0))}, base64 "
        f"{_size(sizes.get(f'{batch}:base64', 0))}",
    ]


def _cold_table(results: Results) -> list[str]:
    reference = results.cold.get(OURS)
    rows = []
    for name in COLD_START:
        cold = results.cold.get(name)
        if isinstance(cold, tuple):
            ref = reference if isinstance(reference, tuple) else None
            client_ms, first_ms = cold
            rows.append(
                [
                    name,
                    _ms(client_ms),
                    _ratio(client_ms, ref[0] if ref else None),
                    _ms(first_ms),
                    _ratio(first_ms, ref[1] if ref else None),
                ]
            )
        else:
            rows.append([name, f"failed: {cold}", "-", "-", "-"])
    header = ["contender", "import + client (ms)", "x ours", "+ first call (ms)", "x ours"]
    return _table(header, rows)


def _cases_table() -> list[str]:
    rows = [
        [f"`{case.key}`", case.contender, case.request, case.result, f"`{case.reference}`"]
        for case in CASES
    ]
    return _table(["case", "contender", "request", "the timed call ends with", "vs"], rows, 5)


def _calls_table(results: Results) -> list[str]:
    def get(
        samples: dict[str, Samples], key: str, stat: Callable[[Samples], float | None]
    ) -> float | None:
        sample = samples.get(key)
        return stat(sample) if sample is not None else None

    def median(sample: Samples) -> float | None:
        return sample.median()

    def p95(sample: Samples) -> float | None:
        return sample.p95()

    def mem(key: str, mode: str) -> float | None:
        value = results.memory.get((key, mode))
        return value if isinstance(value, float) else None

    def cell(value: float | None, samples: Samples | None) -> str:
        if samples is not None and samples.error:
            return "failed"
        return _ms(value)

    rows = []
    for case in CASES:
        ref = CASES_BY_KEY[case.reference].key
        one = results.single.get(case.key)
        many = results.batch.get(case.key)
        single_median = get(results.single, case.key, median)
        batch_median = get(results.batch, case.key, median)
        rss = mem(case.key, "rss")
        traced = mem(case.key, "tracemalloc")
        rows.append(
            [
                f"`{case.key}`",
                cell(single_median, one),
                cell(get(results.single, case.key, p95), one),
                _ratio(single_median, get(results.single, ref, median)),
                cell(batch_median, many),
                _ratio(batch_median, get(results.batch, ref, median)),
                "failed" if isinstance(results.memory.get((case.key, "rss")), str) else _mb(rss),
                _ratio(rss, mem(ref, "rss")),
                "failed"
                if isinstance(results.memory.get((case.key, "tracemalloc")), str)
                else _mb(traced),
            ]
        )
    settings = results.settings
    batch = f"{settings.batch}x{settings.dimensions}"
    header = [
        "case",
        f"1x{settings.dimensions} median (ms)",
        "p95 (ms)",
        "x ours",
        f"{batch} median (ms)",
        "x ours",
        "peak RSS delta (MB)",
        "x ours",
        "tracemalloc peak (MB)",
    ]
    return _table(header, rows)


def _counts(results: Results) -> str:
    single = {len(s.times) for s in results.single.values() if s.times}
    batch = {len(s.times) for s in results.batch.values() if s.times}
    settings = results.settings

    def spread(counts: set[int]) -> str:
        if not counts:
            return "0"
        return str(min(counts)) if len(counts) == 1 else f"{min(counts)}-{max(counts)}"

    return (
        f"{spread(single)} one-input calls per case (after {settings.warmup} warm-up), "
        f"{spread(batch)} {settings.batch}-input calls per case (after 1 warm-up), "
        f"round-robin over the cases in {settings.rounds} round(s); cold start best of "
        f"{settings.cold_runs}"
    )


def _failures(results: Results) -> list[str]:
    lines = []
    for label, table in (("1 input", results.single), (f"{results.settings.batch}", results.batch)):
        for key, sample in table.items():
            if sample.error:
                lines.append(f"- `{key}` ({label}): {sample.error}")
    for (key, mode), value in results.memory.items():
        if isinstance(value, str):
            lines.append(f"- `{key}` (memory, {mode}): {value}")
    for name, cold in results.cold.items():
        if isinstance(cold, str):
            lines.append(f"- {name} (cold start): {cold}")
    return lines


NOTES: Final = """\
- Cold start: a fresh `python` per run; the clock starts before `import` and stops once
  the client is built, then again after its first 1-input call (lazy imports of the
  SDKs' resources land there). Interpreter start-up is not included. Best of N runs.
- Call timings: in one process, each call from before the SDK call to the end of the
  "ends with" column of the cases table: ours and openai include decoding base64 to
  floats where that column says so; `ours` alone keeps vectors packed (decoded on
  access), and `sdk/b64` returns the base64 strings undecoded, so those two rows do less.
  The large batch frees each result (`gc.collect()`) outside the timing.
- Memory: one 2048-input call in a fresh process, after a 1-input warm-up call, result
  kept alive. "peak RSS delta" = VmHWM after the call minus VmRSS before it (the peak is
  reset first via /proc/self/clear_refs); "tracemalloc peak" = Python-allocator peak
  during the call (numpy buffers included, Rust/C malloc outside Python not seen).
  orjson asks the Python allocator for room for the worst case, several times the body,
  and touches little of it: with orjson, the tracemalloc peak counts that room (compare
  peak RSS, what the memory goal measures).
- JSON: orq-ai-sdk parses with pydantic-core (Rust, `from_json`); openai with the stdlib
  `json` and `binascii`; orq-router with what the environment line above says (orjson +
  pybase64 with its `fast` extra, else `json` + `binascii`), and the raw rows (the floor)
  with the same: the fastest readers the run allows.
- Async rows: each call awaited with `run_until_complete` on one event loop kept for the
  whole run. The async table: client CPU (`time.process_time`) per request of 2,000
  requests from 64 tasks to the local router in its own process (`bench/aio.py`).
- x ours: this row / ours' row in the `vs` column (same wire encoding, same kind of result).
  Above 1 means slower or bigger than ours. Loopback only: no network latency is in these
  numbers, so they show client overhead, which a real network adds to, not hides."""


def goals_table(goals: dict[str, Goal]) -> list[str]:
    """The goals as a markdown table: the README's performance table is this one."""
    rows = []
    for name, goal in goals.items():
        ratio = "-" if goal.ratio is None else f"{goal.ratio:.3f}"
        rows.append(
            [
                f"`{name}`",
                ratio,
                f"{goal.comparison} {goal.target:.2f}",
                "met" if goal.met else "NOT MET",
            ]
        )
    return _table(["goal", "ratio", "target", ""], rows, 1)


def _process_table(results: Results) -> list[str]:
    rows = []
    for name, runs in results.whole_process.items():
        program = coldstart_programs().get(name, "")
        rows.append(
            [name, f"`{program}`", _ms(statistics.median(runs)), _ms(min(runs)), str(len(runs))]
        )
    return _table(["program", "python -c", "median (ms)", "best (ms)", "runs"], rows, 2)


def coldstart_programs() -> dict[str, str]:
    from bench.coldstart import WHOLE_PROCESS

    return dict(WHOLE_PROCESS)


def _bulk_table(results: Results) -> list[str]:
    rows = []
    for key, timing in results.bulk.items():
        ours_s, raw_s = statistics.median(timing.ours), statistics.median(timing.raw)
        rows.append([key, f"{ours_s:.3f}", f"{raw_s:.3f}", f"{timing.ratio():.3f}"])
    return _table(["configuration", "embed_many (s)", "raw threads (s)", "ours / raw"], rows)


def _async_table(results: Results) -> list[str]:
    measured = results.aio
    if measured is None:
        return ["Not measured."]
    rows = []
    for name, runs in (("2,000 x `create`", measured.per_call), ("`embed_many`", measured.bulk)):
        rows.append(
            [
                name,
                f"{runs.cpu_per_request_ms('ours'):.3f}",
                f"{runs.cpu_per_request_ms('raw'):.3f}",
                f"{runs.cpu_ratio():.3f}",
                f"{runs.throughput('ours'):.0f}",
                f"{runs.throughput('raw'):.0f}",
            ]
        )
    header = ["run", "ours CPU/request (ms)", "raw aiohttp (ms)", "ours / raw", "ours req/s"]
    return _table([*header, "raw req/s"], rows)


def render(results: Results, goals: dict[str, Goal]) -> str:
    """The whole report as markdown."""
    lines = [
        "# orq-router benchmark: orq-router vs orq-ai-sdk vs openai vs raw urllib3",
        "",
        *_environment(results),
        f"- Counts: {_counts(results)}",
        "",
        "## Goals",
        "",
        "Ratios are ours / floor (or / fastest peer); lower is better except `bulk`",
        "(ours / raw throughput). See `bench/goals.py` for how each is made.",
        "",
        *goals_table(goals),
        "",
        "## Cold start as a whole process (`python -c`, interpreter start-up included)",
        "",
        *_process_table(results),
        "",
        "## Cold start (ms, best of runs)",
        "",
        *_cold_table(results),
        "",
        "## Cases",
        "",
        *_cases_table(),
        "",
        "## Per call (one input, and one large batch) and peak memory of the large batch",
        "",
        *_calls_table(results),
        "",
        "## Bulk: `embed_many` vs a raw threaded client (median seconds per run)",
        "",
        *_bulk_table(results),
        "",
        "## Async: `AsyncOrq` vs raw aiohttp (2,000 requests at concurrency 64, local router)",
        "",
        *_async_table(results),
        "",
        *_router_section(results),
        "## Serving: the local router with the real model vs in-process encode",
        "",
        *(describe_serving(results.serving) if results.serving else ["- not measured"]),
        "",
        "## Notes",
        "",
        NOTES,
    ]
    failures = _failures(results)
    if failures:
        lines += ["", "## Failures", "", *failures]
    return "\n".join(lines) + "\n"


def write(text: str, output: str) -> None:
    """Overwrite `output` with the report."""
    Path(output).write_text(text, encoding="utf-8")


def _router_section(results: Results) -> list[str]:
    """The local router against a bare Starlette app and LiteLLM (`bench/router.py`)."""
    if results.router is None:
        return []
    from bench.router import report as router_report

    return [
        "## The local router: `orq-router serve` vs a bare Starlette app, LiteLLM beside",
        "",
        "CPU per request of the server's processes and requests per second, one short input",
        "to `local/hashing-384` in base64 (`bench/router.py`).",
        "",
        router_report(results.router),
        "",
    ]
