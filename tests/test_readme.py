"""The README's Python examples run, in order, against the local router on loopback."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from tests.conftest import ROOT
from tests.router_server import TEST_CONFIG, EmbeddingsServer

BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_the_readme_examples_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text()
    monkeypatch.chdir(tmp_path)  # the examples' files
    (tmp_path / "corpus.txt").write_text("".join(f"line {i}\n" for i in range(300)))
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 5
    # Open to any key, as `orq-router serve` is without api_keys: the examples write "...".
    with EmbeddingsServer(config=attrs.evolve(TEST_CONFIG, api_keys=None)) as server:
        monkeypatch.setenv("ORQ_BASE_URL", server.url)
        monkeypatch.setenv("ORQ_API_KEY", "sk-readme-test-0123456789")
        namespace: dict[str, object] = {"texts": [f"text {i}" for i in range(300)]}
        for block in blocks:
            exec(compile(block, "README.md", "exec"), namespace)
        assert len(server.exchanges) >= 6
    bulk = namespace["bulk"]
    assert len(bulk) == 300  # type: ignore[arg-type]


def test_the_performance_tables_are_those_of_the_committed_results() -> None:
    import json

    from bench import readme

    text = (ROOT / "README.md").read_text()
    results = json.loads(readme.RESULTS.read_text())
    assert readme.rendered(text, results) == text, "run `python -m bench.readme`"
    stdlib = json.loads(readme.STDLIB_RESULTS.read_text())
    assert readme.rendered_all(text) == text
    assert not results["quick"] and not stdlib["quick"], "commit full runs, not --quick ones"
    assert results["environment"]["orq_router_reads_with"] == "orjson + pybase64"
    assert stdlib["environment"]["orq_router_reads_with"] == "json + binascii"
