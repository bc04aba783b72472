"""The code generator: `openapi/orq-router.yaml` in, the `generated/` package out.

`python -m generator` (or `nox -s generate`) regenerates; `--check` compares a fresh
generation with the committed tree and fails with a diff when they differ.

The pipeline, one module a step:

- `spec`: load and validate the OpenAPI document, resolve `$ref`s.
- `model_plan`: compile each schema's constraints into validator, decoder and encoder
  code (the parts `datamodel-code-generator` does not emit for non-pydantic output).
- `models`: drive `datamodel-code-generator` with the attrs template to write `models.py`.
- `package`: render the endpoint modules and the package's fixed files from Jinja2.
- `versioning`: give the package a version that changes whenever its content does.
- `tree`: format the files with ruff, then write them or compare them.
"""
