"""The expected failure of a command, as data: a Vietnamese message and the issues behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cchc.core.issues import Issue


class CommandError(Exception):
    """An expected failure of a command: shown as its message, never as a traceback."""

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.issues = issues or []
