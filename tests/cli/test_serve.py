"""`orq-router serve`, as a person runs it: a process that prints its URL and stops cleanly."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import urllib3
import yaml

from orq_router import NotFoundError, Orq
from orq_router_server import minilm_available
from tests.processes import Served, free_port, json_lines, request_lines, serve_command, serving
from tests.server.conftest import SPEC, needs_minilm
from tests.server.oracle import check_body

CONFIG = """
[models."test/hash-32"]
backend = "hashing"
dimensions = 32
"""
SCRIPT = Path(sys.executable).with_name("orq-router")


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "orq_router.cli", *args]


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "router.toml"
    path.write_text(CONFIG)
    return path


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_its_url_answers_and_stops_cleanly(
    config_file: Path, sig: signal.Signals
) -> None:
    with serving(*_command("serve", "--port", "0", "--config", str(config_file))) as served:
        assert served.url.startswith("http://127.0.0.1:")
        with Orq(base_url=served.url) as client:
            answer = client.router.embeddings.create(input="hello", model="test/hash-32")
            assert answer.data[0].dimensions == 32
            with pytest.raises(NotFoundError):
                client.router.embeddings.create(input="hello", model="local/nope")
        code, out, err = served.stop(sig)
    assert code == 0, err
    assert f"stopped ({sig.name})" in out
    assert "Traceback" not in err
    assert [line["status"] for line in request_lines(err)] == [200, 404]


def test_the_console_script_without_config_serves_the_default_models_with_no_key() -> None:
    with serving(str(SCRIPT), "serve", "--port", "0") as served:
        with Orq(base_url=served.url) as client:  # no key: loopback, no api_keys
            answer = client.router.embeddings.create(input="hi", model="local/hashing-384")
            assert answer.data[0].dimensions == 384
            if minilm_available():
                real = client.router.embeddings.create(input="hi", model="local/all-minilm-l6-v2")
                assert real.model == "local/all-minilm-l6-v2"
        code, out, _ = served.stop(signal.SIGTERM)
    assert code == 0
    models_line = next(line for line in out.splitlines() if " models " in line)
    assert "local/hashing-384" in models_line
    assert ("local/all-minilm-l6-v2" in models_line) == minilm_available()


BAD_CONFIGS = [
    ('[models."t/a"]\nbackend = "sparkle"\n', "unknown backend 'sparkle'"),
    ('[models."t/a"]\nbackend = "openai"\nmodel = "m"\n', 'models."t/a".base_url: missing'),
    ('[models."t/a"]\nbackend = "fault"\nthen = "t/b"\n', "then: names no model: 't/b'"),
    ("[models\n", "invalid TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD_CONFIGS)
def test_a_bad_config_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    run = subprocess.run(
        _command("serve", "--config", str(path)), capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 2
    assert run.stdout == ""
    (line,) = json_lines(run.stderr)
    assert line["level"] == "error"
    assert line["message"].startswith("orq-router serve: bad config: ")
    assert message in line["message"]


def test_a_taken_port_is_one_line_and_exit_1(config_file: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            _command("serve", "--port", str(port), "--config", str(config_file)),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert run.returncode == 1
    (line,) = json_lines(run.stderr)
    assert line["message"].startswith(f"orq-router serve: cannot listen on 127.0.0.1:{port}: ")


def test_without_the_server_extra_serve_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['starlette'] = None\n"
        "from orq_router.cli import main\n"
        "sys.exit(main(['serve']))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    (line,) = json_lines(run.stderr)
    assert line["message"] == (
        "orq-router serve: needs the server extra (starlette is missing):"
        " pip install 'orq-router[server]'"
    )


def test_help_names_both_subcommands_and_serves_options() -> None:
    top = subprocess.run([str(SCRIPT), "--help"], capture_output=True, text=True, check=True)
    assert "serve" in top.stdout and "embed" in top.stdout
    serve = subprocess.run(_command("serve", "--help"), capture_output=True, text=True, check=True)
    for option in ("--host", "--port", "--config", "--workers", "--grace-seconds"):
        assert option in serve.stdout


# --- operations: readiness, drain, reload, what reaches stderr --------------------------------

SLOW_CONFIG = """
[models."test/hash-32"]
backend = "hashing"
dimensions = 32

