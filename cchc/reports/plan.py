"""Build a unit's remediation plan (Phụ lục 1 and 2) from its stored scores.

Phụ lục 1 holds the self-assessed items at their maximum, by domain. Phụ lục 2 holds the
self-assessed items below it: those scoring nothing first, then the others, each section by
points lost (most first), then in set order; deductions (penalty items) last. Survey items, bonus
items and items not applicable to the unit are in neither.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from cchc.criteria.model import CriteriaSet, Item, effective_method, effective_type
from cchc.inputs.owners import NO_OWNERS, Owners
from cchc.reports.plan_bodies import assignments, coordinator_of, header_of, signer_of
from cchc.reports.plan_body import items_line
from cchc.reports.plan_causes import cause
from cchc.reports.plan_deadlines import deadline_for
from cchc.reports.plan_model import Appendix, Declined, Plan, PlanRow, PlanSection
from cchc.reports.plan_wording import lower_first, maintain_task, remedy_task
from cchc.scoring.compare import DECLINES, UnitChange, group_sizes
from cchc.scoring.index import ZERO, LeafScore
from cchc.scoring.provisional import provisional_note
from cchc.scoring.run import UnitScore, YearRun
from cchc.scoring.whatif import NotScored

UNASSIGNED = "Chưa phân công"


@dataclass(frozen=True)
class PlanOptions:
    """What the officer adds to the plan: document number, date, owners, the body above."""

    number: str | None = None
    date: date | None = None
    owners: Owners = NO_OWNERS
    province: str = ""
    """E.g. 'Tỉnh Bắc Kạn' (from the workspace), for the header and a department's place."""
    report_by: dt.date | None = None
    """When the bodies report their results: before the next self-assessment (default 30/11 of
    the plan year); no deadline drafted by the plan falls after it."""
    report_to: str = ""
    """The body the issuer reports to (default 'UBND tỉnh …', through its Sở Nội vụ)."""
    coordinator: str = ""
    """The body that follows up and compiles the reports (default: who leads domain 1)."""
    evidence_notes: dict[str, str] = field(default_factory=dict)
    """Problems `cchc evidence` found in the unit's evidence, by item code (for Nguyên nhân)."""
    previous_result: str = ""
    """Which result of last year the comparison used (`YearRun.result_line`), '' if none."""


def issuer_of(name: str) -> str:
    """The issuing body of a unit: 'Xã Tân Lập' → 'UBND xã Tân Lập'; 'Sở Tư pháp' stays."""
    if name.upper().startswith("UBND "):
        return name
    for prefix in ("Xã ", "Phường ", "Thị trấn ", "Đặc khu "):
        if name.startswith(prefix):
            return "UBND " + lower_first(name)
    return name


def place_of(name: str, province: str) -> str:
    """The place in the date line: the commune's name, else the province's."""
    issuer = issuer_of(name)
    for prefix in ("UBND xã ", "UBND phường ", "UBND thị trấn ", "UBND đặc khu "):
        if issuer.casefold().startswith(prefix.casefold()):
            return issuer[len(prefix) :]
    for prefix in ("Tỉnh ", "Thành phố "):
        if province.startswith(prefix):
            return province[len(prefix) :]
    return province


def report_to_of(province: str) -> str:
    """Where a commune's or department's results go: the province's UBND, through Sở Nội vụ."""
    return f"UBND {lower_first(province)}" if province else "Sở Nội vụ"


@dataclass
class _Rows:
    keep: dict[str, list[PlanRow]]
    zero: list[PlanRow]
    below: list[PlanRow]
    deducted: list[PlanRow]


def set_deadline(item: Item, ancestors: tuple[Item, ...]) -> str | None:
    """The deadline the set gives an item: its own, or the nearest one above it (a published
    table often gives a criterion's deadline on the criterion's row, over its sub-criteria)."""
    return next((i.deadline for i in (item, *reversed(ancestors)) if i.deadline), None)


def _row(
    item: Item,
    ancestors: tuple[Item, ...],
    leaf: LeafScore,
    context: _Context,
    fixing: bool,
    penalty: bool = False,
) -> PlanRow:
    domain = ancestors[0] if ancestors else item
    owner, support, deadline = context.options.owners.resolve(item, ancestors)
    drafted = deadline_for(item, fixing, penalty, context.report_by)
    return PlanRow(
        code=item.code,
        title=item.title,
        domain=f"{domain.code}. {domain.title}",
        max=leaf.max,
        points=leaf.final,
        task=remedy_task(item, penalty) if fixing else maintain_task(item),
        owner=owner or UNASSIGNED,
        support=support,
        deadline=deadline or set_deadline(item, ancestors) or drafted,
        cause=_cause(item, leaf, context) if fixing else "",
    )


@dataclass(frozen=True)
class _Context:
    options: PlanOptions
    year: int
    report_by: date
    declined: dict[str, Declined]


def _cause(item: Item, leaf: LeafScore, context: _Context) -> str:
    note = context.options.evidence_notes.get(item.code, "")
    return cause(item, leaf, context.year, context.declined.get(item.code), note)


def _sort_key(row: PlanRow, order: dict[str, int]) -> tuple[Decimal, int]:
    return -row.lost, order[row.code]


