"""The performance goals, each computed from one run's measurements the way it is named.

- `per_call` <= 1.05: ours / floor, one input x d, `create` and `create` + `.to_numpy()`
  (the worse of the two);
- `large_batch` <= 1.10: ours / floor, 2048 x d to an (n, d) array;
- `memory` <= 1.00: ours / floor, peak RSS of that call;
- `cold_start` <= 1.35: ours / floor, a whole `python -c` process (medians);
- `float_vs_fastest_peer` < 1.00: ours / the fastest peer, 2048 x d with
  `encoding_format="float"`;
- `bulk` >= 0.95: ours / raw throughput, `embed_many` of 20 000 texts, the worst
  configuration.
- `serving_single` >= 0.95, `serving_concurrent` >= 0.90: the local router's throughput
  with the real model / in-process `SentenceTransformer.encode` at its best (the client's
  batches of 64, or all 512 sentences in one call, sorted by length; `bench/serving.py`);
  `serving_concurrent_p99` <= 2.0: p99 latency of 16 clients / one batch of 64 in-process;
  `serving_after_timeout` <= 1.0: one sentence right after a timed-out large request /
  (its idle latency + one pass).

The floor is raw urllib3 + `json.loads` + `a2b_base64` + `numpy.frombuffer` (`raw/b64+np`)
and, for cold start, `import urllib3; urllib3.PoolManager()`. Peers are orq-ai-sdk and
openai, every float row of theirs. Every ratio but `bulk` is lower-is-better.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from bench.run import Results
    from bench.serving import ServingResults

FLOOR: Final = "raw/b64+np"
FLOAT_PEERS: Final = ("sdk", "sdk/float", "openai/float")


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
        _ratio(many, floor_many), "<=", 1.10, f"ours {_n(many)} ms, floor {_n(floor_many)} ms"
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
    goals.update(serving_goals(results.serving))
    return goals


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
