"""Phụ lục I and Phụ lục II of a unit's remediation plan as Excel workbooks.

The same heading lines, columns, section rows and total row as the Word appendices; points are
numbers, text typed by units is always written as text (never as a formula).
"""

from __future__ import annotations

import functools
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from cchc.core.fileio import write_bytes
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
    roman,
)
from cchc.reports.plan_model import Appendix, Plan
from cchc.reports.xlsx_stream import BLANK, StreamedRows, member

CHARS_PER_CM = 4.5
"""Excel column width units per centimetre of the Word column, near enough at 12 pt."""
TOTALS = ("max", "points", "lost")


def write_plan_xlsx(plan: Plan, out_dir: Path) -> list[Path]:
    """Write phu-luc-1-<year>.xlsx and phu-luc-2-<year>.xlsx, each whole or not at all."""
    written = []
    for appendix in (plan.keep, plan.fix):
        target = Path(out_dir) / f"phu-luc-{appendix.number}-{plan.year}.xlsx"
        data = _workbook(plan, appendix)
        write_bytes(target, data)
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


@dataclass(frozen=True)
class _Prepared:
    """A workbook of one appendix shape, laid out by XlsxWriter without a cell: the zip of
    every part but the sheet's, the sheet's part, and each style's index."""

    base: bytes
    sheet: str
    member: str
    xf: dict[str, int]

    def render(self, rows: StreamedRows) -> bytes:
        """The workbook with `rows` in its sheet."""
        out = io.BytesIO(self.base)
        out.seek(0, io.SEEK_END)
        with (
            zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
            archive.open(self.member, "w") as part,
        ):
            rows.splice(self.sheet, part)
        return out.getvalue()


@functools.lru_cache(maxsize=64)
def _prepared(number: int, header: int, places: int) -> _Prepared:
    """Appendix `number`'s workbook with its header at row `header` (0-based) and points shown
    with `places` decimals: formats, column widths, panes and print set-up, made once."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    style = _formats(wb, places)
    ws = wb.add_worksheet(f"Phụ lục {roman(number)}")
    for c, width in enumerate(_widths(number)):
        ws.set_column(c, c, width)
    _print_setup(ws, header)
    xf = {name: f._get_xf_index() for name, f in style.items()}  # every style, used or not
    wb.close()
    name = member(ws.index)
    base = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as made,
        zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as kept,
    ):
        for info in made.infolist():
            if info.filename != name:
                kept.writestr(info, made.read(info))
        sheet = made.read(name).decode()
    return _Prepared(base.getvalue(), sheet, name, xf)


def _widths(number: int) -> list[float]:
    return [round(width * CHARS_PER_CM, 1) for _, _, width in COLUMNS[number]]


def _workbook(plan: Plan, appendix: Appendix) -> bytes:
    """The appendix's workbook: its shape prepared once by XlsxWriter (_prepared), its rows
    (heading, header, sections, items, total) streamed in as XlsxWriter would write them."""
    columns = COLUMNS[appendix.number]
    last = len(columns) - 1
    widths = _widths(appendix.number)
    lines = [(appendix_heading(appendix), "heading"), (clean(appendix.title).upper(), "heading")]
    lines.append((attachment_line(plan), "italic"))
    for line in (plan.result_line, plan.items_line, plan.previous_result):
        if line:
            lines.append((line, "italic"))
    if plan.sample:
        lines.append((SAMPLE_NOTE, "note"))
    header = len(lines) + 1
    prepared = _prepared(appendix.number, header, plan.precision.points)
    xf = prepared.xf
    rows = StreamedRows(0, in_memory=True)
    for r, (text, name) in enumerate(lines):
        rows.row(r, None, [(text, xf[name])] + [(BLANK, xf[name])] * last)
        rows.merge(r, 0, r, last)
    titles = [title.format(year=plan.year) for _, title, _ in columns]
    rows.row(header, _height(titles, widths), [(t, xf["head"]) for t in titles])
    r = header
    for roman_number, title, items in numbered(appendix):
        r += 1
        section = [(roman_number, xf["roman"]), (title, xf["section"])]
        rows.row(r, None, section + [(BLANK, xf["section"])] * (last - 1))
        rows.merge(r, 1, r, last)
        for values in items:
            r += 1
            texts = [str(values[key]) for key, _, _ in columns]
            rows.row(r, _height(texts, widths), [_cell(values[key], xf) for key, _, _ in columns])
    r += 1
    total: list[tuple[object, int]] = [("Tổng cộng", xf["total"]), (BLANK, xf["total"])]
    for key, _, _ in columns[2:]:
        total.append(
            (getattr(appendix, key), xf["total_num"]) if key in TOTALS else (BLANK, xf["total"])
        )
    rows.row(r, None, total)
    rows.merge(r, 0, r, 1)
    return prepared.render(rows)


def _height(texts: list[str], widths: list[float]) -> float | None:
    """A row tall enough for its wrapped text: Excel and LibreOffice keep the height a file
    gives and do not grow rows."""
    return row_height((text, width, 12) for text, width in zip(texts, widths, strict=True))


def _cell(value: Value, xf: dict[str, int]) -> tuple[object, int]:
    if isinstance(value, Decimal):
        return value, xf["num"]
    if isinstance(value, int):
        return value, xf["int"]
    return (value, xf["text"]) if value else (BLANK, xf["text"])


def _print_setup(ws: Any, header: int) -> None:
    """A4 landscape, one page wide, the header row frozen and repeated on every page."""
    ws.freeze_panes(header + 1, 0)
    ws.repeat_rows(header)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C&P/&N")
