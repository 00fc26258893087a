"""A check's outcome: the report of every problem found, and the workbook listing them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar


class Report(Protocol):
    """What a check reports: whether it passed, and itself as JSON."""

    @property
    def ok(self) -> bool:
        """True when no error was found."""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready."""


R = TypeVar("R", bound=Report)


@dataclass
class Checked(Generic[R]):
    """The report and the workbook written from it."""

    report: R
    workbook: Path

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return self.report.ok

    def to_json(self) -> dict[str, Any]:
        """What the command prints with --json: the report itself."""
        return self.report.to_json()
