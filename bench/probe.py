"""Running one measurement in a fresh interpreter and reading back its JSON line.

Cold start and peak memory only mean something in a process that has not yet imported
the contender nor allocated for another one, so both run `python -m bench.<module>` in
a subprocess, from the repository root, with the same interpreter as the benchmark.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
TIMEOUT_S: Final = 300.0
"""No probe may hang the run: a 2048-input call takes seconds, not minutes."""


class ProbeError(RuntimeError):
    """The subprocess failed; the message carries the last line of its stderr."""


def run(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m module args...` and return the JSON object it printed last."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ProbeError(f"{module} {' '.join(args)}: no answer in {TIMEOUT_S:.0f} s") from error
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
        raise ProbeError(lines[-1])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
