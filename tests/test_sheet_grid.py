"""The byte scans that bound a sheet's grid before calamine builds it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from cchc.readers.number_formats import percent_cells
from cchc.readers.sheet_grid import _row_beyond
from tests.office import SOFFICE, convert


@given(st.integers(1, 10**7), st.integers(1, 10**9), st.sampled_from(["A", "Q", "Z"]))
def test_a_row_beyond_is_found_exactly(limit: int, row: int, column: str) -> None:
    tag = f'<c r="{column}{row}" t="s">'.encode()
    assert (_row_beyond(limit).search(tag) is not None) == (row > limit)


@given(st.integers(1, 10**7))
def test_the_rows_around_the_limit(limit: int) -> None:
    found = [
        _row_beyond(limit).search(f'<c r="B{row}"/>'.encode()) is not None
        for row in (limit - 1 or 1, limit, limit + 1, 10 * limit)
    ]
    assert found == [False, False, True, True]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_percent_cells_of_an_ods_saved_by_libreoffice(tmp_path: Path) -> None:
    """'80%' typed in three cells side by side, which LibreOffice writes as one repeated cell;
    a plain 0,8 beside them; another sheet's percentages do not count."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tự đánh giá"
    ws["A1"] = "Mã"
    for ref in ("B3", "C3", "D3"):
        ws[ref], ws[ref].number_format = 0.8, "0%"
    ws["B5"] = 0.8
    other = wb.create_sheet("Khác")
    other["B5"], other["B5"].number_format = 0.8, "0%"
    wb.save(tmp_path / "so.xlsx")
    ods = convert(tmp_path / "so.xlsx", "ods", tmp_path / "ods")
    with zipfile.ZipFile(ods) as archive:
        assert b'number-columns-repeated="3"' in archive.read("content.xml")
    wanted = {(2, 1), (2, 3), (4, 1), (9, 9)}
    assert percent_cells(ods, "tự đánh giá", wanted) == {(2, 1), (2, 3)}
    assert percent_cells(ods, "Khác", wanted) == {(4, 1)}
    assert percent_cells(ods, "Không có", wanted) is None


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_percent_cells_of_an_xls_saved_by_libreoffice(tmp_path: Path) -> None:
    """The same cells in a legacy .xls: built-in '0%', a custom '0.0" %"', a plain 0,8."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tự đánh giá"
    ws["A1"] = "Mã"
    ws["B3"], ws["B3"].number_format = 0.8, "0%"
    ws["C3"], ws["C3"].number_format = 0.8, "0.00%"
    ws["D3"], ws["D3"].number_format = 0.8, '0.0" "%'
    ws["B5"] = 0.8
    wb.save(tmp_path / "so.xlsx")
    xls = convert(tmp_path / "so.xlsx", "xls:MS Excel 97", tmp_path / "xls")
    wanted = {(2, 1), (2, 2), (2, 3), (4, 1), (9, 9)}
    assert percent_cells(xls, "tự đánh giá", wanted) == {(2, 1), (2, 2), (2, 3)}
    assert percent_cells(xls, "Không có", wanted) is None
