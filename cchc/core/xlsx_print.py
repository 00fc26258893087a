"""Print set-up shared by every sheet cchc writes for people to print."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet


def landscape_table(ws: Worksheet, header_row: int) -> None:
    """A4 landscape, fit to width, the header row repeated and frozen above the data."""
    ws.freeze_panes = f"C{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


LINE = 1.3
"""Line height as a multiple of the font size (Times New Roman in LibreOffice and Excel)."""
PADDING = 4.0
"""Points above and below the text in a cell."""
DEFAULT_WIDTH = 8.43
"""Excel's default column width, in characters."""


@lru_cache(maxsize=8192)
def text_lines(text: str, width: float, size: float = 12) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (Excel's unit: the width
    of a '0' in an 11 pt font); long words break, each line break starts a line."""
    per_line = max(1, int(width * 11 / size * 1.05) - 1)
    lines = 0
    for paragraph in str(text).split("\n"):
        count, used = 1, 0
        for word in paragraph.split(" "):
            length = len(word)
            if used and used + 1 + length > per_line:
                count, used = count + 1, 0
            while length > per_line:
                count, length = count + 1, length - per_line
            used += length + (1 if used else 0)
        lines += count
    return lines


def row_height(cells: Iterable[tuple[str, float, float]]) -> float | None:
    """Points a row needs for its wrapped cells (text, width, font size); None: one line fits."""
    needed = [text_lines(text, width, size) * size * LINE + PADDING for text, width, size in cells]
    tallest = max(needed, default=0.0)
    return round(tallest, 1) if tallest > 15 + PADDING / 2 else None


def fit_rows(ws: Worksheet, first: int = 1, last: int | None = None) -> None:
    """Set each row's height, from `first` to `last` (the end), to fit its wrapped text
    (LibreOffice keeps the default otherwise)."""
    widths: dict[int, float] = {}
    merged = {r.min_row * 100000 + r.min_col: r for r in ws.merged_cells.ranges}
    covered = {
        (row, col)
        for r in ws.merged_cells.ranges
        if r.min_row == r.max_row
        for row, col in r.cells
        if (row, col) != (r.min_row, r.min_col)
    }

    def width(col: int) -> float:
        if col not in widths:
            dim = ws.column_dimensions[get_column_letter(col)]
            widths[col] = dim.width if dim.customWidth and dim.width else DEFAULT_WIDTH
        return widths[col]

    for number, row in enumerate(ws.iter_rows(min_row=first, max_row=last), start=first):
        cells = []
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in covered:
                continue
            if not (cell.alignment and cell.alignment.wrap_text):
                continue
            span = merged.get(cell.row * 100000 + cell.column)
            columns = range(cell.column, (span.max_col if span else cell.column) + 1)
            text = str(cell.value)
            if text.startswith("="):
                continue
            size = float(cell.font.sz or 11) if cell.font else 11.0
            cells.append((text, sum(width(c) for c in columns), size))
        height = row_height(cells)
        if height is not None:
            ws.row_dimensions[number].height = height
