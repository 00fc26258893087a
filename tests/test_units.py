"""Units registry: YAML and Excel loading, every check, Vietnamese sort order."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pytest
from pydantic import ValidationError

from cchc.core.issues import Issue, Severity
from cchc.core.text import vn_sort_key
from cchc.units.model import Unit, UnitRegistry
from cchc.units.read import load_units, name_key

DATA = Path(__file__).parent / "data" / "units"
GROUPS = {"xa", "phuong"}
Value = str | int | None


def nfd(text: str) -> str:
    """The text in decomposed form (as some keyboards and old files type it)."""
    return unicodedata.normalize("NFD", text)


def where(issues: list[Issue]) -> set[tuple[str, int | None]]:
    """Codes and lines of the issues."""
    return {(i.code, i.line) for i in issues}


def write(tmp_path: Path, text: str, name: str = "don-vi.yaml") -> Path:
    """A UTF-8 file in the test folder."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- Vietnamese order -----------------------------------------------------------------------------


def test_sort_letters_in_vietnamese_order() -> None:
    names = ["Đông Hưng", "Dương Minh", "Anh Sơn", "Ân Thi", "Ấp Bắc", "Bình An"]
    expected = ["Anh Sơn", "Ân Thi", "Ấp Bắc", "Bình An", "Dương Minh", "Đông Hưng"]
    assert sorted(names, key=vn_sort_key) == expected


def test_sort_a_breve_circumflex_and_o_u_variants() -> None:
    # a < ă < â, e < ê, o < ô < ơ, u < ư; code point order would put "Ơ" (U+01A0) after "Ư".
    words = ["ư", "u", "ơ", "ô", "o", "ê", "e", "â", "ă", "a"]
    assert sorted(words, key=vn_sort_key) == ["a", "ă", "â", "e", "ê", "o", "ô", "ơ", "u", "ư"]


def test_sort_tones_after_letters_within_a_syllable() -> None:
    # Dictionary order: letters first, then tone: none, huyền, sắc, hỏi, ngã, nặng.
    words = ["mác", "mạ", "mã", "mả", "má", "mà", "ma", "mai"]
    assert sorted(words, key=vn_sort_key) == ["ma", "mà", "má", "mả", "mã", "mạ", "mác", "mai"]


def test_sort_ignores_unicode_form_and_case() -> None:
    assert vn_sort_key(nfd("Ấp Bắc"))[0] == vn_sort_key("Ấp Bắc")[0]
    assert vn_sort_key("ấp bắc")[0] == vn_sort_key("Ấp Bắc")[0]


def test_sort_numbers_by_value() -> None:
    names = ["Phường 10", "Phường Bến Thành", "Phường 2"]
    assert sorted(names, key=vn_sort_key) == ["Phường 2", "Phường 10", "Phường Bến Thành"]


def test_registry_sorted_by_name() -> None:
    registry = UnitRegistry(
        units=[
            Unit(code="3", name="Xã Đông Hưng"),
            Unit(code="1", name="Xã Dương Minh"),
            Unit(code="2", name="Xã Ấp Bắc"),
        ]
    )
    assert [u.code for u in registry.sorted()] == ["2", "1", "3"]


# --- Model ----------------------------------------------------------------------------------------


def test_unit_text_is_nfc_and_trimmed() -> None:
    unit = Unit(code="  XA-01 ", name=nfd("  Xã   Tân Lập "))
    assert unit.code == "XA-01"
    assert unit.name == "Xã Tân Lập"
    assert unicodedata.is_normalized("NFC", unit.name)


def test_registry_lookup_ignores_case_and_form() -> None:
    registry = UnitRegistry(units=[Unit(code="XÃ-01", name="Xã Tân Lập", group="xa")])
    assert registry.get(nfd("xã-01")) is registry.units[0]
    assert "XÃ-01" in registry
    assert registry.get("XA-01") is None
    assert len(registry) == 1


def test_registry_refuses_duplicate_codes() -> None:
    with pytest.raises(ValidationError, match="trùng"):
        UnitRegistry(units=[Unit(code="A", name="Xã A"), Unit(code="a", name="Xã B")])


# --- YAML -----------------------------------------------------------------------------------------


def test_yaml_list_at_root() -> None:
    registry, issues = load_units(DATA / "don-vi.yaml", groups=GROUPS, sets={"cchc-xa"})
    assert issues == []
    assert registry is not None
    assert registry.codes() == ["XA-01", "PHUONG-01", "XA-02"]
    unit = registry.get("xa-02")
    assert unit == Unit(code="XA-02", name="Xã Ân Thi", group="xa", set="cchc-xa", ranked=False)
    assert [u.code for u in registry.in_group("xa")] == ["XA-01", "XA-02"]
    # Ân Thi < Đông Hưng < Tân Lập (prefix words "Phường"/"Xã" count: P < X).
    assert [u.name for u in registry.sorted()] == [
        "Phường Đông Hưng",
        "Xã Ân Thi",
        "Xã Tân Lập",
    ]


