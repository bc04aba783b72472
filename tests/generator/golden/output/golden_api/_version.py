# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""The package version, semantic and computed from the spec by the generator (see
`CHANGELOG.md`); `SPEC_VERSION` is the spec's own `info.version`."""

__version__ = "1.0.0"
SPEC_VERSION = "0.9.0"
