"""Give the generated distribution a version that changes whenever its content does.

A team that pins `orq-router-api==1.0.0.post2` must always get the same code. So the
version is not typed by hand: it is the spec's `info.version`, and every time the
generated content changes under that spec version (a generator fix, a new template),
`.postN` counts up. `generated/versions.json` remembers which content hash each version
was given; a content that was seen before gets its old version back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

LEDGER = "versions.json"


def content_hash(files: Mapping[str, str]) -> str:
    """One SHA-256 over the files' paths and text, in path order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    return digest.hexdigest()


def choose_version(spec_version: str, sha256: str, ledger: list[dict[str, str]]) -> str:
    """The version for this content: the one it had, else the next for the spec version."""
    same_spec = [entry for entry in ledger if _base(entry["version"]) == spec_version]
    for entry in same_spec:
        if entry["sha256"] == sha256:
            return entry["version"]
    return spec_version if not same_spec else f"{spec_version}.post{len(same_spec)}"


def _base(version: str) -> str:
    return version.split(".post")[0]


def read_ledger(text: str | None) -> list[dict[str, str]]:
    if not text:
        return []
    entries: list[dict[str, str]] = json.loads(text)["versions"]
    return entries


def write_ledger(ledger: list[dict[str, str]], header: str) -> str:
    document = {"_comment": header, "versions": ledger}
    return json.dumps(document, indent=2) + "\n"
