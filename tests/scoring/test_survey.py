"""Survey results: aggregated and raw layouts, answer maps, every issue, CSV and broken files.

Expected values are worked out by hand in the comments (mini set: 3.1 max 3, 3.2 max 2).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from cchc.core.issues import Issue, Severity
from cchc.criteria.model import CriteriaSet, effective_method
from cchc.inputs.survey import read_survey
from cchc.inputs.survey_table import MaxOf, SurveyImport
from cchc.scoring.index import applicable_max
from cchc.scoring.layers import Surveyed
from cchc.scoring.satisfaction import DEFAULT_ANSWERS, parse_answer_map

SHEET = "Kết quả"
UNITS = {"X01": "xa", "P02": "phuong"}
AGGREGATED = ["Mã đơn vị", "Tên đơn vị", "Mã", "Tỷ lệ hài lòng (%)", "Điểm"]
RAW = ["STT", "Mã đơn vị", "3.1", "3.2"]
Cell = str | int | float | None


def survey_max(criteria: CriteriaSet) -> MaxOf:
    """max_of for the units X01 (xa) and P02 (phuong): the survey leaves of the set."""
    leaves = {
        item.code: item
        for item, ancestors in criteria.walk()
        if item.is_leaf and effective_method(item, ancestors) == "survey"
    }

    def max_of(unit: str, item: str) -> Decimal | None:
        group = UNITS.get(unit.upper())
        if group is None or item not in leaves:
            return None
        return applicable_max(leaves[item], group)

    return max_of


def xlsx(tmp_path: Path, rows: Sequence[Sequence[Cell]], name: str = "khao-sat.xlsx") -> Path:
    """A workbook with the rows on its first sheet, from A1."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    for row in rows:
        ws.append(list(row))
    wb.create_sheet("Ghi chú")["A1"] = "Mã đơn vị"  # only the first sheet is read
    path = tmp_path / name
    wb.save(path)
    return path


def titled(*rows: Sequence[Cell]) -> list[Sequence[Cell]]:
    """The rows under two title rows, as published tables have them."""
    return [["KẾT QUẢ ĐIỀU TRA XÃ HỘI HỌC NĂM 2024"], [], *rows]


def codes(result: SurveyImport) -> list[tuple[str, str | None]]:
    """Issue codes and cells, in order."""
    return [(i.code, i.cell) for i in result.issues]


def only(result: SurveyImport, code: str) -> Issue:
    """The single issue with this code."""
    found = [i for i in result.issues if i.code == code]
    assert len(found) == 1, result.issues
    return found[0]


def points(result: SurveyImport) -> dict[str, dict[str, Decimal]]:
    """Points only, per unit and item."""
    return {u: {i: s.points for i, s in items.items()} for u, items in result.values.items()}


