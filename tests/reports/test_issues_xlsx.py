"""The issues workbook: one text row per problem, never a formula."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cchc.core.issues import Issue, Severity
from cchc.reports.issues_xlsx import SHEET, write_issues


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
