"""Side-by-side benchmark of orq-router against orq-ai-sdk, openai and raw urllib3.

Run it as `nox -s bench` (or `python -m bench [--quick]` in an environment that has all
four installed). Every contender talks to the same loopback server (`bench.server`), in
the same run, on the same machine, so the numbers are comparable with each other and
with nothing else. It reports; it asserts nothing.

This package imports only the standard library at module level: the cold-start and
memory measurements run it in fresh subprocesses, where any import done before the
clock starts would hide part of a contender's cost.
"""
