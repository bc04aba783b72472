# Generated from openapi/orq-router.yaml by generator/. Do not edit: run `nox -s generate`.
"""The API's operations, one module each, grouped by their first tag."""
