"""Precision per set: tests/data/sets/precise-2024.yaml declares 4 decimals for points and 3 for
the index (scale 14: domain 1 = 1.1 proportional max 6 + 1.2 manual max 4 in steps of 0,0001;
domain 2 = 2.1 proportional max 3 rounded to 3 decimals + 2.2 yes/no max 1).

Worked by hand, half-up once at the declared decimals:

X001  1.1: 2873 of 2874 → 6 × 2873 / 2874 = 17238 / 2874 = 5,99791231… → 5,9979
      1.2: typed 3,9967
      2.1: 2 of 3 → 3 × 66,666…% = 1,99999… → 3 decimals → 2,000
      2.2: Đạt → 1
      total 5,9979 + 3,9967 + 2 + 1 = 12,9946; index 12,9946 / 14 × 100 = 92,8185714… → 92,819 %
      domain 1: 9,9946 / 10 → 99,946 %; domain 2: 3 / 4 → 75,000 %
X002  1.1: 2861 of 2874 → 17166 / 2874 = 5,97286012… → 5,9729
      1.2: typed 3,3902
      2.1: 1234 of 1500 → 3 × 1234 / 1500 = 2,468
      2.2: Đạt → 1
      total 5,9729 + 3,3902 + 2,468 + 1 = 12,8311; index 12,8311 / 14 × 100 = 91,6507142… → 91,651 %
      domain 1: 9,3631 / 10 → 93,631 %; domain 2: 3,468 / 4 → 86,700 %
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from cchc.core.numbers import number_format, pct, places_of, signed
from cchc.criteria.dump import dump_yaml
from cchc.criteria.loader import load_file, load_text
from cchc.criteria.model import CriteriaSet
from cchc.scoring.index import LeafScore, totals
from cchc.scoring.rules import Entry, evaluate
from cchc.templates.layout import HEADER_ROW, LETTER, SELF_SHEET
from cchc.units.model import Unit
from tests.conftest import DATA
from tests.office import SOFFICE, convert
from tests.test_cli import run
from tests.workbooks import Cells, filled

D = Decimal
SET = DATA / "sets" / "precise-2024.yaml"
X001 = Unit(code="X001", name="UBND xã Tân Lập", group="xa", set="chinh-xac")
X002 = Unit(code="X002", name="UBND xã Đồng Tâm", group="xa", set="chinh-xac")
ENTRIES: dict[str, Cells] = {
    "X001": {
        "1.1": {"figure1": 2873, "figure2": 2874},
        "1.2": {"points": 3.9967},
        "2.1": {"figure1": 2, "figure2": 3},
        "2.2": {"choice": "Đạt"},
    },
    "X002": {
        "1.1": {"figure1": 2861, "figure2": 2874},
        "1.2": {"points": 3.3902},
        "2.1": {"figure1": 1234, "figure2": 1500},
        "2.2": {"choice": "Đạt"},
    },
}
POINTS = {
    "X001": {"1.1": "5.9979", "1.2": "3.9967", "2.1": "2.000", "2.2": "1"},
    "X002": {"1.1": "5.9729", "1.2": "3.3902", "2.1": "2.468", "2.2": "1"},
}
TOTAL = {"X001": "12.9946", "X002": "12.8311"}
INDEX = {"X001": "92.819", "X002": "91.651"}
DOMAINS = {"X001": ("99.946", "75.000"), "X002": ("93.631", "86.700")}
UNITS = """\
- {code: X001, name: UBND xã Tân Lập, group: xa, set: chinh-xac}
- {code: X002, name: UBND xã Đồng Tâm, group: xa, set: chinh-xac}
"""
BASE = "id: a\nyear: 2024\ntitle: A\nlevel: xa\nstatus: sample\nscale: 1\n"
BASE += "bands: [{label: Đạt, min: 0}]\n"


@pytest.fixture(scope="module")
def precise() -> CriteriaSet:
    loaded = load_file(SET)
    assert loaded.ok and loaded.set is not None, loaded.issues
    return loaded.set


def _entry(cells: dict[str, object]) -> Entry:
    def number(name: str) -> Decimal | None:
        value = cells.get(name)
        return None if value is None else D(str(value))

    choice = cells.get("choice")
    return Entry(
        number("figure1"), number("figure2"), str(choice) if choice else None, number("points")
    )


# --- the model -------------------------------------------------------------------------------


def test_the_set_declares_its_decimals(precise: CriteriaSet) -> None:
    assert (precise.precision.points, precise.precision.index) == (4, 3)


def test_a_set_without_precision_keeps_two_decimals_and_dumps_as_before() -> None:
    text = BASE + "items:\n  - {code: '1', title: B, max: 1, rule: {kind: yes_no}}\n"
    loaded = load_text(text)
    assert loaded.ok and loaded.set is not None
    assert (loaded.set.precision.points, loaded.set.precision.index) == (2, 2)
    assert "precision" not in dump_yaml(loaded.set)


def test_an_old_proportional_decimals_2_still_loads_and_fingerprints_the_same() -> None:
    rule = "{kind: proportional, measure: {percent: P}, decimals: 2}"
    loaded = load_text(BASE + f"items:\n  - {{code: '1', title: B, max: 1, rule: {rule}}}\n")
    assert loaded.ok and loaded.set is not None
    assert "decimals" not in dump_yaml(loaded.set)  # as it dumped before precision existed


@pytest.mark.parametrize(
    ("precision", "rule", "code"),
    [
        ("{points: 5}", "{kind: yes_no}", "invalid_value"),
        ("{index: -1}", "{kind: yes_no}", "invalid_value"),
        ("{points: 2}", "{kind: manual, step: 0.0001}", "step_over_precision"),
        (
            "{points: 3}",
            "{kind: proportional, measure: {percent: P}, decimals: 4}",
            "decimals_over_precision",
        ),
    ],
)
def test_decimals_out_of_bounds_are_errors(precision: str, rule: str, code: str) -> None:
    text = (
        BASE
        + f"precision: {precision}\nitems:\n  - {{code: '1', title: B, max: 1, rule: {rule}}}\n"
    )
    loaded = load_text(text)
    assert not loaded.ok
    assert [i.code for i in loaded.issues] == [code]


def test_steps_of_a_ten_thousandth_with_four_decimals(precise: CriteriaSet) -> None:
    item = precise.find("1.2")
    assert item is not None
    assert evaluate(item, Entry(None, None, None, D("3.9967")), places=4).points == D("3.9967")
    assert evaluate(item, Entry(None, None, None, D("3.99675")), places=4).problems


# --- scoring -------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["X001", "X002"])
def test_points_and_index_worked_by_hand(precise: CriteriaSet, unit: str) -> None:
    leaves = {}
    for code, cells in ENTRIES[unit].items():
        item = precise.find(code)
        assert item is not None and item.max is not None
        outcome = evaluate(item, _entry(cells), places=precise.precision.points)
        assert outcome.points == D(POINTS[unit][code]), code
        leaves[code] = LeafScore(code, item.max, {"self": outcome.points})
    result = totals(precise, leaves)
    assert result.points == D(TOTAL[unit])
    assert str(result.index) == INDEX[unit]  # three decimals, trailing zero kept
    assert (str(result.nodes["1"].index), str(result.nodes["2"].index)) == DOMAINS[unit]


def test_half_up_once_at_four_decimals() -> None:
    # 1 × 12,34565 % = 0,1234565 → 0,1235 (half-up at the fifth decimal, not 0,12 then more).
    text = BASE + "precision: {points: 4, index: 3}\nitems:\n"
    text += "  - {code: '1', title: B, max: 1, rule: {kind: proportional, measure: {percent: P}}}\n"
    loaded = load_text(text)
    assert loaded.ok and loaded.set is not None
    item = loaded.set.leaves()[0]
    assert evaluate(item, Entry(D("12.34565")), places=4).points == D("0.1235")
    assert evaluate(item, Entry(D("12.34565"))).points == D("0.12")  # default 2 decimals


def test_formatting_helpers() -> None:
    assert [number_format(p) for p in (0, 2, 3, 4)] == ["0", "0.00", "0.000", "0.0000"]
    assert pct(D("91.651"), "%", 3) == "91,651%"
    assert pct(D("75"), places=3) == "75,000"
    assert signed(D("-1.5"), 3) == "−1,500"
    assert [places_of(D(x)) for x in ("0.0001", "0.2500", "3", "12.9946")] == [4, 2, 0, 4]


def test_a_comparison_shows_the_finest_decimals_of_its_sets(precise: CriteriaSet) -> None:
    from cchc.criteria.crosswalk import crosswalk
    from cchc.scoring.compare import Comparison, Side

    two = load_text(BASE + "items:\n  - {code: '1', title: B, max: 1, rule: {kind: yes_no}}\n").set
    assert two is not None
    shown = Comparison(2023, 2024, [], [crosswalk(two, precise)]).precision
    assert (shown.points, shown.index) == (4, 3)
    assert Comparison(2023, 2024, [], []).precision.index == 2
    assert Side(D("2"), D("3"), 3).share == D("66.667")  # 66,666…% of the maximum
    assert Side(D("2"), D("3")).share == D("66.67")


# --- every output, from a workspace scored on the set ----------------------------------------


@pytest.fixture
def scored(tmp_path: Path, precise: CriteriaSet, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace on the set, both units' workbooks filled as above, scored for 2024."""
    root = tmp_path / "ws"
    assert run("init", str(root), "--province", "Tỉnh Thử")[0] == 0
    shutil.copy(SET, root / "sets")
    (root / "don-vi.yaml").write_text(UNITS, encoding="utf-8")
    for unit in (X001, X002):
        filled(precise, unit, ENTRIES[unit.code], root / "nop" / f"{unit.code}.xlsx")
    monkeypatch.chdir(root)
    code, out = run("score", "nop", "--year", "2024", "--out", "ra")
    assert code == 0, out
    assert "92,819  Tốt" in out and "91,651  Tốt" in out
    return root


