"""The appraisal workbook: written for appraisers, filled as they would, read back exactly."""

from __future__ import annotations

import hashlib
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from cchc.core.issues import Issue, Severity
from cchc.scoring.layers import Appraised
from cchc.templates.appraisal import (
    COLUMNS,
    HEADER_ROW,
    META_SHEET,
    SHEET,
    AppraisalRow,
    read_appraisal,
    write_appraisal,
)
from tests.office import SOFFICE, convert

D = Decimal
HEADERS = [title for _, title, _ in COLUMNS]
LINK = '=HYPERLINK("http://example.com/kh-12","Kế hoạch 12")'


def row(unit: str, code: str, top: str, self_points: str | None, **extra: object) -> AppraisalRow:
    names = {"U01": "UBND xã Tân Lập", "U02": "UBND phường Đông Hà"}
    values: dict[str, object] = {
        "unit_code": unit,
        "unit_name": names[unit],
        "code": code,
        "title": f"Nội dung mục {code}",
        "max": D(top),
        "self_points": None if self_points is None else D(self_points),
        "status": "",
        "evidence": "",
        "explanation": "",
        "step": None,
    }
    values.update(extra)
    return AppraisalRow(**values)  # type: ignore[arg-type]


# Sheet rows 4–7 for U01, 8–10 for U02 (title row 1, hint row 2, header row 3).
ROWS = [
    row("U01", "1.1", "1", "1", evidence=LINK, explanation="Ban hành đúng hạn"),
    row("U01", "1.2", "2", None, status="Chưa nhập"),
    row("U01", "1.3", "1.5", "1.25", step=D("0.25"), evidence="Báo cáo số 5/BC-UBND"),
    row("U01", "2.1", "0.5", "0.5", status="Không phát sinh"),
    row("U02", "1.1", "1", "0.5"),
    row("U02", "1.3", "1", "0.75", step=D("0.25")),
    row("U02", "2.1", "0.5", None, status="Không áp dụng"),
]
MAXIMA = {(r.unit_code, r.code): (r.max, r.step) for r in ROWS}


def maxima(unit: str, code: str) -> tuple[Decimal, Decimal | None] | None:
    return MAXIMA.get((unit, code))


Typed = dict[tuple[str, str], dict[str, object]]
"""Per (unit, item), per column title, what the appraiser types."""


def header_of(ws: Worksheet) -> tuple[int, dict[str, int]]:
    for r in range(1, 31):
        titles = {ws.cell(r, c).value: c for c in range(1, ws.max_column + 1)}
        if "Mã đơn vị" in titles:
            return r, {str(t): c for t, c in titles.items() if t}
    raise AssertionError("no header")


def fill(path: Path, typed: Typed) -> Path:
    """Open the workbook in openpyxl and type into it, finding rows by unit and item code."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    header, columns = header_of(ws)
    rows = {
        (ws.cell(r, columns["Mã đơn vị"]).value, ws.cell(r, columns["Mã"]).value): r
        for r in range(header + 1, ws.max_row + 1)
    }
    for key, cells in typed.items():
        for title, value in cells.items():
            ws.cell(rows[key], columns[title]).value = value  # type: ignore[assignment]
    wb.save(path)
    return path


def written(tmp_path: Path, rows: list[AppraisalRow] = ROWS, year: int = 2024) -> Path:
    return write_appraisal(rows, year, tmp_path / "tham-dinh-2024.xlsx")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def codes(issues: list[Issue]) -> list[str]:
    return [i.code for i in issues]


TYPED: Typed = {
    ("U01", "1.1"): {"Thẩm định lần 1": 1, "Nhận xét thẩm định": "Đủ hồ sơ"},
    ("U01", "1.3"): {
        "Thẩm định lần 1": "1,25",
        "Nhận xét thẩm định": "Thiếu báo cáo quý IV",
        "Giải trình bổ sung": "Bổ sung Báo cáo số 41/BC-UBND ngày 20/12/2024",
        "Thẩm định lần 2": 1.5,
    },
    ("U02", "1.1"): {"Thẩm định lần 1": 0.5, "Thẩm định lần 2": " 0,75 "},
    ("U02", "2.1"): {"Nhận xét thẩm định": "Không áp dụng là đúng"},
}


def at(name: str, row: int, **columns: str) -> dict[str, str]:
    """Where each round's points were read: {'first': 'f.xlsx, ô Thẩm định!I4'}."""
    return {field: f"{name}, ô Thẩm định!{letter}{row}" for field, letter in columns.items()}