def test_yaml_units_key_and_nfd_text(tmp_path: Path) -> None:
    path = write(tmp_path, f'units:\n  - code: " A1 "\n    name: "{nfd("Xã  Tân Lập")}"\n')
    registry, issues = load_units(path)
    assert issues == []
    assert registry is not None
    assert registry.units == [Unit(code="A1", name="Xã Tân Lập")]


def test_all_problems_reported_together() -> None:
    registry, issues = load_units(DATA / "loi.yaml", groups=GROUPS)
    assert registry is None
    assert where(issues) == {
        ("unit_unknown_group", 9),
        ("unit_duplicate_code", 10),
        ("unit_missing_field", 13),
        ("unit_similar_names", 16),
        ("unit_invalid_value", 21),
    }
    assert len(issues) == 5
    assert all(i.file == str(DATA / "loi.yaml") for i in issues)
    similar = next(i for i in issues if i.code == "unit_similar_names")
    assert similar.severity is Severity.WARNING
    assert "XA-01" in similar.message and "dòng 3" in similar.message
    duplicate = next(i for i in issues if i.code == "unit_duplicate_code")
    assert "dòng 3" in duplicate.message


def test_duplicate_codes(tmp_path: Path) -> None:
    text = (
        "- {code: X1, name: Xã Một}\n"
        "- {code: X2, name: Xã Hai}\n"
        "- {code: X1, name: Xã Ba}\n"
        "- {code: x2, name: Xã Bốn}\n"
    )
    registry, issues = load_units(write(tmp_path, text))
    assert registry is None
    assert where(issues) == {("unit_duplicate_code", 3), ("unit_duplicate_code", 4)}
    assert all(i.severity is Severity.ERROR for i in issues)
    assert "'Xã Một' ở dòng 1" in issues[0].message


def test_missing_code_and_name(tmp_path: Path) -> None:
    text = "- {code: X1}\n- {name: Xã Hai}\n- {code: '', name: '  '}\n- {code: X4, name: Xã Bốn}\n"
    registry, issues = load_units(write(tmp_path, text))
    assert registry is None
    assert sorted((i.code, i.line, i.message) for i in issues) == [
        ("unit_missing_field", 1, "thiếu tên đơn vị"),
        ("unit_missing_field", 2, "thiếu mã đơn vị"),
        ("unit_missing_field", 3, "thiếu mã đơn vị"),
        ("unit_missing_field", 3, "thiếu tên đơn vị"),
    ]


def test_unknown_group_only_checked_when_groups_given(tmp_path: Path) -> None:
    text = "- {code: X1, name: Xã Một, group: xa}\n- {code: H1, name: Huyện Hai, group: huyen}\n"
    path = write(tmp_path, text)
    registry, issues = load_units(path)
    assert issues == []
    assert registry is not None and registry.codes() == ["X1", "H1"]
    registry, issues = load_units(path, groups=GROUPS)
    assert registry is None
    assert where(issues) == {("unit_unknown_group", 2)}
    assert "'huyen'" in issues[0].message and "phuong, xa" in issues[0].message


def test_group_missing_when_groups_given(tmp_path: Path) -> None:
    registry, issues = load_units(write(tmp_path, "- {code: X1, name: Xã Một}\n"), groups=GROUPS)
    assert registry is None
    assert where(issues) == {("unit_unknown_group", 1)}
    assert "chưa ghi nhóm" in issues[0].message


def test_group_matched_by_label_case_and_form(tmp_path: Path) -> None:
    text = f"- {{code: X1, name: Xã Một, group: {nfd('XÃ')}}}\n"
    text += "- {code: P1, name: Phường Hai, group: PHUONG}\n"
    registry, issues = load_units(write(tmp_path, text), groups={"xa": "Xã", "phuong": "Phường"})
    assert issues == []
    assert registry is not None
    assert [u.group for u in registry.units] == ["xa", "phuong"]


def test_unknown_set(tmp_path: Path) -> None:
    text = "- {code: X1, name: Xã Một, set: cchc-xa}\n- {code: X2, name: Xã Hai, set: cchc-so}\n"
    registry, issues = load_units(write(tmp_path, text), sets={"cchc-xa"})
    assert registry is None
    assert where(issues) == {("unit_unknown_set", 2)}


