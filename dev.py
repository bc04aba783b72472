"""`python3 dev.py -s SESSION [-- ARGS]`: run a nox session from a virtualenv of its own.

The project's tasks are nox sessions (see `noxfile.py`). This script is how to run them on
a machine that has nothing but Python 3.11+, including a Debian whose system Python
refuses `pip install` (PEP 668, "externally managed"): it never installs anything into
the system's Python. It creates `.venv-dev/` next to itself (once), installs nox there,
and runs `nox` from it with the arguments it was given. It needs only the standard
library.

On a Debian without the `python3-venv` package `venv` cannot bootstrap pip
(ensurepip is missing); the environment is then created without pip, and pip is put in
from the system's pip when there is one, else from the pip wheel on PyPI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
ENV = ROOT / ".venv-dev"
TOOLS = ("nox==2026.10.20", "uv==0.13.9")
"""nox, and uv, which nox uses to build its environments five times faster when present."""
PIP_INDEX = "https://pypi.org/pypi/pip/json"


def _bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    return ENV / folder / (name + (".exe" if os.name == "nt" else ""))


def _has_pip(python: Path) -> bool:
    found = subprocess.run([python, "-m", "pip", "--version"], capture_output=True, check=False)
    return found.returncode == 0


def _pip_wheel(folder: Path) -> Path:
    """The newest pip wheel from PyPI (a package registry is all this needs to reach)."""
    with urllib.request.urlopen(PIP_INDEX, timeout=60) as answer:
        release = json.load(answer)
    wheel = next(item for item in release["urls"] if item["filename"].endswith(".whl"))
    path = folder / str(wheel["filename"])
    # Mirrors answer with addresses relative to the index.
    urllib.request.urlretrieve(urllib.parse.urljoin(PIP_INDEX, wheel["url"]), path)
    return path


def _create() -> None:
    print(f"dev.py: creating {ENV.name}/ with nox (once; the system's Python is not touched)")
    try:
        venv.create(ENV, with_pip=True, clear=True)
    except (subprocess.CalledProcessError, OSError):
        venv.create(ENV, with_pip=False, clear=True)
    python = _bin("python")
    if not _has_pip(python):
        if _has_pip(Path(sys.executable)):
            # pip >= 22.3 installs into another interpreter's environment with --python.
            bootstrap = [sys.executable, "-m", "pip", "--python", str(python)]
            subprocess.run([*bootstrap, "install", "--quiet", "pip"], check=True)
        else:
            with tempfile.TemporaryDirectory() as scratch:
                wheel = _pip_wheel(Path(scratch))
                # A pip wheel runs as a zip application: it installs pip itself.
                command = [str(python), str(wheel / "pip"), "install", "--quiet", str(wheel)]
                subprocess.run(command, check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", *TOOLS], check=True)


def main() -> int:
    nox = _bin("nox")
    if not nox.exists():
        _create()
    os.chdir(ROOT)
    return subprocess.run([nox, *sys.argv[1:]], check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
