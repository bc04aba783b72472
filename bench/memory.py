"""Peak extra memory of one large call, in a fresh process, two ways.

- `rss`: the peak resident set size during the call minus the resident size just
  before it. The peak is reset first (`/proc/self/clear_refs`, then `VmHWM`), so the
  imports' own peak does not hide the call's. It sees everything: Python objects, numpy
  buffers, and memory that C or Rust extensions take from malloc directly.
- `tracemalloc`: the peak of memory allocated through Python's allocators during the
  call (numpy reports its buffers there too; Rust's own allocations, as in
  pydantic-core, are not seen). Slower, but independent of what malloc keeps around.

Before the measured call the client is built and has made one 1-input call, so lazy
imports and the connection are already paid for. The result is kept alive while the
peak is read: holding it is part of what the call costs.

Run by `bench.run` as `python -m bench.memory CASE URL INPUTS MODE`.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import tracemalloc
from pathlib import Path

from bench import probe
from bench.clients import CASES_BY_KEY, shape

MB = 1_000_000


def measure(case: str, url: str, inputs: int, mode: str) -> float:
    """Peak extra memory in MB of one call with `inputs` inputs, measured per `mode`."""
    return float(probe.run("bench.memory", case, url, str(inputs), mode)["peak_mb"])


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False where that is refused."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def main(argv: list[str]) -> None:
    case, url, inputs, mode = argv
    call = CASES_BY_KEY[case].connect(url)
    call(["warm-up"])
    texts = [f"memory input {i}" for i in range(int(inputs))]
    gc.collect()
    if mode == "tracemalloc":
        tracemalloc.start()
        result = call(texts)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        reset = _reset_peak()
        before = _status_kb("VmRSS") * 1024
        if not reset:  # ru_maxrss: peak since start (KiB on Linux), which may predate the call
            before = max(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        result = call(texts)
        after = _status_kb("VmHWM") * 1024
        peak = max(0, after - before)
    rows, _ = shape(result)
    print(json.dumps({"peak_mb": peak / MB, "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1:])