def expected(name: str = "tham-dinh-2024.xlsx") -> dict[str, dict[str, Appraised]]:
    """What TYPED reads back as, by hand; `name` is the file the rows are in."""
    return {
        "U01": {
            "1.1": Appraised(
                first=D(1),
                comment="Đủ hồ sơ",
                where=f"{name} · dòng 4",
                cells=at(name, 4, first="I"),
            ),
            "1.3": Appraised(
                first=D("1.25"),
                comment="Thiếu báo cáo quý IV",
                response="Bổ sung Báo cáo số 41/BC-UBND ngày 20/12/2024",
                second=D("1.5"),
                where=f"{name} · dòng 6",
                cells=at(name, 6, first="I", second="L"),
            ),
        },
        "U02": {
            "1.1": Appraised(
                first=D("0.5"),
                second=D("0.75"),
                where=f"{name} · dòng 8",
                cells=at(name, 8, first="I", second="L"),
            ),
            "2.1": Appraised(comment="Không áp dụng là đúng", where=f"{name} · dòng 10"),
        },
    }


def test_fill_and_read_back_by_hand(tmp_path: Path) -> None:
    path = fill(written(tmp_path), TYPED)
    result, issues = read_appraisal(path, 2024, maxima)
    assert issues == []
    assert result == expected()


def test_reading_never_modifies_the_file(tmp_path: Path) -> None:
    path = fill(written(tmp_path), TYPED)
    before = digest(path), path.stat().st_mtime_ns
    read_appraisal(path, 2024, maxima)
    assert (digest(path), path.stat().st_mtime_ns) == before


def test_untouched_workbook_reads_empty(tmp_path: Path) -> None:
    assert read_appraisal(written(tmp_path), 2024, maxima) == ({}, [])
    empty = write_appraisal([], 2024, tmp_path / "rong.xlsx")
    assert read_appraisal(empty, 2024, maxima) == ({}, [])


def test_prefilled_rounds_read_back(tmp_path: Path) -> None:
    rows = [
        row("U01", "1.1", "1", "1", first=D("0.5"), comment="=1+1 không phải công thức"),
        row("U01", "1.3", "1.5", "1", step=D("0.25"), response="Đã bổ sung", second=D("1.25")),
    ]
    path = written(tmp_path, rows)
    result, issues = read_appraisal(path, 2024, maxima)
    assert result == {
        "U01": {
            "1.1": Appraised(
                first=D("0.5"),
                comment="=1+1 không phải công thức",
                where=f"{path.name} · dòng 4",
                cells=at(path.name, 4, first="I"),
            ),
            "1.3": Appraised(
                response="Đã bổ sung",
                second=D("1.25"),
                where=f"{path.name} · dòng 5",
                cells=at(path.name, 5, second="L"),
            ),
        }
    }
    assert codes(issues) == ["appraisal_second_without_first"]


def test_text_is_never_a_formula(tmp_path: Path) -> None:
    ws = load_workbook(written(tmp_path))[SHEET]
    evidence = ws.cell(HEADER_ROW + 1, HEADERS.index("Tài liệu kiểm chứng") + 1)
    assert (evidence.value, evidence.data_type) == (LINK, "s")
    assert not any(
        c.data_type == "f" for line in ws.iter_rows(min_row=HEADER_ROW + 1) for c in line
    )


