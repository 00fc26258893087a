"""Problems found in input files: data with a location and a stable code."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How serious a problem is; errors stop the file from being used."""

    ERROR = "error"
    WARNING = "warning"


class Issue(BaseModel):
    """One problem, located as precisely as the input allows."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="Stable machine code of the problem, e.g. 'duplicate_code'.")
    severity: Severity = Field(description="error or warning.")
    message: str = Field(description="What is wrong, in Vietnamese.")
    file: str | None = Field(default=None, description="The input file.")
    line: int | None = Field(default=None, description="1-based line in a text file.")
    sheet: str | None = Field(default=None, description="Worksheet name in a workbook.")
    cell: str | None = Field(default=None, description="Cell reference, e.g. 'H12'.")
    item: str | None = Field(default=None, description="Code of the criteria item concerned.")

    def location(self) -> str:
        """Render 'file:line: mục X' or 'file, sheet!cell, mục X'."""
        parts: list[str] = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.sheet:
            parts.append(f"{self.sheet}!{self.cell}" if self.cell else self.sheet)
        if self.item:
            parts.append(f"mục {self.item}")
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


def has_errors(issues: list[Issue]) -> bool:
    """True if any issue is an error."""
    return any(i.severity is Severity.ERROR for i in issues)


def cell_ref(row: int, column: int) -> str:
    """'H12' from a 0-based row and column."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"
