"""Which cells of a workbook carry a percent number format.

Excel and LibreOffice store a percentage typed as '85%' as 0,85 and give the cell a percent
format; python-calamine returns the value without its format. Only for the few cells whose value
is ambiguous is the format read: in an .xlsx with openpyxl (read-only, the styles part only for
those rows); in an .ods from the cell itself (`office:value-type="percentage"`); in a legacy
.xls from its BIFF records (`cchc.readers.xls_grid.xls_number_formats`).
"""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from cchc.core.text import fold
from cchc.readers.sheet_grid import BadSheet, ods_cells
from cchc.readers.xls_grid import xls_number_formats

FORMATTED = (".xlsx", ".xlsm", ".ods", ".xls")
"""Formats whose cell styles are read here."""

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
    if path.suffix.lower() == ".xls":
        try:
            formats = xls_number_formats(path.read_bytes(), sheet, cells)
        except (BadSheet, struct.error):  # past the guards, still odd: formats unknown
            formats = None
        if formats is None:
            return None
        return {
            at for at, code in formats.items() if code in ("9", "10") or is_percent_format(code)
        }
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
