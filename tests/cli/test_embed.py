"""`orq-router embed`: files in, rows out in input order, resumable, never paying twice."""

from __future__ import annotations

import io
import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from orq_router import Orq
from orq_router.cli import main
from tests.facade.conftest import TEST_KEY
from tests.router_server import EmbeddingsServer, dimensions_of
from tests.scripted_server import Connection, ScriptedServer, normal, silence

MODEL = "openai/text-embedding-3-small"


@pytest.fixture(scope="module")
def _router() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer() as server:
        yield server


@pytest.fixture
def router(_router: EmbeddingsServer, monkeypatch: pytest.MonkeyPatch) -> EmbeddingsServer:
    """The endpoint's test server (it wants a bearer token: ORQ_API_KEY is set)."""
    monkeypatch.setenv("ORQ_API_KEY", TEST_KEY)
    _router.reset()
    return _router


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    monkeypatch.delenv("ORQ_API_KEY", raising=False)  # loopback: no key needed
    with ScriptedServer() as server:
        yield server


def _lines(path: Path, count: int) -> list[str]:
    texts = [f"line number {i}: {'x' * (i % 7)}" for i in range(count)]
    path.write_text("".join(f"{text}\n" for text in texts))
    return texts


def embed(*args: str | Path) -> int:
    return main(["embed", "--model", MODEL, *map(str, args)])


def _inputs_answered(exchanges: list[Any]) -> list[str]:
    return [text for exchange in exchanges for text in exchange.json()["input"]]


def test_a_10_000_line_file_gives_rows_equal_to_single_create_calls(
    router: EmbeddingsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = _lines(tmp_path / "corpus.txt", 10_000)
    code = embed(tmp_path / "corpus.txt", "-o", tmp_path / "out.npy", "--base-url", router.url)
    assert code == 0
    assert capsys.readouterr().err == f"orq-router embed: 10000 inputs embedded with {MODEL} -> {tmp_path / 'out.npy'}\n"  # fmt: skip
    assert len(router.exchanges) == math.ceil(10_000 / 128)
    assert not (tmp_path / "out.npy.progress.json").exists()
    rows = np.load(tmp_path / "out.npy")
    assert rows.shape == (10_000, dimensions_of(MODEL)) and rows.dtype == np.float32
    with Orq(base_url=router.url) as client:
        for index, text in enumerate(texts):
            single = client.router.embeddings.create(input=text, model=MODEL)
            assert rows[index].tolist() == single.data[0].embedding, index


def test_jsonl_output_has_the_same_rows_with_their_index(
    router: EmbeddingsServer, tmp_path: Path
) -> None:
    _lines(tmp_path / "in.txt", 300)
    assert embed(tmp_path / "in.txt", "-o", tmp_path / "a.npy", "--base-url", router.url) == 0
    code = embed(tmp_path / "in.txt", "-o", tmp_path / "a.jsonl", "--base-url", router.url, "--batch-size", "7")  # fmt: skip
    assert code == 0
    records = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [record["index"] for record in records] == list(range(300))
    assert [record["embedding"] for record in records] == np.load(tmp_path / "a.npy").tolist()


@pytest.mark.parametrize(
    ("name", "content", "flags"),
    [
        ("in.jsonl", '{"id": 1, "text": "alpha"}\n\n{"id": 2, "text": "beta"}\n{"text": [1, 2, 3]}\n', ["--field", "text"]),
        ("in.csv", 'id,text\n1,alpha\n2,"beta"\n3,"[1, 2, 3]"\n', ["--column", "text"]),
    ],
)  # fmt: skip
def test_jsonl_and_csv_inputs_take_the_named_field_or_column(
    router: EmbeddingsServer, tmp_path: Path, name: str, content: str, flags: list[str]
) -> None:
    (tmp_path / name).write_text(content)
    code = embed(tmp_path / name, "-o", tmp_path / "out.jsonl", "--base-url", router.url, *flags)
    assert code == 0
    (exchange,) = router.exchanges
    expected = [1, 2, 3] if name.endswith(".jsonl") else "[1, 2, 3]"
    assert exchange.json()["input"] == ["alpha", "beta", expected]


def test_standard_input_in_and_standard_output_out(
    router: EmbeddingsServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"one\ntwo\n")))
    stdout = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(stdout))
    assert embed("-", "--base-url", router.url) == 0
    records = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [record["index"] for record in records] == [0, 1]
    assert router.exchanges[0].json()["input"] == ["one", "two"]


