"""A province's published table with its header over two rows (merged cells), as real ones are.

Row 1: `STT | Đơn vị | Điểm đạt được theo lĩnh vực (merged across) | Tổng điểm | Chỉ số (%) |
Xếp hạng`, each merged down but the domains'; row 2 names the domains; a row of column numbers
may follow. The mini set (tests/data/sets/mini-2024.yaml): domains 1, 2, 3 of maxima 8, 7, 5
(20 in all); bands Tốt ≥ 80, Khá ≥ 65, Trung bình ≥ 50, Yếu; xã and phường ranked apart.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cchc.criteria.model import CriteriaSet
from cchc.inputs.official import read_official
from tests.office import SOFFICE, convert
from tests.scoring.test_official import build, standing

D = Decimal
TITLE = "KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024 CỦA CÁC XÃ, PHƯỜNG"
TOP: list[Any] = ["STT", "Đơn vị", "Điểm đạt được theo lĩnh vực", None, None]
TOP += ["Tổng điểm", "Chỉ số (%)", "Xếp hạng"]
MERGED = ["A3:A4", "B3:B4", "C3:E3", "F3:F4", "G3:G4", "H3:H4"]
"""Row 1's cells merged down over row 2, and the domains' title merged across."""
UNITS: list[list[Any]] = [
    # 6.125 + 5.25 + 3.75 = 15.125 of 20 → 75.625 → 75.63 half-up, Khá; second of the xã
    [1, "Xã Tân Lập", 6.125, 5.25, 3.75, 15.125, 75.63, 2],
    # 7.75 + 6.5 + 4.25 = 18.5 → 92.50, Tốt; first of the xã
    [2, "Xã Bình An", 7.75, 6.5, 4.25, 18.5, 92.5, 1],
    # 5 + 4.5 + 3 = 12.5 → 62.50, Trung bình; first (and only) of the phường
    [3, "Phường Đông Hà", 5, 4.5, 3, 12.5, 62.5, 1],
    [None, "Tổng cộng", 18.875, 16.25, 11, 46.125, None, None],  # the table's own row
]
DOMAIN_LABELS = {
    "lĩnh vực": ["Lĩnh vực 1", "Lĩnh vực 2", "Lĩnh vực 3"],
    "lv": ["LV1", "LV2", "LV3"],
    "numbered titles": [
        "1. Công tác chỉ đạo, điều hành CCHC",
        "2. Cải cách thủ tục hành chính",
        "3. Điều tra xã hội học",
    ],
    "titles": [
        "Công tác chỉ đạo, điều hành CCHC",
        "Cải cách thủ tục hành chính",
        "Điều tra xã hội học",
    ],
}
NUMBERS = {
    "no numbering": None,
    "(1) (2) …": [f"({n})" for n in range(1, 9)],
    "1 2 …": list(range(1, 9)),
}


def published(
    path: Path,
    header: list[list[Any]],
    numbering: list[Any] | None = None,
    merged: list[str] = MERGED,
    units: list[list[Any]] = UNITS,
) -> Path:
    """The table as a province lays it out: a title block, the header rows with real merged
    cells, a numbering row where given, the units."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Kết quả"
    ws.append([TITLE])
    ws.merge_cells("A1:H1")
    ws.append([])
    for row in header:
        ws.append(row)
    for cells in merged:
        ws.merge_cells(cells)
    if numbering is not None:
        ws.append(numbering)
    for row in units:
        ws.append(row)
    wb.save(path)
    return path


def two_rows(labels: list[str]) -> list[list[Any]]:
    """TOP over the domains' labels (in C4:E4, under the title merged across C3:E3)."""
    return [TOP, [None, None, *labels]]


def assert_three_units(path: Path, mini: CriteriaSet) -> None:
    result = build(path, mini)  # asserts that reading reported nothing
    assert standing(result, "X01") == (D("75.63"), "Khá", 2)
    assert standing(result, "X02") == (D("92.50"), "Tốt", 1)
    assert standing(result, "P02") == (D("62.50"), "Trung bình", 1)
    x01 = result.run.unit("X01")
    assert x01 is not None
    nodes = x01.totals.nodes
    assert [(nodes[d].points, nodes[d].max) for d in "123"] == [
        (D("6.125"), D(8)),
        (D("5.25"), D(7)),
        (D("3.75"), D(5)),
    ]
    assert x01.totals.points == D("15.125")
    assert result.issues == []
    assert result.points == 9  # three domains of three units


