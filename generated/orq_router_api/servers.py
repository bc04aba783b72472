# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""Where the API is: the spec's `servers`.

A module of its own, with no import, so that a layer on top can read the default
address without loading the client and its dependencies.
"""

from typing import Final

__all__ = ["DEFAULT_BASE_URL"]

DEFAULT_BASE_URL: Final = "https://api.orq.ai"
"""The first `servers` entry of the spec."""
