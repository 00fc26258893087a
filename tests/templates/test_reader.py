"""Reading returned workbooks: every robustness case gives its expected issue code."""

from __future__ import annotations

import hashlib
import os
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cchc.core.issues import Severity
from cchc.criteria.model import CriteriaSet
from cchc.scoring.submission import CheckReport
from cchc.templates import collect
from cchc.templates.collect import check_folder
from cchc.templates.layout import HEADER_ROW, LETTER, META_SHEET, SELF_SHEET
from cchc.units.model import Unit
from tests.office import SOFFICE, convert
from tests.workbooks import MINI_X01, MINI_X01_POINTS, PHUONG, XA, Cells, filled


def check(folder: Path, mini: CriteriaSet, units: list[Unit] | None = None) -> CheckReport:
    return check_folder(folder, 2024, [XA] if units is None else units, lambda ref, year: mini)


def codes(report: CheckReport) -> list[str]:
    return sorted({i.code for i in report.all_issues()})


def points(report: CheckReport) -> dict[str, Decimal]:
    (sub,) = report.submissions
    return {code: leaf.outcome.points for code, leaf in sub.leaves.items()}


def expected_points() -> dict[str, Decimal]:
    return {c: Decimal(v) for c, v in MINI_X01_POINTS.items()}


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_complete_workbook_scores_by_hand(mini: CriteriaSet, tmp_path: Path) -> None:
    filled(mini, XA, MINI_X01, tmp_path / "x01.xlsx")
    before = digest(tmp_path)
    report = check(tmp_path, mini)
    assert report.all_issues() == []
    assert points(report) == expected_points()
    assert digest(tmp_path) == before  # inputs are never modified


def test_vietnamese_typing_habits(mini: CriteriaSet, tmp_path: Path) -> None:
    values = {code: dict(cells) for code, cells in MINI_X01.items()}
    values["2.1"] = {"figure1": " 89 ", "figure2": "100"}
    values["2.4"] = {"figure1": "66,6%"}
    values["1.2.3"] = {"points": "1,25"}
    values["1.1.1"] = {"choice": unicodedata.normalize("NFD", "  ban hành không kịp thời ")}
    filled(mini, XA, values, tmp_path / "x01.xlsx")
    report = check(tmp_path, mini)
    assert report.all_issues() == []
    assert points(report) == expected_points()


@pytest.mark.parametrize(
    ("cells", "code", "cell"),
    [
        ({"1.1.4": {"figure1": 21, "figure2": 20}}, "ratio_above_one", "E10"),
        ({"1.2.2": {"figure1": 120}}, "out_of_range", "E13"),
        ({"1.1.4": {"figure1": "mười", "figure2": 20}}, "wrong_type", "E10"),
        ({"1.1.1": {"choice": "Ban hành sớm"}}, "choice_invalid", "G8"),
        ({"1.1.2": {"choice": "Không áp dụng"}}, "na_not_allowed", "G9"),
        ({"1.2.3": {"points": 2}}, "out_of_range", "H14"),
        ({"1.2.3": {"points": 1.1}}, "step_mismatch", "H14"),
        ({"1.2.1": {"figure1": None}}, "missing_input", "E12"),
        ({"2.2": {"figure1": 1.5}}, "not_a_count", "E17"),
        ({"1.1.2": {"points": 0.5}}, "points_disagree", "H9"),
    ],
)
def test_bad_values(
    mini: CriteriaSet, tmp_path: Path, cells: dict[str, dict[str, object]], code: str, cell: str
) -> None:
    values = {c: dict(v) for c, v in MINI_X01.items()}
    for item, update in cells.items():
        values[item] = {**values[item], **update} if code != "missing_input" else {}
    filled(mini, XA, values, tmp_path / "x01.xlsx")
    issues = check(tmp_path, mini).all_issues()
    assert [(i.code, i.cell, i.item) for i in issues] == [(code, cell, next(iter(cells)))]
    assert issues[0].sheet == SELF_SHEET and issues[0].file == str(tmp_path / "x01.xlsx")


