"""Cold start: `import` + building a client, then the first call, in a fresh process.

Two measurements. `measure` times inside the process, per contender, for the table.
`whole_process` times a whole `python -c` run from outside, interpreter start-up
included, which is what a command-line tool or a serverless function pays: the
cold-start goal compares ours with `import urllib3; urllib3.PoolManager()` that way.

In `measure` the clock starts before the contender's import, so lazy imports count
where they happen: in building the client or, for SDKs that load their resources on
first use (orq-ai-sdk's `client.router`, openai's resources), in the first call.
Python's own start-up is the same for everyone and is left out there.

Run by `bench.run` as `python -m bench.coldstart CONTENDER URL`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Final

from bench import probe
from bench.clients import API_KEY, COLD_START

WHOLE_PROCESS: Final = {
    "orq-router": (
        f"import orq_router; orq_router.Orq(api_key={API_KEY!r}, base_url='http://127.0.0.1:9')"
    ),
    "floor": "import urllib3; urllib3.PoolManager()",
}
"""The cold-start goal's two programs: our import and client, and urllib3's own."""


def measure(contender: str, url: str) -> tuple[float, float]:
    """(import + client, that + first 1-input call) in ms, from one fresh process."""
    result = probe.run("bench.coldstart", contender, url)
    return float(result["client_ms"]), float(result["first_call_ms"])


def whole_process(program: str) -> float:
    """Milliseconds for `python -c program`, start to exit, interpreter start-up included."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", program], cwd=probe.ROOT, check=True)
    return (time.perf_counter() - started) * 1000


def main(argv: list[str]) -> None:
    contender, url = argv
    started = time.perf_counter()
    call = COLD_START[contender](url)
    built = time.perf_counter()
    call(["cold start"])
    called = time.perf_counter()
    print(
        json.dumps(
            {
                "client_ms": (built - started) * 1000,
                "first_call_ms": (called - started) * 1000,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
