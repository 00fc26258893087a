"""Official results read and made a year of their own, with values worked by hand.

The mini set (tests/data/sets/mini-2024.yaml): domain 1 max 8 (1.1.1 = 1, 1.1.2 = 1, 1.1.4 = 2,
1.2.1 = 1, 1.2.2 = 1.5, 1.2.3 = 1.5), domain 2 max 7 for both groups (xã: 2.1 = 3, 2.2 = 1,
2.3 = 1, 2.4 = 2; phường: 2.1 = 3, 2.2 = 1, 2.4 = 3), domain 3 (survey) max 5 (3.1 = 3,
3.2 = 2), bonus T capped at 1, penalty P capped at 2. Bands: Tốt ≥ 80, Khá ≥ 65, Trung bình
≥ 50, Yếu. Index = (points + bonus − penalty) / max × 100, half-up once to 2 decimals.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cchc.criteria.model import CriteriaSet
from cchc.inputs.official import read_official
from cchc.scoring.official import OfficialBuild, build_official
from cchc.units.model import Unit
from tests.office import SOFFICE, convert

D = Decimal
UNITS = [
    Unit(code="X01", name="UBND xã Tân Lập", group="xa", set="mini"),
    Unit(code="X02", name="UBND xã Bình An", group="xa", set="mini"),
    Unit(code="P02", name="UBND phường Đông Hà", group="phuong", set="mini"),
]


def book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def build(path: Path, mini: CriteriaSet, units: list[Unit] = UNITS) -> OfficialBuild:
    rows, issues = read_official(path)
    assert issues == []
    return build_official(2024, rows, units, lambda ref, year: mini, None, path)


def standing(result: OfficialBuild, code: str) -> tuple[Decimal | None, str | None, int | None]:
    score = result.run.unit(code)
    assert score is not None
    return score.totals.index, score.totals.band, score.totals.rank


# A province's table: one row per unit, domain points with three and four decimals, the total,
# the index and the rank it published, under a title block.
PROVINCE: list[list[Any]] = [
    ["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
    ["(Kèm theo Quyết định số 12/QĐ-UBND)"],
    [],
    ["STT", "Đơn vị", "Lĩnh vực 1", "Lĩnh vực 2", "Lĩnh vực 3", "Tổng điểm", "Chỉ số", "Xếp hạng"],
    # 6.125 + 5.375 + 4.1255 = 15.6255 of 20 → 78.1275 → 78.13 (rounding the points first would
    # give 15.63 → 78.15), Khá; second of the two xã
    [1, "Xã Tân Lập", 6.125, 5.375, 4.1255, 15.6255, "78,13", 2],
    # 7.5 + 6.25 + 4.499 = 18.249 → 91.245 → 91.25 half-up (91.24 half-even): the province
    # published 91.24, kept and flagged; Tốt, first
    [2, "xã Bình An", 7.5, 6.25, 4.499, 18.249, 91.24, 1],
    # phường: 8 + 7 + 1.001 = 16.001 → 80.005 → 80.01, Tốt (80.00 would still be Tốt); its own
    # group, first; the province ranked it 2: kept and flagged
    [3, "Phường Đông Hà", 8, 7, 1.001, 16.001, 80.01, 2],
    [None, "Bình quân", 7.2083, 6.2083, 3.2085, 16.625, 83.13, None],  # the table's own row
]


def test_a_province_table_gives_index_band_and_rank_from_its_points(
    mini: CriteriaSet, tmp_path: Path
) -> None:
    result = build(book(tmp_path / "bang.xlsx", {"Kết quả": PROVINCE}), mini)
    assert standing(result, "X01") == (D("78.13"), "Khá", 2)
    assert standing(result, "X02") == (D("91.24"), "Tốt", 1)  # as published
    assert standing(result, "P02") == (D("80.01"), "Tốt", 2)  # as published
    x01 = result.run.unit("X01")
    assert x01 is not None
    nodes = x01.totals.nodes
    assert (nodes["1"].points, nodes["1"].max, nodes["1"].index) == (D("6.125"), D(8), D("76.56"))
    assert (nodes["3"].points, nodes["3"].index) == (D("4.1255"), D("82.51"))  # 82.51
    assert x01.leaves == {}  # domain points only: no leaf to claim
    by_code = {(i.code, i.cell): i for i in result.issues}
    assert set(by_code) == {("official_index_differs", "G6"), ("official_rank_differs", "H7")}
    index = by_code[("official_index_differs", "G6")]
    assert (index.severity, index.sheet, index.file) == (
        "warning",
        "Kết quả",
        str(tmp_path / "bang.xlsx"),
    )
    assert "91,24" in index.message and "91,25" in index.message
    assert "giữ chỉ số đã công bố" in index.message
    assert (
        "hạng đã công bố 2 của đơn vị P02 khác hạng theo chỉ số 1"
        in by_code[("official_rank_differs", "H7")].message
    )
    assert result.points == 9
    assert result.run.result == "official" and result.run.source == "bang.xlsx"


def test_a_published_band_and_total_are_kept_and_a_difference_flagged(
    mini: CriteriaSet, tmp_path: Path
) -> None:
    head = ["Mã đơn vị", "1", "2", "3", "Điểm thưởng", "Tổng điểm", "Chỉ số", "Xếp loại"]
    rows: list[list[Any]] = [head]
    # 6 + 5 + 4 = 15 of 20, + 0.5 bonus = 15.5 → 77.50, Khá; published "Khá", total 15.5
    rows.append(["X01", 6, 5, 4, 0.5, 15.5, 77.5, "Khá"])
    # 7 + 6 + 3.5 = 16.5 → 82.50, Tốt; the province wrote Khá and a total of 16 (both kept,
    # both flagged)
    rows.append(["X02", 7, 6, 3.5, 0, 16, 82.5, "khá"])
    result = build(book(tmp_path / "xl.xlsx", {"XL": rows}), mini, UNITS[:2])
    assert standing(result, "X01") == (D("77.50"), "Khá", 2)
    assert standing(result, "X02") == (D("82.50"), "khá", 1)
    assert [(i.code, i.cell) for i in result.issues] == [
        ("official_total_differs", "F3"),
        ("official_band_differs", "H3"),
    ]
    assert result.issues[1].message == (
        "xếp loại đã công bố 'khá' của đơn vị X02 khác xếp loại theo chỉ số 82,50: 'Tốt'; giữ "
        "xếp loại đã công bố"
    )
    x01 = result.run.unit("X01")
    assert x01 is not None and x01.totals.bonus == D("0.5")


def test_a_long_table_of_leaves_and_nodes_with_a_not_applicable_item(
    mini: CriteriaSet, tmp_path: Path
) -> None:
    rows: list[list[Any]] = [["Mã đơn vị", "Mã", "Điểm đạt"]]
    rows += [["X01", c, p] for c, p in (("1.1.1", 1), ("1.1.2", 1), ("1.1.4", 2))]
    rows += [["X01", "1.2.1", 0.5], ["X01", "1.2.2", "0,75"], ["X01", "1.2.3", "không áp dụng"]]
    rows += [["X01", "2", 6.5], ["X01", "3.1", 2.4], ["X01", "3.2", 1.5]]
    rows += [["X01", "T.1", 1], ["X01", "P.1", 0.5]]
    result = build(book(tmp_path / "dai.xlsx", {"Điểm": rows}), mini, UNITS[:1])
    # domain 1: 1 + 1 + 2 + 0.5 + 0.75 = 5.25 of 8 − 1.5 (1.2.3 not applicable) = 6.5;
    # domain 2 as a node: 6.5 of 7; domain 3: 3.9 of 5 → 15.65 of 18.5, + 1 bonus − 0.5 penalty
    # = 16.15 → 87.2972… → 87.30, Tốt, first
    assert standing(result, "X01") == (D("87.30"), "Tốt", 1)
    x01 = result.run.unit("X01")
    assert x01 is not None
    t = x01.totals
    assert (t.points, t.max, t.bonus, t.penalty) == (D("15.65"), D("18.5"), D(1), D("0.5"))
    assert (t.nodes["1"].points, t.nodes["1"].max, t.nodes["1"].index) == (
        D("5.25"),
        D("6.5"),
        D("80.77"),
    )
    assert x01.leaves["1.2.3"].excluded and "2" not in x01.leaves
    assert x01.leaves["3.1"].layers == {"survey": D("2.4")}
    assert x01.leaves["1.2.2"].layers == {"appraisal_2": D("0.75")}
    assert result.issues == []
    assert "1.2.3" not in result.values["X01"] and result.values["X01"]["2"] == D("6.5")


def test_every_row_that_cannot_be_used_is_reported_where_it_is(
    mini: CriteriaSet, tmp_path: Path
) -> None:
    rows: list[list[Any]] = [["Mã đơn vị", "Mã", "Điểm"]]
    rows += [["X01", "1", 8], ["X01", "2", 7], ["X01", "3", 5]]  # row 2-4: fine
    rows += [["X01", "9.9", 1]]  # row 5: no such item
    rows += [["X09", "1", 1]]  # row 6: no such unit
    rows += [["X02", "1", 8.5]]  # row 7: above domain 1's 8
    rows += [["X02", "2", "bảy"]]  # row 8: not a number
    rows += [["X02", "3", 4], ["X01", "1", 7]]  # row 10: X01's domain 1 twice, differently
    rows += [["P02", "2.3", 1]]  # row 11: 2.3 is for xã only
    rows += [[None, "1", 3]]  # row 12: no unit
    path = book(tmp_path / "loi.xlsx", {"Điểm": rows})
    read, problems = read_official(path)
    assert [(i.code, i.cell, i.item, i.message) for i in problems] == [
        ("official_unit_missing", "A12", "1", "dòng có điểm của mục 1 nhưng không có đơn vị")
    ]
    result = build_official(2024, read, UNITS, lambda ref, year: mini, None, path)
    found = [(i.code, i.severity, i.sheet, i.cell, i.item) for i in result.issues]
    assert found == [
        ("official_unit_unknown", "error", "Điểm", "A6", None),
        ("official_duplicate", "error", "Điểm", "C10", "1"),
        ("official_item_unknown", "error", "Điểm", "C5", "9.9"),
        ("official_out_of_range", "error", "Điểm", "C7", "1"),
        ("official_invalid", "error", "Điểm", "C8", "2"),
        ("official_missing", "error", "Điểm", "A7", "1, 2"),
        ("official_not_applicable", "error", "Điểm", "C11", "2.3"),
        ("official_missing", "error", "Điểm", "A11", "1, 2, 3"),
    ]
    messages = [i.message for i in result.issues]
    assert messages[0] == "đơn vị 'X09' không có trong danh sách đơn vị"
    assert messages[1] == "mục 1 của đơn vị X01 có hai điểm khác nhau: 8 (Điểm!C2) và 7"
    assert messages[2] == "mục '9.9' của đơn vị X01 không có trong bộ tiêu chí"
    assert messages[3] == "điểm 8,5 của đơn vị X02 ngoài khoảng 0 – 8"
    assert messages[4] == "điểm 'bảy' của đơn vị X02 không phải là số"
    assert messages[5] == "thiếu điểm của đơn vị X02: cần điểm của lĩnh vực hoặc của mọi mục con"
    assert all(i.file == str(path) for i in result.issues)
    assert result.run.units == []  # no unit survives an error of its own


def test_a_node_given_with_its_items_is_checked_against_their_sum(
    mini: CriteriaSet, tmp_path: Path
) -> None:
    rows: list[list[Any]] = [["Mã đơn vị", "Mã", "Điểm"]]
    rows += [["X01", "1", 6], ["X01", "1.1", 4], ["X01", "1.1.1", 1], ["X01", "1.2", 2]]
    rows += [["X01", "2", 7], ["X01", "3", 5]]
    result = build(book(tmp_path / "tong.xlsx", {"Điểm": rows}), mini, UNITS[:1])
    # 1.1 is given with only one of its leaves: 1.1 is used, the leaf said; 1 = 4 + 2 = 6
    # → 18 of 20 = 90.00
    assert standing(result, "X01") == (D("90.00"), "Tốt", 1)
    assert [(i.code, i.cell) for i in result.issues] == [("official_partial", "C3")]
    rows[1] = ["X01", "1", 6.5]
    result = build(book(tmp_path / "tong.xlsx", {"Điểm": rows}), mini, UNITS[:1])
    assert standing(result, "X01") == (D("90.00"), "Tốt", 1)  # the items' sum, 6, is used
    assert [i.code for i in result.issues] == ["official_partial", "official_sum_differs"]
    assert "điểm 6,5 của 1 (đơn vị X01) khác tổng điểm các mục con 6" in result.issues[1].message


def test_a_csv_table_with_semicolons_and_decimal_commas(mini: CriteriaSet, tmp_path: Path) -> None:
    path = tmp_path / "bang.csv"
    text = "Mã đơn vị;Lĩnh vực 1;Lĩnh vực 2;Lĩnh vực 3;Chỉ số\nX01;6,125;5,375;4,1255;78,13\n"
    path.write_text(text, encoding="utf-8")
    result = build(path, mini, UNITS[:1])
    assert standing(result, "X01") == (D("78.13"), "Khá", 1)  # 15.6255 of 20, as above
    assert result.issues == []
    path.write_bytes(b"M\xe3 \xf0\xf4n v\xec;M\xe3;\xd0i\xeam\nX01;1;6\n")  # a legacy code page
    _, issues = read_official(path)
    assert [(i.code, i.message) for i in issues] == [
        ("official_unreadable", "không đọc được bảng kết quả: tệp CSV không phải UTF-8 (byte 1)")
    ]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_province_table_saved_by_libreoffice(mini: CriteriaSet, tmp_path: Path) -> None:
    """The province's table opened and saved by LibreOffice as .ods reads the same."""
    source = book(tmp_path / "cong-bo.xlsx", {"Kết quả": PROVINCE})
    saved = convert(source, "ods", tmp_path / "lo")
    result = build(saved, mini)
    assert standing(result, "X01") == (D("78.13"), "Khá", 2)
    assert standing(result, "X02") == (D("91.24"), "Tốt", 1)
    assert standing(result, "P02") == (D("80.01"), "Tốt", 2)
    x01 = result.run.unit("X01")
    assert x01 is not None and x01.totals.nodes["3"].points == D("4.1255")
    assert sorted(i.code for i in result.issues) == [
        "official_index_differs",
        "official_rank_differs",
    ]


