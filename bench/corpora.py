"""Corpora: the command line and Ray Data against the floor, and what a crash costs.

Three measurements, each a goal (`bench/goals.py`):

- `cli_bulk`: `orq-router embed corpus.txt -o out.npy` against a raw threaded client
  doing the same job (read the file, POST batches of 128 with 4 threads asking for
  base64, decode each row into one preallocated array, `numpy.save`), both as whole
  processes against the bench server (20 ms a request, as a model would take). The
  ratio is raw time / CLI time, from the medians of alternating runs (>= 0.95).
- `ray_vs_cli`: rows/s of `orq_router.ray.embed_dataset` (Parquet in, id-keyed Parquet
  out) on a local Ray against `orq-router embed` doing the same (Parquet in, directory
  out), both against the local router (`orq-router serve`, hashing model), on a
  million rows in a full run. Ray is started before the clock (`ray.init` excluded);
  its actors are started by the job, so their start-up counts, and the report gives
  when each side wrote its first file. One small untimed round first, as for
  `cli_bulk`. Ratio: Ray rows/s / CLI rows/s (>= 0.8).
- `crash_waste`: a Ray job's driver (`orq-router embed --engine ray --address ...`) is
  killed mid-job and the job rerun; the rows embedded more than once, counted from the
  router's request log (one JSON line per request with its `inputs`), over one block
  per actor. Ratio <= 1.0 means a crash wasted at most a block per actor.

Ray runs on loopback only (its single-machine mode), with usage reporting off, and is
shut down at the end; every process started here is stopped here.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from bench.clients import API_KEY, MODEL, PATH

LATENCY_S: Final = 0.020
DIMENSIONS: Final = 256
BATCH: Final = 128
WORKERS: Final = 4
ROUTER_MODEL: Final = "bench/hash-256"
CRASH_BLOCK: Final = 1024
"""The crash job's rows per block (and file): small, so that its rows (40,000 in a full
run) make 40 blocks to be killed among. `crash_waste` counts in blocks per actor, so the
size does not move the ratio. `ray_vs_cli` runs both sides with their defaults (8,192
rows)."""
ROW_GROUP: Final = 4096
WARM_ROWS: Final = 20_000
"""Rows of the untimed first round of `ray_vs_cli`, each side."""
ACTORS: Final = 2
ROUTER_CONFIG: Final = f"""
[models."{ROUTER_MODEL}"]
backend = "hashing"
dimensions = {DIMENSIONS}
"""


@dataclass
class Corpora:
    """Seconds per run of each side, and the crash's counts."""

    cli: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    cli_rows: int = 0
    parquet_cli: list[float] = field(default_factory=list)
    parquet_ray: list[float] = field(default_factory=list)
    first_cli: list[float] = field(default_factory=list)
    """Seconds from a CLI run's start to its first part file."""
    first_ray: list[float] = field(default_factory=list)
    """Seconds from an `embed_dataset` run's start to its first part file."""
    ray_rows: int = 0
    crash_rows: int = 0
    crash_sent: int = 0
    crash_block: int = 0
    crash_actors: int = 0
    errors: dict[str, str] = field(default_factory=dict)

    def cli_ratio(self) -> float | None:
        if not (self.cli and self.raw):
            return None
        return statistics.median(self.raw) / statistics.median(self.cli)

    def ray_ratio(self) -> float | None:
        if not (self.parquet_cli and self.parquet_ray):
            return None
        return statistics.median(self.parquet_cli) / statistics.median(self.parquet_ray)

    def waste_ratio(self) -> float | None:
        if not self.crash_sent:
            return None
        return (self.crash_sent - self.crash_rows) / (self.crash_block * self.crash_actors)


# The raw threaded client, as a whole process: `python -m bench.corpora raw IN OUT URL`.


def raw_job(source: str, target: str, url: str) -> None:
    """Read the file, embed it with threads and urllib3, save the (n, d) array."""
    import binascii
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np
    import urllib3

    with open(source, encoding="utf-8") as file:
        texts = [line.rstrip("\n") for line in file]
    pool = urllib3.PoolManager(maxsize=16)
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
    holder: list[Any] = []
    lock = threading.Lock()

    def send(start: int) -> None:
        body = {"input": texts[start : start + BATCH], "model": MODEL, "encoding_format": "base64"}
        answer = pool.request("POST", url + PATH, body=json.dumps(body), headers=headers)
        for item in json.loads(answer.data)["data"]:
            packed = binascii.a2b_base64(item["embedding"])
            if not holder:
                with lock:
                    if not holder:
                        holder.append(np.empty((len(texts), len(packed) // 4), np.float32))
            holder[0][start + item["index"]] = np.frombuffer(packed, dtype="<f4")

    with ThreadPoolExecutor(WORKERS) as executor:
        list(executor.map(send, range(0, len(texts), BATCH)))
    np.save(target, holder[0])


def _timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[:5])}...: exit {done.returncode}: {done.stderr[-500:]}"
        )
    return elapsed