# --- Answer maps ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=100,B=60,C=20,D=0", {"A": "100", "B": "60", "C": "20", "D": "0"}),
        ("A=100; B=62,5; C=25; D=0", {"A": "100", "B": "62.5", "C": "25", "D": "0"}),
        ("A=85,5,B=60", {"A": "85.5", "B": "60"}),  # a comma followed by digits is decimal
        ("A = 1.5 ; B=0", {"A": "1.5", "B": "0"}),
        ("Rất hài lòng=100;Hài lòng=75", {"Rất hài lòng": "100", "Hài lòng": "75"}),
    ],
)
def test_parse_answer_map(text: str, expected: dict[str, str]) -> None:
    assert parse_answer_map(text) == {k: Decimal(v) for k, v in expected.items()}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "không hợp lệ"),
        ("A", "không hợp lệ"),
        ("A=tốt", "không hợp lệ"),
        ("A=100,,B=60", "không hợp lệ"),
        ("A=120,B=0", "từ 0 đến 100"),
        ("A=100, a =60", "hai lần"),
    ],
)
def test_parse_answer_map_rejects(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_answer_map(text)


def test_default_answers() -> None:
    assert parse_answer_map("A=100,B=60,C=20,D=0") == DEFAULT_ANSWERS


# --- Aggregated layout ----------------------------------------------------------------------------


def test_aggregated_percent_and_points(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        titled(
            AGGREGATED,
            ["X01", "Xã Tân Lập", "3.1", 44.5, None],  # 3 × 44,5% = 1,335 → half-up 1,34
            ["X01", "Xã Tân Lập", "3.2", "85,5", None],  # decimal comma: 2 × 85,5% = 1,71
            ["P02", "Phường Đông Hà", 3.1, None, "2,5"],  # points as given; 3.1 typed as a number
            ["p02 ", "Phường Đông Hà", "3.2", 100, 1.75],  # points win over percent: 1,75
            [],
            [None, "Ghi chú: số liệu mẫu"],  # no unit, item or value: not a row
        ),
    )
    result = read_survey(path, survey_max(mini))
    assert result.kind == "aggregated"
    assert result.issues == []
    assert result.respondents == {}
    assert points(result) == {
        "X01": {"3.1": Decimal("1.34"), "3.2": Decimal("1.71")},
        "P02": {"3.1": Decimal("2.5"), "3.2": Decimal("1.75")},
    }
    assert result.values["X01"]["3.1"] == Surveyed(
        Decimal("1.34"), Decimal("44.5"), "khao-sat.xlsx · dòng 4"
    )
    assert result.values["P02"]["3.1"].percent is None
    assert result.values["P02"]["3.2"].percent == Decimal(100)


def test_aggregated_header_spellings(mini: CriteriaSet, tmp_path: Path) -> None:
    """NFD text, no accents, other case and spacing, 'Mã tiêu chí', 'Tỉ lệ'."""
    nfd = unicodedata.normalize("NFD", "MÃ  ĐƠN VỊ")
    path = xlsx(tmp_path, [[nfd, "Ma tieu chi", "Tỉ lệ(%)"], ["X01", "3.2", "12,345"]])
    result = read_survey(path, survey_max(mini))
    assert result.issues == []
    assert points(result) == {"X01": {"3.2": Decimal("0.25")}}  # 2 × 12,345% = 0,2469 → 0,25


def test_aggregated_out_of_range_and_not_a_number(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            ["Mã đơn vị", "Mã", "Tỷ lệ", "Điểm"],
            ["X01", "3.1", 100.5, None],  # percent above 100
            ["X01", "3.2", None, 2.5],  # points above the maximum 2
            ["P02", "3.1", "-1", None],  # percent below 0
            ["P02", "3.2", "tám mươi", None],  # not a number
            ["P02", "3.1", 50, None],  # the earlier 3.1 row of P02 was skipped: this one counts
        ],
    )
    result = read_survey(path, survey_max(mini))
    assert codes(result) == [
        ("survey_out_of_range", "C2"),
        ("survey_out_of_range", "D3"),
        ("survey_out_of_range", "C4"),
        ("survey_not_a_number", "C5"),
    ]
    assert all(i.severity is Severity.ERROR for i in result.issues)
    first = result.issues[0]
    assert (first.file, first.sheet, first.item) == (str(path), SHEET, "3.1")
    assert "100,5" in first.message
    assert points(result) == {"P02": {"3.1": Decimal("1.5")}}  # 3 × 50% = 1,5


def test_aggregated_unknown_unit_and_item(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            ["Mã đơn vị", "Mã", "Tỷ lệ hài lòng (%)"],
            ["X99", "3.1", 80],  # unknown unit: reported once
            ["X99", "3.2", 80],
            ["X01", "3.9", 80],  # no such item
            ["X01", "1.1.1", 80],  # an item, but not a survey item
            [None, "3.1", 80],  # no unit code
            ["X01", None, 80],  # no item code
            ["X01", "3.1", 80],  # 3 × 80% = 2,4
        ],
    )
    result = read_survey(path, survey_max(mini))
    assert codes(result) == [
        ("survey_unknown_unit", "A2"),
        ("survey_unknown_item", "B4"),
        ("survey_unknown_item", "B5"),
        ("survey_unknown_unit", "A6"),
        ("survey_unknown_item", "B7"),
    ]
    assert "X99" in result.issues[0].message
    assert result.issues[1].item == "3.9"
    assert points(result) == {"X01": {"3.1": Decimal("2.4")}}


def test_aggregated_duplicates_keep_the_first(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            ["Mã đơn vị", "Mã", "Tỷ lệ hài lòng (%)"],
            ["X01", "3.1", 50],  # 3 × 50% = 1,5
            ["x01", "3.1", 50],  # same unit (case ignored), same result: a warning
            ["X01", "3.1", 90],  # a different result: an error
        ],
    )
    result = read_survey(path, survey_max(mini))
    assert [(i.code, i.severity, i.cell) for i in result.issues] == [
        ("survey_duplicate", Severity.WARNING, "A3"),
        ("survey_duplicate", Severity.ERROR, "A4"),
    ]
    assert "dòng 2" in result.issues[1].message
    assert points(result) == {"X01": {"3.1": Decimal("1.5")}}


