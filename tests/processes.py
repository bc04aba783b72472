"""Real processes the tests start, and always stop: `orq-router serve` and `redis-server`.

- `serving(*command)`: runs `orq-router serve ...`, waits for its "listening on" line and
  (unless told not to) for `GET /ready` to say 200; `Served.stop(signal)` ends it and
  returns its exit code, whole stdout and stderr.
- `redis_server()`: a throwaway `redis-server` (Debian's package; `.ci/run` installs it)
  on a free loopback port, with no persistence; yields its `redis://` URL.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import urllib3

START_TIMEOUT_S = 90.0
http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=5, read=30))


def serve_command(*args: str) -> list[str]:
    """`orq-router serve ARGS` through this Python."""
    return [sys.executable, "-m", "orq_router.cli", "serve", *args]


class Served:
    """A running `orq-router serve`."""

    def __init__(self, process: subprocess.Popen[str], url: str, banner: list[str]) -> None:
        self.process = process
        self.url = url
        self.banner = banner
        self._seen = b""

    def get(self, path: str, **kwargs: Any) -> urllib3.BaseHTTPResponse:
        return http.request("GET", self.url + path, **kwargs)

    def post(
        self,
        body: Any,
        *,
        path: str = "/v2/router/embeddings",
        key: str | None = None,
        content_type: str | None = "application/json",
        close: bool = False,
    ) -> urllib3.BaseHTTPResponse:
        """One POST; `close=True` sends it on a connection of its own (another worker
        may take it)."""
        headers = {}
        if content_type is not None:
            headers["Content-Type"] = content_type
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        if close:
            headers["Connection"] = "close"
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return http.request("POST", self.url + path, body=raw, headers=headers)

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"stopped while starting: {self.process.returncode}")
            try:
                if self.get("/ready").status == 200:
                    return
            except urllib3.exceptions.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("never ready")
            time.sleep(0.05)

    def signal(self, sig: int) -> None:
        self.process.send_signal(sig)

    def stderr_so_far(self) -> str:
        """What the process has written to stderr until now, without waiting for more."""
        assert self.process.stderr is not None
        fd = self.process.stderr.fileno()
        os.set_blocking(fd, False)
        try:
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                self._seen += chunk
        except BlockingIOError:
            pass
        finally:
            os.set_blocking(fd, True)
        return self._seen.decode(errors="replace")

    def stop(self, sig: int) -> tuple[int, str, str]:
        """Signal the process, wait for it; its exit code, whole stdout and stderr."""
        self.process.send_signal(sig)
        code = self.process.wait(timeout=60)
        assert self.process.stdout is not None and self.process.stderr is not None
        # Read through the same buffered files the banner was read from.
        out = "\n".join(self.banner) + "\n" + self.process.stdout.read()
        return code, out, self._seen.decode(errors="replace") + self.process.stderr.read()


@contextmanager
def serving(
    *command: str, ready: bool = True, env: dict[str, str] | None = None
) -> Iterator[Served]:
    """Start the command, wait for its "listening on" line (and readiness); always end it."""
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,  # its worker processes too are ended below, as one group
    )
    try:
        assert process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + START_TIMEOUT_S
        banner: list[str] = []
        while not any("listening on" in line for line in banner):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"did not start: {banner} {process.stderr.read() if process.stderr else ''}"
                )
            if selector.select(timeout=0.5):
                banner.append(process.stdout.readline().rstrip("\n"))
        selector.close()
        url = banner[-1].rsplit(" ", 1)[-1]
        served = Served(process, url, banner)
        if ready:
            served.wait_ready()
        yield served
    finally:
        # The whole group: a `--workers` parent killed alone would leave its workers
        # holding the pipes open, and `communicate` would wait for them forever.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of `text` as a JSON object; fails on any line that is not one."""
    found = []
    for line in text.splitlines():
        parsed = json.loads(line)
        assert isinstance(parsed, dict), line
        found.append(parsed)
    return found


def request_lines(stderr: str) -> list[dict[str, Any]]:
    """The request log's lines among stderr's (every line must be JSON)."""
    return [line for line in json_lines(stderr) if "request_id" in line]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def redis_executable() -> str:
    """`redis-server`; a test that needs it fails in CI without it, else is skipped."""
    found = shutil.which("redis-server")
    if found is None:
        message = "redis-server is not installed (apt-get install -y redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@contextmanager
def redis_server() -> Iterator[str]:
    """A real, empty, throwaway redis-server on 127.0.0.1; its URL."""
    import redis

    executable = redis_executable()
    for _ in range(3):  # a free port may be taken between the probe and the start
        port = free_port()
        process = subprocess.Popen(
            [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        try:
            deadline = time.monotonic() + 10
            while process.poll() is None and time.monotonic() < deadline:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
            else:
                continue
            try:
                yield url
            finally:
                client.close()
            return
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
    raise AssertionError("redis-server did not start")