def _first_file(directory: Path) -> float:
    """When the first part file under `directory` was written (epoch seconds)."""
    from orq_router.bulk import part_files

    return min(path.stat().st_mtime for path in part_files(directory))


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "orq_router.cli", "embed", *args]


def measure_cli(rows: int, runs: int, log: Callable[[str], None], result: Corpora) -> None:
    """`cli_bulk`: the CLI and the raw client, whole processes, alternating."""
    import numpy as np

    from bench.server import running

    sizes = sorted({BATCH, rows % BATCH or BATCH})
    env = {**os.environ, "ORQ_API_KEY": API_KEY}
    with tempfile.TemporaryDirectory(prefix="orq-bench-corpora-") as scratch:
        folder = Path(scratch)
        corpus = folder / "corpus.txt"
        corpus.write_text("".join(f"corpus line number {i}\n" for i in range(rows)))
        with running(DIMENSIONS, sizes, latency_s=LATENCY_S) as server:
            url = server.url
            commands: dict[str, Callable[[Path], list[str]]] = {
                "cli": lambda out: _cli("--model", MODEL, str(corpus), "-o", str(out), "--base-url", url),
                "raw": lambda out: [sys.executable, "-m", "bench.corpora", "raw", str(corpus), str(out), url],
            }  # fmt: skip
            for round_ in range(runs + 1):  # the first round warms the caches, untimed
                for name, command in commands.items():
                    out = folder / f"{name}-{round_}.npy"
                    elapsed = _timed(command(out), env)
                    if round_:
                        getattr(result, name).append(elapsed)
                if round_ == 0:
                    ours, floor = np.load(folder / "cli-0.npy"), np.load(folder / "raw-0.npy")
                    if ours.shape != floor.shape or not (ours == floor).all():
                        raise RuntimeError("the CLI and the raw client wrote different arrays")
                for path in folder.glob("*-*.npy"):
                    path.unlink()
    result.cli_rows = rows
    log(
        f"  cli_bulk: {rows} lines, CLI {statistics.median(result.cli):.2f} s, raw"
        f" {statistics.median(result.raw):.2f} s, ratio {result.cli_ratio():.3f}"
    )


@contextmanager
def router(folder: Path) -> Iterator[tuple[str, Path]]:
    """`orq-router serve` on a free loopback port; its URL and its request log file."""
    config = folder / "router.toml"
    config.write_text(ROUTER_CONFIG)
    log_path = folder / "router.log"
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "orq_router.cli",
                "serve",
                "--port",
                "0",
                "--config",
                str(config),
            ],
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            if "listening on" not in line:
                raise RuntimeError(f"the router did not start: {line!r}")
            yield line.rsplit(" ", 1)[-1].strip(), log_path
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def inputs_logged(log_path: Path) -> int:
    """Inputs the router embedded (answered 200), from its request log."""
    total = 0
    for line in log_path.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("status") == 200 and "inputs" in record:
            total += int(record["inputs"])
    return total