def _collect(criteria: CriteriaSet, score: UnitScore, context: _Context) -> _Rows:
    rows = _Rows({}, [], [], [])
    for item, ancestors in criteria.walk():
        leaf = score.leaves.get(item.code)
        if not item.is_leaf or leaf is None or leaf.excluded:
            continue
        if effective_method(item, ancestors) == "survey":
            continue
        kind = effective_type(item, ancestors)
        if kind == "bonus":
            continue
        if kind == "penalty":
            if leaf.final > 0:  # a deduction: shown as 0 maximum and negative points
                row = _row(item, ancestors, leaf, context, True, penalty=True)
                rows.deducted.append(replace(row, max=ZERO, points=-leaf.final))
            continue
        if leaf.max == 0:
            continue
        if leaf.final >= leaf.max:
            domain = ancestors[0].code if ancestors else item.code
            rows.keep.setdefault(domain, []).append(_row(item, ancestors, leaf, context, False))
        else:
            row = _row(item, ancestors, leaf, context, True)
            (rows.zero if leaf.final == 0 else rows.below).append(row)
    return rows


def _appendices(criteria: CriteriaSet, rows: _Rows, year: int) -> tuple[Appendix, Appendix]:
    order = {item.code: n for n, (item, _) in enumerate(criteria.walk())}
    keep = Appendix(
        1,
        f"Danh mục tiêu chí, tiêu chí thành phần đạt điểm tối đa năm {year} cần duy trì",
        [PlanSection(d.title, rows.keep[d.code]) for d in criteria.items if d.code in rows.keep],
    )
    sections = [
        PlanSection("Tiêu chí, tiêu chí thành phần không đạt điểm", rows.zero),
        PlanSection("Tiêu chí, tiêu chí thành phần chưa đạt điểm tối đa", rows.below),
        PlanSection("Tiêu chí bị trừ điểm", rows.deducted),
    ]
    for section in sections:
        section.rows.sort(key=lambda r: _sort_key(r, order))
    fix = Appendix(
        2,
        f"Danh mục tiêu chí, tiêu chí thành phần bị mất điểm năm {year} cần khắc phục",
        [s for s in sections if s.rows],
    )
    return keep, fix


def _declined(change: UnitChange | None, criteria: CriteriaSet) -> list[Declined]:
    if change is None:
        return []
    domains = {i.code: (a[0] if a else i) for i, a in criteria.walk()}
    return [
        Declined(
            item.code or "",
            item.title,
            ", ".join(item.old_codes),
            item.before.points,
            item.before.max,
            item.now.points,
            item.now.max,
            _domain_name(domains.get(item.code or "")),
        )
        for item in change.items
        if item.status in DECLINES and item.before is not None and item.now is not None
    ]


def _domain_name(domain: Item | None) -> str:
    return f"{domain.code}. {domain.title}" if domain is not None else ""


def _group_name(criteria: CriteriaSet, group: str | None) -> str:
    if group and group in criteria.groups:
        return lower_first(criteria.groups[group])
    return "đơn vị"


def build_plan(
    run: YearRun,
    unit_code: str,
    change: UnitChange | None = None,
    options: PlanOptions | None = None,
    sizes: Counter[tuple[str, str | None]] | None = None,
) -> Plan:
    """The plan of one unit for the year after `run.year`; `change` compares with last year.

    `sizes` (ranked units per set and group, `group_sizes(run)`) saves recounting per unit.
    """
    options = options or PlanOptions()
    score = run.unit(unit_code)
    if score is None:
        raise NotScored(f"đơn vị {unit_code} không có trong kết quả năm {run.year}")
    criteria = run.criteria(score)
    declined = _declined(change, criteria)
    report_by = options.report_by or date(run.year + 1, 11, 30)
    context = _Context(options, run.year, report_by, {d.code: d for d in declined})
    keep, fix = _appendices(criteria, _collect(criteria, score, context), run.year)
    issuer = issuer_of(score.unit.name)
    superior, header = header_of(score.unit.name, options.province)
    ranked = (sizes or group_sizes(run))[(score.set_id, score.unit.group)]
    before = change.before if change is not None else None
    nodes = score.totals.nodes
    scored = unit_code in run.scored_items
    return Plan(
        unit_code=score.unit.code,
        unit_name=score.unit.name,
        issuer=issuer,
        superior=superior,
        header=header,
        signer=signer_of(score.unit.name),
        place=place_of(score.unit.name, options.province),
        year=run.year,
        number=options.number or "      /KH-UBND",
        date=options.date,
        set_title=criteria.title,
        sample=criteria.status == "sample",
        index=score.totals.index,
        provisional=provisional_note(run, score),
        result=run.result,
        result_line=run.result_line(),
        scored_items=scored,
        items_line=items_line(run.year) if scored else "",
        previous_result=options.previous_result if change is not None else "",
        band=score.totals.band,
        rank=score.totals.rank,
        rank_of=ranked,
        group_name=_group_name(criteria, score.unit.group),
        previous_index=before.index if before else None,
        previous_band=before.band if before else None,
        previous_rank=before.rank if before else None,
        previous_rank_of=before.rank_of if before else 0,
        domains=[
            (f"{d.code}. {d.title}", nodes[d.code].points, nodes[d.code].max, nodes[d.code].index)
            for d in criteria.items
            if d.code in nodes and effective_type(d, ()) == "score"
        ],
        keep=keep,
        fix=fix,
        declined=declined,
        assignments=assignments(keep, fix),
        report_by=report_by,
        report_to=options.report_to or report_to_of(options.province),
        coordinator=options.coordinator or coordinator_of(fix, keep, UNASSIGNED),
        precision=criteria.precision,
    )
