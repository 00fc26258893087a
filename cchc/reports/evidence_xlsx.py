"""The evidence workbook (tai-lieu-kiem-chung-<year>.xlsx): each reference a unit cited, with
what was read from it and what is wrong with it, one filterable row per reference."""

from __future__ import annotations

from pathlib import Path

from cchc.core.fileio import atomic_path
from cchc.core.issues import Severity
from cchc.evidence.parse import KIND_LABELS
from cchc.evidence.report import EvidenceReport, EvidenceRow
from cchc.reports.xlsx_book import Book, Row, title

SHEET = "Tài liệu kiểm chứng"
COLUMNS = [
    ("Mã ĐV", 9),
    ("Đơn vị", 24),
    ("Tệp sổ", 26),
    ("Mục", 8),
    ("Ô", 7),
    ("Loại", 10),
    ("Tài liệu (nguyên văn)", 44),
    ("Số", 8),
    ("Năm trong số", 8),
    ("Loại văn bản", 9),
    ("Cơ quan ban hành", 13),
    ("Ngày ban hành", 12),
    ("Đường dẫn / tệp", 36),
    ("Mức độ", 10),
    ("Vấn đề", 60),
]
DATE_COLUMN = 11


def book_name(year: int) -> str:
    """The file name of the evidence workbook of a year."""
    return f"tai-lieu-kiem-chung-{year}.xlsx"


def _severity(row: EvidenceRow) -> str:
    if any(i.severity is Severity.ERROR for i in row.issues):
        return "Lỗi"
    return "Cảnh báo" if row.issues else ""


def _cells(row: EvidenceRow) -> Row:
    ref = row.ref
    cells: Row = [(row.unit, "text"), (row.unit_name, "text"), (Path(row.file).name, "text")]
    cells += [(row.item, "text"), (row.cell, "text")]
    if ref is None:
        cells += [(None, "text")] * 8
    else:
        cells += [(KIND_LABELS[ref.kind], "text"), (ref.raw, "text"), (ref.number, "text")]
        cells += [(ref.year, "int"), (ref.doc_type, "text"), (ref.issuer, "text")]
        cells += [(None, "text"), (ref.target, "text")]  # the date is written as a date
    findings = "\n".join(f"[{i.code}] {i.message}" for i in row.issues)
    return [*cells, (_severity(row), "text"), (findings, "text")]


def write_evidence(report: EvidenceReport, target: Path) -> Path:
    """Write the evidence workbook whole or not at all; units' text always stays text."""
    with atomic_path(target) as tmp:
        book = Book(tmp)
        dates = book.wb.add_format(
            {
                "font_name": "Times New Roman",
                "font_size": 12,
                "num_format": "dd/mm/yyyy",
                "valign": "top",
            }
        )
        ws = book.sheet(SHEET, [width for _, width in COLUMNS])
        year = f" năm {report.year}" if report.year else ""
        r = title(book, ws, f"Tài liệu kiểm chứng các đơn vị dẫn trong sổ tự đánh giá{year}")
        if report.issues:
            book.row(ws, 1, [("; ".join(i.message for i in report.issues), "bold")])
        book.table_head(ws, r, [name for name, _ in COLUMNS])
        ws.autofilter(r, 0, r + max(len(report.rows), 1), len(COLUMNS) - 1)
        for n, row in enumerate(report.rows, start=1):
            book.row(ws, r + n, _cells(row))
            if row.ref is not None and row.ref.date is not None:
                ws.write_datetime(r + n, DATE_COLUMN, row.ref.date, dates)
        book.close()
    return target
