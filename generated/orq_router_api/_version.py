# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""The package version: the spec's `info.version`, then `.postN` for each later change of
the generated code under the same spec version (the history is in `versions.json`)."""

__version__ = "1.0.0.post2"
SPEC_VERSION = "1.0.0"
