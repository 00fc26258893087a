"""A workbook as openpyxl reads it, as plain data: every cell's value and look, the merges, row
heights, column widths, panes and print set-up; for pinning a workbook against a fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook


def dump(path: Path) -> dict[str, Any]:
    """Every sheet of the workbook as JSON-ready data."""
    book = load_workbook(path)
    sheets: dict[str, Any] = {}
    for ws in book.worksheets:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                border = c.border
                cells.append(
                    [
                        c.coordinate,
                        c.value,
                        c.data_type,
                        c.number_format,
                        [c.font.name, c.font.sz, c.font.b, c.font.i],
                        [c.alignment.horizontal, c.alignment.vertical, c.alignment.wrap_text],
                        [border.left.style, border.right.style, border.top.style],
                        c.fill.fgColor.rgb if c.fill.fill_type else None,
                    ]
                )
        sheets[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "heights": {str(r): d.height for r, d in sorted(ws.row_dimensions.items()) if d.height},
            "widths": {k: d.width for k, d in sorted(ws.column_dimensions.items()) if d.width},
            "freeze": ws.freeze_panes,
            "print_titles": ws.print_title_rows,
            "setup": [
                ws.page_setup.orientation,
                ws.page_setup.paperSize,
                ws.page_setup.fitToHeight,
                ws.page_margins.left,
                ws.page_margins.right,
                ws.oddFooter.center.text if ws.oddFooter is not None else None,
            ],
            "dimensions": ws.dimensions,
        }
    return sheets