[models."test/slow"]
backend = "fault"
delay_ms = {delay}
then = "test/hash-32"
"""


def _in_flight(served: Served, model: str) -> bool:
    """Whether `model` has inputs admitted and not yet answered (from /metrics)."""
    text = served.get("/metrics").data.decode()
    return f'orq_router_queue_inputs{{model="{model}"}} 1.0' in text


def _slow_request(served: Served, results: list[urllib3.BaseHTTPResponse]) -> threading.Thread:
    body = {"input": "x", "model": "test/slow"}
    thread = threading.Thread(target=lambda: results.append(served.post(body)))
    thread.start()
    deadline = time.monotonic() + 30
    while not _in_flight(served, "test/slow"):
        assert time.monotonic() < deadline, "the slow request never arrived"
        time.sleep(0.02)
    return thread


def test_sigterm_drains_ready_turns_503_and_the_request_in_flight_finishes(
    tmp_path: Path,
) -> None:
    config = tmp_path / "router.toml"
    config.write_text(SLOW_CONFIG.format(delay=1500))
    command = serve_command("--port", "0", "--config", str(config), "--grace-seconds", "20")
    with serving(*command) as served:
        results: list[urllib3.BaseHTTPResponse] = []
        thread = _slow_request(served, results)
        served.signal(signal.SIGTERM)
        ready = None
        for _ in range(100):  # answered, not refused, while draining
            ready = served.get("/ready", headers={"Connection": "close"})
            if ready.status == 503:
                break
            time.sleep(0.01)
        assert ready is not None and ready.status == 503
        assert json.loads(ready.data)["error"]["code"] == "draining"
        assert served.get("/health", headers={"Connection": "close"}).status == 200
        thread.join()
        code, out, err = served.stop(signal.SIGTERM)
    assert results[0].status == 200  # finished within the grace period
    assert code == 0 and "stopped (SIGTERM)" in out
    assert "Traceback" not in err
    json_lines(err)  # every line JSON


def test_a_request_longer_than_the_grace_period_gets_the_spec_503_not_a_traceback(
    tmp_path: Path,
) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    config = tmp_path / "router.toml"
    config.write_text(SLOW_CONFIG.format(delay=30_000))
    command = serve_command("--port", "0", "--config", str(config), "--grace-seconds", "0.5")
    with serving(*command) as served:
        results: list[urllib3.BaseHTTPResponse] = []
        thread = _slow_request(served, results)
        served.signal(signal.SIGTERM)
        thread.join(timeout=30)
        code, _, err = served.stop(signal.SIGTERM)
    (answer,) = results
    assert answer.status == 503
    assert answer.headers["content-type"] == "application/json"
    assert check_body(spec, 503, answer.data)["error"]["code"] == "shutting_down"
    assert code == 0
    assert "Traceback" not in err and "CancelledError" not in err
    (line,) = request_lines(err)
    assert (line["status"], line["error"]) == (503, "shutting_down")


def test_sighup_reloads_without_dropping_a_request_and_a_bad_file_keeps_the_old_config(
    tmp_path: Path,
) -> None:
    config = tmp_path / "router.toml"
    config.write_text(SLOW_CONFIG.format(delay=1500))
    with serving(*serve_command("--port", "0", "--config", str(config))) as served:
        results: list[urllib3.BaseHTTPResponse] = []
        thread = _slow_request(served, results)
        config.write_text(
            SLOW_CONFIG.format(delay=1500) + '[models."test/new"]\nbackend = "hashing"\n'
        )
        served.signal(signal.SIGHUP)
        _wait_for(lambda: served.post({"input": "x", "model": "test/new"}).status == 200)
        thread.join()
        assert results[0].status == 200  # the request in flight was not dropped
        config.write_text('[models."test/new"]\nbackend = "sparkle"\n')
        served.signal(signal.SIGHUP)
        _wait_for(lambda: "reload refused" in served.stderr_so_far())
        assert served.post({"input": "x", "model": "test/new"}).status == 200  # old config
        code, _, err = served.stop(signal.SIGTERM)
    assert code == 0
    refused = [line for line in json_lines(err) if "reload refused" in line.get("message", "")]
    assert len(refused) == 1
    assert refused[0]["level"] == "error" and "unknown backend 'sparkle'" in refused[0]["message"]
    assert "Traceback" not in err


def _wait_for(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.05)


def _logged(served: Served) -> list[dict[str, Any]]:
    """The request lines written so far (whole lines only)."""
    text = served.stderr_so_far()
    return request_lines(text[: text.rfind("\n") + 1])


def test_a_client_gone_mid_body_is_a_499_line_and_no_traceback(config_file: Path) -> None:
    with serving(*serve_command("--port", "0", "--config", str(config_file))) as served:
        parts = urlsplit(served.url)
        assert parts.hostname and parts.port
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
            sock.sendall(
                b"POST /v2/router/embeddings HTTP/1.1\r\nHost: x\r\n"
                b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"input": '
            )
            time.sleep(0.2)
        _wait_for(lambda: any(line["status"] == 499 for line in _logged(served)))
        _, _, err = served.stop(signal.SIGTERM)
    (line,) = request_lines(err)
    assert (line["status"], line["error"]) == (499, "client_disconnected")
    assert "Traceback" not in err and "internal_error" not in err


@needs_minilm
def test_with_minilm_ready_is_503_until_loaded_and_every_stderr_line_is_json() -> None:
    with serving(*serve_command("--port", "0"), ready=False) as served:
        first = served.get("/ready")
        assert served.get("/health").status == 200
        assert first.status == 503  # bound at once; MiniLM takes seconds to load
        assert json.loads(first.data)["error"]["code"] == "not_ready"
        not_yet = served.post({"input": "x", "model": "local/all-minilm-l6-v2"})
        assert not_yet.status == 503 and not_yet.headers["retry-after"] == "1"
        served.wait_ready()
        for size in (1, 40, 100):
            texts = [f"sentence number {i} of a batch" for i in range(size)]
            answer = served.post({"input": texts, "model": "local/all-minilm-l6-v2"})
            assert answer.status == 200
        code, out, err = served.stop(signal.SIGTERM)
    assert code == 0
    lines = json_lines(err)  # every line one JSON object: no progress bar, no warning text
    assert [line["status"] for line in lines if "request_id" in line] == [503, 200, 200, 200]
    assert "local/all-minilm-l6-v2" in out


def test_an_unset_api_key_env_or_a_taken_port_is_reported_before_any_model_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process, with the models' loading made to fail: it is never reached."""
    from orq_router_server import requestlog
    from orq_router_server.backends import minilm

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a model was loaded before the checks")

    monkeypatch.setattr(minilm, "load_model", never)
    monkeypatch.setattr(requestlog, "json_stderr", lambda: None)  # keep pytest's stderr
    monkeypatch.delenv("ORQ_TEST_UNSET_KEY", raising=False)
    config = tmp_path / "router.toml"
    config.write_text(
        '[models."local/all-minilm-l6-v2"]\nbackend = "minilm"\n'
        '[models."up/x"]\nbackend = "openai"\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "m"\n'
        'api_key_env = "ORQ_TEST_UNSET_KEY"\n'
    )
    from orq_router.cli import main

    assert main(["serve", "--port", "0", "--config", str(config)]) == 2
    config.write_text('[models."local/all-minilm-l6-v2"]\nbackend = "minilm"\n')
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert main(["serve", "--port", port, "--config", str(config)]) == 1


