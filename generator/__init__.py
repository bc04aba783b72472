"""The code generator: an OpenAPI document in, an installable Python package out.

`python -m generator` (or `nox -s generate`) regenerates `generated/` from
`openapi/orq-router.yaml`; `--spec FILE --out DIR` does the same for any document;
`--check` compares a fresh generation with the committed tree and fails with a diff.

The pipeline, one module a step (`generator/README.md` tells more):

- `document`: read the document, keep the operations asked for (`--operation`), validate
  it (`--lenient` repairs common mistakes); `spec`: what the other steps read (`Spec`).
- `canonical`, `operations`: bring every schema to one canonical form (every object and
  enum a named component, one way to say "nullable", `allOf` merged, references
  followed), and read the operations; what cannot be, stops here with a JSON pointer
  (`UnsupportedSpec`).
- `nodes`: the typed intermediate form, one node class per construct, each knowing its
  check, decoder, encoder, types and version rule; `model_plan` collects their code per
  field, model and operation.
- `models`: drive `datamodel-code-generator` with the attrs template to write `models.py`
  (the names are the engine's, read from its model metadata).
- `package`: render the endpoint modules, `params.py` and the package's fixed files
  (templates/, and runtime/ copied verbatim).
- `versioning`: a semantic version and a changelog from a diff of the spec against the
  last release.
- `tree`: format the files with ruff, then write them or compare them.
"""
