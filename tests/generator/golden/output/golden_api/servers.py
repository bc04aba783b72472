# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""Where the API is: the spec's `servers`.

A module of its own, with no import, so that a layer on top can read the default
address without loading the client and its dependencies.
"""

from typing import Final

__all__ = ["DEFAULT_BASE_URL"]

DEFAULT_BASE_URL: Final = "http://127.0.0.1:9999/api"
"""The first `servers` entry of the spec."""
