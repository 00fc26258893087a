"""`cchc score` as one library call: read, layer, score, rank, store, write the results."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from cchc.commands.lookup import Lookup
from cchc.commands.session import Session
from cchc.commands.survey import import_survey, parse_answers
from cchc.core.errors import CommandError
from cchc.core.fileio import atomic_path
from cchc.core.issues import Issue
from cchc.reports.results_xlsx import write_results_to
from cchc.scoring.run import SetFinder, YearRun, score_year
from cchc.store import db as store
from cchc.templates.appraisal import read_appraisal
from cchc.templates.collect import check_folder
from cchc.units.model import Unit

T = TypeVar("T")


@dataclass
class ScoreJob:
    """What `cchc score` was asked to do."""

    folder: Path
    year: int
    units: list[Unit]
    find: SetFinder
    db: Path
    out: Path
    default_set: str | None = None
    appraisal: Path | None = None
    survey: Path | None = None
    answers: Mapping[str, Decimal] | None = None
    workers: int | None = None


@dataclass
class ScoreResult:
    """The run, where it was written, and how long each step took."""

    run: YearRun
    results: Path
    previous: dict[str, Decimal | None]
    """Last year's index of each unit (empty when last year was not scored)."""
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """What `cchc score --json` prints."""
        return run_json(self.run) | {"results": str(self.results)}


def run_json(run: YearRun) -> dict[str, Any]:
    """A scored year as JSON: each unit's totals, band, rank and domain indices; the issues."""
    return {
        "year": run.year,
        "units": [
            {
                "code": u.unit.code,
                "name": u.unit.name,
                "group": u.unit.group,
                "set": u.set_id,
                "points": str(u.totals.points),
                "max": str(u.totals.max),
                "bonus": str(u.totals.bonus),
                "penalty": str(u.totals.penalty),
                "index": None if u.totals.index is None else str(u.totals.index),
                "band": u.totals.band,
                "rank": u.totals.rank,
                "domains": {
                    d.code: str(n.index)
                    for d in run.criteria(u).items
                    if (n := u.totals.nodes.get(d.code)) is not None and n.index is not None
                },
            }
            for u in run.ranking()
        ],
        "issues": [i.model_dump(mode="json") for i in run.issues],
    }


def score_folder(
    session: Session,
    folder: Path,
    year: int,
    out: Path,
    appraisal: Path | None = None,
    survey: Path | None = None,
    answers: str | None = None,
    workers: int | None = None,
) -> ScoreResult:
    """`cchc score`: the workspace's units scored from the folder's workbooks, and kept."""
    workspace = session.require_workspace()
    if not session.units:
        raise CommandError(f"danh sách đơn vị {workspace.units_path} trống")
    job = ScoreJob(
        folder=folder,
        year=year,
        units=session.units,
        find=session.find,
        db=workspace.db_path,
        out=out,
        default_set=session.default_set,
        appraisal=appraisal,
        survey=survey,
        answers=parse_answers(answers),
        workers=workers,
    )
    try:
        return score(job)
    except store.StoreError as exc:
        raise CommandError(str(exc)) from exc


def score(job: ScoreJob) -> ScoreResult:
    """Score the year and keep it: the store's year replaced in one transaction, and the workbook.

    The workbook is written first under a temporary name and renamed once the store has
    committed: a kill leaves both as they were, or both new (but for the instant between).
    Raises store.StoreBusy if another process is writing the store.
    """
    seconds: dict[str, float] = {}
    clock = _Clock(seconds)
    lookup = Lookup(job.units, job.find, job.default_set, job.year)
    target = job.out / f"ket-qua-{job.year}.xlsx"
    with atomic_path(target) as book, store.writing(job.db) as db:
        report = clock(
            "read",
            lambda: check_folder(
                job.folder,
                job.year,
                job.units,
                job.find,
                (job.default_set, job.year) if job.default_set else None,
                workers=job.workers,
            ),
        )
        extra: list[Issue] = []
        appraisal = None
        if job.appraisal is not None:
            appraisal, found = read_appraisal(
                job.appraisal, job.year, lambda u, c: lookup.leaf(u, c, survey=False)
            )
            extra += found
        if job.survey is not None:
            extra += import_survey(db, job.survey, job.year, lookup, answers=job.answers).issues
        survey = store.survey_values(db, job.year)
        run = clock(
            "score",
            lambda: score_year(
                job.year, job.units, report, job.find, job.default_set, appraisal, survey
            ),
        )
        run.issues += extra
        previous = store.indices_in(db, job.year - 1)
        clock("results", lambda: write_results_to(run, book, previous))
        clock("store", lambda: store.save_run(db, run))
    return ScoreResult(run, target, previous, seconds)


class _Clock:
    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds

    def __call__(self, name: str, action: Callable[[], T]) -> T:
        start = time.perf_counter()
        try:
            return action()
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
