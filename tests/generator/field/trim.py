"""Trim a public OpenAPI document to some operations, as the fixtures of this folder are.

    python -m tests.generator.field.trim SOURCE TARGET OPERATION_ID...

Keeps the named operations and every component they refer to, transitively (the same
selection as the generator's `--operation`, `generator.document.select`), the security
schemes they need, and the tags they use. Everything kept is as its authors wrote it,
with three exceptions: code samples in vendor extensions (`x-codeSamples`, the
`code-samples` of `x-fern-examples`, the non-curl samples of `x-oaiMeta`) are left out,
since they are code, not the document's data; so are the top-level vendor extensions
(a documentation site's navigation); and the output is YAML.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from generator import document

_CODE_KEYS = frozenset({"x-codeSamples", "x-code-samples", "code-samples"})


def without_code(node: Any) -> Any:
    """The document without its code samples (see the module's docstring)."""
    if isinstance(node, dict):
        kept = {key: without_code(value) for key, value in node.items() if key not in _CODE_KEYS}
        examples = kept.get("examples")
        if "x-oaiMeta" not in kept and isinstance(examples, dict) and "request" in examples:
            request = examples["request"]
            if isinstance(request, dict):  # x-oaiMeta samples: keep the curl one
                examples["request"] = {k: v for k, v in request.items() if k == "curl"}
        return kept
    if isinstance(node, list):
        return [without_code(item) for item in node]
    return node


def trim(source: Path, operations: list[str]) -> str:
    selected = document.select(document.read(source), operations)
    kept = {key: value for key, value in selected.items() if not key.startswith("x-")}
    return yaml.safe_dump(without_code(kept), sort_keys=False, allow_unicode=True, width=100)


def main(argv: list[str]) -> int:
    source, target, *operations = argv
    Path(target).write_text(trim(Path(source), operations), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