def test_aggregated_missing_value(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["Mã đơn vị", "Mã", "Điểm"], ["X01", "3.1", None]])
    result = read_survey(path, survey_max(mini))
    issue = only(result, "survey_missing_value")
    assert (issue.severity, issue.cell, issue.item) == (Severity.WARNING, "C2", "3.1")
    assert result.values == {}


def test_aggregated_excel_percent_cells(mini: CriteriaSet, tmp_path: Path) -> None:
    """Cells typed '44,5%' in Excel hold 0.445: the whole column is read as fractions."""
    path = xlsx(
        tmp_path,
        [["Mã đơn vị", "Mã", "Tỷ lệ (%)"], ["X01", "3.1", 0.445], ["X01", "3.2", 1]],
    )
    result = read_survey(path, survey_max(mini))
    issue = only(result, "survey_percent_scale")
    assert (issue.severity, issue.cell) == (Severity.WARNING, "C1")
    # 3 × 44,5% = 1,335 → 1,34; 1 is 100%: 2 × 100% = 2
    assert points(result) == {"X01": {"3.1": Decimal("1.34"), "3.2": Decimal("2")}}
    assert result.values["X01"]["3.1"].percent == Decimal("44.5")


# --- Raw layout -----------------------------------------------------------------------------------

RESPONSES: list[Sequence[Cell]] = [
    RAW,
    [1, "X01", "A", "B"],
    [2, "X01", " b ", None],  # case and spaces ignored; 3.2 not answered
    [3, "X01", "C", "E"],  # E is not an answer: ignored with a warning
    [4, "P02", "A", "D"],
    [5, "P02", None, None],  # answered nothing: not a respondent
]


def test_raw_default_answers(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(tmp_path, titled(*RESPONSES))
    result = read_survey(path, survey_max(mini))
    assert result.kind == "raw"
    assert [(i.code, i.severity, i.cell, i.item) for i in result.issues] == [
        ("survey_bad_answer", Severity.WARNING, "D6", "3.2"),
    ]
    assert result.respondents == {"X01": 3, "P02": 1}
    # X01 3.1: A, B, C = 100, 60, 20 → mean 60% → 3 × 60% = 1,8
    # X01 3.2: B = 60% → 2 × 60% = 1,2;  P02: A → 3, D → 0
    assert points(result) == {
        "X01": {"3.1": Decimal("1.8"), "3.2": Decimal("1.2")},
        "P02": {"3.1": Decimal("3"), "3.2": Decimal("0")},
    }
    assert result.values["X01"]["3.1"] == Surveyed(
        Decimal("1.8"), Decimal("60"), "khao-sat.xlsx · 3 phiếu"
    )
    assert result.values["X01"]["3.2"].where == "khao-sat.xlsx · 1 phiếu"


def test_raw_satisfied_only(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(tmp_path, RESPONSES)
    result = read_survey(path, survey_max(mini), satisfied_only=True)
    # The two best answers are A and B.
    # X01 3.1: A, B of A, B, C → 2/3 = 66,666…% → 66,67% → 3 × 66,67% = 2,0001 → 2,00
    # X01 3.2: B → 100% → 2;  P02 3.1: A → 100% → 3;  P02 3.2: D → 0% → 0
    assert result.values["X01"]["3.1"].percent == Decimal("66.67")
    assert points(result) == {
        "X01": {"3.1": Decimal("2.00"), "3.2": Decimal("2")},
        "P02": {"3.1": Decimal("3"), "3.2": Decimal("0")},
    }


def test_raw_custom_map_and_numbers(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            RAW,
            [1, "X01", "A", 80],  # 3.2 as a percent typed as a number
            [2, "X01", "B", "90,5"],  # … or as text with a decimal comma
            [3, "X01", "b", None],
            [4, "X01", "D", 101],  # above 100: not a percent
        ],
    )
    answers = parse_answer_map("A=100;B=62,5;C=25;D=0")
    result = read_survey(path, survey_max(mini), answers)
    assert codes(result) == [("survey_bad_answer", "D5")]
    # 3.1: (100 + 62,5 + 62,5 + 0) / 4 = 56,25% → 3 × 56,25% = 1,6875 → 1,69
    # 3.2: (80 + 90,5) / 2 = 85,25% → 2 × 85,25% = 1,705 → half-up 1,71
    assert points(result) == {"X01": {"3.1": Decimal("1.69"), "3.2": Decimal("1.71")}}
    assert result.respondents == {"X01": 4}

    satisfied = read_survey(path, survey_max(mini), answers, satisfied_only=True)
    # satisfied: worth at least the second best (62,5). 3.1: A, B, b of 4 → 75% → 2,25
    # 3.2: 80 and 90,5 are both ≥ 62,5 → 100% → 2
    assert points(satisfied) == {"X01": {"3.1": Decimal("2.25"), "3.2": Decimal("2")}}


def test_raw_unknown_units_items_and_no_answers(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            ["Mã đơn vị", "3.1", "3.2", "3.9", "Ghi chú"],
            ["X99", "A", "A", None, None],  # unknown unit: reported once
            ["X99", "B", "B", None, None],
            [None, "A", "A", None, None],  # answers without a unit
            ["X01", "A", None, "A", "3.9 is not an item"],  # nobody of X01 answered 3.2
        ],
    )
    result = read_survey(path, survey_max(mini))
    assert [(i.code, i.severity, i.cell, i.item) for i in result.issues] == [
        ("survey_unknown_item", Severity.ERROR, "D1", "3.9"),
        ("survey_unknown_unit", Severity.ERROR, "A2", None),
        ("survey_unknown_unit", Severity.ERROR, "A4", None),
        ("survey_no_answers", Severity.WARNING, "C1", "3.2"),
    ]
    assert points(result) == {"X01": {"3.1": Decimal("3")}}
    assert result.respondents == {"X01": 1}