def _parquet(path: Path, rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = list(range(rows))
    table = pa.table({"id": ids, "text": [f"parquet document number {i}" for i in ids]})
    pq.write_table(table, path, row_group_size=ROW_GROUP)


def _start_ray() -> Any:
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # loopback only
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    os.environ["RAY_ENABLE_AUTO_CONNECT"] = "0"
    # Ray starts its workers at nice 15; the CLI it is compared with runs at 0.
    os.environ["RAY_worker_niceness"] = "0"  # noqa: SIM112 (Ray's own spelling)
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    address = ray.get_runtime_context().gcs_address
    if not address.startswith("127."):
        ray.shutdown()
        raise RuntimeError(f"Ray is not on loopback: {address}")
    return ray


def measure_ray(
    rows: int, crash_rows: int, runs: int, log: Callable[[str], None], result: Corpora
) -> None:
    """`ray_vs_cli` and `crash_waste`, on one local Ray and one router."""
    ray = _start_ray()  # first: Ray reads its loopback setting when it is imported
    from orq_router.bulk import done_ids, verify
    from orq_router.ray import embed_dataset

    try:
        with tempfile.TemporaryDirectory(prefix="orq-bench-ray-") as scratch:
            folder = Path(scratch)
            with router(folder) as (url, log_path):
                source = folder / "corpus.parquet"
                _parquet(source, rows)
                warm = folder / "warm.parquet"
                _parquet(warm, min(rows, WARM_ROWS))
                env = {**os.environ, "ORQ_API_KEY": API_KEY}

                def cli_run(corpus: Path, out: Path) -> tuple[float, float]:
                    started = time.time()
                    command = _cli(
                        "--model", ROUTER_MODEL, str(corpus), "--id-column", "id",
                        "-o", str(out), "--base-url", url,
                    )  # fmt: skip
                    return _timed(command, env), _first_file(out) - started

                def ray_run(corpus: Path, out: Path) -> tuple[float, float]:
                    started, clock = time.time(), time.perf_counter()
                    ds = ray.data.read_parquet(str(corpus))
                    embed_dataset(
                        ds, model=ROUTER_MODEL, output=out, base_url=url, api_key=API_KEY,
                        concurrency=ACTORS,
                    )  # fmt: skip
                    return time.perf_counter() - clock, _first_file(out) - started

                # Untimed, as `cli_bulk`'s first round: the first job of a new Ray (and the
                # first CLI run) also pays for cold caches, once per machine, not per job.
                cli_run(warm, folder / "cli-warm")
                ray_run(warm, folder / "ray-warm")
                for round_ in range(runs):
                    out_cli, out_ray = folder / f"cli-{round_}", folder / f"ray-{round_}"
                    seconds, first = cli_run(source, out_cli)
                    result.parquet_cli.append(seconds)
                    result.first_cli.append(first)
                    seconds, first = ray_run(source, out_ray)
                    result.parquet_ray.append(seconds)
                    result.first_ray.append(first)
                    if not verify(out_ray, range(rows)).ok:
                        raise RuntimeError("embed_dataset did not write every id exactly once")
                result.ray_rows = rows
                log(
                    f"  ray_vs_cli: {rows} rows, CLI {statistics.median(result.parquet_cli):.2f} s"
                    f" (first file {statistics.median(result.first_cli):.2f} s), Ray"
                    f" {statistics.median(result.parquet_ray):.2f} s (first file"
                    f" {statistics.median(result.first_ray):.2f} s), ratio {result.ray_ratio():.3f}"
                )

                crash_source = folder / "crash.parquet"
                _parquet(crash_source, crash_rows)
                output = folder / "crash"
                before = inputs_logged(log_path)
                command = _cli(
                    "--model", ROUTER_MODEL, str(crash_source), "--id-column", "id", "-o", str(output),
                    "--engine", "ray", "--address", ray.get_runtime_context().gcs_address,
                    "--base-url", url, "--rows-per-file", str(CRASH_BLOCK), "--actors", str(ACTORS),
                )  # fmt: skip
                driver = subprocess.Popen(
                    command, env=env, start_new_session=True,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
                try:
                    deadline = time.monotonic() + 600
                    while len(done_ids(output)) < crash_rows // 3:
                        if driver.poll() is not None or time.monotonic() > deadline:
                            raise RuntimeError("the crash job ended before it could be killed")
                        time.sleep(0.02)
                finally:
                    os.killpg(driver.pid, signal.SIGKILL)
                    driver.wait()
                kept = len(done_ids(output))
                time.sleep(2.0)  # let Ray notice the dead driver and end its actors
                _timed([*command, "--resume"], env)
                time.sleep(0.5)  # the router's last log lines
                if not verify(output, range(crash_rows)).ok:
                    raise RuntimeError("the crashed and rerun job lost or doubled rows")
                result.crash_rows = crash_rows
                result.crash_sent = inputs_logged(log_path) - before
                result.crash_block = CRASH_BLOCK
                result.crash_actors = ACTORS
                log(
                    f"  crash_waste: {crash_rows} rows, {kept} written when the driver was killed,"
                    f" {result.crash_sent} embedded in all: {result.crash_sent - crash_rows}"
                    f" twice, ratio {result.waste_ratio():.3f} of a block per actor"
                )
    finally:
        ray.shutdown()


def measure(
    *, cli_rows: int, ray_rows: int, crash_rows: int, runs: int, log: Callable[[str], None]
) -> Corpora:
    """Every corpora measurement; a part that fails is reported, not fatal."""
    result = Corpora()
    try:
        measure_cli(cli_rows, runs, log, result)
    except Exception as error:
        result.errors["cli_bulk"] = f"{type(error).__name__}: {error}"[:300]
        log(f"  cli_bulk failed: {result.errors['cli_bulk']}")
    try:
        measure_ray(ray_rows, crash_rows, runs, log, result)
    except Exception as error:
        result.errors["ray"] = f"{type(error).__name__}: {error}"[:300]
        log(f"  ray failed: {result.errors['ray']}")
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["raw"]:
        raw_job(*sys.argv[2:5])
    else:
        sys.exit("usage: python -m bench.corpora raw INPUT OUTPUT URL")
