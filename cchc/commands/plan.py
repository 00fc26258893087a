"""`cchc plan`: each unit's remediation plan, Phụ lục 1 and Phụ lục 2 (.docx and .xlsx)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cchc.commands.plan_result import with_items
from cchc.commands.session import Session
from cchc.core import dates
from cchc.core.errors import CommandError
from cchc.core.issues import Issue
from cchc.criteria.model import CriteriaSet
from cchc.inputs.owners import NO_OWNERS, Owners, read_owners
from cchc.reports.plan import PlanOptions
from cchc.reports.plan_docx import check_templates
from cchc.reports.plan_files import PlanJob, write_plans
from cchc.reports.plan_model import Plan
from cchc.scoring.run import YearRun
from cchc.store import db as store


@dataclass(frozen=True)
class PlanWritten:
    """One unit's plan and the files written from it."""

    plan: Plan
    files: list[Path]


@dataclass
class PlanRequest:
    """What the officer asked for."""

    year: int
    out: Path
    units: tuple[str, ...] = ()
    every: bool = False
    owners: Path | None = None
    number: str | None = None
    date_text: str | None = None
    template_dir: Path | None = None
    workers: int | None = None
    report_by_text: str | None = None
    """When the bodies report their results (default 30/11 of the plan year)."""
    report_to: str = ""
    """The body the issuer reports to (default: the province's UBND, through its Sở Nội vụ)."""
    coordinator: str = ""
    """The body that follows up and compiles the reports (default: who leads domain 1)."""
    result: str | None = None
    """The year's result the plans are built on: 'official', 'cchc', or None (the official
    one where the year has one). Last year's is the official one where it has one."""


def parse_day(text: str | None) -> date | None:
    """A --date option (15/01/2025, 15.01.2025, 2025-01-15 …), or None when not given."""
    if text is None:
        return None
    try:
        return dates.parse_day(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def _owners(path: Path | None, criteria: CriteriaSet, notices: list[Issue]) -> Owners:
    if path is None:
        return NO_OWNERS
    owners = read_owners(path, criteria)
    if owners.issues and not owners.by_code:
        raise CommandError("tệp phân công không dùng được", owners.issues)
    notices += owners.issues
    return owners


def _last_year(session: Session, year: int, scores: bool) -> YearRun | None:
    """The year before, for the comparison in the plan: its official result where it has one,
    else its scored run, partial without `scores` (None when it has neither)."""
    path = session.require_workspace().db_path
    try:
        official = store.load_official_run(path, year - 1, traces=False)
        return official or store.load_run(path, year - 1, traces=False, scores=scores)
    except store.StoreError:
        return None


def plan_runs(
    session: Session, request: PlanRequest, scores: bool = True
) -> tuple[YearRun, YearRun | None]:
    """The year's result the plans are built on, and last year's it is compared with (an
    official result of domain points only still lacks its items: `plan_result.with_items`).
    Without `scores`, scored runs are partial: the plans load their units' scores."""
    now = session.result_run(request.year, request.result, scores=scores)
    return now, _last_year(session, request.year, scores)


def plan(session: Session, request: PlanRequest) -> Iterator[PlanWritten]:
    """Write the plans of the units asked for, in ranking order for --all, one by one.

    Problems that do not stop the plans (an owners file's warnings) go to `session.notices`
    before the first plan is written.
    """
    if not request.units and not request.every:
        raise CommandError("cần --unit MÃ (hoặc --all)")
    workspace = session.require_workspace()
    run, previous = plan_runs(session, request, scores=False)  # each unit's, as it is planned
    codes = [u.unit.code for u in run.ranking()] if request.every else list(request.units)
    for code in codes:
        if run.unit(code) is None:
            raise CommandError(f"đơn vị {code} không có trong kết quả năm {request.year}")
    if not run.partial:  # an official result: it may lack items, which the scored run has
        run = with_items(session, run, codes)
    day = parse_day(request.date_text)
    options: dict[tuple[str, int], PlanOptions] = {}
    for code in codes:
        score = run.unit(code)
        assert score is not None
        key = (score.set_id, score.set_year)
        if key not in options:
            found = _owners(request.owners, run.criteria(score), session.notices)
            options[key] = PlanOptions(
                request.number,
                day,
                found,
                workspace.province,
                report_by=parse_day(request.report_by_text),
                report_to=request.report_to,
                coordinator=request.coordinator,
                previous_result=previous.result_line() if previous is not None else "",
            )
    check_templates(request.template_dir)
    job = PlanJob(
        run,
        previous,
        options,
        request.out,
        request.template_dir,
        per_unit=len(codes) != 1,
        store=workspace.db_path,
        codes=codes,
    )
    for written, files in write_plans(job, codes, request.workers):
        yield PlanWritten(written, files)


def plans_json(year: int, written: list[PlanWritten]) -> dict[str, Any]:
    """What `cchc plan --json` prints: whose result the plans are built on, and whose points
    each unit's items are ('cchc' for an official result of domain points only)."""
    return {
        "year": year,
        "result": written[0].plan.result if written else None,
        "items": {
            p.plan.unit_code: "cchc" if p.plan.scored_items else p.plan.result for p in written
        },
        "files": {p.plan.unit_code: [str(f) for f in p.files] for p in written},
    }
