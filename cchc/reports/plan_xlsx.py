"""Phụ lục I and Phụ lục II of a unit's remediation plan as Excel workbooks.

The same heading lines, columns, section rows and total row as the Word appendices; points are
numbers, text typed by units is always written as text (never as a formula).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from cchc.core.fileio import atomic_path
from cchc.core.numbers import number_format
from cchc.core.xlsx_print import row_height
from cchc.criteria.export import SAMPLE_NOTE
from cchc.reports.plan_docx import (
    COLUMNS,
    Value,
    appendix_heading,
    attachment_line,
    clean,
    numbered,
)
from cchc.reports.plan_model import Appendix, Plan

CHARS_PER_CM = 4.5
"""Excel column width units per centimetre of the Word column, near enough at 12 pt."""
TOTALS = ("max", "points", "lost")


def write_plan_xlsx(plan: Plan, out_dir: Path) -> list[Path]:
    """Write phu-luc-1-<year>.xlsx and phu-luc-2-<year>.xlsx, each whole or not at all."""
    written = []
    for appendix in (plan.keep, plan.fix):
        target = Path(out_dir) / f"phu-luc-{appendix.number}-{plan.year}.xlsx"
        with atomic_path(target) as tmp:
            _write(plan, appendix, tmp)
        written.append(target)
    return written


def _formats(wb: Any, places: int = 2) -> dict[str, Any]:
    font = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True}
    cell = {**font, "border": 1}
    center = {**cell, "align": "center"}
    number = {**center, "num_format": number_format(places)}  # the set's precision.points
    styles = {
        "heading": {**font, "bold": True, "font_size": 14, "align": "center"},
        "italic": {**font, "italic": True, "font_size": 14, "align": "center"},
        "note": {**font, "bold": True, "align": "center"},
        "head": {**center, "bold": True, "valign": "vcenter"},
        "text": cell,
        "int": center,
        "num": number,
        "section": {**cell, "bold": True},
        "roman": {**center, "bold": True},
        "total": {**center, "bold": True},
        "total_num": {**number, "bold": True},
    }
    return {name: wb.add_format(style) for name, style in styles.items()}


def _write(plan: Plan, appendix: Appendix, path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})  # no temporary file per part
    style = _formats(wb, plan.precision.points)
    ws = wb.add_worksheet(appendix_heading(appendix))
    columns = COLUMNS[appendix.number]
    last = len(columns) - 1
    widths = [round(width * CHARS_PER_CM, 1) for _, _, width in columns]
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    lines = [(appendix_heading(appendix), "heading"), (clean(appendix.title).upper(), "heading")]
    lines.append((attachment_line(plan), "italic"))
    for line in (plan.result_line, plan.items_line, plan.previous_result):
        if line:
            lines.append((line, "italic"))
    if plan.sample:
        lines.append((SAMPLE_NOTE, "note"))
    for r, (text, name) in enumerate(lines):
        _merged(ws, r, 0, last, text, style[name])
    header = len(lines) + 1
    titles = [title.format(year=plan.year) for _, title, _ in columns]
    for c, title in enumerate(titles):
        ws.write_string(header, c, title, style["head"])
    _fit_height(ws, header, titles, widths)
    r = header
    for roman, title, rows in numbered(appendix):
        r += 1
        ws.write_string(r, 0, roman, style["roman"])
        _merged(ws, r, 1, last, title, style["section"])
        for values in rows:
            r += 1
            for c, (key, _, _) in enumerate(columns):
                _cell(ws, r, c, values[key], style)
            _fit_height(ws, r, [str(values[key]) for key, _, _ in columns], widths)
    r += 1
    _merged(ws, r, 0, 1, "Tổng cộng", style["total"])
    for c, (key, _, _) in enumerate(columns[2:], start=2):
        if key in TOTALS:
            ws.write_number(r, c, float(getattr(appendix, key)), style["total_num"])
        else:
            ws.write_blank(r, c, None, style["total"])
    _print_setup(ws, header)
    wb.close()


def _merged(ws: Any, row: int, first: int, last: int, text: str, style: Any) -> None:
    """Text across merged cells, written as a string (merge_range alone would parse it)."""
    if last > first:
        ws.merge_range(row, first, row, last, "", style)
    ws.write_string(row, first, text, style)


def _cell(ws: Any, row: int, column: int, value: Value, style: dict[str, Any]) -> None:
    if isinstance(value, Decimal):
        ws.write_number(row, column, float(value), style["num"])
    elif isinstance(value, int):
        ws.write_number(row, column, value, style["int"])
    elif value:
        ws.write_string(row, column, value, style["text"])
    else:
        ws.write_blank(row, column, None, style["text"])


def _fit_height(ws: Any, row: int, texts: list[str], widths: list[float]) -> None:
    """Set the row tall enough for its wrapped text: Excel and LibreOffice keep the height a
    file gives and do not grow rows written by XlsxWriter."""
    height = row_height((text, width, 12) for text, width in zip(texts, widths, strict=True))
    if height is not None:
        ws.set_row(row, height)


def _print_setup(ws: Any, header: int) -> None:
    """A4 landscape, one page wide, the header row frozen and repeated on every page."""
    ws.freeze_panes(header + 1, 0)
    ws.repeat_rows(header)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C&P/&N")
