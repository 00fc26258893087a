"""Which cells of a workbook carry a percent number format.

Excel and LibreOffice store a percentage typed as '85%' as 0,85 and give the cell a percent
format; python-calamine returns the value without its format. Only for the few cells whose value
is ambiguous is the format read: in an .xlsx with openpyxl (read-only, the styles part only for
those rows); in an .ods from the cell itself (`office:value-type="percentage"`). A legacy .xls
keeps its formats in BIFF records nothing here reads: the answer there is unknown.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from cchc.core.text import fold
from cchc.readers.sheet_grid import ods_cells

FORMATTED = (".xlsx", ".xlsm", ".ods")
"""Formats whose cell styles are read here; for others (.xls) the answer is unknown."""

_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(code: str) -> bool:
    """A number format that shows the value × 100 with '%' ('0%', '0.00%', '#,##0.0%')."""
    return "%" in _LITERAL.sub("", code)


def percent_cells(
    path: Path, sheet: str, cells: set[tuple[int, int]]
) -> set[tuple[int, int]] | None:
    """The cells (0-based row, column) among `cells` of `sheet` (name matched as the readers do)
    that are percent-formatted; None when the file's formats are not read here. The file has
    passed the guards already."""
    if path.suffix.lower() not in FORMATTED:
        return None
    if not cells:
        return set()
    if path.suffix.lower() == ".ods":
        return _ods_percent_cells(path, sheet, cells)
    last = max(row for row, _ in cells) + 1
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        found: set[tuple[int, int]] = set()
        names = {fold(name): name for name in book.sheetnames}
        if fold(sheet) not in names:
            return None
        for row in book[names[fold(sheet)]].iter_rows(min_row=1, max_row=last):
            for cell in row:
                at = (getattr(cell, "row", 0) - 1, getattr(cell, "column", 0) - 1)
                if at in cells and is_percent_format(cell.number_format or ""):
                    found.add(at)
        return found
    finally:
        book.close()


def _ods_percent_cells(
    path: Path, sheet: str, cells: set[tuple[int, int]]
) -> set[tuple[int, int]] | None:
    """Among `cells` of `sheet`, those LibreOffice stored as percentages; None: no such sheet."""
    with zipfile.ZipFile(path) as archive:
        data = archive.read("content.xml")
    wanted = fold(sheet)
    found: set[tuple[int, int]] = set()
    seen = False
    for cell in ods_cells(data):
        if fold(cell.sheet) != wanted:
            continue
        seen = True
        if cell.attributes.get(b"value-type") == b"percentage":
            found |= {at for at in cells if cell.covers(*at)}
    return found if seen else None