def test_raw_repeated_item_column(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["Mã đơn vị", "3.1", "3.1"], ["X01", "C", "A"]])
    result = read_survey(path, survey_max(mini))
    assert codes(result) == [("survey_duplicate", "C1")]
    assert points(result) == {"X01": {"3.1": Decimal("0.6")}}  # first column: C = 20% of 3


def test_raw_sipas_codes(tmp_path: Path) -> None:
    """Any code-like header is an item column; max_of decides which are items."""
    maxima = {"1.1": Decimal("4.5"), "3.6": Decimal(5)}
    path = xlsx(tmp_path, [["Mã đơn vị", "Họ tên", "1.1", "3.6"], ["S1", "Nguyễn Văn A", "A", "B"]])
    result = read_survey(path, lambda unit, item: maxima.get(item) if unit == "S1" else None)
    # 4,5 × 100% = 4,5;  5 × 60% = 3
    assert points(result) == {"S1": {"1.1": Decimal("4.5"), "3.6": Decimal("3")}}


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_aggregated_with_bom_and_semicolons(mini: CriteriaSet, tmp_path: Path) -> None:
    path = tmp_path / "khao-sat.csv"
    text = "Kết quả khảo sát\nMã đơn vị;Mã;Tỷ lệ hài lòng (%)\nX01;3.1;44,5\nX01;3.2;120\n"
    path.write_bytes(text.encode("utf-8-sig"))
    result = read_survey(path, survey_max(mini))
    issue = only(result, "survey_out_of_range")
    assert (issue.line, issue.sheet, issue.cell) == (4, None, "C4")
    assert points(result) == {"X01": {"3.1": Decimal("1.34")}}  # 3 × 44,5% = 1,335 → 1,34
    assert result.values["X01"]["3.1"].where == "khao-sat.csv · dòng 3"


def test_csv_raw(mini: CriteriaSet, tmp_path: Path) -> None:
    path = tmp_path / "phieu.csv"
    path.write_text('Mã đơn vị,3.1,3.2\nX01,A,"60,5"\nX01,C,\n', encoding="utf-8")
    result = read_survey(path, survey_max(mini))
    assert result.kind == "raw"
    assert result.issues == []
    # 3.1: (100 + 20) / 2 = 60% → 1,8;  3.2: 60,5% → 2 × 60,5% = 1,21
    assert points(result) == {"X01": {"3.1": Decimal("1.8"), "3.2": Decimal("1.21")}}
    assert result.values["X01"]["3.2"].where == "phieu.csv · 1 phiếu"


