"""What a commune sees in its workbook: input messages, its own figure labels, the step of a
manual item checked in the cell, the maximum beside the total, rows tall enough to read."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from cchc.core.xlsx_print import text_lines
from cchc.criteria.model import CriteriaSet
from cchc.templates.builder import build_workbook, write_workbook
from cchc.templates.layout import GUIDE_SHEET, HEADER_ROW, LETTER, SELF_SHEET, TOTAL_LABEL
from tests.office import SOFFICE, convert
from tests.workbooks import XA


def _book(mini: CriteriaSet, tmp_path: Path) -> Path:
    return write_workbook(build_workbook(mini, XA, 2024), tmp_path / "x01.xlsx")


def _validations(ws: Worksheet) -> dict[str, DataValidation]:
    found = {}
    for dv in ws.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            found[ref] = dv
    return found


def test_every_input_cell_says_what_to_type(mini: CriteriaSet, tmp_path: Path) -> None:
    wb = load_workbook(_book(mini, tmp_path))
    ws = wb[SELF_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    by_cell = _validations(ws)
    unlocked = [
        c.coordinate
        for row in ws.iter_rows(min_row=HEADER_ROW + 1)
        for c in row
        if c.protection.locked is False
    ]
    assert unlocked and all(
        by_cell[ref].showInputMessage and by_cell[ref].prompt for ref in unlocked
    )
    row = rows["1.1.4"]  # a ratio: each figure cell names its own figure
    assert by_cell[f"{LETTER['figure1']}{row}"].prompt == "Số nhiệm vụ hoàn thành (số)"
    assert by_cell[f"{LETTER['figure2']}{row}"].prompt == "Tổng số nhiệm vụ trong kế hoạch (số)"
    rule = ws[f"{LETTER['rule']}{row}"].value
    assert "Số liệu 1: Số nhiệm vụ hoàn thành" in rule
    assert "Số liệu 2: Tổng số nhiệm vụ trong kế hoạch" in rule
    assert "Số 141/TB-UBND" in str(by_cell[f"{LETTER['evidence']}{row}"].prompt)


def test_manual_step_is_checked_in_the_cell(mini: CriteriaSet, tmp_path: Path) -> None:
    ws = load_workbook(_book(mini, tmp_path))[SELF_SHEET]
    manual = [dv for dv in ws.data_validations.dataValidation if dv.type == "custom"]
    assert manual
    cell = str(manual[0].sqref)
    # step 0,25 → 2500 ten-thousandths: 0,3 (3000) is refused, 0,5 (5000) accepted.
    assert f"MOD(ROUND({cell}*10000,0),2500)=0" in manual[0].formula1
    assert "bước 0,25" in manual[0].error


def test_maximum_beside_the_total(mini: CriteriaSet, tmp_path: Path) -> None:
    ws = load_workbook(_book(mini, tmp_path))[SELF_SHEET]
    total = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == TOTAL_LABEL)
    assert ws.cell(total, 3).value == float(mini.scale)


def test_wrapped_rows_are_tall_enough(mini: CriteriaSet, tmp_path: Path) -> None:
    wb = load_workbook(_book(mini, tmp_path))
    ws = wb[SELF_SHEET]
    head = ws.row_dimensions[HEADER_ROW].height
    assert head is not None and head >= 2 * 12 * 1.2  # 'Tài liệu kiểm chứng' takes two lines
    for r in range(HEADER_ROW + 1, ws.max_row):
        title = str(ws.cell(r, 2).value or "")
        lines = text_lines(title, 46, 12)
        if lines > 1:
            assert (ws.row_dimensions[r].height or 15) >= lines * 12 * 1.2, title
    guide = wb[GUIDE_SHEET]
    setup = guide.sheet_properties.pageSetUpPr
    assert guide.page_setup.fitToHeight == 1 and setup is not None and setup.fitToPage


def test_text_lines_by_hand() -> None:
    # 20 characters wide, 11 pt: int(20 × 1,05) − 1 = 20 characters a line, words kept whole.
    assert text_lines("abc", 20, 11) == 1
    assert text_lines("aaaaaaaaaa bbbbbbbbbb", 20, 11) == 2
    assert text_lines("a\nb\nc", 20, 11) == 3
    assert text_lines("x" * 40, 20, 11) == 2
    assert text_lines("x" * 41, 20, 11) == 3


def test_libreoffice_prints_the_guide_on_one_page_without_overlap(
    mini: CriteriaSet, tmp_path: Path
) -> None:
    if SOFFICE is None:
        return
    pdf = PdfReader(convert(_book(mini, tmp_path), "pdf", tmp_path / "pdf"))
    first = pdf.pages[0]
    ys: list[float] = []
    first.extract_text(visitor_text=lambda t, cm, tm, *_: ys.append(tm[5]) if t.strip() else None)
    text = first.extract_text()
    assert "PHIẾU TỰ ĐÁNH GIÁ" in text and "Di chuột hoặc chọn" in text  # the guide fits
    lines = sorted(set(round(y, 1) for y in ys), reverse=True)
    assert all(a - b >= 6 for a, b in pairwise(lines))  # no line over another
