"""Cold start: `import` + building a client, then the first call, in a fresh process.

The clock starts before the contender's import, so lazy imports count where they
happen: in building the client or, for SDKs that load their resources on first use
(orq-ai-sdk's `client.router`, openai's resources), in the first call. Python's own
start-up is the same for everyone and is left out.

Run by `bench.run` as `python -m bench.coldstart CONTENDER URL`.
"""

from __future__ import annotations

import json
import sys
import time

from bench import probe
from bench.clients import COLD_START


def measure(contender: str, url: str) -> tuple[float, float]:
    """(import + client, that + first 1-input call) in ms, from one fresh process."""
    result = probe.run("bench.coldstart", contender, url)
    return float(result["client_ms"]), float(result["first_call_ms"])


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
