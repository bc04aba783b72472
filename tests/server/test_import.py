"""`import orq_router` stays light: the server's dependencies load only when it runs."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["starlette", "uvicorn", "numpy", "torch", "sentence_transformers", "orq_router_server"]


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    modules = json.loads(out.stdout.splitlines()[-1])
    return sorted({name.split(".")[0] for name in modules} & set(HEAVY))


def test_import_orq_router_imports_no_server_dependency() -> None:
    assert _loaded_after("import orq_router; orq_router.Orq(base_url='http://127.0.0.1:1')") == []


def test_the_cli_parser_imports_no_server_dependency() -> None:
    code = "from orq_router.cli import parser; parser().parse_args(['serve', '--port', '1'])"
    assert _loaded_after(code) == []


def test_the_server_without_minilm_models_imports_no_torch() -> None:
    code = (
        "from orq_router_server import LocalRouter, create_app, parse_config\n"
        "create_app(LocalRouter(parse_config({'models': {'t/h': {'backend': 'hashing'}}})))"
    )
    assert _loaded_after(code) == ["numpy", "orq_router_server", "starlette", "uvicorn"]


def test_the_probe_sees_what_is_imported() -> None:
    assert _loaded_after("import numpy") == ["numpy"]