# --- Broken files and layouts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("hong.xlsx", b"PK\x03\x04 not really a zip"),
        ("hong.xls", b"not an xls file"),
        ("hong.ods", b""),
        ("cu.csv", b"M\xe3 \xf0\xf5n v\xef,M\xe3\n"),  # a legacy 8-bit encoding
        ("ket-qua.txt", b"Ma don vi"),
    ],
)
def test_unreadable_files(mini: CriteriaSet, tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = read_survey(path, survey_max(mini))
    issue = only(result, "survey_unreadable")
    assert (issue.severity, issue.file) == (Severity.ERROR, str(path))
    assert issue.message.startswith("không đọc được tệp kết quả khảo sát")
    assert result.values == {}


def test_missing_file(mini: CriteriaSet, tmp_path: Path) -> None:
    result = read_survey(tmp_path / "khong-co.xlsx", survey_max(mini))
    assert "không tồn tại" in only(result, "survey_unreadable").message


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ([["Đơn vị", "Điểm"], ["X01", 1]], "không tìm thấy dòng tiêu đề"),
        ([["Mã đơn vị", "Tên đơn vị"], ["X01", "Xã Tân Lập"]], "không nhận ra bố cục"),
        ([["Mã đơn vị", "Mã", "Ghi chú"], ["X01", "3.1", ""]], "Tỷ lệ hài lòng"),
    ],
)
def test_layout_not_recognised(
    mini: CriteriaSet, tmp_path: Path, rows: list[list[Cell]], says: str
) -> None:
    result = read_survey(xlsx(tmp_path, rows), survey_max(mini))
    assert says in only(result, "survey_layout").message
    assert result.values == {}


def test_input_is_not_modified(mini: CriteriaSet, tmp_path: Path) -> None:
    path = xlsx(tmp_path, RESPONSES)
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    read_survey(path, survey_max(mini))
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


def test_empty_answer_map_is_a_programming_error(mini: CriteriaSet, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="trống"):
        read_survey(xlsx(tmp_path, RESPONSES), survey_max(mini), answers={})


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        ('Mã đơn vị,Mã,Tỷ lệ (%)\nX01,3.1,"0,765"\nX01,3.2,0.68\n', {"3.1": "76.5", "3.2": "68"}),
        ("Mã đơn vị;Mã;Tỷ lệ (%)\nX01;3.1;0.802\nX01;3.2;1\n", {"3.1": "80.2", "3.2": "100"}),
    ],
)
def test_rates_written_as_fractions(
    mini: CriteriaSet, tmp_path: Path, text: str, percent: dict[str, str]
) -> None:
    """A column of rates from 0 to 1 (0,765; 0.68; 0.802 is never 802) is read as fractions."""
    path = tmp_path / "ty-le.csv"
    path.write_text(text, encoding="utf-8")
    result = read_survey(path, survey_max(mini))
    assert [i.code for i in result.issues] == ["survey_percent_scale"]
    assert {c: s.percent for c, s in result.values["X01"].items()} == {
        c: Decimal(v) for c, v in percent.items()
    }


def test_a_sign_makes_a_percent_whatever_the_column(mini: CriteriaSet, tmp_path: Path) -> None:
    """'0,5%' is half a percent, even beside fractions: 3 × 0,5% = 0,015 → 0,02."""
    path = tmp_path / "ty-le.csv"
    path.write_text("Mã đơn vị;Mã;Tỷ lệ (%)\nX01;3.1;0,5%\nX01;3.2;0,9\n", encoding="utf-8")
    result = read_survey(path, survey_max(mini))
    assert points(result) == {"X01": {"3.1": Decimal("0.02"), "3.2": Decimal("1.8")}}


def test_unquoted_decimal_commas_in_a_comma_csv(mini: CriteriaSet, tmp_path: Path) -> None:
    """X001,3.1,76,5 splits 76,5 in two: the row is refused, naming its line, never read as 76."""
    path = tmp_path / "ty-le.csv"
    path.write_text("Mã đơn vị,Mã,Tỷ lệ (%)\nX01,3.1,76,5\nX01,3.2,80\n", encoding="utf-8")
    result = read_survey(path, survey_max(mini))
    issue = only(result, "survey_row_ambiguous")
    assert (issue.severity, issue.line) == (Severity.ERROR, 2)
    assert "dòng có nhiều ô hơn dòng tiêu đề (3 cột)" in issue.message
    assert points(result) == {"X01": {"3.2": Decimal("1.6")}}  # 2 × 80% = 1,6
