"""A real client: LibreOffice opens a filled template, recalculates, saves; cchc reads it back."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from cchc.criteria.model import CriteriaSet
from cchc.templates.collect import check_folder
from cchc.templates.layout import HEADER_ROW, LETTER, SELF_SHEET, TOTAL_LABEL
from tests.office import SOFFICE, convert
from tests.workbooks import MINI_X01, MINI_X01_POINTS, MINI_X01_TOTAL, PHUONG, XA, filled

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def resave(source: Path, out: Path) -> Path:
    """Open in LibreOffice headless, let it recalculate, save as .xlsx into `out`."""
    return convert(source, "xlsx:Calc MS Excel 2007 XML", out)


def test_libreoffice_totals_equal_cchc(mini: CriteriaSet, tmp_path: Path) -> None:
    source = filled(mini, XA, MINI_X01, tmp_path / "in" / "x01.xlsx")
    saved = resave(source, tmp_path / "lo")
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name(SELF_SHEET).to_python()
    points_col = ord(LETTER["points"]) - ord("A")
    by_code = {str(r[0]): r[points_col] for r in rows[HEADER_ROW:] if r[0]}
    total = next(r[points_col] for r in rows if TOTAL_LABEL in r)
    # LibreOffice's cached results, as the unit sees them ...
    lo_points = {c: Decimal(repr(by_code[c])) for c in MINI_X01_POINTS}
    assert lo_points == {c: Decimal(v) for c, v in MINI_X01_POINTS.items()}
    assert Decimal(repr(total)) == Decimal(MINI_X01_TOTAL)
    # ... and what cchc computes from the inputs of the re-saved file.
    (work := tmp_path / "read").mkdir()
    shutil.copy(saved, work / saved.name)
    report = check_folder(work, 2024, [XA], lambda ref, year: mini)
    assert report.all_issues() == []
    leaves = report.submissions[0].leaves
    assert {c: leaves[c].outcome.points for c in MINI_X01_POINTS} == lo_points


def test_libreoffice_keeps_protection_and_validation(mini: CriteriaSet, tmp_path: Path) -> None:
    source = filled(mini, XA, {}, tmp_path / "in" / "x01.xlsx")
    saved = resave(source, tmp_path / "lo")
    ws = load_workbook(saved)[SELF_SHEET]
    assert ws.protection.sheet
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    assert ws[f"{LETTER['choice']}{rows['1.1.1']}"].protection.locked is False
    assert ws[f"{LETTER['title']}{rows['1.1.1']}"].protection.locked is not False
    kinds = sorted({dv.type or "any" for dv in ws.data_validations.dataValidation})
    assert kinds == ["any", "custom", "decimal", "list", "whole"]  # any: input messages only


def test_libreoffice_agrees_on_a_group_maximum(mini: CriteriaSet, tmp_path: Path) -> None:
    """A ward's 2.4 counts 3 points: the live formula and the scorer both give 66,6 % of 3 → 2,0."""
    values = {c: v for c, v in MINI_X01.items() if c != "2.3"}
    source = filled(mini, PHUONG, values, tmp_path / "in" / "p02.xlsx")
    saved = resave(source, tmp_path / "lo")
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name(SELF_SHEET).to_python()
    points_col = ord(LETTER["points"]) - ord("A")
    lo_points = {
        str(r[0]): Decimal(repr(r[points_col])) for r in rows[HEADER_ROW:] if str(r[0]) in values
    }
    (work := tmp_path / "read").mkdir()
    shutil.copy(saved, work / saved.name)
    report = check_folder(work, 2024, [PHUONG], lambda ref, year: mini)
    assert report.all_issues() == []
    leaves = report.submissions[0].leaves
    assert {c: leaves[c].outcome.points for c in lo_points} == lo_points
    assert lo_points["2.4"] == Decimal("2.0")
