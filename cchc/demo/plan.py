"""The demo's year-on-year comparison and one unit's remediation plan (Phụ lục 1 and 2)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from cchc.core.fileio import write_text
from cchc.core.numbers import fmt
from cchc.inputs.owners import read_owners
from cchc.reports.compare_xlsx import write_comparison
from cchc.reports.plan import PlanOptions, build_plan
from cchc.reports.plan_files import write_plan_files
from cchc.scoring.compare import compare_years
from cchc.scoring.run import YearRun
from cchc.store import db as store
from cchc.store.workspace import Workspace

PLAN_UNIT = "X001"
OWNERS = """\
Mã,Cơ quan chủ trì,Cơ quan phối hợp
1,Văn phòng HĐND và UBND,Các phòng chuyên môn
2,Văn phòng HĐND và UBND,Công chức Tư pháp - Hộ tịch
3,Trung tâm Phục vụ hành chính công,Văn phòng HĐND và UBND
4,Phòng Nội vụ,
5,Phòng Nội vụ,Văn phòng HĐND và UBND
6,Phòng Kinh tế,Phòng Tài chính - Kế hoạch
7,Phòng Văn hóa - Xã hội,Trung tâm Phục vụ hành chính công
8,Trung tâm Phục vụ hành chính công,
"""
"""The demo commune assigns its domains to its departments (domain 9 is the survey)."""

Steps = list[tuple[str, list[str], list[Path]]]


def _stored(workspace: Workspace, year: int) -> YearRun:
    run = store.load_run(workspace.db_path, year)
    assert run is not None, f"the demo scored {year} before"
    return run


def plan_steps(out: Path, workspace: Workspace) -> Steps:
    """Compare 2025 with 2024, then write X001's plan for 2026; (title, lines, outputs)."""
    before, now = _stored(workspace, 2024), _stored(workspace, 2025)
    comparison = compare_years(before, now)
    book = write_comparison(comparison, out / "ket-qua" / "so-sanh-2024-2025.xlsx")
    kinds = Counter(link.kind for walk in comparison.crosswalks for link in walk.links)
    lines = [
        f"Đối chiếu bộ tiêu chí: {kinds['renumbered']} mục đổi mã, {kinds['merged']} mục gộp, "
        f"{kinds['new']} mục mới, {kinds['removed']} mục bỏ"
    ]
    for unit in comparison.units:
        counts = unit.counts()
        then = unit.before.index if unit.before else None
        lines.append(
            f"{unit.code} {unit.name}: {fmt(then or 0, 2)}% → {fmt(unit.now.index or 0, 2)}%"
            f"; {counts['newly_max']} mục mới đạt tối đa, {counts['declined']} mục giảm điểm, "
            f"{counts['newly_below']} mục mới dưới tối đa"
        )
    steps: Steps = [("So sánh năm 2025 với năm 2024 qua bảng đối chiếu", lines, [book])]

    owners_file = write_text(out / f"phan-cong-{PLAN_UNIT}.csv", OWNERS)
    score = now.unit(PLAN_UNIT)
    assert score is not None
    owners = read_owners(owners_file, now.criteria(score))
    options = PlanOptions("15/KH-UBND", date(2026, 1, 15), owners, "Tỉnh Bắc Kạn")
    change = next(u for u in comparison.units if u.code == PLAN_UNIT)
    plan = build_plan(now, PLAN_UNIT, change, options)
    folder = out / "ke-hoach" / PLAN_UNIT
    files = write_plan_files(plan, folder)
    zero = plan.fix.sections[0].rows if plan.fix.sections else []
    lines = [
        f"{plan.issuer}: chỉ số {fmt(plan.index or 0, 2)}%, {plan.band}, "
        f"hạng {plan.rank}/{plan.rank_of} {plan.group_name}",
        f"Phụ lục 1: {len(plan.keep.rows)} mục đạt điểm tối đa cần duy trì",
        f"Phụ lục 2: {len(plan.fix.rows)} mục cần khắc phục ({len(zero)} mục 0 điểm), "
        f"mất {fmt(plan.fix.lost)} điểm",
        f"{len(plan.declined)} mục giảm điểm so với năm 2024",
        *(f"{a.department}: duy trì {a.keep}, khắc phục {a.fix} mục" for a in plan.assignments),
    ]
    steps.append((f"Kế hoạch khắc phục năm 2026 của {PLAN_UNIT} (Phụ lục 1, 2)", lines, files))
    return steps
