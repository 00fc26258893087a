"""The demo's year-on-year comparison and one unit's remediation plan (Phụ lục 1 and 2)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from cchc.commands.compare import compare
from cchc.commands.plan import PlanRequest, plan
from cchc.commands.session import Session
from cchc.core.fileio import write_text
from cchc.core.numbers import fmt
from cchc.demo.official import official_step

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


def plan_steps(out: Path, demo: Session) -> Steps:
    """Import the official result of 2024, compare 2025 with it, then write X001's plan for
    2026; (title, lines, outputs)."""
    steps: Steps = [official_step(out, demo)]
    compared = compare(demo, 2024, 2025, out / "ket-qua")
    comparison, book = compared.comparison, compared.workbook
    kinds = Counter(link.kind for walk in comparison.crosswalks for link in walk.links)
    lines = [
        f"Đối chiếu bộ tiêu chí: {kinds['renumbered']} mục đổi mã, {kinds['merged']} mục gộp, "
        f"{kinds['new']} mục mới, {kinds['removed']} mục bỏ",
        *comparison.result_lines,
    ]
    places = comparison.precision.index
    for unit in comparison.units:
        counts = unit.counts()
        then = unit.before.index if unit.before else None
        lines.append(
            f"{unit.code} {unit.name}: {fmt(then or 0, places)}% → "
            f"{fmt(unit.now.index or 0, places)}%"
            f"; {counts['newly_max']} mục mới đạt tối đa, {counts['declined']} mục giảm điểm, "
            f"{counts['newly_below']} mục mới dưới tối đa"
        )
    steps.append(("So sánh năm 2025 với năm 2024 qua bảng đối chiếu", lines, [book]))

    owners_file = write_text(out / f"phan-cong-{PLAN_UNIT}.csv", OWNERS)
    request = PlanRequest(
        2025,
        out / "ke-hoach" / PLAN_UNIT,
        units=(PLAN_UNIT,),
        owners=owners_file,
        number="15/KH-UBND",
        date_text="15/01/2026",
    )
    [written] = list(plan(demo, request))
    made, files = written.plan, written.files
    zero = made.fix.sections[0].rows if made.fix.sections else []
    lines = [
        f"{made.issuer}: chỉ số {fmt(made.index or 0, made.precision.index)}%, {made.band}, "
        f"hạng {made.rank}/{made.rank_of} {made.group_name}",
        f"Phụ lục 1: {len(made.keep.rows)} mục đạt điểm tối đa cần duy trì",
        f"Phụ lục 2: {len(made.fix.rows)} mục cần khắc phục ({len(zero)} mục 0 điểm), "
        f"mất {fmt(made.fix.lost)} điểm",
        f"{len(made.declined)} mục giảm điểm so với năm 2024",
        made.previous_result,
        *(f"{a.department}: duy trì {a.keep}, khắc phục {a.fix} mục" for a in made.assignments),
    ]
    steps.append((f"Kế hoạch khắc phục năm 2026 của {PLAN_UNIT} (Phụ lục 1, 2)", lines, files))
    return steps