def test_a_table_published_with_four_decimal_points_and_three_decimal_indices(
    tmp_path: Path,
) -> None:
    """The precise set (points 4 decimals, index 3): the province's domain points reproduce its
    published index, band and rank exactly (tests/test_precision.py works the points)."""
    from cchc.criteria.loader import load_file
    from cchc.criteria.registry import require
    from tests.conftest import DATA

    precise = require(load_file(DATA / "sets" / "precise-2024.yaml"))
    units = [
        Unit(code="X001", name="UBND xã Tân Lập", group=None, set="chinh-xac"),
        Unit(code="X002", name="UBND xã Bình An", group=None, set="chinh-xac"),
    ]
    table: list[list[Any]] = [
        ["STT", "Đơn vị", "Lĩnh vực 1", "Lĩnh vực 2", "Tổng điểm", "Chỉ số", "Xếp hạng"],
        # 5.9979 + 3.9967 = 9.9946; 2.000 + 1 = 3; 12.9946 / 14 = 92.81857… → 92.819, Tốt
        [1, "UBND xã Tân Lập", "9,9946", "3,0000", "12,9946", "92,819", 1],
        # 5.9729 + 3.3902 = 9.3631; 2.468 + 1 = 3.468; 12.8311 / 14 = 91.65071… → 91.651, Tốt
        [2, "UBND xã Bình An", "9,3631", "3,4680", "12,8311", "91,651", 2],
    ]
    path = book(tmp_path / "cong-bo.xlsx", {"Kết quả": table})
    rows, issues = read_official(path)
    assert issues == []
    result = build_official(2024, rows, units, lambda ref, year: precise, None, path)
    assert [i for i in result.issues if i.severity == "error"] == []
    assert not [i.code for i in result.issues if i.code.endswith("_differs")]
    assert standing(result, "X001") == (D("92.819"), "Tốt", 1)
    assert standing(result, "X002") == (D("91.651"), "Tốt", 2)
    x002 = result.run.unit("X002")
    assert x002 is not None and x002.totals.nodes["2"].points == D("3.468")