def test_layout_protection_and_validation(tmp_path: Path) -> None:
    wb = load_workbook(written(tmp_path))
    assert wb.sheetnames == [SHEET, META_SHEET]
    meta = wb[META_SHEET]
    assert meta.sheet_state == "hidden"
    assert {r[0]: r[1] for r in meta.iter_rows(values_only=True)}["kind"] == "appraisal"
    assert {r[0]: r[1] for r in meta.iter_rows(values_only=True)}["year"] == "2024"
    ws = wb[SHEET]
    assert ws["A1"].value == "Bảng thẩm định Chỉ số CCHC năm 2024"
    assert [ws.cell(HEADER_ROW, c).value for c in range(1, 13)] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Mã",
        "Nội dung",
        "Điểm tối đa",
        "Điểm tự chấm",
        "Tài liệu kiểm chứng",
        "Giải trình của đơn vị",
        "Thẩm định lần 1",
        "Nhận xét thẩm định",
        "Giải trình bổ sung",
        "Thẩm định lần 2",
    ]
    last = HEADER_ROW + len(ROWS)
    assert ws.max_row == last
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:L{last}"
    assert ws.protection.sheet
    assert ws.protection.password is None
    assert not ws.protection.autoFilter  # filtering stays allowed
    for r in range(HEADER_ROW, last + 1):
        for c in range(1, 13):
            cell = ws.cell(r, c)
            is_input = r > HEADER_ROW and c >= 9
            assert cell.protection.locked is not is_input, cell.coordinate
            assert (cell.fill.fgColor.rgb == "00FFF2CC") is is_input, cell.coordinate
    # One decimal rule per point column, 0 to the row's own maximum (column E).
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(rules) == {f"I4:I{last}", f"L4:L{last}"}
    for dv in rules.values():
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == (
            "decimal",
            "between",
            "0",
            "$E4",
        )
        assert dv.showErrorMessage
        assert dv.error is not None and "điểm tối đa" in dv.error
    # What the appraiser sees of the unit's own scoring.
    cells = {
        (ws.cell(r, 1).value, ws.cell(r, 3).value): [ws.cell(r, c).value for c in (4, 5, 6)]
        for r in range(HEADER_ROW + 1, last + 1)
    }
    assert cells[("U01", "1.1")] == ["Nội dung mục 1.1", 1, 1]
    assert cells[("U01", "1.2")] == ["Nội dung mục 1.2", 2, "Chưa nhập"]
    assert cells[("U01", "1.3")] == ["Nội dung mục 1.3 (chấm theo bước 0,25 điểm)", 1.5, 1.25]
    assert cells[("U01", "2.1")] == ["Nội dung mục 2.1", 0.5, "0,5 (Không phát sinh)"]
    assert cells[("U02", "2.1")] == ["Nội dung mục 2.1", 0.5, "Không áp dụng"]


