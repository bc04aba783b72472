# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""Operations tagged `things`: Things made and listed."""

from golden_api.api.things import create_thing, delete_thing, get_thing, tag_thing

__all__ = [
    "create_thing",
    "delete_thing",
    "get_thing",
    "tag_thing",
]
