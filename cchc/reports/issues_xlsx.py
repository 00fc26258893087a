"""The issues workbook (kiem-tra-<year>.xlsx): one filterable row per problem, and a per-unit
summary sheet (one row per workbook, those with errors first) beside the flat list.

Streamed with XlsxWriter (constant memory): a national run can list hundreds of thousands of
problems. Every value is written as text, so '=HYPERLINK(…)' typed by a unit stays text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cchc.core.fileio import atomic_path
from cchc.core.issues import Issue, Severity
from cchc.reports.xlsx_book import Book

SHEET = "Kiểm tra"
SUMMARY_SHEET = "Theo đơn vị"
SUMMARY = [
    ("Tệp (đơn vị)", 44),
    ("Số lỗi", 9),
    ("Số cảnh báo", 11),
    ("Các mã lỗi", 36),
    ("Vấn đề đầu tiên cần sửa", 70),
]
NO_FILE = "(không gắn với tệp nào)"
HEADERS = [
    ("Mức độ", 10),
    ("Mã lỗi", 20),
    ("Tệp", 40),
    ("Trang", 14),
    ("Ô", 8),
    ("Mục", 10),
    ("Nội dung", 80),
]


@dataclass
class _Unit:
    errors: int = 0
    warnings: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    first_error: str = ""
    first_warning: str = ""


def shown_path(file: str | None, root: Path | None) -> str:
    """The file as the officer knows it: relative to the folder checked, else its name."""
    if not file:
        return ""
    path = Path(file)
    if root is not None:
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def _said(issue: Issue) -> str:
    item = f"mục {issue.item}" if issue.item else ""
    where = ", ".join(x for x in (issue.sheet, issue.cell, item) if x)
    return f"{where}: {issue.message}" if where else issue.message


def summarise(issues: list[Issue], root: Path | None = None) -> list[list[object]]:
    """One row per file: errors, warnings, codes (most frequent first), the first error."""
    units: dict[str, _Unit] = {}
    for issue in issues:
        unit = units.setdefault(shown_path(issue.file, root) or NO_FILE, _Unit())
        error = issue.severity is Severity.ERROR
        unit.errors += error
        unit.warnings += not error
        unit.codes[issue.code] += 1
        if error and not unit.first_error:
            unit.first_error = _said(issue)
        elif not error and not unit.first_warning:
            unit.first_warning = _said(issue)
    ordered = sorted(units.items(), key=lambda kv: (-kv[1].errors, -kv[1].warnings, kv[0]))
    return [
        [
            name,
            u.errors,
            u.warnings,
            ", ".join(f"{c} ({n})" for c, n in u.codes.most_common()),
            u.first_error or u.first_warning,
        ]
        for name, u in ordered
    ]


def write_issues(issues: list[Issue], target: Path, root: Path | None = None) -> Path:
    """Write the issues workbook whole or not at all; `root`: the folder checked (paths shown
    relative to it)."""
    with atomic_path(target) as tmp:
        book = Book(tmp)
        ws = book.long_sheet(SHEET, [width for _, width in HEADERS])
        book.table_head(ws, 0, [title for title, _ in HEADERS])
        ws.autofilter(0, 0, max(len(issues), 1), len(HEADERS) - 1)
        for row, issue in enumerate(issues, start=1):
            level = "Lỗi" if issue.severity is Severity.ERROR else "Cảnh báo"
            values = [level, issue.code, shown_path(issue.file, root)]
            values += [issue.sheet or "", issue.cell or "", issue.item or "", issue.message]
            book.row(ws, row, [(value, "text") for value in values])
        summary = book.sheet(SUMMARY_SHEET, [width for _, width in SUMMARY])
        book.table_head(summary, 0, [title for title, _ in SUMMARY])
        rows = summarise(issues, root)
        summary.autofilter(0, 0, max(len(rows), 1), len(SUMMARY) - 1)
        kinds = ["text", "int", "int", "text", "text"]
        for number, cells in enumerate(rows, start=1):
            book.row(summary, number, list(zip(cells, kinds, strict=True)))
        book.close()
    return target