def _formats(path: Path, sheet: str, values: dict[object, str]) -> dict[object, str]:
    """The number format of the first cell holding each value (compared as text)."""
    ws = load_workbook(path)[sheet]
    found: dict[object, str] = {}
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, float | int) and not isinstance(cell.value, bool):
                text = str(D(repr(cell.value)))
                for wanted in values:
                    if D(str(wanted)) == D(text) and wanted not in found:
                        found[wanted] = cell.number_format
    return found


def test_the_unit_workbook_shows_four_decimals(precise: CriteriaSet, tmp_path: Path) -> None:
    path = filled(precise, X002, {}, tmp_path / "X002.xlsx")
    ws = load_workbook(path)[SELF_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    for code in ("1", "1.1", "1.2", "2.1", "2.2"):
        assert ws[f"C{rows[code]}"].number_format == "0.0000"
        assert ws[f"{LETTER['points']}{rows[code]}"].number_format == "0.0000"
    formula = ws[f"{LETTER['points']}{rows['1.1']}"].value
    assert "ROUND(6*" in formula and "/100,4)" in formula  # rounded once, at 4 decimals
    assert "/100,3)" in ws[f"{LETTER['points']}{rows['2.1']}"].value  # the rule's own 3


def test_results_appraisal_plan_report_and_explain_show_the_declared_decimals(
    scored: Path,
) -> None:
    results = scored / "ra" / "ket-qua-2024.xlsx"
    ranking = _formats(
        results, "Xếp hạng", {"12.9946": "", "12.8311": "", "91.651": "", "92.819": ""}
    )
    assert ranking == {
        "12.9946": "0.0000",
        "12.8311": "0.0000",
        "92.819": "0.000",
        "91.651": "0.000",
    }
    detail = _formats(results, "X002", {"5.9729": "", "3.3902": "", "2.468": "", "86.7": ""})
    assert detail == {"5.9729": "0.0000", "3.3902": "0.0000", "2.468": "0.0000", "86.7": "0.000"}

    assert run("appraise", "--year", "2024", "--out", "ra/tham-dinh.xlsx")[0] == 0
    book = load_workbook(scored / "ra" / "tham-dinh.xlsx")
    appraisal = next(n for n in book.sheetnames if not n.startswith("_"))
    assert _formats(scored / "ra" / "tham-dinh.xlsx", appraisal, {"5.9979": ""}) == {
        "5.9979": "0.0000"
    }

    code, out = run("explain", "X002", "1.1", "--year", "2024")
    assert code == 0 and "Điểm cuối cùng: 5,9729 (theo tự chấm)" in out
    code, out = run("explain", "X001", "2.1", "--year", "2024")
    assert code == 0 and "Điểm cuối cùng: 2,0000" in out  # 2,000 shown with the set's 4

    # X002 loses 14 − 12,8311 = 1,1689 points; 1.2 would give (12,8311 + 0,6098) / 14 = 96,006 %
    code, out = run("whatif", "X002", "--year", "2024")
    assert code == 0 and "+0,6098 điểm, +4,355 chỉ số" in out

    code, out = run("plan", "--unit", "X002", "--year", "2024", "--out", "kh")
    assert code == 0 and "mất 1,1689 điểm" in out, out
    plan = "\n".join(p.text for p in Document(str(scored / "kh" / "ke-hoach-2024.docx")).paragraphs)
    assert "đạt 91,651%" in plan
    fix = _formats(
        scored / "kh" / "phu-luc-2-2024.xlsx", "Phụ lục II", {"0.6098": "", "1.1689": ""}
    )
    assert fix == {"0.6098": "0.0000", "1.1689": "0.0000"}

    assert run("report", "--year", "2024", "--out", "bc")[0] == 0
    html = (scored / "bc" / "bao-cao-2024.html").read_text(encoding="utf-8")
    html = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", "", html)).split())
    assert "Chỉ số 91,651% (12,8311/14 điểm)" in html
    assert "92,235" in html  # the average (92,819 + 91,651) / 2
    for share in ("99,946", "75,000", "93,631", "86,700"):
        assert share in html
    # Points lost: 1,0054 (X001) + 1,1689 (X002) = 2,1743; 2.1 loses 1 + 0,532 = 1,532 of them,
    # 1,532 / 2,1743 = 70,4594…% → 70,459 cumulative
    assert "Tổng cộng 2,1743 điểm bị mất" in html and "1,532 2 70,459" in html

    code, out = run("chart", "ranking", "--year", "2024", "--out", "xh.png", "--json")
    assert code == 0 and '"places": 3' in out

    code, out = run("criteria", "show", "chinh-xac")
    assert code == 0 and "Điểm 4 chữ số thập phân, chỉ số 3 chữ số thập phân" in out


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftoppm") is None, reason="no LibreOffice")
def test_libreoffice_renders_the_filled_workbook_with_four_decimals(
    precise: CriteriaSet, tmp_path: Path
) -> None:
    """LibreOffice opens X002's filled workbook, recalculates, prints it: 4 decimals throughout
    (page 2 of the PDF, rendered as a picture, was looked at when this test was written)."""
    source = filled(precise, X002, ENTRIES["X002"], tmp_path / "in" / "X002.xlsx")
    pdf = convert(source, "pdf", tmp_path / "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace(",", ".")
    for shown in ("6.0000", "5.9729", "3.3902", "2.4680", "1.0000", "9.3631", "3.4680"):
        assert shown in text, shown
    assert "14.0000" in text and "12.8311" in text  # the maximum beside the total, and the total
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "trang")], check=True)
    assert list(tmp_path.glob("trang*.png"))