def test_a_failed_batch_keeps_what_was_done_and_resume_never_resends_a_finished_row(
    router: EmbeddingsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _lines(tmp_path / "in.txt", 1000)
    args: list[str | Path] = [tmp_path / "in.txt", "--base-url", router.url, "--batch-size", "50"]
    assert embed(*args, "-o", tmp_path / "clean.npy") == 0
    router.reset()
    capsys.readouterr()

    # The sixth request is refused for good (400 is not retried); four run at a time.
    router.answer_normally(5)
    router.answer(400, {"error": {"message": "refused", "code": "bad_batch"}})
    assert embed(*args, "-o", tmp_path / "out.npy") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("orq-router embed: error: inputs ")
    assert "refused" in err and "run again with --resume" in err
    assert (tmp_path / "out.npy.progress.json").exists()
    partial = np.load(tmp_path / "out.npy")  # a valid array of the rows before the gap
    assert partial.tolist() == np.load(tmp_path / "clean.npy")[: len(partial)].tolist()
    failed = router.exchanges[5]
    first_run = [exchange for exchange in router.exchanges if exchange is not failed]

    router.reset()
    assert embed(*args, "-o", tmp_path / "out.npy", "--resume") == 0
    assert not (tmp_path / "out.npy.progress.json").exists()
    assert (tmp_path / "out.npy").read_bytes() == (tmp_path / "clean.npy").read_bytes()
    answered = _inputs_answered(first_run) + _inputs_answered(router.exchanges)
    assert sorted(answered) == sorted(f"line number {i}: {'x' * (i % 7)}" for i in range(1000))
    assert len(set(answered)) == len(answered) == 1000  # no row embedded twice
    assert set(failed.json()["input"]) <= set(_inputs_answered(router.exchanges))


def test_ctrl_c_keeps_what_was_done_and_resume_gives_the_same_file(
    scripted: ScriptedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = _lines(tmp_path / "in.txt", 1000)
    args: list[str | Path] = [tmp_path / "in.txt", "--base-url", scripted.url, "--batch-size", "50"]
    assert embed(*args, "-o", tmp_path / "clean.jsonl") == 0
    scripted.requests.clear()
    capsys.readouterr()

    hang = silence()
    stuck = texts[150]  # the fourth batch never answers; those after it do

    def fourth_batch_hangs(connection: Connection) -> None:
        (hang if connection.request.inputs()[0] == stuck else normal)(connection)

    scripted.default = fourth_batch_hangs
    main_thread = threading.main_thread().ident
    assert main_thread is not None
    threading.Timer(0.5, signal.pthread_kill, args=(main_thread, signal.SIGINT)).start()
    assert embed(*args, "-o", tmp_path / "out.jsonl") == 130
    err = capsys.readouterr().err
    assert err.startswith("orq-router embed: interrupted; ") and "--resume" in err
    progress = json.loads((tmp_path / "out.jsonl.progress.json").read_text())
    assert progress["rows_done"] == 150 and progress["pending"]  # finished behind the gap
    first_run = [r for r in scripted.requests if r.inputs()[0] != stuck]

    scripted.default = normal
    scripted.requests.clear()
    assert embed(*args, "-o", tmp_path / "out.jsonl", "--resume") == 0
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "clean.jsonl").read_bytes()
    answered = [text for r in first_run + scripted.requests for text in r.inputs()]
    assert sorted(answered) == sorted(texts) and len(set(answered)) == 1000


def test_resume_refuses_another_model_or_changed_inputs(
    router: EmbeddingsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _lines(tmp_path / "in.txt", 100)
    args: list[str | Path] = [tmp_path / "in.txt", "--base-url", router.url, "--batch-size", "10", "-o", tmp_path / "o.npy"]  # fmt: skip
    router.answer_normally(1)
    router.answer(400, {"error": {"message": "no"}})
    assert main(["embed", "--model", MODEL, *map(str, args)]) == 1
    assert main(["embed", "--model", "other/model", *map(str, args), "--resume"]) == 1
    assert "was made with model='openai/text-embedding-3-small'" in capsys.readouterr().err
    _lines(tmp_path / "in.txt", 101)
    assert embed(*args, "--resume") == 1
    assert "was made with rows=100, this run has rows=101" in capsys.readouterr().err
    assert embed(*args) == 1
    assert "pass --resume to continue it" in capsys.readouterr().err


def test_a_bad_file_is_refused_before_anything_is_sent(
    router: EmbeddingsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in.txt").write_text("one\ntwo\n\nfour\n")
    assert embed(tmp_path / "in.txt", "--base-url", router.url) == 1
    assert capsys.readouterr().err == (
        f"orq-router embed: error: {tmp_path / 'in.txt'}:3: empty line (an input may not be"
        " empty; remove the line, or use JSONL or CSV)\n"
    )
    (tmp_path / "in.jsonl").write_text('{"text": "a"}\n{"txt": "b"}\n')
    assert embed(tmp_path / "in.jsonl", "--field", "text", "--base-url", router.url) == 1
    assert "in.jsonl:2: no field 'text'" in capsys.readouterr().err
    (tmp_path / "in.csv").write_text("id,body\n1,a\n")
    assert embed(tmp_path / "in.csv", "--column", "text", "--base-url", router.url) == 1
    assert "no column 'text' (columns: id, body)" in capsys.readouterr().err
    (tmp_path / "latin.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    assert embed(tmp_path / "latin.txt", "--base-url", router.url) == 1
    assert "not UTF-8 text" in capsys.readouterr().err
    assert router.exchanges == []


def test_an_existing_output_is_never_overwritten(
    router: EmbeddingsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _lines(tmp_path / "in.txt", 3)
    (tmp_path / "out.npy").write_bytes(b"precious")
    assert embed(tmp_path / "in.txt", "-o", tmp_path / "out.npy", "--base-url", router.url) == 1
    assert "exists: remove it" in capsys.readouterr().err
    assert (tmp_path / "out.npy").read_bytes() == b"precious"
    assert embed(tmp_path / "in.txt", "-o", tmp_path / "out.txt", "--base-url", router.url) == 1
    assert "must end in .npy or .jsonl" in capsys.readouterr().err


def _run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process (stderr a pipe, not a terminal)."""
    environment = {key: value for key, value in os.environ.items() if key != "ORQ_API_KEY"}
    return subprocess.run(
        [sys.executable, "-m", "orq_router.cli", "embed", "--model", MODEL, *args],
        capture_output=True,
        text=True,
        env={**environment, **env},
        timeout=60,
    )


def test_errors_are_one_line_and_a_non_zero_exit_never_a_traceback(tmp_path: Path) -> None:
    good, bad = tmp_path / "in.txt", tmp_path / "bad.txt"
    _lines(good, 10)
    bad.write_text(good.read_text() + "\n")
    dead = "http://127.0.0.1:9"
    key = {"ORQ_API_KEY": TEST_KEY}
    cases = {
        "missing key": ([good, "--base-url", "https://router.example.com"], {}, "no API key: set ORQ_API_KEY"),
        "server down": ([good, "--base-url", dead, "-o", tmp_path / "o.npy"], key, f"cannot reach {dead}/v2/router/embeddings"),
        "bad file": ([bad, "--base-url", dead], key, "bad.txt:11: empty line"),
    }  # fmt: skip
    for name, (args, env, message) in cases.items():
        result = _run_cli(*map(str, args), env=env)
        assert result.returncode == 1, (name, result.stderr)
        assert result.stderr.count("\n") == 1, (name, result.stderr)  # one line, no bar
        assert message in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr
    # A run that embedded nothing leaves nothing behind: the same command can be rerun.
    assert not (tmp_path / "o.npy").exists() and not (tmp_path / "o.npy.progress.json").exists()


# The five defects a new user met (issue 13), each pinned by a test.


def test_a_npy_output_is_a_valid_array_or_absent_at_every_instant_even_when_killed_early(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    texts = _lines(tmp_path / "in.txt", 40)
    scripted.default = silence()  # the first batch never comes back
    out = tmp_path / "out.npy"
    command = [sys.executable, "-m", "orq_router.cli", "embed", "--model", MODEL, str(tmp_path / "in.txt"), "-o", str(out), "--base-url", scripted.url]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = 0
    try:
        deadline = time.monotonic() + 60
        while not scripted.requests:  # until a batch is in flight, look as often as we can
            assert time.monotonic() < deadline and process.poll() is None
            if out.exists():
                assert np.load(out).shape == (0, 0)  # never a 0-byte file numpy cannot read
                seen += 1
    finally:
        process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert np.load(out).shape == (0, 0)  # killed before the first batch: a valid empty array
    scripted.default = normal
    assert embed(tmp_path / "in.txt", "-o", out, "--base-url", scripted.url, "--resume") == 0
    assert np.load(out).shape == (len(texts), 4)


def test_resume_cuts_the_npy_header_back_with_the_data_so_a_failed_resume_stays_readable(
    router: EmbeddingsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _lines(tmp_path / "in.txt", 500)
    out = tmp_path / "out.npy"
    args: list[str | Path] = [tmp_path / "in.txt", "-o", out, "--batch-size", "50"]
    # The tenth request to arrive is refused. Four are in flight at most, so batch 0
    # arrives long before that (with the fifth refused, a client thread that stalled
    # for three answers let batch 0 arrive fifth on a loaded CI machine: nothing written).
    router.answer_normally(9)
    router.answer(400, {"error": {"message": "refused"}})
    assert embed(*args, "--base-url", router.url) == 1
    # Pretend the run was killed after writing a batch and its header, before saving the
    # progress file: the progress file vouches for one batch less than the file holds.
    progress_path = tmp_path / "out.npy.progress.json"
    progress = json.loads(progress_path.read_text())
    held = np.load(out).shape[0]
    assert held == progress["rows_done"] >= 50
    width = progress["width"]
    progress.update(
        rows_done=held - 50, bytes_done=progress["bytes_done"] - 50 * width * 4, pending=[]
    )
    progress_path.write_text(json.dumps(progress))
    capsys.readouterr()
    # The resume cannot reach a router: it fails, and must leave a readable file.
    assert embed(*args, "--base-url", "http://127.0.0.1:9", "--resume") == 1
    assert "cannot reach" in capsys.readouterr().err
    assert np.load(out).shape == (held - 50, width)
    assert embed(*args, "--base-url", router.url, "--resume") == 0
    clean = tmp_path / "clean.npy"
    assert embed(tmp_path / "in.txt", "-o", clean, "--base-url", router.url) == 0
    assert out.read_bytes() == clean.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "flags"),
    [
        ("in.txt", "alpha\nbeta\n", []),
        ("in.jsonl", '{"body": "alpha"}\n{"body": "beta"}\n', ["--field", "body"]),
        ("in.csv", "body,id\nalpha,1\nbeta,2\n", ["--column", "body"]),
    ],
)  # fmt: skip
def test_a_utf8_byte_order_mark_is_not_part_of_the_first_input(
    router: EmbeddingsServer, tmp_path: Path, name: str, content: str, flags: list[str]
) -> None:
    (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + content.encode())
    (tmp_path / f"plain-{name}").write_bytes(content.encode())
    assert embed(tmp_path / name, "-o", tmp_path / "bom.npy", "--base-url", router.url, *flags) == 0
    assert router.exchanges[-1].json()["input"] == ["alpha", "beta"]
    assert (
        embed(
            tmp_path / f"plain-{name}",
            "-o",
            tmp_path / "plain.npy",
            "--base-url",
            router.url,
            *flags,
        )
        == 0
    )
    assert (tmp_path / "bom.npy").read_bytes() == (tmp_path / "plain.npy").read_bytes()


def test_the_success_line_after_resume_counts_only_the_inputs_this_run_embedded(
    router: EmbeddingsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _lines(tmp_path / "in.txt", 300)
    args: list[str | Path] = [tmp_path / "in.txt", "-o", tmp_path / "out.jsonl", "--batch-size", "50", "--base-url", router.url]  # fmt: skip
    router.answer_normally(2)
    router.answer(400, {"error": {"message": "refused"}})
    assert embed(*args) == 1
    capsys.readouterr()
    router.reset()
    assert embed(*args, "--resume") == 0
    sent = len(_inputs_answered(router.exchanges))
    assert 0 < sent < 300
    assert capsys.readouterr().err == (
        f"orq-router embed: {sent} inputs embedded with {MODEL} -> {tmp_path / 'out.jsonl'}"
        f" ({300 - sent} were done already)\n"
    )


def test_a_mistyped_flag_is_named_and_bad_command_lines_exit_2_as_documented(
    tmp_path: Path,
) -> None:
    _lines(tmp_path / "in.txt", 3)
    command = [sys.executable, "-m", "orq_router.cli", "embed"]
    typo = subprocess.run([*command, "--modle", MODEL, str(tmp_path / "in.txt")], capture_output=True, text=True, timeout=60)  # fmt: skip
    assert typo.returncode == 2
    assert "unrecognized option: --modle (did you mean --model?)" in typo.stderr
    assert "required" not in typo.stderr
    missing = subprocess.run([*command, str(tmp_path / "in.txt")], capture_output=True, text=True, timeout=60)  # fmt: skip
    assert missing.returncode == 2 and "--model is required" in missing.stderr
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "2 for a bad command line" in readme  # the exit codes documented as they are
