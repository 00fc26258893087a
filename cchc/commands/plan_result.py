"""The year's result a plan is built on, with items for every unit it is written for.

An official result of domain points only has no items for Phụ lục 1 and 2: they are taken from
the year's scored run (`scoring.official_items`), the official index, band and rank kept. Where
the year was not scored, or not for the unit, the plan is refused, saying what to do.
"""

from __future__ import annotations

from collections.abc import Sequence

from cchc.commands.session import Session
from cchc.core.errors import CommandError
from cchc.scoring.official_items import lacks_items, missing_items, with_scored_items
from cchc.scoring.run import YearRun
from cchc.store import db as store

LISTED = 10
"""Units named in a refusal before '…'."""


def _listed(codes: Sequence[str]) -> str:
    return ", ".join(codes[:LISTED]) + (", …" if len(codes) > LISTED else "")


def _scored(session: Session, year: int) -> YearRun | None:
    try:
        return store.load_run(session.require_workspace().db_path, year)
    except store.StoreError as exc:
        raise CommandError(str(exc)) from exc


def _problem(official: YearRun, scored: YearRun, code: str) -> str | None:
    """Why the scored run cannot give the unit's items, or None."""
    mine, theirs = scored.unit(code), official.unit(code)
    assert theirs is not None
    if mine is None or not mine.submitted:
        return f"đơn vị {code} chưa có điểm (chưa nộp sổ hoặc chưa được chấm)"
    if (mine.set_id, mine.set_year) != (theirs.set_id, theirs.set_year):
        return (
            f"đơn vị {code} được chấm theo bộ {mine.set_id} năm {mine.set_year}, kết quả chính "
            f"thức theo bộ {theirs.set_id} năm {theirs.set_year}"
        )
    missing = missing_items(official.criteria(theirs), mine)
    if missing:
        return f"đơn vị {code} không có điểm của mục {_listed(missing)}"
    return None


def with_items(session: Session, run: YearRun, codes: Sequence[str]) -> YearRun:
    """`run`, with the scored run's items for the units of an official result that has only
    their domain points; CommandError where the year's scored run cannot give them."""
    lacking = [c for c in codes if (s := run.unit(c)) is not None and lacks_items(run, s)]
    if not lacking:
        return run
    year = run.year
    head = (
        f"kết quả chính thức năm {year} của đơn vị {_listed(lacking)} chỉ có điểm lĩnh vực; "
        f"Phụ lục 1, 2 cần điểm từng tiêu chí, lấy từ kết quả cchc chấm năm {year}, nhưng"
    )
    fix = (
        f"chấm các sổ tự đánh giá bằng 'cchc score THƯ_MỤC --year {year}', hoặc nhập bảng điểm "
        f"từng tiêu chí bằng 'cchc results import TỆP --year {year} --replace'"
    )
    scored = _scored(session, year)
    if scored is None:
        raise CommandError(f"{head} năm {year} chưa được chấm: {fix}")
    problems = [p for code in lacking if (p := _problem(run, scored, code)) is not None]
    if problems:
        said = "; ".join(problems[:LISTED]) + ("; …" if len(problems) > LISTED else "")
        raise CommandError(f"{head} trong kết quả cchc chấm năm {year}, {said}: {fix}")
    return with_scored_items(run, scored, lacking)