def test_na_choices(mini: CriteriaSet, tmp_path: Path) -> None:
    values = {c: dict(v) for c, v in MINI_X01.items()}
    values["1.1.4"] = {"choice": "Không phát sinh"}  # na: full → 2
    values["1.2.3"] = {"choice": "Không áp dụng"}  # na: exclude → 0, out of the denominator
    values["2.1"] = {"figure1": 0, "figure2": 0}  # zero denominator, na: full → 3
    filled(mini, XA, values, tmp_path / "x01.xlsx")
    report = check(tmp_path, mini)
    assert report.all_issues() == []
    (sub,) = report.submissions
    got = {c: (sub.leaves[c].outcome.points, sub.leaves[c].outcome.status) for c in values}
    assert got["1.1.4"] == (Decimal(2), "na_full")
    assert got["1.2.3"] == (Decimal(0), "na_exclude")
    assert got["2.1"] == (Decimal(3), "na_full")


def test_group_maxima(mini: CriteriaSet, tmp_path: Path) -> None:
    """A ward (phường) has no 2.3 row, and 2.4 counts 3 points instead of 2."""
    values = {c: v for c, v in MINI_X01.items() if c != "2.3"}
    filled(mini, PHUONG, values, tmp_path / "p02.xlsx")
    report = check(tmp_path, mini, [PHUONG])
    assert report.all_issues() == []
    got = points(report)
    assert "2.3" not in got
    # 66,6 % of the ward's own 3 points = 1,998, rounded once at decimals: 1 → 2,0 (not 1,3 on
    # the set's 2 points, rescaled to 1,95).
    assert got["2.4"] == Decimal("2.0")


def test_rows_inserted_deleted_and_reordered(mini: CriteriaSet, tmp_path: Path) -> None:
    path = filled(mini, XA, MINI_X01, tmp_path / "x01.xlsx")
    wb = load_workbook(path)
    ws = wb[SELF_SHEET]
    ws.protection.sheet = False
    ws.insert_rows(HEADER_ROW + 3, 2)  # the unit inserts two blank rows
    ws.cell(HEADER_ROW + 3, 1, "Ghi chú thêm")  # … and a note row with a stray code
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    ws.move_range(f"A{rows['2.2']}:J{rows['2.2']}", rows=ws.max_row + 2 - rows["2.2"])
    ws.delete_rows(rows["1.2.1"])  # and deletes one row
    wb.save(path)
    report = check(tmp_path, mini)
    assert codes(report) == ["row_missing", "unknown_row"]
    got = points(report)
    assert got["2.2"] == Decimal("0.5")  # moved to the bottom, still found by its code
    assert {c: got[c] for c in got} == {c: v for c, v in expected_points().items() if c != "1.2.1"}


def test_deleted_meta_identifies_unit_by_file_name(mini: CriteriaSet, tmp_path: Path) -> None:
    path = filled(mini, XA, MINI_X01, tmp_path / "X01 - UBND xã Tân Lập - 2024.xlsx")
    wb = load_workbook(path)
    del wb[META_SHEET]
    wb.save(path)
    report = check_folder(tmp_path, 2024, [XA], lambda r, y: mini, default_set=("mini", 2024))
    assert codes(report) == ["meta_missing"]
    assert report.submissions[0].unit_code == "X01"
    assert points(report) == expected_points()


def test_wrong_year_set_and_unit(mini: CriteriaSet, tmp_path: Path) -> None:
    filled(mini, XA, MINI_X01, tmp_path / "a.xlsx", year=2023)
    stranger = Unit(code="Z99", name="UBND xã Lạ", group="xa")
    filled(mini, stranger, MINI_X01, tmp_path / "b.xlsx")
    changed = mini.model_copy(update={"title": "Bộ đã sửa"})
    ward = {c: v for c, v in MINI_X01.items() if c != "2.3"}
    filled(changed, PHUONG, ward, tmp_path / "c.xlsx")
    report = check(tmp_path, mini, [XA, PHUONG])
    by_file = {Path(s.file).name: sorted(i.code for i in s.issues) for s in report.submissions}
    assert by_file == {
        "a.xlsx": ["wrong_year"],
        "b.xlsx": ["unit_unknown"],
        "c.xlsx": ["set_changed"],
    }


def test_missing_and_duplicate_units(mini: CriteriaSet, tmp_path: Path) -> None:
    filled(mini, XA, MINI_X01, tmp_path / "a.xlsx")
    filled(mini, XA, MINI_X01, tmp_path / "sub" / "b.xlsx")
    report = check(tmp_path, mini, [XA, PHUONG])
    assert [u.code for u in report.missing] == ["P02"]
    assert codes(report) == ["unit_duplicate", "unit_duplicate_chosen", "unit_missing"]


