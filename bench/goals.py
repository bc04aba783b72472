"""The performance goals, each computed from one run's measurements the way it is named.

- `per_call` <= 1.05: ours / floor, one input x d, `create` and `create` + `.to_numpy()`
  (the worse of the two);
- `large_batch` <= 1.05: ours / floor, 2048 x d to an (n, d) array;
- `memory` <= 1.00: ours / floor, peak RSS of that call;
- `cold_start` <= 1.35: ours / floor, a whole `python -c` process (medians);
- `float_vs_fastest_peer` < 1.00: ours / the fastest peer, 2048 x d with
  `encoding_format="float"`, the async peers (`AsyncOpenAI`, orq-ai-sdk's `create_async`)
  included;
- `bulk` >= 0.95: ours / raw throughput, `embed_many` of 20 000 texts, the worst
  configuration;
- `async_per_call_cpu` <= 1.10 and `async_bulk_cpu` <= 1.10: `AsyncOrq`'s client CPU per
  request / raw aiohttp's, 2,000 requests at concurrency 64 to the local router
  (`bench/aio.py`); `async_bulk` >= 0.95: `embed_many`'s throughput / raw aiohttp's.
- `cli_bulk` >= 0.95: `orq-router embed` file -> .npy / a raw threaded client doing the
  same job, throughput, whole processes (`bench/corpora.py`);
- `ray_vs_cli` >= 0.80: rows/s of `orq_router.ray.embed_dataset` on a local Ray /
  `orq-router embed`, Parquet in and out, the local router's hashing model;
- `crash_waste` <= 1.00: rows embedded twice after a Ray driver is killed and the job
  rerun (from the router's request log) / one block per actor;
- `router_overhead` <= 1.50: CPU per request of `orq-router serve` (hashing model, one
  short input) / a bare Starlette+uvicorn app returning the same precomputed body
  (`bench/router.py`), the mean over concurrency 1, 8 and 32;
- `router_throughput` >= 0.67: its requests per second / the bare app's, the worst of
  concurrency 1, 8 and 32;
- `router_vs_litellm` <= 0.10: its CPU per request / LiteLLM proxy's in front of it
  (reported beside: what a general-purpose proxy costs, not a floor of ours);
- `serving_single` >= 0.95, `serving_concurrent` >= 0.90: the local router's throughput
  with the real model / in-process `SentenceTransformer.encode` at its best (the client's
  batches of 64, or all 512 sentences in one call, sorted by length; `bench/serving.py`);
  `serving_concurrent_p99` <= 2.0: p99 latency of 16 clients / one batch of 64 in-process;
  `serving_after_timeout` <= 1.0: one sentence right after a timed-out large request /
  (its idle latency + one pass).

The floor is the fastest raw stack: urllib3 + orjson + pybase64 + `numpy.frombuffer`
(`raw/b64+np`) when the `fast` extra is measured, urllib3 + `json` + `binascii` +
`numpy.frombuffer` with `--stdlib` (whose goals are kept against that floor, in
`results-stdlib.json`); for cold start, `import urllib3; urllib3.PoolManager()`. Peers
are orq-ai-sdk and openai, sync and async, every float row of theirs. Every ratio but
`bulk` and `async_bulk` is lower-is-better.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from bench.router import RouterResults
    from bench.run import Results
    from bench.serving import ServingResults

FLOOR: Final = "raw/b64+np"
FLOAT_PEERS: Final = ("sdk", "sdk/float", "openai/float", "sdk-async/float", "openai-async/float")


@dataclass(frozen=True)
class Goal:
    """One goal: its measured ratio against its target, and what the ratio is made of."""

    ratio: float | None
    target: float
    met: bool
    comparison: str
    """How the ratio must compare with the target: "<=", "<" or ">="."""
    measured: str
    """The numbers behind the ratio, in words."""

    def describe(self, name: str) -> str:
        ratio = "n/a" if self.ratio is None else f"{self.ratio:.3f}"
        verdict = "met" if self.met else "NOT MET"
        target = f"{self.comparison} {self.target:.2f}"
        return f"{name:<22} {ratio:>7}  target {target:<7} {verdict:<8} {self.measured}"


_COMPARE: Final = {
    "<=": lambda ratio, target: ratio <= target,
    "<": lambda ratio, target: ratio < target,
    ">=": lambda ratio, target: ratio >= target,
}


def _goal(ratio: float | None, comparison: str, target: float, measured: str) -> Goal:
    met = ratio is not None and bool(_COMPARE[comparison](ratio, target))
    shown = None if ratio is None else round(ratio, 4)
    return Goal(shown, target, met, comparison, measured)


def _n(value: float | None) -> str:
    """A figure for the `measured` text: 3 significant decimals, or "n/a"."""
    if value is None:
        return "n/a"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _number(value: object) -> float | None:
    return value if isinstance(value, float) else None


def _median(samples: Mapping[str, Any], key: str) -> float | None:
    sample = samples.get(key)
    return sample.median() if sample is not None else None


def _median_of(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _ratio(ours: float | None, floor: float | None) -> float | None:
    return None if ours is None or floor is None or floor <= 0 else ours / floor


def evaluate(results: Results) -> dict[str, Goal]:
    """Every goal from one run's results."""
    goals: dict[str, Goal] = {}
    floor_one = _median(results.single, FLOOR)
    one = {key: _median(results.single, key) for key in ("ours", "ours+np")}
    worst = max((_ratio(value, floor_one) or float("inf") for value in one.values()), default=None)
    goals["per_call"] = _goal(
        None if worst == float("inf") else worst,
        "<=",
        1.05,
        f"create {_n(one['ours'])} ms, + to_numpy {_n(one['ours+np'])} ms,"
        f" floor {_n(floor_one)} ms",
    )
    floor_many = _median(results.batch, FLOOR)
    many = _median(results.batch, "ours+np")
    goals["large_batch"] = _goal(
        _ratio(many, floor_many), "<=", 1.05, f"ours {_n(many)} ms, floor {_n(floor_many)} ms"
    )
    memory_ours = results.memory.get(("ours+np", "rss"))
    memory_floor = results.memory.get((FLOOR, "rss"))
    goals["memory"] = _goal(
        _ratio(_number(memory_ours), _number(memory_floor)),
        "<=",
        1.00,
        f"peak RSS delta ours {_n(_number(memory_ours))} MB, floor {_n(_number(memory_floor))} MB",
    )
    cold = results.whole_process
    if cold.get("orq-router") and cold.get("floor"):
        ours_ms = statistics.median(cold["orq-router"])
        floor_ms = statistics.median(cold["floor"])
        goals["cold_start"] = _goal(
            ours_ms / floor_ms,
            "<=",
            1.35,
            f"median ours {ours_ms:.1f} ms (best {min(cold['orq-router']):.1f}), floor "
            f"{floor_ms:.1f} ms (best {min(cold['floor']):.1f}), {len(cold['floor'])} runs each",
        )
    else:
        goals["cold_start"] = _goal(None, "<=", 1.35, "not measured")
    ours_float = _median(results.batch, "ours/float")
    peers = {key: _median(results.batch, key) for key in FLOAT_PEERS}
    measured_peers = {key: value for key, value in peers.items() if value is not None}
    fastest = min(measured_peers.items(), key=lambda item: item[1], default=None)
    goals["float_vs_fastest_peer"] = _goal(
        _ratio(ours_float, fastest[1] if fastest else None),
        "<",
        1.00,
        f"ours {_n(ours_float)} ms, fastest peer "
        + (f"{fastest[0]} {_n(fastest[1])} ms" if fastest else "n/a"),
    )
    if results.bulk:
        worst_key, worst_bulk = min(results.bulk.items(), key=lambda item: item[1].ratio())
        goals["bulk"] = _goal(
            worst_bulk.ratio(),
            ">=",
            0.95,
            f"worst of {len(results.bulk)} configurations: {worst_key}",
        )
    else:
        goals["bulk"] = _goal(None, ">=", 0.95, "not measured")
    goals.update(async_goals(results))
    router = getattr(results, "router", None)
    if router is not None:
        goals.update(router_goals(router))
    goals.update(_corpora_goals(results))
    goals.update(serving_goals(results.serving))
    return goals


