# Generated from tests/generator/golden/spec.yaml by generator/. Do not edit: run `python -m
# generator --spec tests/generator/golden/spec.yaml --out tests/generator/golden/output --package
# golden_api`.
"""Operations tagged `misc`"""

from golden_api.api.misc import classify, embed, search_things

__all__ = [
    "classify",
    "embed",
    "search_things",
]