def test_a_filled_workbook_beats_a_blank_one(mini: CriteriaSet, tmp_path: Path) -> None:
    """A blank template downloaded again sorts first by name; the filled workbook counts."""
    filled(mini, XA, {}, tmp_path / "X01 - 2024 (1).xlsx")
    filled(mini, XA, MINI_X01, tmp_path / "X01 - 2024.xlsx")
    report = check(tmp_path, mini)
    by_file = {
        Path(s.file).name: [(i.code, i.message) for i in s.issues] for s in report.submissions
    }
    assert by_file["X01 - 2024.xlsx"] == [
        (
            "unit_duplicate_chosen",
            "đơn vị X01 nộp nhiều tệp; dùng tệp này (các tệp kia còn trống), "
            "bỏ qua: X01 - 2024 (1).xlsx",
        )
    ]
    assert by_file["X01 - 2024 (1).xlsx"][-1] == (
        "unit_duplicate",
        "đơn vị X01 đã nộp tệp khác được dùng thay tệp này (tệp trống): X01 - 2024.xlsx",
    )
    used = [s for s in report.submissions if not any(i.code == "unit_duplicate" for i in s.issues)]
    assert points(CheckReport(2024, used)) == expected_points()


def test_a_blank_template_returned_is_not_a_submission(mini: CriteriaSet, tmp_path: Path) -> None:
    """X01 returned its template without filling anything: 'nộp sổ trống', not submitted; P02
    filled its own; nobody is missing."""
    SELF = "Tự đánh giá"
    filled(mini, XA, {}, tmp_path / "X01.xlsx")
    ward = {c: v for c, v in MINI_X01.items() if c != "2.3"}
    filled(mini, PHUONG, ward, tmp_path / "P02.xlsx")
    report = check(tmp_path, mini, [XA, PHUONG])
    summary = report.to_json()
    assert (summary["submitted"], summary["blank"], summary["missing"]) == (["P02"], ["X01"], [])
    (blank,) = [s for s in report.submissions if s.unit_code == "X01"]
    assert {i.code for i in blank.issues} == {"missing_input", "workbook_blank"}  # each item
    last = blank.issues[-1]
    assert (last.code, last.severity, last.sheet) == ("workbook_blank", Severity.WARNING, SELF)
    assert last.message == "sổ tự đánh giá chưa điền mục nào (nộp sổ trống)"


def test_of_two_filled_workbooks_the_last_saved_counts(mini: CriteriaSet, tmp_path: Path) -> None:
    older: Cells = {**MINI_X01, "1.2.1": {"figure1": 12}}  # 12 → 1 point instead of 0,5
    filled(mini, XA, older, tmp_path / "a.xlsx")
    filled(mini, XA, MINI_X01, tmp_path / "b.xlsx")
    os.utime(tmp_path / "a.xlsx", (1_700_000_000, 1_700_000_000))
    os.utime(tmp_path / "b.xlsx", (1_700_000_100, 1_700_000_100))
    report = check(tmp_path, mini)
    (chosen,) = [
        s for s in report.submissions if not any(i.code == "unit_duplicate" for i in s.issues)
    ]
    assert Path(chosen.file).name == "b.xlsx"
    assert [i.message for i in chosen.issues] == [
        "đơn vị X01 nộp nhiều tệp; dùng tệp này (tệp được lưu sau cùng), bỏ qua: a.xlsx"
    ]
    assert points(CheckReport(2024, [chosen])) == expected_points()


