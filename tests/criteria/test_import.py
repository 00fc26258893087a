"""Importing criteria tables laid out as provinces publish them, from Word and workbooks."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import Workbook

from cchc.cli.main import main
from cchc.commands.criteria_import import import_criteria
from cchc.core.errors import CommandError
from cchc.core.text import fold
from cchc.criteria.export import export_docx
from cchc.criteria.loader import load_file, load_text
from cchc.criteria.model import CriteriaSet, Item
from cchc.criteria.registry import scan
from cchc.criteria.table_facts import heading_facts
from cchc.criteria.table_header import find_header
from cchc.criteria.table_import import read_draft
from cchc.demo.annex import import_annex
from cchc.readers.docx_tables import parse_body
from cchc.readers.guard import Limits, Refused
from cchc.scoring.rules import Entry, evaluate
from tests import hostile
from tests.conftest import DATA
from tests.criteria.published import write_docx, write_xlsx

D = Decimal
PUBLISHED = DATA / "criteria"
BUILT: dict[str, Callable[[Path], Path]] = {
    "docx": lambda d: write_docx(d / "phu-luc.docx"),
    "xlsx": lambda d: write_xlsx(d / "phu-luc.xlsx"),
    "libreoffice-docx": lambda d: PUBLISHED / "phu-luc-so-lo.docx",
    "libreoffice-ods": lambda d: PUBLISHED / "phu-luc-so-lo.ods",
    "libreoffice-xls": lambda d: PUBLISHED / "phu-luc-so-lo.xls",
}

# The annex of tests/criteria/published.py, worked out by hand: Roman domains restart the
# numbering (I, 1, 1.1 → 1, 1.1, 1.1.1), letters go one level down (2, a) → 1.2, 1.2.1).
EXPECTED: dict[str, tuple[Decimal, dict[str, Any] | None]] = {
    "1.1.1": (
        D(1),
        {
            "kind": "choice",
            "options": [
                {"label": "Ban hành kịp thời", "points": D(1)},
                {"label": "Ban hành không kịp thời", "points": D("0.5")},
                {"label": "Không ban hành", "points": D(0)},
            ],
        },
    ),
    "1.1.2": (
        D(2),
        {
            "kind": "tiers",
            "measure": {"percent": "Mức độ thực hiện kế hoạch CCHC"},
            "tiers": [
                {"above": D(90), "points": D(2)},
                {"from": D(70), "to": D(90), "points": D(1)},
                {"below": D(70), "points": D(0)},
            ],
        },
    ),
    "1.1.3": (D(1), {"kind": "yes_no"}),
    "1.2.1": (
        D("0.5"),
        {
            "kind": "choice",
            "options": [
                {"label": "Đầy đủ, đúng hạn", "points": D("0.5")},
                {"label": "Không đúng hạn", "points": D(0)},
            ],
        },
    ),
    "1.2.2": (D("0.5"), {"kind": "manual"}),
    "2.1": (
        D(2),
        {
            "kind": "tiers",
            "measure": {"percent": "Tỷ lệ hồ sơ giải quyết đúng hạn"},
            "tiers": [
                {"from": D(100), "points": D(2)},
                {"from": D(90), "below": D(100), "points": D(1)},
                {"below": D(90), "points": D(0)},
            ],
        },
    ),
    "2.2": (
        D(1),
        {
            "kind": "tiers",
            "measure": {"percent": "Công khai thủ tục hành chính"},
            "tiers": [{"from": D(100), "points": D(1)}, {"below": D(100), "points": D(0)}],
        },
    ),
}
INNER = {"1": D(5), "1.1": D(4), "1.2": D(1), "2": D(3)}


def _rule(item: Item) -> dict[str, Any] | None:
    if item.rule is None:
        return None
    return item.rule.model_dump(by_alias=True, exclude_defaults=True)


def _imported(kind: str, tmp_path: Path) -> CriteriaSet:
    draft = read_draft(BUILT[kind](tmp_path), {"id": "so-hb"})
    assert draft.loaded is not None and draft.loaded.set is not None, draft.issues
    return draft.loaded.set


@pytest.mark.parametrize("kind", list(BUILT))
def test_published_annex_rule_by_rule(kind: str, tmp_path: Path) -> None:
    criteria = _imported(kind, tmp_path)
    assert (criteria.id, criteria.year, criteria.level, criteria.scale) == (
        "so-hb",
        2025,
        "so",
        D(8),
    )
    assert criteria.title == "Bộ tiêu chí xác định chỉ số cải cách hành chính của các sở năm 2025"
    assert criteria.issued_by == (
        "Quyết định số 123/QĐ-UBND ngày 05/01/2025 của UBND tỉnh Hòa Bình"
    )
    leaves = {leaf.code: (leaf.max, _rule(leaf)) for leaf in criteria.leaves()}
    assert leaves == EXPECTED
    inner = {i.code: i.max for i, _ in criteria.walk() if not i.is_leaf}
    assert inner == INNER
    assert [i.title for i in criteria.items] == [
        "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC",
        "CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    ]


@pytest.mark.parametrize(
    ("code", "entry", "points"),
    [
        ("1.1.1", Entry(choice="Ban hành không kịp thời"), D("0.5")),
        ("1.1.2", Entry(figure1=D("90.5")), D(2)),  # above 90
        ("1.1.2", Entry(figure1=D(90)), D(1)),  # 'từ 70% - 90%' includes 90
        ("1.1.2", Entry(figure1=D("69.9")), D(0)),
        ("2.1", Entry(figure1=D(100)), D(2)),
        ("2.1", Entry(figure1=D("99.9")), D(1)),
        ("2.2", Entry(figure1=D(95)), D(0)),
    ],
)
def test_imported_rules_score_as_published(
    code: str, entry: Entry, points: Decimal, tmp_path: Path
) -> None:
    item = _imported("docx", tmp_path).find(code)
    assert item is not None
    assert evaluate(item, entry).points == points


def test_draft_comments_problems_at_their_item_and_loads_back(tmp_path: Path) -> None:
    draft = read_draft(write_docx(tmp_path / "phu-luc.docx"), {"id": "so-hb"})
    assert [(i.code, i.item, i.sheet) for i in draft.issues] == [
        ("rule_missing", "1.2.2", "bảng 1, dòng 21"),
        ("bands_missing", None, None),
    ]
    lines = draft.text.splitlines()
    at = lines.index("    - code: 1.2.2")
    assert lines[at - 1].startswith("    # CẦN XEM: mục không có cách chấm")
    assert lines[at - 1].endswith("(bảng 1, dòng 21)")
    yes_no = lines.index("    - code: 1.1.3")
    assert lines[yes_no - 1] == "    # trong bảng: Đạt yêu cầu: 1 / Không đạt yêu cầu: 0"
    loaded = load_text(draft.text)
    assert loaded.ok and loaded.set == draft.loaded.set if draft.loaded else False


def _docx_table(path: Path, rows: list[list[str]], heading: list[str] | None = None) -> Path:
    doc = Document()
    for line in heading or []:
        doc.add_paragraph(line)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    doc.save(str(path))
    return path


HEAD = ["STT", "Nội dung", "Điểm chuẩn", "Phương pháp chấm"]


def test_option_cells_in_the_rule_column_and_no_year(tmp_path: Path) -> None:
    rows = [
        HEAD,
        ["1", "Tuyên truyền", "1", ""],
        ["1.1", "Số tin bài", "1", "Có từ 10 tin bài trở lên: 1 điểm\nDưới 10 tin bài: 0,5 điểm"],
    ]
    path = _docx_table(tmp_path / "t.docx", rows, ["BỘ TIÊU CHÍ CẤP XÃ"])
    draft = read_draft(path, {"id": "xa"})
    assert [(i.code, i.message) for i in draft.issues] == [
        (
            "set_year_missing",
            "bảng không cho biết năm: ghi bằng tùy chọn --year (ví dụ --year 2025)",
        )
    ]
    draft = read_draft(path, {"id": "xa", "year": 2025})
    assert draft.loaded is not None and draft.loaded.set is not None
    item = draft.loaded.set.find("1.1")
    assert item is not None and _rule(item) == {
        "kind": "choice",
        "options": [
            {"label": "Có từ 10 tin bài trở lên", "points": D(1)},
            {"label": "Dưới 10 tin bài", "points": D("0.5")},
        ],
    }
    assert draft.loaded.set.level == "xa"
    missing = read_draft(path, {"year": 2025})
    assert [i.code for i in missing.issues] == ["set_id_missing"]
    assert "--id" in missing.issues[0].message


def test_draft_written_with_errors_commented(tmp_path: Path) -> None:
    rows = [HEAD, ["1", "Kế hoạch", "1", ""], ["1.1", "Ban hành", "1", ""]]
    rows += [["", "Kịp thời: 2", "", ""], ["", "Không kịp thời: 0", "", ""]]
    path = _docx_table(tmp_path / "t.docx", rows)
    result = import_criteria(path, None, {"id": "xa", "year": 2025})
    assert not result.ok
    text = result.draft.read_text(encoding="utf-8")
    errors = [i for i in result.issues if i.severity == "error"]
    assert errors and all(i.item == "1.1" and i.sheet == "bảng 1, dòng 3" for i in errors)
    lines = text.splitlines()
    assert lines[lines.index("  - code: '1.1'") - 1].startswith("  # LỖI: ")
    assert not load_file(result.draft).ok


def _bad(tmp_path: Path, rows: list[list[str]]) -> tuple[list[tuple[str, str | None]], str]:
    path = _docx_table(tmp_path / "xau.docx", rows)
    draft = read_draft(path, {"id": "xa", "year": 2025})
    with pytest.raises(CommandError):
        import_criteria(path, tmp_path / "xau.yaml", {"id": "xa", "year": 2025})
    assert not (tmp_path / "xau.yaml").exists()
    assert all(i.file == str(path) for i in draft.issues)
    return [(i.code, i.sheet) for i in draft.issues], draft.issues[0].message


def test_bad_tables_one_clear_error_nothing_written(tmp_path: Path) -> None:
    found, message = _bad(tmp_path, [["Họ tên", "Địa chỉ", "Ghi chú"], ["A", "B", "C"]])
    assert found == [("table_header_missing", "bảng 1")]
    found, _ = _bad(tmp_path, [["Nội dung", "Điểm tối đa", "Ghi chú"], ["Kế hoạch", "1", ""]])
    assert found == [("table_code_column_missing", "bảng 1, dòng 1")]
    rows = [
        HEAD,
        ["1", "Kế hoạch", "1", ""],
        ["1.2.1", "Ban hành", "1", "Đạt: 1 điểm; không đạt: 0 điểm"],
    ]
    found, message = _bad(tmp_path, rows)
    assert found == [("code_not_nested", "bảng 1, dòng 3")]
    assert message == "mã '1.2.1' không nằm dưới mục nào: chưa có mục '1.2' ở trên"


def test_cli_import_writes_the_draft_then_check_passes(tmp_path: Path) -> None:
    table = write_xlsx(tmp_path / "phu-luc.xlsx")
    out = tmp_path / "so-hb-2025.yaml"
    runner = CliRunner()
    result = runner.invoke(
        main, ["criteria", "import", str(table), "--id", "so-hb", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "[CẢNH BÁO rule_missing]" in result.output and "Phụ lục!A25" in result.output
    assert f"Đã ghi bản nháp {out}" in result.output
    check = runner.invoke(main, ["criteria", "check", str(out)])
    assert check.exit_code == 0, check.output
    bad = runner.invoke(main, ["criteria", "import", str(table), "--out", str(tmp_path / "x.yaml")])
    assert bad.exit_code == 2 and "--id" in bad.output
    assert not (tmp_path / "x.yaml").exists()


def test_workbook_totals_row_checked(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["TT", "Tên lĩnh vực, tiêu chí", "Điểm tối đa"])
    sheet.append(["1", "Kế hoạch", 1])
    sheet.append([1.1, "Ban hành", 1])
    sheet.append([None, "Đạt: 1"])
    sheet.append([None, "Không đạt: 0"])
    sheet.append(["Tổng cộng", None, 2])
    path = tmp_path / "tong.xlsx"
    book.save(path)
    draft = read_draft(path, {"id": "xa", "year": 2025})
    assert [(i.code, i.cell) for i in draft.issues if i.code != "bands_missing"] == [
        ("table_total_differs", "A6")
    ]
    assert draft.loaded is not None and draft.loaded.set is not None
    item = draft.loaded.set.find("1.1")
    assert item is not None and _rule(item) == {"kind": "yes_no"}


def test_document_without_tables_and_hostile_documents(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("BỘ TIÊU CHÍ NĂM 2025")
    doc.save(str(tmp_path / "rong.docx"))
    assert [i.code for i in read_draft(tmp_path / "rong.docx", {"id": "x"}).issues] == [
        "table_header_missing"
    ]
    laughs = tmp_path / "cuoi.docx"
    with zipfile.ZipFile(laughs, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><x/>'
        )
    [issue] = read_draft(laughs, {"id": "x"}).issues
    assert issue.code == "file_unreadable" and "DOCTYPE" in issue.message
    renamed = tmp_path / "so.docx"
    write_xlsx(tmp_path / "so.xlsx").rename(renamed)
    [issue] = read_draft(renamed, {"id": "x"}).issues
    assert issue.code == "file_unreadable" and "sổ tính Excel (.xlsx)" in issue.message


def test_summary_table_of_domains_merges_with_the_detail(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("BỘ TIÊU CHÍ CẤP XÃ NĂM 2025")
    summary = [["STT", "Lĩnh vực", "Điểm tối đa"], ["I", "Công tác chỉ đạo", "1"]]
    detail = [
        HEAD,
        ["I", "CÔNG TÁC CHỈ ĐẠO", "", ""],
        ["1", "Kế hoạch", "1", "Đạt: 1 điểm; không đạt: 0 điểm"],
    ]
    for rows in (summary, detail):
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                table.cell(r, c).text = text
    doc.save(str(tmp_path / "hai-bang.docx"))
    draft = read_draft(tmp_path / "hai-bang.docx", {"id": "xa"})
    assert draft.loaded is not None and draft.loaded.set is not None, draft.issues
    criteria = draft.loaded.set
    assert [(i.code, i.title, i.max) for i, _ in criteria.walk()] == [
        ("1", "Công tác chỉ đạo", D(1)),
        ("1.1", "Kế hoạch", D(1)),
    ]


def test_heading_in_capitals_keeps_its_acronyms() -> None:
    facts = heading_facts(
        [
            "UBND TỈNH X",
            "BỘ TIÊU CHÍ CHỈ SỐ CCHC CỦA UBND CẤP XÃ NĂM 2024",
            "(Kèm theo Quyết định số 5/QĐ-UBND)",
        ]
    )
    assert facts == {
        "title": "Bộ tiêu chí chỉ số CCHC của UBND cấp xã năm 2024",
        "level": "xa",
        "year": 2024,
        "issued_by": "Quyết định số 5/QĐ-UBND",
    }


def test_the_demo_annex_imports(tmp_path: Path) -> None:
    annex, imported = import_annex(tmp_path)
    assert imported.ok and annex.is_file()
    assert [(i.code, i.item) for i in imported.issues] == [
        ("rule_missing", "2.2"),
        ("bands_missing", None),
    ]
    loaded = load_file(imported.draft)
    assert loaded.set is not None
    s = loaded.set
    assert (s.id, s.year, s.level, s.scale) == ("xa-bk", 2025, "xa", D(6))
    rules = {leaf.code: (leaf.max, (_rule(leaf) or {})["kind"]) for leaf in s.leaves()}
    assert rules == {
        "1.1.1": (D(1), "choice"),
        "1.1.2": (D(2), "tiers"),
        "1.2": (D(1), "yes_no"),
        "2.1": (D(1), "tiers"),
        "2.2": (D(1), "manual"),
    }


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_crafted_documents_are_refused(tmp_path: Path) -> None:
    members = {"word/document.xml": b"<w:document/>", "a.bin": bytes(8 * 2**20)}
    path = hostile.zipped(tmp_path / "doc.docx", members)
    [issue] = read_draft(path, {"id": "x"}).issues
    assert issue.code == "file_unreadable" and "bom nén" in issue.message
    rows = "<w:tr><w:tc><w:p/></w:tc></w:tr>" * 11
    body = f"<w:document {W}><w:body><w:tbl>{rows}</w:tbl></w:body></w:document>".encode()
    limits = Limits(file_bytes=2**20, unpacked_bytes=2**20, rows=10, cells=100)
    with pytest.raises(Refused, match="vượt giới hạn 10 dòng"):
        parse_body(io.BytesIO(body), limits)
    assert len(parse_body(io.BytesIO(body)).tables[0].rows) == 11  # within the default limits


def _published_fields(criteria: CriteriaSet) -> list[tuple[Any, ...]]:
    """What a published table carries of each item (not doc types, keys, crosswalk)."""
    return [
        (
            i.code,
            i.title,
            i.max if i.is_leaf else None,
            _rule(i),
            i.method,
            i.type,
            i.cap,
            i.na,
            i.owner,
            i.support,
            (i.evidence.text, i.evidence.required) if i.evidence else None,
        )
        for i, _ in criteria.walk()
    ]


BUNDLED = [e.loaded.set for e in scan() if e.loaded.set is not None]


@pytest.mark.parametrize("criteria", BUNDLED, ids=[f"{s.id}-{s.year}" for s in BUNDLED])
def test_bundled_sets_published_in_word_import_back(criteria: CriteriaSet, tmp_path: Path) -> None:
    path = export_docx(criteria, tmp_path / "bo.docx")
    draft = read_draft(path, {"id": criteria.id, "year": criteria.year})
    assert draft.loaded is not None and draft.loaded.set is not None, draft.issues
    back = draft.loaded.set
    # The level is read from the title's words; SIPAS's title names none.
    level = {"cchc-so": "so", "cchc-xa": "xa", "par-tinh": "tinh", "sipas": ""}[criteria.id]
    assert (back.level, back.issued_by) == (level, criteria.issued_by)
    assert fold(back.title) == fold(criteria.title)
    assert _published_fields(back) == _published_fields(criteria)


def test_cli_import_json_equals_the_library(tmp_path: Path) -> None:
    table = write_docx(tmp_path / "phu-luc.docx")
    out = tmp_path / "a.yaml"
    result = CliRunner().invoke(
        main, ["criteria", "import", str(table), "--id", "so-hb", "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == import_criteria(table, out, {"id": "so-hb"}).to_json()


def test_an_option_starting_with_tong_is_not_a_totals_row(tmp_path: Path) -> None:
    rows = [HEAD, ["1", "Kế hoạch", "2", ""], ["1.1", "Thực hiện", "2", ""]]
    rows += [
        ["", "Tổng số nhiệm vụ hoàn thành từ 90% trở lên: 2", "", ""],
        ["", "Dưới 90%: 0", "", ""],
    ]
    rows += [["", "Cộng", "2", ""]]
    draft = read_draft(_docx_table(tmp_path / "t.docx", rows), {"id": "xa", "year": 2025})
    assert draft.loaded is not None and draft.loaded.set is not None, draft.issues
    item = draft.loaded.set.find("1.1")
    assert item is not None and _rule(item) == {
        "kind": "tiers",
        "measure": {"percent": "Thực hiện"},
        "tiers": [{"from": D(90), "points": D(2)}, {"below": D(90), "points": D(0)}],
    }
    assert [i.code for i in draft.issues] == ["bands_missing"]


def test_a_domain_row_in_one_cell_across_code_and_title(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("BỘ TIÊU CHÍ CẤP XÃ NĂM 2025")
    rows = [HEAD, ["I. CÔNG TÁC CHỈ ĐẠO", "", "", ""], ["1", "Kế hoạch", "1", ""]]
    rows += [["", "Có: 1 điểm", "", ""], ["", "Không: 0 điểm", "", ""]]
    table = doc.add_table(rows=len(rows), cols=4)
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            if text:
                table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(1, 1))
    doc.save(str(tmp_path / "gop.docx"))
    draft = read_draft(tmp_path / "gop.docx", {"id": "xa"})
    assert draft.loaded is not None and draft.loaded.set is not None, draft.issues
    assert [(i.code, i.title, _rule(i)) for i, _ in draft.loaded.set.walk()] == [
        ("1", "CÔNG TÁC CHỈ ĐẠO", None),
        ("1.1", "Kế hoạch", {"kind": "yes_no"}),
    ]


@pytest.mark.parametrize(
    "top",
    [
        ["TT", "Nội dung", "Điểm", "Điểm", "Ghi chú"],  # Word: the merged cell in each column
        ["TT", "Nội dung", "Điểm", "", "Ghi chú"],  # a sheet: the merged cell in its first
    ],
)
def test_a_merged_points_header_over_two_columns(top: list[str]) -> None:
    rows = [top, ["", "", "Tối đa", "Đạt được", ""], ["1", "Kế hoạch", "1", "0,5", ""]]
    header = find_header(rows)
    assert header is not None
    assert (header.columns, header.body) == ({"code": 0, "title": 1, "max": 2}, 2)