@pytest.mark.parametrize("numbering", NUMBERS.values(), ids=["none", "bracketed", "plain"])
@pytest.mark.parametrize(
    "labels", DOMAIN_LABELS.values(), ids=["linh-vuc", "lv", "numbered-titles", "titles"]
)
def test_a_header_over_two_merged_rows_gives_each_units_index_band_and_rank(
    mini: CriteriaSet, tmp_path: Path, labels: list[str], numbering: list[Any] | None
) -> None:
    assert_three_units(published(tmp_path / "cong-bo.xlsx", two_rows(labels), numbering), mini)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_two_row_header_saved_by_libreoffice(mini: CriteriaSet, tmp_path: Path) -> None:
    """The table opened and saved by LibreOffice (merged cells as it writes them) reads the same."""
    source = published(
        tmp_path / "cong-bo.xlsx", two_rows(DOMAIN_LABELS["lv"]), NUMBERS["(1) (2) …"]
    )
    saved = convert(source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    book = openpyxl.load_workbook(saved)
    merged = sorted(str(r) for r in book["Kết quả"].merged_cells.ranges)
    book.close()
    assert merged == sorted(["A1:H1", *MERGED])  # LibreOffice kept the merged cells
    assert_three_units(saved, mini)


def test_a_one_row_header_with_a_numbering_row_under_it(mini: CriteriaSet, tmp_path: Path) -> None:
    """The numbering row is skipped under a header of one row too (it is no unit's)."""
    head = ["STT", "Đơn vị", "LV1", "LV2", "LV3", "Tổng điểm", "Chỉ số (%)", "Xếp hạng"]
    assert_three_units(published(tmp_path / "mot-dong.xlsx", [head], NUMBERS["1 2 …"], []), mini)


def test_the_same_domain_twice_in_a_two_row_header_is_refused(
    mini: CriteriaSet, tmp_path: Path
) -> None:
    """Self-assessed and appraised points side by side, both over 'LV1 LV2 LV3': which ones the
    result is cannot be told, so nothing is read."""
    top: list[Any] = ["STT", "Đơn vị", "Điểm tự đánh giá", None, None, "Điểm thẩm định"]
    top += [None, None, "Chỉ số (%)"]
    merged = ["A3:A4", "B3:B4", "C3:E3", "F3:H3", "I3:I4"]
    units = [[1, "Xã Tân Lập", 7, 6, 4, 6.125, 5.25, 3.75, 75.63]]
    second = [None, None, *["LV1", "LV2", "LV3"] * 2]
    path = published(tmp_path / "hai-nhom.xlsx", [top, second], None, merged, units)
    rows, issues = read_official(path)
    assert rows == []
    assert [(i.code, i.severity, i.sheet, i.cell) for i in issues] == [
        ("official_column_duplicate", "error", "Kết quả", "F4"),
        ("official_column_duplicate", "error", "Kết quả", "G4"),
        ("official_column_duplicate", "error", "Kết quả", "H4"),
    ]
    assert issues[0].message == (
        "bảng có hai cột 'LV1' (C4, F4): không biết cột nào là kết quả chính thức; xóa cột thừa "
        "hoặc đổi tên cột"
    )


def test_a_two_row_header_without_a_unit_column_is_refused(tmp_path: Path) -> None:
    """No column names the unit, over either row: no results table is found, as before."""
    top: list[Any] = ["STT", "Điểm đạt được theo lĩnh vực", None, None, "Tổng điểm", "Chỉ số (%)"]
    merged = ["A3:A4", "B3:D3", "E3:E4", "F3:F4"]
    units = [[1, 6.125, 5.25, 3.75, 15.125, 75.63]]
    second = [None, "Lĩnh vực 1", "Lĩnh vực 2", "Lĩnh vực 3"]
    path = published(tmp_path / "khong-don-vi.xlsx", [top, second], None, merged, units)
    rows, issues = read_official(path)
    assert rows == []
    assert [(i.code, i.message) for i in issues] == [
        (
            "official_empty",
            "không tìm thấy bảng kết quả: cần cột Mã đơn vị (hoặc Đơn vị) với các cột điểm, "
            "Tổng điểm, Chỉ số, Xếp hạng; hoặc các cột Mã đơn vị, Mã, Điểm đạt",
        )
    ]
