# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""The package version, semantic and computed from the spec by the generator (see
`CHANGELOG.md`); `SPEC_VERSION` is the spec's own `info.version`."""

__version__ = "2.0.0"
SPEC_VERSION = "1.0.0"
