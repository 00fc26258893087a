"""The evidence workbook opens, reads back, and keeps units' text as text."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from cchc.criteria.model import CriteriaSet
from cchc.reports.evidence_xlsx import COLUMNS, SHEET, book_name, write_evidence
from tests.evidence.cases import check, leaf, submission


def test_workbook_reads_back(mini: CriteriaSet, tmp_path: Path) -> None:
    sub = submission(
        "X01",
        leaf("1.1.1", "Báo cáo số 45/BC-VP ngày 10/12/2024\n=1+2", row=8),
        leaf("1.2.1", "Quyết định số 52/2019/QĐ-UBND; https://xa.gov.vn/a", row=12),
        leaf("2.1", row=15),
    )
    found = check(mini, tmp_path / "tai-lieu", sub)
    target = write_evidence(found, tmp_path / "ra" / book_name(2024))
    assert target == tmp_path / "ra" / "tai-lieu-kiem-chung-2024.xlsx"
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left
    wb = load_workbook(target)
    ws = wb[SHEET]
    assert ws["A1"].value == "Tài liệu kiểm chứng các đơn vị dẫn trong sổ tự đánh giá năm 2024"
    assert [c.value for c in ws[4]] == [title for title, _ in COLUMNS]
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:O9"
    assert ws.column_dimensions["G"].width is not None and ws.column_dimensions["G"].width > 40
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert rows[0] == [
        "X01",
        "Đơn vị X01",
        "X01.xlsx",
        "1.1.1",
        "I8",
        "Văn bản",
        "Báo cáo số 45/BC-VP ngày 10/12/2024",
        "45",
        None,
        "BC",
        "VP",
        datetime(2024, 12, 10),
        None,
        "Cảnh báo",
        "[evidence_doc_type] mục này cần kế hoạch (KH); tài liệu dẫn là báo cáo (BC): "
        "'Báo cáo số 45/BC-VP ngày 10/12/2024'",
    ]
    assert rows[1][5:7] == ["Mô tả", "=1+2"]
    assert ws["G6"].data_type == "s"  # typed by a unit: text, never a formula
    assert rows[2][6:10] == ["Quyết định số 52/2019/QĐ-UBND", "52", 2019, "QĐ"]
    assert rows[3][5:7] == ["Trang web", "https://xa.gov.vn/a"] and rows[3][12] == rows[3][6]
    assert rows[4][3:7] == ["2.1", "I15", None, None] and rows[4][13] == "Lỗi"
    assert ws["L5"].number_format == "dd/mm/yyyy"
