"""The appraisal council end to end on the mini set: one workbook per body and round, read back
by unit and item, the units' answers in between; the same final points as the single workbook."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cchc.commands.appraise import appraise
from cchc.commands.council import (
    council_answers,
    council_books,
    council_feedback,
    council_read,
    council_status,
)
from cchc.commands.score import score_folder
from cchc.commands.session import Session
from cchc.core.errors import CommandError
from cchc.core.issues import Issue, Severity
from cchc.criteria.model import CriteriaSet
from cchc.scoring.discrepancy import discrepancies
from cchc.scoring.run import YearRun
from cchc.scoring.whatif import explain
from cchc.store import db as store
from cchc.store.workspace import init_workspace
from cchc.templates.appraisal import META_SHEET, SHEET
from cchc.templates.feedback import SHEET as FEEDBACK_SHEET
from tests.office import SOFFICE, convert
from tests.scoring.test_pipeline import UNITS
from tests.workbooks import MINI_X01, Cells, filled

D = Decimal
DATA = Path(__file__).parent.parent / "data"
JUSTICE, HOME = "Phòng Tư pháp", "Phòng Nội vụ"
BODIES = f"Mã,Cơ quan thẩm định\n1,{HOME}\n2,{JUSTICE}\nT,{HOME}\nP,{HOME}\n"
# What the council (or the single workbook) gives, by hand. X01's self-score: 10.72 of 15.
# 2.1: self 2.67 → round 1: 2 → round 2 (after X01's answer): 2.5; 1.1.1: self 0.5 → 0.
ROUND_1 = {("X01", "2.1"): 2, ("X01", "1.1.1"): 0}
ROUND_2 = {("X01", "2.1"): 2.5}


@pytest.fixture
def session(mini: CriteriaSet, tmp_path: Path) -> Session:
    """A workspace of the mini set, the four test units, their workbooks scored for 2024."""
    workspace = init_workspace(tmp_path / "ws", "Tỉnh thử", [str(DATA / "sets" / "mini-2024.yaml")])
    current = Session(workspace, given_units=UNITS, given_finder=lambda ref, year: mini)
    inbox = tmp_path / "nop"
    for unit in UNITS[:3]:
        x02: Cells = {**MINI_X01, "2.1": {"figure1": 45, "figure2": 100}}
        filled(mini, unit, x02 if unit.code == "X02" else MINI_X01, inbox / f"{unit.code}.xlsx")
    score_folder(current, inbox, 2024, tmp_path / "ra")
    return current


def fill(
    path: Path, column: str, points: Mapping[tuple[str, str], object], sheet: str = SHEET
) -> Path:
    """Type points into `column` of the rows given, as an appraiser would (openpyxl)."""
    wb = load_workbook(path)
    ws = wb[sheet]
    titles = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    for r in range(4, ws.max_row + 1):
        key = (str(ws.cell(r, titles["Mã đơn vị"]).value), str(ws.cell(r, titles["Mã"]).value))
        if key in points:
            ws.cell(r, titles[column]).value = points[key]  # type: ignore[assignment]
    wb.save(path)
    return path


def finals(run: YearRun) -> dict[str, tuple[Decimal | None, dict[str, Decimal]]]:
    return {
        u.unit.code: (u.totals.index, {c: leaf.final for c, leaf in u.leaves.items()})
        for u in run.units
    }


def books_by_body(session: Session, tmp_path: Path, round_: int) -> dict[str, Path]:
    bodies = tmp_path / "phan-cong.csv"
    bodies.write_text(BODIES, encoding="utf-8")
    made = council_books(session, 2024, tmp_path / f"lan-{round_}", round_, bodies)
    return {book.who: book.path for book in made.books}


def answer(
    session: Session, tmp_path: Path, code: str, text: str, saved_by_libreoffice: bool
) -> Path:
    """X01 answers one item in its feedback workbook and sends it back."""
    sent = council_feedback(session, 2024, tmp_path / "phan-hoi")
    path = next(b.path for b in sent.books if b.who == "X01")
    wb = load_workbook(path)
    ws = wb[FEEDBACK_SHEET]
    titles = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, titles["Mã"]).value == code:
            ws.cell(r, titles["Giải trình bổ sung của đơn vị"]).value = text
            ws.cell(r, titles["Tài liệu bổ sung"]).value = "Báo cáo số 41/BC-UBND ngày 20/12/2024"
    wb.save(path)
    if saved_by_libreoffice:
        path = convert(path, "xlsx", tmp_path / "lo")
    return path


def test_split_and_merge_gives_the_single_workbooks_points(
    session: Session, tmp_path: Path
) -> None:
    # The single workbook: both rounds in one file.
    single = appraise(session, 2024, tmp_path / "tham-dinh.xlsx").workbook
    fill(single, "Thẩm định lần 1", ROUND_1)
    fill(single, "Thẩm định lần 2", ROUND_2)
    inbox, out = tmp_path / "nop", tmp_path / "ra"
    by_single = score_folder(session, inbox, 2024, out, appraisal=single, replace=True).run

    # The council, starting again from the self-scores.
    score_folder(session, inbox, 2024, out, replace=True)
    first = books_by_body(session, tmp_path, 1)
    assert sorted(first) == [HOME, JUSTICE]
    fill(first[HOME], "Thẩm định lần 1", ROUND_1)  # 1.1.1 is domain 1: the home affairs' row
    fill(first[JUSTICE], "Thẩm định lần 1", ROUND_1)  # 2.1 is domain 2: the justice's row
    read = council_read(session, 2024, list(first.values()), 1)
    assert read.items == 2 and not [i for i in read.issues if i.severity is Severity.ERROR]
    council_answers(session, 2024, [answer(session, tmp_path, "2.1", "Đã bổ sung", False)])
    second = books_by_body(session, tmp_path, 2)
    assert list(second) == [JUSTICE]  # only the item X01 answered, for the body of round 1
    rows = load_workbook(second[JUSTICE], read_only=True)[SHEET]
    assert [(r[0], r[2]) for r in rows.iter_rows(min_row=4, values_only=True)] == [("X01", "2.1")]
    fill(second[JUSTICE], "Thẩm định lần 2", ROUND_2)
    council_read(session, 2024, list(second.values()), 2, tmp_path / "ra")
    by_council = session.stored_run(2024)

    assert finals(by_council) == finals(by_single)
    x01 = by_council.unit("X01")
    assert x01 is not None
    # 10.72 − 0.17 (2.1: 2.67 → 2.5) − 0.5 (1.1.1: 0.5 → 0) = 10.05 of 15 → 67.00
    assert x01.totals.index == D("67.00")
    assert x01.leaves["2.1"].layers == {
        "self": D("2.67"),
        "appraisal_1": D(2),
        "appraisal_2": D("2.5"),
    }
    found = [(d.code, d.self_points, d.first, d.second, d.body) for d in discrepancies(by_council)]
    assert found == [
        ("1.1.1", D("0.5"), D(0), None, HOME),
        ("2.1", D("2.67"), D(2), D("2.5"), JUSTICE),
    ]
    trace = explain(by_council, "X01", "2.1")["trace"]
    assert trace["appraisal_1_by"].startswith(f"{JUSTICE} · {first[JUSTICE].name}, ô Thẩm định!K")
    assert trace["appraisal_2_by"].startswith(f"{JUSTICE} · {second[JUSTICE].name}, ô Thẩm định!M")
    assert trace["response"] == "Đã bổ sung"
    assert trace["added_evidence"] == "Báo cáo số 41/BC-UBND ngày 20/12/2024"
    assert trace["response_by"].endswith(f"ô {FEEDBACK_SHEET}!I5")  # 2.1 is X01's second item
    history = [r.how for r in store.history(session.require_workspace().db_path, 2024)]
    assert history == ["score", "score", "score", "appraisal_1", "answers", "appraisal_2"]


def located(issues: list[Issue]) -> list[tuple[str, str, str | None, str | None]]:
    return [(i.code, Path(i.file or "").name, i.sheet, i.cell) for i in issues]


def test_every_conflict_is_reported(session: Session, tmp_path: Path) -> None:
    books = books_by_body(session, tmp_path, 1)
    justice = books[JUSTICE]
    row = _row_of(justice, "X01", "2.1")
    fill(justice, "Thẩm định lần 1", {("X01", "2.1"): 2, ("X02", "2.1"): 5})  # 5 > max 3
    # A second copy of the justice's workbook where X01 2.1 got other points: a conflict.
    copy = justice.with_name("ban-sao.xlsx")
    copy.write_bytes(justice.read_bytes())
    fill(copy, "Thẩm định lần 1", {("X01", "2.1"): 1, ("X02", "2.1"): None})
    read = council_status(session, 2024, [justice, copy], 1)
    codes = [i.code for i in read.issues]
    assert "appraisal_conflict" in codes
    conflict = next(i for i in read.issues if i.code == "appraisal_conflict")
    assert f"{justice.name}, ô Thẩm định!K{row}" in conflict.message
    assert f"ban-sao.xlsx, ô Thẩm định!K{row}" in conflict.message
    out_of_range = next(i for i in read.issues if i.code == "appraisal_out_of_range")
    assert (Path(out_of_range.file or "").name, out_of_range.sheet) == (justice.name, SHEET)
    assert out_of_range.cell == f"K{_row_of(justice, 'X02', '2.1')}"
    # Home affairs sent nothing: its body and domain are named.
    missing = next(i for i in read.issues if i.code == "appraisal_not_returned")
    assert missing.message == f"{HOME} chưa gửi bảng thẩm định lần 1 (lĩnh vực 1, T, P)"
    assert [f.body for f in read.files] == [JUSTICE, JUSTICE]
    assert read.files[0].domains == ("2",)
    # Neither conflicting points nor points out of range are taken: nothing is left to store.
    before = store.history(session.require_workspace().db_path, 2024)
    with pytest.raises(CommandError, match="không có điểm nào dùng được"):
        council_read(session, 2024, [justice, copy], 1)
    assert store.history(session.require_workspace().db_path, 2024) == before
    # The same points in both files are taken once, with a warning.
    fill(copy, "Thẩm định lần 1", {("X01", "2.1"): 2})
    stored = council_read(session, 2024, [justice, copy], 1)
    assert stored.items == 1
    assert "appraisal_twice" in [i.code for i in stored.issues]
    x01 = session.stored_run(2024).unit("X01")
    assert x01 is not None and x01.leaves["2.1"].layers["appraisal_1"] == D(2)


def _row_of(path: Path, unit: str, code: str) -> int:
    ws = load_workbook(path, read_only=True)[SHEET]
    for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
        if values[0] == unit and values[2] == code:
            return number
    raise AssertionError((unit, code))


def test_wrong_year_round_and_step_are_refused(session: Session, tmp_path: Path) -> None:
    books = books_by_body(session, tmp_path, 1)
    home = fill(books[HOME], "Thẩm định lần 1", {("X01", "1.2.3"): 1.3, ("X01", "1.1.1"): 0})
    step = next(
        i for i in council_status(session, 2024, [home], 1).issues if i.code == "appraisal_step"
    )
    assert step.cell == f"K{_row_of(home, 'X01', '1.2.3')}" and "bước 0,25" in step.message
    wb = load_workbook(home)
    meta = wb[META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "year":
            row[1].value = "2023"
    other_year = tmp_path / "nam-khac.xlsx"
    wb.save(other_year)
    found = council_status(session, 2024, [other_year], 1).issues
    assert located(found)[0] == ("appraisal_wrong_year", "nam-khac.xlsx", META_SHEET, None)
    found = council_status(session, 2024, [home], 2).issues
    assert located(found)[0] == ("appraisal_wrong_round", home.name, META_SHEET, None)
    with pytest.raises(CommandError, match="không có điểm nào dùng được"):
        council_read(session, 2024, [home], 2)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed")
def test_feedback_round_trip_through_libreoffice(session: Session, tmp_path: Path) -> None:
    books = books_by_body(session, tmp_path, 1)
    fill(books[JUSTICE], "Thẩm định lần 1", ROUND_1)
    council_read(session, 2024, [books[JUSTICE]], 1)
    saved = answer(session, tmp_path, "2.1", "Số liệu quý IV đã bổ sung", True)
    got = council_answers(session, 2024, [saved])
    assert (got.items, got.issues) == (1, [])
    leaf = session.stored_run(2024).unit("X01").leaves["2.1"]  # type: ignore[union-attr]
    assert leaf.trace["response"] == "Số liệu quý IV đã bổ sung"
    assert leaf.layers["appraisal_1"] == D(2)  # the answer changes no points
