"""The tables of a published criteria file, as text rows: every table of a Word document, or the
sheets of a workbook (.xlsx, .xlsm, .xls, .ods), each read through the input guards."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cchc.core.issues import cell_ref
from cchc.readers.cells import cell_text
from cchc.readers.docx_tables import read_docx
from cchc.readers.table import read_table

DOCUMENT_SUFFIXES = (".docx",)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class SourceTable:
    """One table: its rows as text, and the text printed just above it (a document's heading)."""

    name: str
    """The sheet's name, or 'bảng N' for the N-th table of a document."""
    rows: list[list[str]]
    heading: list[str] = field(default_factory=list)
    in_document: bool = False

    def where(self, row: int, column: int) -> tuple[str, str | None]:
        """The sheet and cell of a 0-based row and column, as issues name them.

        A Word table has no cell names: its rows are counted, from 1, after the table's number.
        """
        if self.in_document:
            return f"{self.name}, dòng {row + 1}", None
        return self.name, cell_ref(row, column)


class UnsupportedFormat(ValueError):
    """A file whose extension is none of the supported ones."""


def read_sources(path: Path) -> tuple[list[SourceTable], list[str]]:
    """The file's tables, and the text after the last one (a document's closing lines).

    Raises Refused or Unreadable (from the guards and readers), UnsupportedFormat.
    """
    suffix = path.suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        body = read_docx(path)
        tables = [
            SourceTable(f"bảng {t.number}", t.rows, t.before, in_document=True) for t in body.tables
        ]
        return tables, body.after
    if suffix in WORKBOOK_SUFFIXES:
        sheets = read_table(path)
        return [
            SourceTable(name, [[cell_text(v) for v in row] for row in rows])
            for name, rows in sheets.items()
        ], []
    raise UnsupportedFormat(suffix)