def router_goals(router: RouterResults) -> dict[str, Goal]:
    """The local router's own goals, from `bench/router.py`'s measurements."""
    from bench.router import CONCURRENCY

    goals: dict[str, Goal] = {}
    ours, bare = router.cpu("router"), router.cpu("bare")
    goals["router_overhead"] = _goal(
        _ratio(ours, bare),
        "<=",
        1.50,
        f"CPU per request: router {_n(ours)} ms, bare Starlette+uvicorn {_n(bare)} ms",
    )
    ratios = {
        c: _ratio(router.throughput("router", c), router.throughput("bare", c)) for c in CONCURRENCY
    }
    known = [r for r in ratios.values() if r is not None]
    worst = min(known) if len(known) == len(ratios) else None
    goals["router_throughput"] = _goal(
        worst,
        ">=",
        0.67,
        "router / bare requests per second at concurrency "
        + ", ".join(f"{c}: {_n(r)}" for c, r in ratios.items()),
    )
    theirs = router.cpu("litellm")
    why = router.failed.get("litellm")
    goals["router_vs_litellm"] = _goal(
        _ratio(ours, theirs),
        "<=",
        0.10,
        f"CPU per request: router {_n(ours)} ms, LiteLLM proxy in front of it {_n(theirs)} ms"
        + (f" ({why})" if why else ""),
    )
    return goals