def test_an_unreachable_redis_state_is_one_line_and_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "router.toml"
    config.write_text(f'state = "redis://127.0.0.1:{free_port()}/0"\n' + CONFIG)
    run = subprocess.run(
        _command("serve", "--port", "0", "--config", str(config)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and run.stdout == ""
    (line,) = json_lines(run.stderr)
    assert "bad config: state: cannot reach redis://127.0.0.1:" in line["message"]


def test_json_stderr_wraps_everything_third_party_code_writes() -> None:
    code = """
import logging, os, sys, warnings
from orq_router_server.requestlog import json_stderr, log_request
json_stderr()
print("a plain line", file=sys.stderr)
sys.stderr.write("bar  10%\\rbar  50%\\rbar 100%\\n")
sys.stderr.flush()
os.write(2, b"from C, straight to fd 2\\n")
print('{"already": "json"}', file=sys.stderr, flush=True)
warnings.warn("careful")
logging.getLogger("lib").warning("a library's warning")
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("lib").exception("failed")
log_request(request_id="req_1", method="POST", path="/p", status=200, ms=1.0)
raise RuntimeError("uncaught")
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    lines = json_lines(run.stderr)
    messages = [line.get("message") for line in lines]
    for expected in ("a plain line", "bar  10%", "bar 100%", "from C, straight to fd 2"):
        assert expected in messages
    assert {"already": "json"} in lines
    assert any("careful" in str(m) for m in messages)
    (failed,) = [line for line in lines if line.get("message") == "failed"]
    assert "ZeroDivisionError" in failed["traceback"]
    assert {
        "request_id": "req_1",
        "method": "POST",
        "path": "/p",
        "status": 200,
        "ms": 1.0,
    } in lines
    (uncaught,) = [line for line in lines if "uncaught" in str(line.get("message"))]
    assert uncaught["level"] == "critical" and "RuntimeError" in uncaught["traceback"]
