"""An item's own deadline: read from a published table's "Thời hạn" / "Thời gian hoàn thành"
column by `cchc criteria import`, written by `cchc criteria export`, and used by the plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from cchc.criteria.export import export_docx, export_xlsx
from cchc.criteria.model import CriteriaSet
from cchc.criteria.table_header import find_header
from cchc.criteria.table_import import read_draft
from cchc.reports.plan import PlanOptions, build_plan
from cchc.scoring.compare import group_sizes
from tests.criteria.test_import import _docx_table
from tests.pair import pair_runs

HEADING = ["BỘ TIÊU CHÍ CẤP XÃ NĂM 2025"]
ROWS = [
    ["1", "Công tác chỉ đạo, điều hành", "3", "", ""],
    ["1.1", "Ban hành kế hoạch CCHC năm", "1", "Có: 1 điểm\nKhông: 0 điểm", "Quý I/2025"],
    ["1.2", "Báo cáo CCHC đúng hạn", "2", "Có: 2 điểm\nKhông: 0 điểm", ""],
]


def _imported(path: Path) -> CriteriaSet:
    draft = read_draft(path, {"id": "xa", "year": 2025})
    assert draft.loaded is not None and draft.loaded.set is not None, draft.issues
    assert "deadline: Quý I/2025" in draft.text  # the YAML draft carries it
    return draft.loaded.set


def _deadlines(criteria: CriteriaSet) -> dict[str, str | None]:
    return {item.code: item.deadline for item, _ in criteria.walk()}


EXPECTED = {"1": None, "1.1": "Quý I/2025", "1.2": None}


@pytest.mark.parametrize("title", ["Thời hạn", "Thời gian hoàn thành", "Thời hạn hoàn thành"])
def test_header_names_the_deadline(title: str) -> None:
    header = find_header([["STT", "Nội dung", "Điểm tối đa", "Cách chấm", title]])
    assert header is not None and header.columns["deadline"] == 4


def test_imported_from_a_word_annex(tmp_path: Path) -> None:
    head = ["STT", "Nội dung", "Điểm chuẩn", "Phương pháp chấm", "Thời gian hoàn thành"]
    path = _docx_table(tmp_path / "t.docx", [head, *ROWS], HEADING)
    assert _deadlines(_imported(path)) == EXPECTED


def test_imported_from_a_workbook(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADING)
    ws.append(["TT", "Tiêu chí", "Điểm tối đa", "Cách chấm", "Thời hạn"])
    for row in ROWS:
        ws.append(row)
    wb.save(tmp_path / "t.xlsx")
    assert _deadlines(_imported(tmp_path / "t.xlsx")) == EXPECTED


def test_exported_and_imported_back(tmp_path: Path) -> None:
    head = ["STT", "Nội dung", "Điểm chuẩn", "Phương pháp chấm", "Thời hạn"]
    criteria = _imported(_docx_table(tmp_path / "t.docx", [head, *ROWS], HEADING))
    # Word: a published column of its own, read back
    document = Document(str(export_docx(criteria, tmp_path / "bo.docx")))
    table = document.tables[0]
    titles = [c.text for c in table.rows[0].cells]
    assert titles[-1] == "Thời hạn"
    assert [r.cells[-1].text for r in table.rows[1:]] == ["", "Quý I/2025", ""]
    assert _deadlines(_imported(tmp_path / "bo.docx")) == EXPECTED
    # Excel: the column shown, not among the hidden round-trip columns, read back
    book = export_xlsx(criteria, tmp_path / "bo.xlsx")
    ws = load_workbook(book)["Bộ tiêu chí"]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Mã")
    letter = get_column_letter(header.index("Thời hạn") + 1)
    assert not ws.column_dimensions[letter].hidden
    assert "Quý I/2025" in [c.value for c in ws[letter]]
    assert _deadlines(_imported(book)) == EXPECTED


def test_no_deadline_no_column(tmp_path: Path) -> None:
    rows = [[*row[:4], ""] for row in ROWS]
    head = ["STT", "Nội dung", "Điểm chuẩn", "Phương pháp chấm", "Thời hạn"]
    draft = read_draft(_docx_table(tmp_path / "t.docx", [head, *rows], HEADING), {"id": "xa"})
    assert draft.loaded is not None and draft.loaded.set is not None, draft.issues
    assert "deadline" not in draft.text
    document = Document(str(export_docx(draft.loaded.set, tmp_path / "bo.docx")))
    assert "Thời hạn" not in [c.text for c in document.tables[0].rows[0].cells]
    ws = load_workbook(export_xlsx(draft.loaded.set, tmp_path / "bo.xlsx"))["Bộ tiêu chí"]
    header = next(r for r in ws.iter_rows() if r[0].value == "Mã")
    cell = next(c for c in header if c.value == "Thời hạn")
    assert ws.column_dimensions[cell.column_letter].hidden  # kept for round trips, not shown


def test_the_plan_uses_the_sets_deadline_own_or_inherited() -> None:
    """Leaves of criterion 2 take its deadline, 1.3 its own; the rest are drafted by kind."""
    now = pair_runs()[1]
    criteria = next(iter(now.sets.values()))
    for code, deadline in (("2", "Quý II/2025"), ("1.3", "31/3/2025")):
        item = criteria.find(code)
        assert item is not None
        item.deadline = deadline
    plan = build_plan(now, "U1", None, PlanOptions(), group_sizes(now))
    rows = {r.code: r.deadline for r in plan.keep.rows + plan.fix.rows}
    assert rows["1.3"] == "31/3/2025"
    assert {c: d for c, d in rows.items() if c.startswith("2.")} == dict.fromkeys(
        [c for c in rows if c.startswith("2.")], "Quý II/2025"
    )
    assert len([c for c in rows if c.startswith("2.")]) >= 2
    others = [d for c, d in rows.items() if not c.startswith("2.") and c != "1.3"]
    assert others and not {"Quý II/2025", "31/3/2025"} & set(others)
