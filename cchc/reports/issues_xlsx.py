"""The issues workbook (kiem-tra-<year>.xlsx): one filterable row per problem."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cchc.fileio import atomic_path
from cchc.issues import Issue, Severity

HEADERS = [
    ("Mức độ", 10),
    ("Mã lỗi", 20),
    ("Tệp", 40),
    ("Trang", 14),
    ("Ô", 8),
    ("Mục", 10),
    ("Nội dung", 80),
]


def put_text(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """Write text that is never taken as a formula ('=HYPERLINK(…)' stays text)."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.data_type = "s"
    return cell


def write_issues(issues: list[Issue], target: Path) -> Path:
    """Write the issues workbook whole or not at all."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Kiểm tra"
    for column, (title, width) in enumerate(HEADERS, start=1):
        ws.cell(row=1, column=column, value=title).font = Font(bold=True)
        ws.column_dimensions[chr(64 + column)].width = width
    for row, issue in enumerate(issues, start=2):
        level = "Lỗi" if issue.severity is Severity.ERROR else "Cảnh báo"
        values = [level, issue.code, Path(issue.file).name if issue.file else ""]
        values += [issue.sheet or "", issue.cell or "", issue.item or "", issue.message]
        for column, value in enumerate(values, start=1):
            put_text(ws, row, column, value)
    ws.auto_filter.ref = f"A1:G{max(len(issues) + 1, 2)}"
    ws.freeze_panes = "A2"
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