def test_rewrite_replaces_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = written(tmp_path)
    write_appraisal(ROWS[:2], 2024, path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert load_workbook(path)[SHEET].max_row == HEADER_ROW + 2


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = written(tmp_path)
    before = digest(path)

    def broken(self: Workbook, filename: str | Path) -> None:
        Path(filename).write_bytes(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken)
    with pytest.raises(OSError):
        write_appraisal(ROWS[:1], 2024, path)
    assert digest(path) == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_columns_found_by_title_not_position(tmp_path: Path) -> None:
    """A hand-made copy: other column order, titles typed in NFD and another case, no _meta."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "THẨM ĐỊNH"
    ws.append(["Tổng hợp thẩm định"])
    ws.append([])
    titles = ["Thẩm định lần 2", "Mã", "Nhận xét thẩm định", "  mã   ĐƠN vị ", "Ghi chú"]
    titles += ["Giải trình bổ sung", "Thẩm định lần 1"]
    ws.append([unicodedata.normalize("NFD", t) for t in titles])
    ws.append([None, "1.1", "Đạt", "U01", "x", None, "0,5"])
    ws.append([None, "1.2", None, "U01", "chỉ ghi chú", None, None])
    ws.append(["2", "1.2", None, "U01", None, "Có văn bản", "1.5"])
    path = tmp_path / "tu-lam.xlsx"
    wb.save(path)
    result, issues = read_appraisal(path, 2024, maxima)
    assert result == {
        "U01": {
            "1.1": Appraised(
                first=D("0.5"),
                comment="Đạt",
                where="tu-lam.xlsx · dòng 4",
                cells=at("tu-lam.xlsx", 4, first="G"),
            ),
            "1.2": Appraised(
                first=D("1.5"),
                response="Có văn bản",
                second=D(2),
                where="tu-lam.xlsx · dòng 6",
                cells=at("tu-lam.xlsx", 6, first="G", second="A"),
            ),
        }
    }
    assert issues == []  # row 5 has nothing typed in the appraisal columns


def issue(
    path: Path, code: str, cell: str, item: str, severity: Severity = Severity.ERROR
) -> Issue:
    """An issue as expected, without its message."""
    return Issue(
        code=code, severity=severity, message="", file=str(path), sheet=SHEET, cell=cell, item=item
    )


def located(issues: list[Issue]) -> list[Issue]:
    """Issues without their message, to compare with the expected code and place."""
    return [i.model_copy(update={"message": ""}) for i in issues]


def test_bad_points_are_reported_and_dropped(tmp_path: Path) -> None:
    path = fill(
        written(tmp_path),
        {
            ("U01", "1.1"): {"Thẩm định lần 1": "khoảng 1", "Nhận xét thẩm định": "Giữ lại"},
            ("U01", "1.2"): {"Thẩm định lần 1": -0.5, "Thẩm định lần 2": "2,5"},
            ("U01", "1.3"): {"Thẩm định lần 1": "1,3", "Thẩm định lần 2": 1.5},
            ("U02", "1.3"): {"Thẩm định lần 1": 1, "Thẩm định lần 2": True},
        },
    )
    result, issues = read_appraisal(path, 2024, maxima)
    assert located(issues) == [
        issue(path, "appraisal_not_a_number", "I4", "1.1"),
        issue(path, "appraisal_out_of_range", "I5", "1.2"),
        issue(path, "appraisal_out_of_range", "L5", "1.2"),
        issue(path, "appraisal_step", "I6", "1.3"),
        issue(path, "appraisal_not_a_number", "L9", "1.3"),
    ]
    assert "'khoảng 1' không phải là số" in issues[0].message
    assert "-0,5 ngoài khoảng 0 – 2 điểm" in issues[1].message
    assert "1,3 không theo bước 0,25 điểm" in issues[3].message
    assert result == {
        "U01": {
            "1.1": Appraised(comment="Giữ lại", where=f"{path.name} · dòng 4"),
            "1.3": Appraised(
                second=D("1.5"), where=f"{path.name} · dòng 6", cells=at(path.name, 6, second="L")
            ),
        },
        "U02": {
            "1.3": Appraised(
                first=D(1), where=f"{path.name} · dòng 9", cells=at(path.name, 9, first="I")
            )
        },
    }


def test_second_round_without_first_is_kept_with_a_warning(tmp_path: Path) -> None:
    path = fill(written(tmp_path), {("U01", "1.1"): {"Thẩm định lần 2": 1}})
    result, issues = read_appraisal(path, 2024, maxima)
    cells = at(path.name, 4, second="L")
    assert result == {
        "U01": {"1.1": Appraised(second=D(1), where=f"{path.name} · dòng 4", cells=cells)}
    }
    warning = issue(path, "appraisal_second_without_first", "L4", "1.1", Severity.WARNING)
    assert located(issues) == [warning]


def test_unknown_unit_or_item(tmp_path: Path) -> None:
    path = fill(written(tmp_path), {k: {"Thẩm định lần 1": 0.25} for k in MAXIMA})
    known = {("U01", "1.1"), ("U02", "1.1")}

    def fewer(unit: str, code: str) -> tuple[Decimal, Decimal | None] | None:
        return MAXIMA[(unit, code)] if (unit, code) in known else None

    result, issues = read_appraisal(path, 2024, fewer)
    assert {u: set(items) for u, items in result.items()} == {"U01": {"1.1"}, "U02": {"1.1"}}
    assert codes(issues) == ["appraisal_unknown"] * 5
    assert [i.cell for i in issues] == ["C5", "C6", "C7", "C9", "C10"]
    assert "U01" in issues[0].message and "1.2" in issues[0].message


def test_duplicate_row_keeps_the_first(tmp_path: Path) -> None:
    path = fill(written(tmp_path), {("U01", "1.1"): {"Thẩm định lần 1": 1}})
    wb = load_workbook(path)
    ws = wb[SHEET]
    ws.append(["U01", "UBND xã Tân Lập", "1.1", "", 1, 1, "", "", 0, "chép lại"])
    wb.save(path)
    result, issues = read_appraisal(path, 2024, maxima)
    cells = at(path.name, 4, first="I")
    assert result == {
        "U01": {"1.1": Appraised(first=D(1), where=f"{path.name} · dòng 4", cells=cells)}
    }
    assert located(issues) == [issue(path, "appraisal_duplicate", "C11", "1.1")]
    assert "dòng 4" in issues[0].message


def test_wrong_year_is_refused(tmp_path: Path) -> None:
    path = fill(write_appraisal(ROWS, 2023, tmp_path / "cu.xlsx"), TYPED)
    result, issues = read_appraisal(path, 2024, maxima)
    assert result == {}
    assert codes(issues) == ["appraisal_wrong_year"]
    assert issues[0].sheet == META_SHEET and "2023" in issues[0].message
    assert read_appraisal(path, None, maxima)[0]["U01"]["1.1"].first == D(1)


def other_sheet(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tự đánh giá"
    wb.save(path)


def missing_column(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append([t for t in HEADERS if t != "Giải trình bổ sung"])
    wb.save(path)


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("hong.xlsx", lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "không đọc được"),
        ("gia.xlsx", lambda p: p.write_bytes(b"<html>error</html>"), "tệp hỏng"),
        ("rong.xlsx", lambda p: p.write_bytes(b""), "tệp rỗng"),
        ("ghi-chu.txt", lambda p: p.write_text("U01;1.1;1"), "không phải sổ tính"),
        ("khac.xlsx", other_sheet, "không có trang 'Thẩm định'"),
        ("thieu-cot.xlsx", missing_column, "thiếu cột: Giải trình bổ sung"),
        ("khong-co.xlsx", lambda p: None, "không tìm thấy tệp"),
    ],
)
def test_unreadable_files_never_raise(tmp_path: Path, name: str, make: object, words: str) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    result, issues = read_appraisal(path, 2024, maxima)
    assert result == {}
    assert codes(issues) == ["appraisal_unreadable"]
    assert words in issues[0].message
    assert issues[0].file == str(path)


def test_calamine_reads_what_was_written(tmp_path: Path) -> None:
    rows = CalamineWorkbook.from_path(str(written(tmp_path))).get_sheet_by_name(SHEET).to_python()
    assert rows[HEADER_ROW - 1] == HEADERS
    assert rows[HEADER_ROW][:3] == ["U01", "UBND xã Tân Lập", "1.1"]
    assert rows[HEADER_ROW][6] == LINK


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("target", ["xlsx:Calc MS Excel 2007 XML", "ods"])
def test_libreoffice_round_trip(tmp_path: Path, target: str) -> None:
    """LibreOffice opens the filled workbook and saves it; cchc reads the same appraisal."""
    source = fill(written(tmp_path / "src"), TYPED)
    saved = convert(source, target, tmp_path / "lo")
    result, issues = read_appraisal(saved, 2024, maxima)
    assert issues == []
    assert result == expected(saved.name)
    if saved.suffix == ".xlsx":
        ws = load_workbook(saved)[SHEET]
        assert ws.protection.sheet
        assert ws.cell(HEADER_ROW + 1, 9).protection.locked is False
        assert ws.cell(HEADER_ROW + 1, 4).protection.locked is not False
        kinds = sorted(dv.type or "" for dv in ws.data_validations.dataValidation)
        assert kinds == ["decimal", "decimal"]


def test_rows_are_fitted_as_written_like_fit_rows_would(tmp_path: Path) -> None:
    """The heights set while writing equal what reading the cells back (fit_rows) finds."""
    from cchc.core.xlsx_print import fit_rows
    from cchc.templates.appraisal import ROUND_1, ROUND_2, Sheet, build_appraisal

    long = "Kế hoạch số 12/KH-UBND ngày 05/01/2024 về cải cách hành chính năm 2024 " * 3
    rows = [*ROWS, row("U01", "1.4", "1", "1", evidence=long, explanation=long, comment=long)]
    for sheet in (Sheet(2024), Sheet(2024, 1, "Sở Tư pháp"), Sheet(2024, 2, "Sở Tư pháp")):
        ws = build_appraisal(rows, sheet)[SHEET]
        written = {n: ws.row_dimensions[n].height for n in range(HEADER_ROW, ws.max_row + 1)}
        assert written[HEADER_ROW + len(rows)] is not None  # the long row is taller
        fit_rows(ws, HEADER_ROW)
        assert {n: ws.row_dimensions[n].height for n in written} == written
    assert ROUND_1.inputs == ("first", "comment") and ROUND_2.inputs == ("second", "second_comment")


def test_council_workbooks_header_and_meta_are_pinned(tmp_path: Path) -> None:
    """The contract of a body's workbook (both rounds) and of a unit's feedback workbook."""
    from cchc.templates.appraisal import Council, Sheet
    from cchc.templates.feedback import Addressee, FeedbackRow, write_feedback

    council = Council({"Sở Tư pháp": ("2",), "Sở Nội vụ": ("1", "3")})
    headers = {
        1: [
            "Mã đơn vị",
            "Tên đơn vị",
            "Mã",
            "Nội dung",
            "Điểm tối đa",
            "Số liệu đơn vị nhập",
            "Điểm tự chấm",
            "Tài liệu kiểm chứng",
            "Kết quả kiểm tra tài liệu",
            "Giải trình của đơn vị",
            "Thẩm định lần 1",
            "Nhận xét thẩm định",
        ],
        2: [
            "Mã đơn vị",
            "Tên đơn vị",
            "Mã",
            "Nội dung",
            "Điểm tối đa",
            "Điểm tự chấm",
            "Tài liệu kiểm chứng",
            "Giải trình của đơn vị",
            "Thẩm định lần 1",
            "Nhận xét thẩm định",
            "Giải trình bổ sung",
            "Tài liệu bổ sung",
            "Thẩm định lần 2",
            "Nhận xét thẩm định lần 2",
        ],
    }
    for number, header in headers.items():
        path = write_appraisal(
            ROWS, Sheet(2024, number, "Sở Tư pháp", council), tmp_path / "b.xlsx"
        )
        wb = load_workbook(path)
        assert [c.value for c in wb[SHEET][HEADER_ROW]] == header
        assert [tuple(r) for r in wb[META_SHEET].iter_rows(values_only=True)] == [
            ("kind", "appraisal"),
            ("year", "2024"),
            ("version", "1"),
            ("round", str(number)),
            ("body", "Sở Tư pháp"),
            ("council", "Sở Tư pháp: 2 | Sở Nội vụ: 1, 3"),
            ("rows", "7"),
        ]
        assert Council.parse("Sở Tư pháp: 2 | Sở Nội vụ: 1, 3") == council
    one = FeedbackRow("1.1", "Nội dung", D(1), D(1), D("0.5"), "Sở Nội vụ", "Thiếu tài liệu")
    path = write_feedback(Addressee("U01", "UBND xã Tân Lập", 2024), [one], tmp_path / "f.xlsx")
    wb = load_workbook(path)
    assert [c.value for c in wb["Kết quả thẩm định"][HEADER_ROW]] == [
        "Mã",
        "Nội dung",
        "Điểm tối đa",
        "Điểm tự chấm",
        "Thẩm định lần 1",
        "Chênh lệch",
        "Cơ quan thẩm định",
        "Nhận xét thẩm định",
        "Giải trình bổ sung của đơn vị",
        "Tài liệu bổ sung",
    ]
    assert [c.value for c in wb["Kết quả thẩm định"][HEADER_ROW + 1]][:6] == [
        "1.1",
        "Nội dung",
        1,
        1,
        0.5,
        -0.5,
    ]
    assert [tuple(r) for r in wb[META_SHEET].iter_rows(values_only=True)] == [
        ("kind", "appraisal_feedback"),
        ("year", "2024"),
        ("version", "1"),
        ("round", "1"),
        ("unit", "U01"),
        ("rows", "1"),
    ]
