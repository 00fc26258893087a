"""A long sheet's streamed rows are the cells XlsxWriter writes: the same values, styles and row
heights, read by openpyxl, python-calamine and LibreOffice."""

from __future__ import annotations

import io
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from cchc.reports.xlsx_book import Book, Row, title
from cchc.reports.xlsx_stream import BLANK, StreamedRows, splice
from tests.office import SOFFICE, convert

WIDTHS = [9, 30, 9, 12]
ROWS: list[Row] = [
    [("X01", "text"), ("UBND xã Tân Lập", "text"), (Decimal("12.345"), "num3"), (3, "int")],
    [("X02", "bold"), ("  khoảng trắng đầu", "text"), (Decimal("0.5"), "numbold2"), (None, "int")],
    [("X03", "text"), ('a & b <c> "d"', "text"), (Decimal("-1.25"), "num2"), ("", "text")],
    [("X04", "text"), ("điều\x01khiển _x0041_ chữ", "text"), (Decimal("100"), "num0")],
    [("=SUM(A1:A3)", "text"), ("dòng một\ndòng hai\ndòng ba", "text"), (0, "int")],
    [("X06", "text"), ("Một tiêu chí có nội dung dài " * 6, "text"), (Decimal("1E+1"), "num1")],
]
"""Values a long table meets: Vietnamese, markup, controls, formula-like text, line breaks,
wrapped text that needs a taller row, decimals in every precision, empty cells."""


def _write(path: Path) -> None:
    """The same rows in an ordinary sheet and in a long (streamed) one."""
    book = Book(path)
    for name, sheet in (("Thường", book.sheet), ("Dài", book.long_sheet)):
        ws = sheet(name, WIDTHS)
        r = title(book, ws, "Bảng kết quả")
        book.table_head(ws, r, ["Mã", "Nội dung", "Điểm", "Hạng"])
        for n, cells in enumerate(ROWS, start=1):
            book.row(ws, r + n, cells)
        ws.autofilter(r, 0, r + len(ROWS), len(WIDTHS) - 1)
    book.close()


def _cells(ws: object) -> list[list[tuple[object, ...]]]:
    return [
        [
            (c.value, c.number_format, c.font.b, c.alignment.wrap_text, c.alignment.vertical)
            for c in row
        ]
        for row in ws.iter_rows()  # type: ignore[attr-defined]
    ]


def _unescaped(value: object) -> object:
    return value.replace("_x005F_", "_") if isinstance(value, str) else value


def test_streamed_rows_are_the_cells_xlsxwriter_writes(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    _write(path)
    wb = load_workbook(path)
    plain, long = wb["Thường"], wb["Dài"]
    # openpyxl undoes the escape of a literal '_x0041_' in shared strings (the streamed rows'
    # text), not in XlsxWriter's inline ones: the same text as Excel reads it
    inline = [[(_unescaped(c[0]), *c[1:]) for c in row] for row in _cells(plain)]
    assert _cells(long) == inline
    assert long["B8"].value == "điều_x0001_khiển _x0041_ chữ"
    assert long.dimensions == plain.dimensions == "A1:D10"
    heights = {r: d.height for r, d in plain.row_dimensions.items() if d.height}
    assert {r: d.height for r, d in long.row_dimensions.items() if d.height} == heights
    assert heights[9] > 45 and heights[10] > 45  # three lines; the long text wraps
    assert long.auto_filter.ref == plain.auto_filter.ref == "A4:D10"
    assert long["A5"].value == "X01" and long["C5"].value == 12.345
    assert long["A9"].value == "=SUM(A1:A3)" and long["A9"].data_type == "s"  # text, not formula
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        streamed = z.read("xl/worksheets/sheet2.xml").decode().split('<row r="5"', 1)[1]
        strings = z.read("xl/sharedStrings.xml").decode()
    # the streamed text is in the shared strings: 6 rows × 2 text cells, each counted once
    assert "inlineStr" not in streamed and streamed.count(' t="s"') == 12
    assert "Tân Lập" not in streamed and "<t>UBND xã Tân Lập</t>" in strings
    assert 'count="12" uniqueCount="12"' in strings[: strings.index("<si>")]


def test_calamine_reads_the_streamed_rows(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    _write(path)
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("Dài").to_python()
    assert rows == book.get_sheet_by_name("Thường").to_python()
    assert rows[4][:3] == ["X01", "UBND xã Tân Lập", 12.345]


@pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CCHC_REQUIRE_SOFFICE"), reason="no LibreOffice"
)
def test_libreoffice_opens_the_streamed_rows(tmp_path: Path) -> None:
    """LibreOffice opens the workbook and saves it again; both sheets hold the same values."""
    path = tmp_path / "b.xlsx"
    _write(path)
    saved = convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    wb = load_workbook(saved)
    values = [list(r) for r in wb["Dài"].iter_rows(values_only=True)]
    assert values == [list(r) for r in wb["Thường"].iter_rows(values_only=True)]
    assert values[4] == ["X01", "UBND xã Tân Lập", 12.345, 3]
    assert values[9][1] == ROWS[5][1][0]


@pytest.mark.parametrize("merged_above", [True, False])
def test_merges_among_streamed_rows(tmp_path: Path, merged_above: bool) -> None:
    """Ranges merged in the streamed rows join XlsxWriter's own merges, or make the sheet's
    first; LibreOffice opens the result with every merge."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = wb.add_format({"bold": True, "border": 1})
    ws = wb.add_worksheet("Phụ lục")
    if merged_above:
        ws.merge_range(0, 0, 0, 3, "Tiêu đề", bold)
    ws.write_string(1, 0, "STT", bold)
    ws.set_landscape()
    rows = StreamedRows(ws.index)
    xf = bold._get_xf_index()
    rows.row(2, None, [("I", xf), ("Mục một", xf), (BLANK, xf), (BLANK, xf)])
    rows.merge(2, 1, 2, 3)
    rows.row(3, 30, [("Tổng cộng", xf), (BLANK, xf), (Decimal("4.5"), xf), (2.25, xf)])
    rows.merge(3, 0, 3, 1)
    wb.close()
    path = tmp_path / "m.xlsx"
    path.write_bytes(buffer.getvalue())
    splice(path, [rows])
    expected = {"B3:D3", "A4:B4"} | ({"A1:D1"} if merged_above else set())
    ws2 = load_workbook(path)["Phụ lục"]
    assert {str(r) for r in ws2.merged_cells.ranges} == expected
    assert [c.value for c in ws2[4]] == ["Tổng cộng", None, 4.5, 2.25]
    assert ws2["C4"].border.left.style == "thin" and ws2.row_dimensions[4].height == 30
    if SOFFICE is None:
        return
    saved = load_workbook(convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo"))
    assert {str(r) for r in saved["Phụ lục"].merged_cells.ranges} == expected
