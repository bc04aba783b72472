"""The code generator: an OpenAPI document in, an installable Python package out.

`python -m generator` (or `nox -s generate`) regenerates `generated/` from
`openapi/orq-router.yaml`; `--spec FILE --out DIR` does the same for any document;
`--check` compares a fresh generation with the committed tree and fails with a diff.

The pipeline, one module a step:

- `spec`: load and validate the document, and bring it to one canonical form (every
  object and enum a named component, one way to say "nullable", references followed);
  what cannot be, stops here with a JSON pointer (`UnsupportedSpec`).
- `model_plan`: compile each schema's constraints into validator, decoder and encoder
  code, and the types a caller may pass (the parts `datamodel-code-generator` does not
  emit for non-pydantic output).
- `models`: drive `datamodel-code-generator` with the attrs template to write `models.py`.
- `package`: render the endpoint modules, `params.py` and the package's fixed files
  (templates/, and runtime/ copied verbatim).
- `versioning`: a semantic version and a changelog from a diff of the spec against the
  last release.
- `tree`: format the files with ruff, then write them or compare them.
"""
