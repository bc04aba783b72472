"""`orq-router serve`, as a person runs it: a process that prints its URL and stops cleanly."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from orq_router import NotFoundError, Orq
from orq_router_server import minilm_available
from tests.processes import json_lines, request_lines, serving

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
