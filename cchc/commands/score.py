"""`cchc score` as one library call: read, layer, score, rank, store, write the results."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from cchc.commands.history import describe
from cchc.commands.lookup import Lookup
from cchc.commands.session import Session, check_year
from cchc.commands.survey import import_survey, parse_answers
from cchc.core.collector import paused
from cchc.core.errors import CommandError
from cchc.core.fileio import atomic_path
from cchc.core.issues import Issue, Severity
from cchc.core.parallel import beside
from cchc.core.progress import Progress
from cchc.reports.results_xlsx import write_results_to
from cchc.scoring.provisional import provisional
from cchc.scoring.run import SetFinder, YearRun, score_year
from cchc.scoring.submission import CheckReport
from cchc.store import db as store
from cchc.store import runs
from cchc.store.runs import Revision
from cchc.templates.collect import check_folder
from cchc.templates.council import read_council
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
    appraisal: Path | Sequence[Path] | None = None
    """The appraisal workbook, or several (the council's, one per body and round) or folders."""
    survey: Path | None = None
    answers: Mapping[str, Decimal] | None = None
    workers: int | None = None
    replace: bool = False
    """Replace the year's current run (kept as a revision); without it a scored year is refused."""
    progress: Progress | None = None
    """Told how many workbooks were read."""


@dataclass
class ScoreResult:
    """The run, where it was written, and how long each step took."""

    run: YearRun
    results: Path
    previous: dict[str, Decimal | None]
    """Last year's index of each unit (empty when last year was not scored)."""
    seconds: dict[str, float] = field(default_factory=dict)
    revision: int = 1
    """The run's revision of its year."""
    replaced: Revision | None = None
    """The year's run it replaced as current (still stored)."""

    def to_json(self) -> dict[str, Any]:
        """What `cchc score --json` prints."""
        replaced = self.replaced.to_json() if self.replaced else None
        return run_json(self.run) | {
            "results": str(self.results),
            "revision": self.revision,
            "replaced": replaced,
        }


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
                "provisional": provisional(run, u),
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
    appraisal: Path | Sequence[Path] | None = None,
    survey: Path | None = None,
    answers: str | None = None,
    workers: int | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> ScoreResult:
    """`cchc score`: the workspace's units scored from the folder's workbooks, and kept
    (`progress` hears how many workbooks were read)."""
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
        replace=replace,
        progress=progress,
    )
    try:
        return score(job)
    except store.StoreError as exc:
        raise CommandError(str(exc)) from exc


def score(job: ScoreJob) -> ScoreResult:
    """Score the year and keep it as a new revision, current; and write the results workbook.

    Refused before any work: a year no set of the units has, a year already scored (without
    `replace`), a store another program holds. Refused after reading, with nothing stored or
    written: a folder with no usable workbook. The workbook is written first under a temporary
    name and renamed once the store has committed: a kill leaves both as they were, or both new
    (but for the instant between). Raises store.StoreBusy if another process is writing the
    store.
    """
    check_year(job.year, job.units, job.find, job.default_set)
    seconds: dict[str, float] = {}
    clock = _Clock(seconds)
    lookup = Lookup(job.units, job.find, job.default_set, job.year)
    target = job.out / f"ket-qua-{job.year}.xlsx"
    with paused(), atomic_path(target) as book, store.writing(job.db) as db:
        replaced = runs.revision(db, job.year)
        if replaced is not None and not job.replace:
            raise CommandError(refusal(job.year, replaced))
        report = clock(
            "read",
            lambda: check_folder(
                job.folder,
                job.year,
                job.units,
                job.find,
                (job.default_set, job.year) if job.default_set else None,
                workers=job.workers,
                progress=job.progress,
                keep=True,  # what `cchc check` read is not read again
            ),
        )
        extra: list[Issue] = []
        appraisal = None
        if job.appraisal:
            paths = [job.appraisal] if isinstance(job.appraisal, Path) else job.appraisal
            council = read_council(paths, job.year, lambda u, c: lookup.leaf(u, c, survey=False))
            appraisal, found = council.values, council.issues
            extra += found
        if job.survey is not None:
            survey_read = import_survey(
                db, job.survey, job.year, lookup, answers=job.answers, replace=job.replace
            )
            extra += survey_read.issues
        survey = store.survey_values(db, job.year)
        run = clock(
            "score",
            lambda: score_year(
                job.year, job.units, report, job.find, job.default_set, appraisal, survey
            ),
        )
        run.issues += extra
        if not any(u.file for u in run.units):
            errors = [i for i in run.issues if i.severity is Severity.ERROR]
            raise CommandError(nothing_read(job.folder, job.year, report), errors)
        if replaced is not None:
            run.issues += dropped_layers(run, replaced)
        previous = store.indices_in(db, job.year - 1)
        # The workbook is written beside the store (by a forked process where there is fork):
        # both only read the run.
        with beside(lambda: write_results_to(run, book, previous)):
            rev = clock("store", lambda: store.save_run(db, run))
    return ScoreResult(run, target, previous, seconds, rev, replaced)


def refusal(year: int, stored: Revision) -> str:
    """Why a scored year is not scored again without --replace, and what replacing would do."""
    return (
        f"năm {year} đã có kết quả chấm: {describe(stored)}. Chấm lại sẽ thay kết quả này "
        "(danh sách đơn vị, điểm thẩm định, điểm điều tra). Thêm --replace để chấm lại; lần "
        f"chấm cũ vẫn được giữ và khôi phục được: 'cchc history {year}', "
        f"'cchc restore {year} {stored.rev}'"
    )


def nothing_read(folder: Path, year: int, report: CheckReport) -> str:
    """Why a run that read no usable workbook is refused."""
    untouched = "chưa chấm, kho dữ liệu và kết quả không đổi"
    if not report.submissions:
        return f"không có sổ tự đánh giá nào trong {folder}; {untouched} (kiểm tra lại thư mục)"
    other = sorted(
        {
            str(s.meta.get("year"))
            for s in report.submissions
            if any(i.code == "wrong_year" for i in s.issues)
        }
    )
    if other:
        return (
            f"các sổ trong {folder} là sổ của năm {', '.join(other)}, không phải năm {year}; "
            f"{untouched} (kiểm tra lại --year hoặc thư mục)"
        )
    return f"không sổ nào trong {folder} dùng được (xem các lỗi ở trên); {untouched}"


def dropped_layers(run: YearRun, replaced: Revision) -> list[Issue]:
    """Warnings when the new run has fewer appraised or surveyed units than the one it replaces."""
    appraised = sum(
        any(k in leaf.layers for k in ("appraisal_1", "appraisal_2") for leaf in u.leaves.values())
        for u in run.units
    )
    surveyed = sum(any("survey" in leaf.layers for leaf in u.leaves.values()) for u in run.units)
    found = []
    for code, what, old, new in (
        ("replaced_appraisal", "điểm thẩm định", replaced.appraised, appraised),
        ("replaced_survey", "điểm điều tra", replaced.surveyed, surveyed),
    ):
        if new < old:
            message = (
                f"lần chấm mới có {what} của {new} đơn vị, lần chấm {replaced.rev} được thay có "
                f"của {old} đơn vị; khôi phục lần cũ: 'cchc restore {run.year} {replaced.rev}'"
            )
            found.append(Issue(code=code, severity=Severity.WARNING, message=message))
    return found


class _Clock:
    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds

    def __call__(self, name: str, action: Callable[[], T]) -> T:
        start = time.perf_counter()
        try:
            return action()
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