def test_similar_names_prefix_case_and_unicode_form(tmp_path: Path) -> None:
    lines = [
        "- {code: A, name: UBND xã Tân Lập}",
        "- {code: B, name: Xã Tân Lập}",
        f"- {{code: C, name: {nfd('xã Tân Lập')}}}",
        "- {code: D, name: Ủy ban nhân dân xã Tân Lập}",
        "- {code: E, name: Phường Hoà Bình}",
        "- {code: F, name: phường Hòa Bình}",
        "- {code: G, name: Xã Tân Lập Đông}",
        "- {code: H, name: Thị trấn Tân Lập}",
    ]
    registry, issues = load_units(write(tmp_path, "\n".join(lines) + "\n"))
    # Warnings only: the registry still loads.
    assert registry is not None and len(registry) == 8
    assert where(issues) == {("unit_similar_names", n) for n in (2, 3, 4, 6, 8)}
    assert all(i.severity is Severity.WARNING for i in issues)
    by_line = {i.line: i.message for i in issues}
    assert "(mã A, dòng 1)" in by_line[3]
    assert "(mã E, dòng 5)" in by_line[6]


def test_name_key() -> None:
    assert name_key("UBND xã Tân Lập") == name_key(nfd("Xã  TÂN LẬP"))
    assert name_key("Uỷ ban nhân dân phường Hoà Bình") == name_key("Phường Hòa Bình")
    assert name_key("TP. Hà Tĩnh") == name_key("Thành phố Hà Tĩnh")
    assert name_key("Sở Nội vụ") == name_key("Nội vụ")
    assert name_key("Xã") == name_key("xã")  # a prefix alone is kept
    assert name_key("Xã Tân Lập") != name_key("Xã Tân Lạp")


def test_ranked_values(tmp_path: Path) -> None:
    text = (
        "- {code: A, name: A, ranked: false}\n"
        "- {code: B, name: B, ranked: Không}\n"
        "- {code: C, name: C, ranked: có}\n"
        "- {code: D, name: D}\n"
    )
    registry, issues = load_units(write(tmp_path, text))
    assert issues == []
    assert registry is not None
    assert [u.ranked for u in registry.units] == [False, False, True, True]


def test_unknown_key_and_numeric_code_warn(tmp_path: Path) -> None:
    text = "- code: 12\n  name: Xã Một\n  ghi_chu: mới sáp nhập\n"
    registry, issues = load_units(write(tmp_path, text))
    assert registry is not None and registry.codes() == ["12"]
    assert where(issues) == {("unit_code_number", 1), ("unit_unknown_key", 3)}
    assert all(i.severity is Severity.WARNING for i in issues)


def test_not_a_list(tmp_path: Path) -> None:
    registry, issues = load_units(write(tmp_path, "units: {code: A, name: B}\n"))
    assert registry is None
    assert [i.code for i in issues] == ["units_not_a_list"]


def test_entry_not_a_mapping_does_not_stop_others(tmp_path: Path) -> None:
    text = "- just text\n- {code: A, name: Xã A}\n- {code: A, name: Xã B}\n"
    registry, issues = load_units(write(tmp_path, text))
    assert registry is None
    assert where(issues) == {("unit_not_a_mapping", 1), ("unit_duplicate_code", 3)}


def test_empty_file_warns(tmp_path: Path) -> None:
    registry, issues = load_units(write(tmp_path, "# chưa có đơn vị\n"))
    assert registry is not None and len(registry) == 0
    assert [i.code for i in issues] == ["units_empty"]


def test_yaml_syntax_error(tmp_path: Path) -> None:
    registry, issues = load_units(write(tmp_path, "- {code: A, name: [\n"))
    assert registry is None
    assert [i.code for i in issues] == ["yaml_syntax"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("khong-co.yaml", None),
        ("hong.xlsx", b"not a workbook"),
        ("hong.yaml", b"\xff\xfe\x00bad"),
        ("don-vi.csv", b"code,name\n"),
    ],
)
def test_file_unreadable(tmp_path: Path, name: str, content: bytes | None) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    registry, issues = load_units(path)
    assert registry is None
    assert [(i.code, i.severity, i.file) for i in issues] == [
        ("file_unreadable", Severity.ERROR, str(path))
    ]
    assert issues[0].message.startswith("không đọc được")


# --- Excel ----------------------------------------------------------------------------------------


