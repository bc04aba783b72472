"""The generated package's fixed modules, copied verbatim (after a header line).

They hold no template syntax and import each other relatively, so they are linted,
type-checked and importable here (`generator.runtime.validation`) exactly as they run
in the generated package.
"""
