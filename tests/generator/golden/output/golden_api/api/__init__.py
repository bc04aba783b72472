# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""The API's operations, one module each, grouped by their first tag."""
