"""`NOT_GIVEN`: an argument the caller did not pass, told apart from `None`.

`None` means something of its own in this SDK: no time limit (`http_timeout=None`), or
"drop this default" for a body field. A keyword whose every value means something,
`None` included, defaults to `NOT_GIVEN` instead (as openai's `NOT_GIVEN` and httpx's
`USE_CLIENT_DEFAULT` do), so that `with_options(http_timeout=None)` asks for no limit
and `with_options()` keeps the current one.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["NOT_GIVEN", "NotGiven"]


class NotGiven:
    """The type of `NOT_GIVEN`: falsy, one instance, and that instance after a copy."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
