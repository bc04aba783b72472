"""Answers checked against the YAML itself (jsonschema), not against our generated models."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker


def check(spec: dict[str, Any], schema: str, instance: Any) -> None:
    """Raise `jsonschema.ValidationError` unless `instance` is a valid `schema` of the spec."""
    root = {"$ref": f"#/components/schemas/{schema}", "components": spec["components"]}
    Draft202012Validator(root, format_checker=FormatChecker()).validate(instance)


def check_body(spec: dict[str, Any], status: int, content: bytes) -> Any:
    """The parsed body, checked as the spec's success or error response for `status`."""
    body = json.loads(content)
    check(spec, "CreateEmbeddingResponse" if status == 200 else "ErrorResponse", body)
    return body
