"""The issues workbook: one text row per problem, never a formula."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cchc.core.issues import Issue, Severity
from cchc.reports.issues_xlsx import SHEET, SUMMARY_SHEET, write_issues


def test_rows_are_text(tmp_path: Path) -> None:
    issues = [
        Issue(code="wrong_type", severity=Severity.ERROR, message="không phải số: '=1+1'",
              file="/nop/X01.xlsx", sheet="Tự đánh giá", cell="E12", item="1.1.4"),
        Issue(code="unit_missing", severity=Severity.WARNING, message="=HYPERLINK(\"x\")"),
    ]  # fmt: skip
    target = write_issues(issues, tmp_path / "kiem-tra-2024.xlsx")
    ws = load_workbook(target)[SHEET]
    rows = [[(c.value, c.data_type) for c in row] for row in ws.iter_rows(min_row=2)]
    assert [[v for v, _ in row] for row in rows] == [
        ["Lỗi", "wrong_type", "X01.xlsx", "Tự đánh giá", "E12", "1.1.4", "không phải số: '=1+1'"],
        ["Cảnh báo", "unit_missing", None, None, None, None, '=HYPERLINK("x")'],
    ]
    assert all(kind in ("s", "n") for row in rows for _, kind in row)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G3"


def test_per_unit_summary_errors_first_and_relative_paths(tmp_path: Path) -> None:
    root = tmp_path / "nop"
    a, b = str(root / "huyen-a" / "X01.xlsx"), str(root / "X02.xlsx")
    warn, err = Severity.WARNING, Severity.ERROR
    issues = [
        Issue(code="evidence_missing", severity=warn, message="thiếu", file=b, item="1.1"),
        Issue(code="evidence_missing", severity=warn, message="thiếu", file=a, item="1.2"),
        Issue(code="wrong_type", severity=err, message="không phải số", file=a,
              sheet="Tự đánh giá", cell="E12", item="1.1.4"),
        Issue(code="evidence_missing", severity=warn, message="thiếu", file=a, item="1.3"),
    ]  # fmt: skip
    target = write_issues(issues, tmp_path / "kiem-tra-2024.xlsx", root)
    wb = load_workbook(target)
    assert wb.sheetnames == [SHEET, SUMMARY_SHEET]
    rows = [[c.value for c in row] for row in wb[SUMMARY_SHEET].iter_rows(min_row=2)]
    assert rows == [  # the unit with an error first; its first error, not its first warning
        ["huyen-a/X01.xlsx", 1, 2, "evidence_missing (2), wrong_type (1)",
         "Tự đánh giá, E12, mục 1.1.4: không phải số"],
        ["X02.xlsx", 0, 1, "evidence_missing (1)", "mục 1.1: thiếu"],
    ]  # fmt: skip
    flat = [row[2].value for row in wb[SHEET].iter_rows(min_row=2)]
    assert flat == ["X02.xlsx", "huyen-a/X01.xlsx", "huyen-a/X01.xlsx", "huyen-a/X01.xlsx"]


def test_wrapped_messages_get_taller_rows(tmp_path: Path) -> None:
    long = "Tài liệu kiểm chứng không đọc được " * 8  # 280 characters in an 80-wide column
    issue = Issue(code="evidence_unreadable", severity=Severity.ERROR, message=long, file="a.xlsx")
    ws = load_workbook(write_issues([issue], tmp_path / "k.xlsx"))[SHEET]
    assert ws.row_dimensions[2].height is not None and ws.row_dimensions[2].height >= 3 * 15
