"""Criteria tables: export to Excel and Word, import back, import tables as published."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from cchc.criteria.dump import dump_yaml, with_inner_max
from cchc.criteria.export import export_docx, export_xlsx
from cchc.criteria.loader import load_text
from cchc.criteria.model import CriteriaSet
from cchc.criteria.registry import scan
from cchc.criteria.table_import import import_table

BUNDLED = [e.loaded.set for e in scan() if e.loaded.set is not None]


def roundtrip(criteria: CriteriaSet, tmp_path: Path) -> CriteriaSet:
    xlsx = export_xlsx(criteria, tmp_path / "bang.xlsx")
    loaded = import_table(xlsx)
    assert loaded.ok, loaded.issues
    assert loaded.set is not None
    return loaded.set


def test_mini_roundtrip(mini: CriteriaSet, tmp_path: Path) -> None:
    assert roundtrip(mini, tmp_path) == with_inner_max(mini)


@pytest.mark.parametrize("criteria", BUNDLED, ids=[f"{s.id}-{s.year}" for s in BUNDLED])
def test_bundled_import_export_import(criteria: CriteriaSet, tmp_path: Path) -> None:
    first = roundtrip(criteria, tmp_path / "a")
    assert first == with_inner_max(criteria)
    assert roundtrip(first, tmp_path / "b") == first


def test_yaml_dump_loads_back_equal(mini: CriteriaSet) -> None:
    loaded = load_text(dump_yaml(mini))
    assert loaded.ok and loaded.set == mini


def test_export_xlsx_is_a_publishable_table(mini: CriteriaSet, tmp_path: Path) -> None:
    wb = load_workbook(export_xlsx(mini, tmp_path / "mini.xlsx"))
    ws = wb["Bộ tiêu chí"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = rows.index(["Mã", "Nội dung", "Điểm tối đa", "Cách chấm", *rows[3][4:]])
    assert rows[header + 1][:3] == ["1", "Công tác chỉ đạo, điều hành CCHC", "8"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == f"${header + 1}:${header + 1}"
    assert ws.column_dimensions["K"].hidden  # the round-trip columns stay out of print
    info = {str(r[0]): r[1] for r in wb["Thông tin"].iter_rows(values_only=True)}
    assert info["Mã bộ tiêu chí"] == "mini"


def test_export_docx_table(mini: CriteriaSet, tmp_path: Path) -> None:
    doc = Document(str(export_docx(mini, tmp_path / "mini.docx")))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:4] == [
        "Mã",
        "Nội dung",
        "Điểm tối đa",
        "Cách chấm",
    ]
    assert len(table.rows) == 1 + len(list(mini.walk()))
    assert table.rows[3].cells[3].text.startswith("Chọn một:")
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert section.page_width > section.page_height


def test_import_a_published_provincial_table(tmp_path: Path) -> None:
    """A table typed by hand: STT column, numeric codes, decimal commas, free-text rules."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CẤP XÃ"])
    ws.append([])
    ws.append(["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cách chấm điểm"])
    ws.append([1, "Công tác chỉ đạo, điều hành CCHC", 3, None])
    ws.append(
        [
            1.1,
            "Ban hành kế hoạch CCHC năm",
            1,
            "Ban hành kịp thời: 1 điểm; Ban hành không kịp thời: 0,5 điểm; Không ban hành: 0 điểm",
        ]
    )
    ws.append(
        [
            1.2,
            "Mức độ thực hiện kế hoạch",
            "2",
            "Tỷ lệ: Số nhiệm vụ hoàn thành / Tổng số "
            "nhiệm vụ\n- Trên 90%: 2 điểm\n- Từ 70% đến 90%: 1 điểm\n- Dưới 70%: 0 điểm",
        ]
    )
    ws.append([2, "Cải cách TTHC", 2, None])
    ws.append(["2.1", "Công khai TTHC", "1,5", "Đạt: 1,5 điểm; không đạt: 0 điểm"])
    ws.append(["2.2", "Chất lượng giải quyết TTHC", "0,5", "Căn cứ kết quả kiểm tra thực tế"])
    path = tmp_path / "bang-tinh.xlsx"
    wb.save(path)
    loaded = import_table(
        path, {"id": "xa-tinh", "year": 2024, "bands": [{"label": "Đạt", "min": 0}]}
    )
    assert [(i.code, i.cell, i.item) for i in loaded.issues] == [
        ("rule_not_understood", "D9", "2.2")
    ]
    assert loaded.set is not None
    s = loaded.set
    assert (s.id, s.year, s.scale) == ("xa-tinh", 2024, Decimal(5))
    plan = s.find("1.2")
    assert plan is not None and plan.rule is not None and plan.rule.kind == "tiers"
    assert [t.value for t in plan.rule.tiers] == [Decimal(2), Decimal(1), Decimal(0)]
    commune = s.find("2.1")
    assert commune is not None and commune.max == Decimal("1.5")
    assert commune.rule is not None and commune.rule.kind == "yes_no"
    manual = s.find("2.2")
    assert manual is not None and manual.rule is not None and manual.rule.kind == "manual"


def test_import_rejects_a_file_without_the_columns(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Họ tên", "Địa chỉ"])
    path = tmp_path / "khac.xlsx"
    wb.save(path)
    assert [i.code for i in import_table(path).issues] == ["table_header_missing"]
    junk = tmp_path / "hong.xlsx"
    junk.write_bytes(b"not a workbook")
    assert [i.code for i in import_table(junk).issues] == ["file_unreadable"]