def async_goals(results: Results) -> dict[str, Goal]:
    """`AsyncOrq` against raw aiohttp (`bench/aio.py`): CPU per request and throughput."""
    measured = results.aio
    if measured is None:
        return {
            name: _goal(None, comparison, target, "not measured")
            for name, comparison, target in (
                ("async_per_call_cpu", "<=", 1.10),
                ("async_bulk_cpu", "<=", 1.10),
                ("async_bulk", ">=", 0.95),
            )
        }
    one, bulk = measured.per_call, measured.bulk
    return {
        "async_per_call_cpu": _goal(
            one.cpu_ratio(),
            "<=",
            1.10,
            f"client CPU a request: ours {one.cpu_per_request_ms('ours'):.3f} ms,"
            f" raw aiohttp {one.cpu_per_request_ms('raw'):.3f} ms",
        ),
        "async_bulk_cpu": _goal(
            bulk.cpu_ratio(),
            "<=",
            1.10,
            f"client CPU a request: embed_many {bulk.cpu_per_request_ms('ours'):.3f} ms,"
            f" raw aiohttp {bulk.cpu_per_request_ms('raw'):.3f} ms",
        ),
        "async_bulk": _goal(
            bulk.throughput_ratio(),
            ">=",
            0.95,
            f"embed_many {bulk.throughput('ours'):.0f} requests/s,"
            f" raw aiohttp {bulk.throughput('raw'):.0f} requests/s",
        ),
    }


def _corpora_goals(results: Results) -> dict[str, Goal]:
    """`cli_bulk`, `ray_vs_cli` and `crash_waste` (`bench/corpora.py`)."""
    found = results.corpora
    if found is None:
        return {
            name: _goal(None, comparison, target, "not measured")
            for name, comparison, target in (
                ("cli_bulk", ">=", 0.95),
                ("ray_vs_cli", ">=", 0.80),
                ("crash_waste", "<=", 1.00),
            )
        }
    cli = statistics.median(found.cli) if found.cli else None
    raw = statistics.median(found.raw) if found.raw else None
    by_cli = statistics.median(found.parquet_cli) if found.parquet_cli else None
    by_ray = statistics.median(found.parquet_ray) if found.parquet_ray else None
    twice = found.crash_sent - found.crash_rows if found.crash_sent else None
    # (how many rows were embedded more than once, when the crash was measured)
    return {
        "cli_bulk": _goal(
            found.cli_ratio(),
            ">=",
            0.95,
            f"{found.cli_rows} lines to .npy: CLI {_n(cli)} s, raw {_n(raw)} s"
            + (f" ({found.errors['cli_bulk']})" if "cli_bulk" in found.errors else ""),
        ),
        "ray_vs_cli": _goal(
            found.ray_ratio(),
            ">=",
            0.80,
            f"{found.ray_rows} Parquet rows: Ray {_n(by_ray)} s (ray.init excluded; first"
            f" file at {_n(_median_of(found.first_ray))} s), CLI {_n(by_cli)} s (first file at"
            f" {_n(_median_of(found.first_cli))} s)"
            + (f" ({found.errors['ray']})" if "ray" in found.errors else ""),
        ),
        "crash_waste": _goal(
            found.waste_ratio(),
            "<=",
            1.00,
            f"{found.crash_rows} rows, driver killed and rerun: {'n/a' if twice is None else twice}"
            f" embedded twice; block {found.crash_block} x {found.crash_actors} actors",
        ),
    }