def test_survey_points_are_rounded_at_the_unit_sets_decimals(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from cchc.inputs.survey import read_survey

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Mã đơn vị", "Tên đơn vị", "Mã", "Tỷ lệ hài lòng (%)", "Điểm"])
    ws.append(["X001", "UBND xã Tân Lập", "3.1", 87.1234, None])
    ws.append(["X002", "UBND xã Đồng Tâm", "3.1", 87.1234, None])
    path = tmp_path / "khao-sat.xlsx"
    wb.save(path)

    def max_of(unit: str, item: str) -> Decimal | None:
        return D(3) if item == "3.1" else None

    # 3 × 87,1234 % = 2,613702 → X001 on a 4-decimal set 2,6137; X002 on a 2-decimal set 2,61.
    places = {"X001": 4, "X002": 2}
    imported = read_survey(path, max_of, places_of=lambda unit: places[unit])
    assert imported.issues == []
    points = {unit: items["3.1"].points for unit, items in imported.values.items()}
    assert points == {"X001": D("2.6137"), "X002": D("2.61")}


def test_the_exported_table_keeps_the_decimals(precise: CriteriaSet, tmp_path: Path) -> None:
    from cchc.criteria.dump import with_inner_max
    from cchc.criteria.export import export_xlsx
    from cchc.criteria.table_import import import_table

    back = import_table(export_xlsx(precise, tmp_path / "bo.xlsx"))
    assert back.ok and back.set is not None, back.issues
    assert (back.set.precision.points, back.set.precision.index) == (4, 3)
    assert back.set == with_inner_max(precise)
