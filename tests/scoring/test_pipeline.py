"""`cchc score` end to end on the mini set: layers, store, results workbook, official results."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from cchc.commands.score import ScoreJob, score
from cchc.core.errors import CommandError
from cchc.criteria.model import CriteriaSet
from cchc.inputs.official import read_official
from cchc.reports import results_xlsx
from cchc.reports.plan import PlanOptions, build_plan
from cchc.reports.plan_docx import result_sentence
from cchc.reports.results_xlsx import DIFFERENCES, DOMAINS, RANKING, write_results
from cchc.scoring.compare import group_sizes
from cchc.scoring.discrepancy import discrepancies
from cchc.scoring.official import build_official
from cchc.scoring.provisional import PROVISIONAL
from cchc.scoring.whatif import explain, gains, whatif
from cchc.store import db as store
from cchc.templates.appraisal import write_appraisal
from cchc.templates.appraisal_rows import appraisal_rows
from cchc.units.model import Unit
from tests.workbooks import MINI_X01, PHUONG, XA, Cells, filled

D = Decimal
X02 = Unit(code="X02", name="UBND xã Bình An", group="xa", set="mini")
X03 = Unit(code="X03", name="UBND xã Cẩm Lệ", group="xa", set="mini", ranked=False)
UNITS = [XA.model_copy(update={"set": "mini"}), X02, X03, PHUONG.model_copy(update={"set": "mini"})]


def job(tmp_path: Path, mini: CriteriaSet, **extra: object) -> ScoreJob:
    db = tmp_path / "cchc.db"
    if not db.exists():
        store.create(db)
    return ScoreJob(
        folder=tmp_path / "nop",
        year=2024,
        units=UNITS,
        find=lambda ref, year: mini,
        db=db,
        out=tmp_path / "ra",
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def inbox(mini: CriteriaSet, tmp_path: Path) -> Path:
    """X01 as hand-scored; X02 the same but 2.1 at 45% (below the floor: 0); X03 = X01."""
    filled(mini, XA, MINI_X01, tmp_path / "nop" / "X01.xlsx")
    x02: Cells = {**MINI_X01, "2.1": {"figure1": 45, "figure2": 100}}
    filled(mini, X02, x02, tmp_path / "nop" / "X02.xlsx")
    filled(mini, X03, MINI_X01, tmp_path / "nop" / "X03.xlsx")
    return tmp_path / "nop"


def test_score_store_and_reload(mini: CriteriaSet, tmp_path: Path, inbox: Path) -> None:
    result = score(job(tmp_path, mini))
    run = result.run
    by = {u.unit.code: u.totals for u in run.units}
    # X01: 71.47 (tests/scoring/test_index.py). X02 loses 2.67: (10.72 − 2.67) / 15 = 53.666…
    assert by["X01"].index == D("71.47") and by["X01"].band == "Khá"
    assert by["X02"].index == D("53.67") and by["X02"].band == "Trung bình"
    # X03 equals X01 but is kept out of the ranking; P02 sent nothing: 0 of 15 plus no bonus,
    # listed as 'chưa nộp' without a rank (not ranked first of the phường as 'Yếu').
    assert by["X03"].index == D("71.47") and by["X03"].rank is None
    assert (by["X01"].rank, by["X02"].rank, by["P02"].rank) == (1, 2, None)
    assert by["P02"].index == D(0) and by["P02"].band == "chưa nộp"
    assert "unit_missing" in {i.code for i in run.issues}
    reloaded = store.load_run(tmp_path / "cchc.db", 2024)
    assert reloaded is not None
    assert {u.unit.code: u.totals for u in reloaded.units} == by
    assert reloaded.unit("X01").leaves == run.unit("X01").leaves  # type: ignore[union-attr]
    assert len(reloaded.sources) == 3 and all(len(s[1]) == 64 for s in reloaded.sources)
    light = store.load_run(tmp_path / "cchc.db", 2024, traces=False)  # points only
    assert light is not None and {u.unit.code: u.totals for u in light.units} == by
    assert all(not leaf.trace for u in light.units for leaf in u.leaves.values())


def test_rerun_is_refused_unless_replacing_and_keeps_the_old_run(
    mini: CriteriaSet, tmp_path: Path, inbox: Path
) -> None:
    score(job(tmp_path, mini))
    (inbox / "X02.xlsx").unlink()
    with pytest.raises(CommandError, match="năm 2024 đã có kết quả chấm: lần chấm 1"):
        score(job(tmp_path, mini))
    result = score(job(tmp_path, mini, replace=True))
    assert result.revision == 2 and result.replaced is not None and result.replaced.rev == 1
    with closing(sqlite3.connect(tmp_path / "cchc.db")) as db:
        assert db.execute("SELECT year, rev FROM runs").fetchall() == [(2024, 1), (2024, 2)]
        assert db.execute("SELECT rev FROM current_runs WHERE year = 2024").fetchone() == (2,)
        assert db.execute("SELECT rev, count(*) FROM sources GROUP BY rev").fetchall() == [
            (1, 3),
            (2, 2),
        ]
    now, before = (store.load_run(tmp_path / "cchc.db", 2024, rev=r) for r in (None, 1))
    assert now is not None and before is not None
    assert now.unit("X02").totals.index == D("0.00")  # type: ignore[union-attr]
    assert before.unit("X02").totals.index == D("53.67")  # type: ignore[union-attr]


def test_second_writer_is_refused(mini: CriteriaSet, tmp_path: Path, inbox: Path) -> None:
    work = job(tmp_path, mini)
    with store.writing(work.db), pytest.raises(store.StoreBusy, match="tiến trình khác"):
        score(work)
    assert store.years(work.db) == []  # nothing half-written
    score(work)
    assert store.years(work.db) == [2024]


def test_appraisal_rounds_and_discrepancies(mini: CriteriaSet, tmp_path: Path, inbox: Path) -> None:
    first = score(job(tmp_path, mini)).run
    sheet = write_appraisal(appraisal_rows(first), 2024, tmp_path / "tham-dinh.xlsx")
    wb = load_workbook(sheet)
    ws = wb["Thẩm định"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Mã đơn vị")
    titles = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    for r in range(header + 1, ws.max_row + 1):
        unit, code = ws.cell(r, titles["Mã đơn vị"]).value, ws.cell(r, titles["Mã"]).value
        if (unit, code) == ("X01", "2.1"):
            ws.cell(r, titles["Thẩm định lần 1"]).value = 2
            ws.cell(r, titles["Nhận xét thẩm định"]).value = "Báo cáo thiếu số liệu quý IV"
            ws.cell(r, titles["Thẩm định lần 2"]).value = "2,5"
        if (unit, code) == ("X01", "1.1.1"):
            ws.cell(r, titles["Thẩm định lần 1"]).value = 0
    wb.save(sheet)
    run = score(job(tmp_path, mini, appraisal=sheet, replace=True)).run
    x01 = run.unit("X01")
    assert x01 is not None
    leaf = x01.leaves["2.1"]
    assert leaf.layers == {"self": D("2.67"), "appraisal_1": D(2), "appraisal_2": D("2.5")}
    assert (leaf.final, leaf.by) == (D("2.5"), "appraisal_2")
    # 10.72 − 0.17 (2.1) − 0.5 (1.1.1) = 10.05 of 15 → 67.00
    assert x01.totals.index == D("67.00")
    found = [(d.code, d.self_points, d.appraised, d.comment) for d in discrepancies(run)]
    assert found == [
        ("1.1.1", D("0.5"), D(0), ""),
        ("2.1", D("2.67"), D("2.5"), "Báo cáo thiếu số liệu quý IV"),
    ]
    why = explain(run, "X01", "2.1")
    assert why["final_by"] == "appraisal_2" and why["trace"]["comment"].startswith("Báo cáo")
    results = load_workbook(tmp_path / "ra" / "ket-qua-2024.xlsx", read_only=True)
    assert {RANKING, DIFFERENCES, "X01", "P02"} <= set(results.sheetnames)


def test_survey_file_fills_survey_items(mini: CriteriaSet, tmp_path: Path, inbox: Path) -> None:
    survey = tmp_path / "dieu-tra.csv"
    survey.write_text(
        'Mã đơn vị,Mã,Tỷ lệ hài lòng (%)\nX01,3.1,80\nX01,3.2,75\nX02,3.1,"44,5"\n',
        encoding="utf-8",
    )
    run = score(job(tmp_path, mini, survey=survey)).run
    x01, x02 = run.unit("X01"), run.unit("X02")
    assert x01 is not None and x02 is not None
    # 3 × 80% = 2.4; 2 × 75% = 1.5 → 10.72 + 3.9 = 14.62 of 20 → 73.10
    assert (x01.leaves["3.1"].final, x01.leaves["3.2"].final) == (D("2.4"), D("1.5"))
    assert x01.totals.index == D("73.10")
    # X02: 3 × 44.5% = 1.335 → 1.34 (half-up); 3.2 has no result and leaves the maximum:
    # (8.05 + 1.34) / 18 = 52.166… → 52.17
    assert x02.leaves["3.1"].final == D("1.34") and x02.leaves["3.2"].excluded
    assert x02.totals.index == D("52.17")
    # stored: a re-run without --survey keeps the survey
    again = score(job(tmp_path, mini, replace=True)).run
    assert again.unit("X01").totals.index == D("73.10")  # type: ignore[union-attr]


def test_whatif_and_gains(mini: CriteriaSet, tmp_path: Path, inbox: Path) -> None:
    run = score(job(tmp_path, mini)).run
    now, then = whatif(run, "X02", ["2.1"])
    # X02 with 2.1 at 3: (8.05 + 3) / 15 = 73.666… → 73.67, Khá, ahead of X01 (71.47)
    assert (now.index, now.band, now.rank) == (D("53.67"), "Trung bình", 2)
    assert (then.index, then.band, then.rank) == (D("73.67"), "Khá", 1)
    best = gains(run, "X02", limit=2)
    assert [(g.code, g.points, g.index) for g in best] == [
        ("2.1", D(3), D("20.00")),
        ("1.1.4", D(1), D("6.66")),
    ]


@pytest.mark.parametrize("sheets_up_to", [200, 1])
def test_official_results_round_trip(
    mini: CriteriaSet,
    tmp_path: Path,
    inbox: Path,
    monkeypatch: pytest.MonkeyPatch,
    sheets_up_to: int,
) -> None:
    """cchc's results workbook read as an official result gives every unit's index, band and
    rank back: with a sheet per unit, and with one long table past UNIT_SHEETS_UP_TO units."""
    monkeypatch.setattr(results_xlsx, "UNIT_SHEETS_UP_TO", sheets_up_to)
    result = score(job(tmp_path, mini))
    rows, issues = read_official(result.results)
    assert issues == []
    build = build_official(2024, rows, UNITS, lambda ref, year: mini, None, result.results)
    assert [i.code for i in build.issues] == []
    for unit in result.run.units:
        again = build.run.unit(unit.unit.code)
        assert again is not None
        assert (again.totals.index, again.totals.band, again.totals.rank) == (
            unit.totals.index,
            unit.totals.band,
            unit.totals.rank,
        )
        final = {c: (leaf.final, leaf.excluded) for c, leaf in unit.leaves.items()}
        assert {c: (leaf.final, leaf.excluded) for c, leaf in again.leaves.items()} == final


def test_a_national_run_has_one_long_detail_table(
    mini: CriteriaSet, tmp_path: Path, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past UNIT_SHEETS_UP_TO units the per-unit sheets become one filterable table holding the
    same rows, each with its unit's code and name in front."""
    run = score(job(tmp_path, mini)).run
    write_results(run, tmp_path / "theo-don-vi.xlsx")
    monkeypatch.setattr(results_xlsx, "UNIT_SHEETS_UP_TO", 1)
    write_results(run, tmp_path / "bang-dai.xlsx")
    per_unit = load_workbook(tmp_path / "theo-don-vi.xlsx", read_only=True)
    long = load_workbook(tmp_path / "bang-dai.xlsx", read_only=True)
    codes = [s.unit.code for s in run.ranking()]
    assert len(codes) == 4 and set(codes) <= set(per_unit.sheetnames)
    assert long.sheetnames == [RANKING, DOMAINS, DIFFERENCES, "Vấn đề", results_xlsx.DETAIL]
    rows = [list(r) for r in long[results_xlsx.DETAIL].iter_rows(min_row=5, values_only=True)]
    expected = [
        [code, run.unit(code).unit.name, *r]  # type: ignore[union-attr]
        for code in codes
        for r in per_unit[code].iter_rows(min_row=5, values_only=True)
    ]
    assert rows == expected and len(rows) > 4 * 10
    # and every cell looks as on the unit's own sheet (written cell by cell by XlsxWriter):
    # number format, bold, wrap, alignment, and the row's height
    per_unit = load_workbook(tmp_path / "theo-don-vi.xlsx")
    table = load_workbook(tmp_path / "bang-dai.xlsx")[results_xlsx.DETAIL]
    assert sum(1 for d in table.row_dimensions.values() if d.height) > 4  # wrapped titles
    at = 5
    for code in codes:
        sheet = per_unit[code]
        for r in range(5, sheet.max_row + 1):
            assert table.cell(at, 1).value == code
            assert _looks(table, at, 3) == _looks(sheet, r, 1), (code, r)
            assert table.row_dimensions[at].height == sheet.row_dimensions[r].height, (code, r)
            at += 1
    assert at - 5 == len(rows)