def serving_goals(serving: ServingResults | None) -> dict[str, Goal]:
    """The local router's goals with the real model (`bench/serving.py`)."""
    if serving is None or serving.error:
        why = "not measured" if serving is None else f"failed: {serving.error}"
        return {
            "serving_single": _goal(None, ">=", 0.95, why),
            "serving_concurrent": _goal(None, ">=", 0.90, why),
            "serving_concurrent_p99": _goal(None, "<=", 2.0, why),
            "serving_after_timeout": _goal(None, "<=", 1.0, why),
        }
    ceiling = serving.ceiling()
    single = serving.throughput(serving.single_s)
    concurrent = serving.throughput(serving.concurrent_s)
    batch_s = statistics.median(serving.ceiling_batch_s) if serving.ceiling_batch_s else None
    p99_s = serving.p99(serving.concurrent_latency_s)
    idle_s = statistics.median(serving.idle_s) if serving.idle_s else None
    after_s = statistics.median(serving.after_timeout_s) if serving.after_timeout_s else None
    pass_s = statistics.median(serving.large_pass_s) if serving.large_pass_s else None
    allowed_s = None if idle_s is None or pass_s is None else idle_s + pass_s
    threads = f"torch threads {serving.threads}"
    return {
        "serving_single": _goal(
            _ratio(single, ceiling),
            ">=",
            0.95,
            f"router {_n(single)} sentences/s, in-process encode {_n(ceiling)}/s; {threads}",
        ),
        "serving_concurrent": _goal(
            _ratio(concurrent, ceiling),
            ">=",
            0.90,
            f"16 clients x 1-4 sentences {_n(concurrent)}/s, in-process {_n(ceiling)}/s",
        ),
        "serving_concurrent_p99": _goal(
            _ratio(p99_s, batch_s),
            "<=",
            2.0,
            f"p99 {_ms(p99_s)} ms, one batch of 64 in-process {_ms(batch_s)} ms",
        ),
        "serving_after_timeout": _goal(
            _ratio(after_s, allowed_s),
            "<=",
            1.0,
            f"median {_ms(after_s)} ms (worst {_ms(max(serving.after_timeout_s, default=None))}),"
            f" idle {_ms(idle_s)} ms + one pass {_ms(pass_s)} ms;"
            f" {serving.timeouts}/{len(serving.after_timeout_s)} timed out",
        ),
    }


def _ms(seconds: float | None) -> str:
    return _n(None if seconds is None else seconds * 1000)


def to_json(goals: Mapping[str, Goal], results: Results) -> str:
    """`{"goals": {name: {"ratio", "target", "met", ...}}, ...}` as written to results.json."""
    from bench.report import environment

    document = {
        "goals": {name: asdict(goal) for name, goal in goals.items()},
        "all_met": all(goal.met for goal in goals.values()),
        "quick": results.settings.quick,
        "wall_s": round(results.wall_s, 1),
        "environment": environment(),
    }
    return json.dumps(document, indent=2) + "\n"


def write(goals: Mapping[str, Goal], results: Results, path: Path) -> None:
    path.write_text(to_json(goals, results), encoding="utf-8")
