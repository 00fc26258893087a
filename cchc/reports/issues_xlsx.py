"""The issues workbook (kiem-tra-<year>.xlsx): one filterable row per problem.

Streamed with XlsxWriter (constant memory): a national run can list hundreds of thousands of
problems. Every value is written as text, so '=HYPERLINK(…)' typed by a unit stays text.
"""

from __future__ import annotations

from pathlib import Path

from cchc.core.fileio import atomic_path
from cchc.core.issues import Issue, Severity
from cchc.reports.xlsx_book import Book

SHEET = "Kiểm tra"
HEADERS = [
    ("Mức độ", 10),
    ("Mã lỗi", 20),
    ("Tệp", 40),
    ("Trang", 14),
    ("Ô", 8),
    ("Mục", 10),
    ("Nội dung", 80),
]


def write_issues(issues: list[Issue], target: Path) -> Path:
    """Write the issues workbook whole or not at all."""
    with atomic_path(target) as tmp:
        book = Book(tmp)
        ws = book.sheet(SHEET, [width for _, width in HEADERS])
        book.table_head(ws, 0, [title for title, _ in HEADERS])
        ws.autofilter(0, 0, max(len(issues), 1), len(HEADERS) - 1)
        for row, issue in enumerate(issues, start=1):
            level = "Lỗi" if issue.severity is Severity.ERROR else "Cảnh báo"
            values = [level, issue.code, Path(issue.file).name if issue.file else ""]
            values += [issue.sheet or "", issue.cell or "", issue.item or "", issue.message]
            book.row(ws, row, [(value, "text") for value in values])
        book.wb.close()
    return target
