"""No cassette may hold a credential: Authorization is filtered before recording."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.conftest import ROOT
from tests.facade.conftest import TEST_KEY

SECRET = re.compile(r"(?i)(bearer\s+\S+|authorization|sk-[A-Za-z0-9_-]{12,}|api[_-]?key)")


def cassettes() -> list[Path]:
    return sorted((ROOT / "tests").rglob("cassettes/**/*.yaml"))


def secrets_in(path: Path) -> list[str]:
    """Every credential-looking thing in one cassette: in its text and in its headers."""
    text = path.read_text()
    found = [match.group(0) for match in SECRET.finditer(text)]
    if TEST_KEY in text:
        found.append(TEST_KEY)
    for interaction in yaml.safe_load(text)["interactions"]:
        for side in ("request", "response"):
            headers = interaction[side].get("headers") or {}
            found += [name for name in headers if name.lower() in ("authorization", "x-api-key")]
    return found


def test_there_are_cassettes_to_scan() -> None:
    assert len(cassettes()) >= 20


def test_no_cassette_holds_a_token_or_an_authorization_header() -> None:
    leaks = {str(path.relative_to(ROOT)): secrets_in(path) for path in cassettes()}
    assert {path: found for path, found in leaks.items() if found} == {}


def test_the_scan_finds_a_planted_token(tmp_path: Path) -> None:
    planted = tmp_path / "leak.yaml"
    planted.write_text(
        "interactions:\n- request:\n    headers:\n      Authorization:\n"
        f"      - Bearer {TEST_KEY}\n    body: ''\n  response:\n    headers: {{}}\nversion: 1\n"
    )
    assert "Authorization" in secrets_in(planted)
    assert TEST_KEY in secrets_in(planted)