def _looks(ws: Any, row: int, first: int) -> list[tuple[object, ...]]:
    """Each cell of the row from column `first`: value, number format, bold, wrap, alignment."""
    return [
        (c.value, c.number_format, c.font.b, c.alignment.wrap_text, c.alignment.vertical)
        for c in ws[row][first - 1 : first - 1 + 10]
    ]


def test_a_provisional_result_is_said_in_the_workbook_and_the_plan(
    mini: CriteriaSet, tmp_path: Path, inbox: Path
) -> None:
    """No survey file, no appraisal: the ranking and each unit's plan say the result is
    provisional, and on what."""
    run = score(job(tmp_path, mini)).run
    ranking = load_workbook(tmp_path / "ra" / "ket-qua-2024.xlsx", read_only=True)[RANKING]
    rows = [list(r) for r in ranking.iter_rows(values_only=True)]
    assert rows[2][0] == (
        f"Kết quả tạm tính: 4/4 đơn vị {PROVISIONAL['survey']}; {PROVISIONAL['appraisal']}"
    )
    header = rows[3]
    column = header.index("Tạm tính")
    assert {r[1]: r[column] for r in rows[4:8]} == dict.fromkeys(
        ["X01", "X02", "X03", "P02"], "chưa có điểm điều tra; chưa thẩm định"
    )
    x01 = run.unit("X01")
    assert x01 is not None
    plan = build_plan(run, "X01", None, PlanOptions(), group_sizes(run))
    assert plan.provisional == (
        f"Kết quả tạm tính: {PROVISIONAL['survey']}; {PROVISIONAL['appraisal']}"
    )
    assert result_sentence(plan).endswith(
        "(kết quả chấm điểm theo bộ tiêu chí thử nghiệm cấp xã; kết quả tạm tính: chưa có điểm "
        "điều tra (chỉ số tính trên điểm tối đa không gồm các mục điều tra); chưa thẩm định "
        "(điểm là điểm tự chấm))."
    )