def test_a_group_the_set_does_not_have(mini: CriteriaSet, tmp_path: Path) -> None:
    """A unit in group 'thi-tran' when the set serves xa and phuong: an error, not ranked alone."""
    odd = Unit(code="T03", name="Thị trấn Ba", group="thi-tran")
    filled(mini, XA, MINI_X01, tmp_path / "t03.xlsx")
    wb = load_workbook(tmp_path / "t03.xlsx")
    meta = wb[META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "unit_code":
            row[1].value = "T03"
    wb.save(tmp_path / "t03.xlsx")
    report = check(tmp_path, mini, [odd])
    (sub,) = report.submissions
    assert [(i.code, i.message) for i in sub.issues] == [
        (
            "unit_unknown_group",
            "nhóm đơn vị 'thi-tran' không có trong bộ tiêu chí mini (các nhóm: xa, phuong)",
        )
    ]
    assert sub.leaves == {}


def test_broken_files_never_stop_the_others(mini: CriteriaSet, tmp_path: Path) -> None:
    filled(mini, XA, MINI_X01, tmp_path / "good.xlsx")
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (tmp_path / "encrypted.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    (tmp_path / "renamed.xlsx").write_text("Tôi là tệp văn bản", encoding="utf-8")
    (tmp_path / "bao-cao.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "~$good.xlsx").write_bytes(b"lock")
    (tmp_path / "tai-lieu" / "X01").mkdir(parents=True)  # evidence: never read as a workbook
    (tmp_path / "tai-lieu" / "X01" / "bang-so-lieu.xlsx").write_bytes(b"PK\x03\x04")
    before = digest(tmp_path)
    report = check(tmp_path, mini)
    by_file = {Path(s.file).name: [i.code for i in s.issues] for s in report.submissions}
    assert by_file == {
        "corrupt.xlsx": ["workbook_corrupt"],
        "empty.xlsx": ["workbook_empty"],
        "encrypted.xlsx": ["workbook_encrypted"],
        "good.xlsx": [],
        "renamed.xlsx": ["workbook_corrupt"],
    }
    assert [i.code for i in report.issues] == ["not_a_workbook"]
    assert points(CheckReport(2024, [s for s in report.submissions if s.leaves])) == (
        expected_points()
    )
    assert digest(tmp_path) == before


def test_parallel_read_equals_sequential(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(mini, XA, MINI_X01, tmp_path / "a.xlsx")
    filled(mini, XA, MINI_X01, tmp_path / "b.xlsx")
    (tmp_path / "corrupt.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    sequential = check_folder(tmp_path, 2024, [XA, PHUONG], lambda r, y: mini, workers=1)
    monkeypatch.setattr(collect, "PARALLEL_FROM", 1)
    parallel = check_folder(tmp_path, 2024, [XA, PHUONG], lambda r, y: mini, workers=2)
    assert parallel.to_json() == sequential.to_json()
    assert [s.leaves for s in parallel.submissions] == [s.leaves for s in sequential.submissions]
    assert sorted(i.code for i in parallel.all_issues()) == [
        "unit_duplicate",
        "unit_duplicate_chosen",
        "unit_missing",
        "workbook_corrupt",
    ]


def test_link_outside_the_folder_is_not_read(mini: CriteriaSet, tmp_path: Path) -> None:
    outside = filled(mini, XA, MINI_X01, tmp_path / "outside" / "secret.xlsx")
    (inbox := tmp_path / "inbox").mkdir()
    (inbox / "link.xlsx").symlink_to(outside)
    report = check(inbox, mini)
    assert report.submissions == []
    assert [i.code for i in report.issues] == ["link_outside", "unit_missing"]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_legacy_and_open_formats(mini: CriteriaSet, tmp_path: Path, fmt: str) -> None:
    source = filled(mini, XA, MINI_X01, tmp_path / "src" / "x01.xlsx")
    out = convert(source, fmt, tmp_path / "in").parent
    report = check(out, mini)
    assert report.all_issues() == []
    assert points(report) == expected_points()


def test_choice_cell_is_validated_in_the_template(mini: CriteriaSet, tmp_path: Path) -> None:
    ws = load_workbook(filled(mini, XA, {}, tmp_path / "x.xlsx"))[SELF_SHEET]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any(f"{LETTER['choice']}{HEADER_ROW + 3}" in str(dv.sqref) for dv in lists)


def test_group_comes_from_meta_without_a_registry(mini: CriteriaSet, tmp_path: Path) -> None:
    """No units list: a ward workbook is still read with the ward's rows and maxima."""
    values = {c: v for c, v in MINI_X01.items() if c != "2.3"}
    filled(mini, PHUONG, values, tmp_path / "p02.xlsx")
    report = check(tmp_path, mini, [])
    assert report.all_issues() == []
    got = points(report)
    assert "2.3" not in got
    assert got["2.4"] == Decimal("2.0")  # 66,6 % of 3, rounded once (test_group_maxima)


@pytest.mark.parametrize(
    ("stored", "item", "cell"), [("1e400", "1.2.1", "E12"), ("NaN", "1.1.4", "E10")]
)
def test_numbers_that_are_not_finite_are_refused(
    mini: CriteriaSet, tmp_path: Path, stored: str, item: str, cell: str
) -> None:
    """A figure stored as 1e400 (infinite when read) never scores full points; NaN is no crash."""
    values = {c: dict(v) for c, v in MINI_X01.items()}
    values[item] = {**values[item], "figure1": 987654321}
    filled(mini, XA, values, tmp_path / "plain.xlsx")
    with (
        zipfile.ZipFile(tmp_path / "plain.xlsx") as src,
        zipfile.ZipFile(tmp_path / "x01.xlsx", "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, data.replace(b"<v>987654321</v>", f"<v>{stored}</v>".encode()))
    (tmp_path / "plain.xlsx").unlink()
    issues = check(tmp_path, mini).all_issues()
    assert [(i.code, i.cell, i.item) for i in issues] == [("wrong_type", cell, item)]


def _with_percent_cell(path: Path, code: str, value: float, number_format: str) -> Path:
    """What Excel and LibreOffice store for '85%' typed in a cell: 0,85 with a percent format."""
    wb = load_workbook(path)
    ws = wb[SELF_SHEET]
    row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value == code)
    cell = ws[f"{LETTER['figure1']}{row}"]
    cell.value, cell.number_format = value, number_format
    wb.save(path)
    return path


@pytest.mark.parametrize("number_format", ["0%", "0.00%", '#,##0.0" "%'])
def test_a_percent_typed_with_its_sign_is_a_percent(
    mini: CriteriaSet, tmp_path: Path, number_format: str
) -> None:
    """1.2.2: 'from 80 → 1,5; from 50 → 0,75'. '80%' is stored as 0,8: 80 % → 1,5, not 0."""
    path = filled(mini, XA, MINI_X01, tmp_path / "x01.xlsx")
    _with_percent_cell(path, "1.2.2", 0.8, number_format)
    report = check(tmp_path, mini)
    assert report.all_issues() == []
    assert points(report) == expected_points()


def test_a_plain_fraction_stays_what_was_typed(mini: CriteriaSet, tmp_path: Path) -> None:
    """0,8 typed in a General cell is 0,8 % (a real rate can be that low): below 50 → 0."""
    path = filled(mini, XA, MINI_X01, tmp_path / "x01.xlsx")
    _with_percent_cell(path, "1.2.2", 0.8, "General")
    report = check(tmp_path, mini)
    assert report.all_issues() == []
    assert points(report)["1.2.2"] == Decimal(0)
    assert expected_points()["1.2.2"] == Decimal("1.5")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_percent_cell_saved_by_libreoffice(mini: CriteriaSet, tmp_path: Path) -> None:
    """LibreOffice keeps the percent format through .ods and back to .xlsx: '80%' is 80 % in
    the .ods (a percentage cell), the .xlsx (a percent format) and a legacy .xls (its XF
    record), 1,5 points each time; a plain 0,8 in the .ods stays 0,8 %."""
    source = _with_percent_cell(
        filled(mini, XA, MINI_X01, tmp_path / "src" / "x01.xlsx"), "1.2.2", 0.8, "0%"
    )
    ods = convert(source, "ods", tmp_path / "ods")
    back = convert(ods, "xlsx:Calc MS Excel 2007 XML", tmp_path / "xlsx")
    report = check(back.parent, mini)
    assert report.all_issues() == []
    assert points(report) == expected_points()
    report = check(ods.parent, mini)
    assert report.all_issues() == []
    assert points(report) == expected_points() and points(report)["1.2.2"] == Decimal("1.5")
    report = check(convert(source, "xls:MS Excel 97", tmp_path / "xls").parent, mini)
    assert report.all_issues() == []
    assert points(report) == expected_points()  # a legacy .xls: its BIFF formats
    plain = _with_percent_cell(
        filled(mini, XA, MINI_X01, tmp_path / "plain" / "x01.xlsx"), "1.2.2", 0.8, "General"
    )
    report = check(convert(plain, "ods", tmp_path / "plain-ods").parent, mini)
    assert points(report)["1.2.2"] == Decimal(0) and report.all_issues() == []