def excel(tmp_path: Path, rows: list[list[Value]], start: str = "A1", title: str = "DS") -> Path:
    """A workbook with the rows placed from the start cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    top, left = sheet[start].row, sheet[start].column
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.cell(row=top + r, column=left + c, value=value)
    path = tmp_path / "don-vi.xlsx"
    book.save(path)
    return path


def test_excel_nfd_headers_and_cells(tmp_path: Path) -> None:
    header: list[Value] = [
        "STT",
        nfd(" MÃ  ĐƠN VỊ "),
        nfd("tên đơn vị"),
        nfd("Nhóm"),
        nfd("Bộ tiêu chí"),
        nfd("Xếp hạng (Có/Không)"),
    ]
    rows: list[list[Value]] = [
        ["DANH SÁCH ĐƠN VỊ"],
        header,
        [1, "XA-01", nfd("Xã Tân Lập"), "xa", "cchc-xa", "Có"],
        [2, 1002, "Phường Bình An", "phuong", "cchc-xa", nfd("Không")],
        [],
        [3, "XA-03", "Xã Yên Bình", "xa", "cchc-xa", None],
    ]
    registry, issues = load_units(excel(tmp_path, rows, start="B3"), groups=GROUPS)
    assert issues == []
    assert registry is not None
    assert registry.units == [
        Unit(code="XA-01", name="Xã Tân Lập", group="xa", set="cchc-xa", ranked=True),
        Unit(code="1002", name="Phường Bình An", group="phuong", set="cchc-xa", ranked=False),
        Unit(code="XA-03", name="Xã Yên Bình", group="xa", set="cchc-xa", ranked=True),
    ]


def test_excel_problems_located_by_cell(tmp_path: Path) -> None:
    rows: list[list[Value]] = [
        ["Mã đơn vị", "Tên đơn vị", "Nhóm", "Xếp hạng"],
        ["XA-01", "Xã Tân Lập", "xa", None],  # row 2
        ["XA-01", "Xã Bình An", "xa", None],  # row 3: duplicate code at A3
        [None, "Xã Thiếu Mã", "xa", None],  # row 4: missing code at A4
        ["XA-04", "Xã Một", "huyen", None],  # row 5: unknown group at C5
        ["XA-05", "Xã Hai", "xa", "có lẽ"],  # row 6: bad ranked at D6
        ["XA-06", "UBND xã Tân Lập", "xa", None],  # row 7: similar name at B7
    ]
    registry, issues = load_units(excel(tmp_path, rows), groups=GROUPS)
    assert registry is None
    assert {(i.code, i.sheet, i.cell, i.line) for i in issues} == {
        ("unit_duplicate_code", "DS", "A3", None),
        ("unit_missing_field", "DS", "A4", None),
        ("unit_unknown_group", "DS", "C5", None),
        ("unit_invalid_value", "DS", "D6", None),
        ("unit_similar_names", "DS", "B7", None),
    }
    duplicate = next(i for i in issues if i.code == "unit_duplicate_code")
    assert "ô DS!A2" in duplicate.message


def test_excel_header_found_on_a_later_sheet(tmp_path: Path) -> None:
    path = excel(tmp_path, [["Hướng dẫn: điền danh sách ở trang sau"]], title="Hướng dẫn")
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("Đơn vị")
    sheet.append(["Mã", "Tên đơn vị"])
    sheet.append(["A", "Xã A"])
    book.save(path)
    registry, issues = load_units(path)
    assert issues == []
    assert registry is not None and registry.codes() == ["A"]


def test_excel_without_header(tmp_path: Path) -> None:
    registry, issues = load_units(excel(tmp_path, [["Mã", "Nội dung"], ["1", "x"]]))
    assert registry is None
    assert [i.code for i in issues] == ["units_header_missing"]


def test_excel_cells_counted_from_a1_when_table_is_offset(tmp_path: Path) -> None:
    rows: list[list[Value]] = [["Mã đơn vị", "Tên đơn vị"], ["A", "Xã A"], ["a", "Xã B"]]
    registry, issues = load_units(excel(tmp_path, rows, start="C5"))
    assert registry is None
    assert [(i.code, i.sheet, i.cell) for i in issues] == [("unit_duplicate_code", "DS", "C7")]


def test_control_characters_are_dropped_from_names() -> None:
    unit = Unit(code="X\x0101", name="UBND xã\x01 Tân\tLập\x7f")
    assert (unit.code, unit.name) == ("X 01", "UBND xã Tân Lập")


@pytest.mark.parametrize(
    "code",
    ["../../x", "/abs/path", "..", "C:x", "X 001", "x/..", r"a\b", "-X01", ".X01", "X" * 41],
)
def test_a_code_that_could_name_a_path_is_refused_at_its_row(tmp_path: Path, code: str) -> None:
    text = f"- code: X01\n  name: Xã Một\n- code: '{code}'\n  name: Xã Hai\n"
    registry, issues = load_units(write(tmp_path, text))
    assert registry is None
    assert where(issues) == {("unit_code_invalid", 3)}
    assert issues[0].file == str(tmp_path / "don-vi.yaml")


@pytest.mark.parametrize("code", ["X01", "27001", "TP.BK", "P_03", "Xã-01", "so-noi-vu"])
def test_ordinary_codes_pass(tmp_path: Path, code: str) -> None:
    registry, issues = load_units(write(tmp_path, f"- code: '{code}'\n  name: Xã Một\n"))
    assert issues == []
    assert registry is not None and registry.codes() == [code]
