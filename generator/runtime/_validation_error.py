"""`ValidationError`, in a module of its own so that importing it costs nothing.

A layer on top (the SDK's facade) subclasses it to build its own exception tree; that
must not load attrs, the models or the checks when only a client is made. It is
re-exported by `validation`, `errors` and the package itself: one class everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

__all__ = ["ValidationError"]


class ValidationError(ValueError):
    """A value breaks a rule of the OpenAPI document.

    `model` is the class being built, `path` the way from it to the bad value
    (`("orq", "retry", "count")`, `("input", 2)`), `message` what is wrong with it.
    """

    def __init__(
        self, message: str, *, path: Sequence[str | int] = (), model: str | None = None
    ) -> None:
        self.message = message
        self.path: tuple[str | int, ...] = tuple(path)
        self.model = model
        super().__init__(str(self))

    @property
    def location(self) -> str:
        """The path written as Python would: `orq.retry.count`, `input[2]`."""
        text = ""
        for part in self.path:
            if isinstance(part, int):
                text += f"[{part}]"
            else:
                text += f".{part}" if text else part
        return text

    def within(self, *outer: str | int, model: str | None = None) -> Self:
        """The same error seen from an enclosing value: `outer` goes before the path."""
        return type(self)(self.message, path=(*outer, *self.path), model=model)

    def __str__(self) -> str:
        where, location = self.model or "", self.location
        if location:
            where += location if not where or location.startswith("[") else f".{location}"
        return f"{where}: {self.message}" if where else self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.path, self.model))


def _rebuild(
    cls: type[ValidationError], message: str, path: tuple[str | int, ...], model: str | None
) -> ValidationError:
    return cls(message, path=path, model=model)
