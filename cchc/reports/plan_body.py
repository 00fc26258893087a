"""The plan's body text that depends on the plan: the result it is built on, declines by domain,
Section IV, recipients.

The body stays close to a real three-page plan: the declining items are summarised per domain
in a short table (the items themselves are in Phụ lục II), and Section IV names each body once,
with the domains it leads whole and the items it leads in shared domains.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cchc.core.numbers import fmt
from cchc.core.text import fold
from cchc.reports.plan_model import Assignment, Declined, Plan
from cchc.reports.plan_wording import lower_first

KIND = "tiêu chí, tiêu chí thành phần"
ITEMS_SHOWN = 8
"""Codes listed for a body in a shared domain before '…' (the appendices list them all)."""
SELF_ONLY = "chưa thẩm định, điểm là điểm tự chấm"
"""Said of items taken from a scored run that was not appraised."""


def vn_date(day: date) -> str:
    """'ngày 30/11/2026'."""
    return f"ngày {day.day:02d}/{day.month:02d}/{day.year}"


def items_line(year: int) -> str:
    """What the terminal and the appendices say of a plan whose items are the scored run's."""
    return (
        f"Điểm từng mục (Phụ lục 1, 2) theo kết quả cchc chấm năm {year}; chỉ số, xếp loại, "
        "xếp hạng theo kết quả chính thức (kết quả chính thức chỉ có điểm lĩnh vực)"
    )


def _set_name(title: str) -> str:
    """'Bộ tiêu chí …' → 'bộ tiêu chí …'; a title not naming a set is preceded by 'bộ tiêu chí'."""
    return lower_first(title) if fold(title).startswith("bộ ") else f"bộ tiêu chí {title}"


def result_notes(plan: Plan) -> list[str]:
    """What the result sentence of the plan's body says in brackets: which result its figures
    are, and what that result still lacks."""
    scored = f"kết quả chấm điểm theo {_set_name(plan.set_title)}"
    if plan.scored_items:
        lacking = f" ({SELF_ONLY})" if plan.provisional else ""
        return [
            "chỉ số, xếp loại, xếp hạng theo kết quả chính thức do cấp trên công bố; kết quả "
            "chính thức chỉ có điểm lĩnh vực nên điểm từng tiêu chí, tiêu chí thành phần tại "
            f"Phụ lục I, II là {scored}{lacking}"
        ]
    if plan.result == "official":
        return ["kết quả chính thức do cấp trên công bố"]
    return [scored, lower_first(plan.provisional)] if plan.provisional else [scored]


def declined_intro(plan: Plan) -> str:
    if plan.declined:
        return (
            f"Có {len(plan.declined)} {KIND} giảm điểm so với năm {plan.year - 1} (nguyên nhân, "
            "nhiệm vụ khắc phục tại Phụ lục II), tổng hợp theo lĩnh vực:"
        )
    if plan.previous_index is None:
        return f"Chưa có kết quả năm {plan.year - 1} để so sánh."
    return f"Không có {KIND} nào giảm điểm so với năm {plan.year - 1}."


def declined_by_domain(items: list[Declined]) -> list[dict[str, str]]:
    """One row per domain: items declined, their points last year and this year."""
    rows: dict[str, list[Decimal | int]] = {}
    for item in items:
        counts = rows.setdefault(item.domain or "—", [0, Decimal(0), Decimal(0)])
        counts[0] += 1
        counts[1] += item.previous_points
        counts[2] += item.points
    return [
        {"domain": name, "count": str(count), "before": fmt(before), "now": fmt(now)}
        for name, (count, before, now) in rows.items()
    ]


def _domain(name: str) -> str:
    code, _, title = name.partition(". ")
    return f"lĩnh vực {code} ({title})" if title else f"lĩnh vực {name}"


def _listed(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " và " + names[-1] if len(names) > 1 else names[0]


def _leads(item: Assignment) -> str:
    parts = [_domain(d) for d in item.domains]
    if item.items:
        codes = item.items[:ITEMS_SHOWN] + (["…"] if len(item.items) > ITEMS_SHOWN else [])
        label = "tiêu chí" if len(item.items) == 1 else "các tiêu chí"
        parts.append(f"{label} {', '.join(codes)}")
    return _listed(parts) if parts else ""


def _tasks(item: Assignment) -> str:
    tasks = []
    if item.keep:
        tasks.append(f"duy trì {item.keep} {KIND} đạt điểm tối đa (Phụ lục I)")
    if item.fix:
        tasks.append(f"khắc phục {item.fix} {KIND} bị mất điểm (Phụ lục II)")
    return " và ".join(tasks)


def assignment_line(number: int, item: Assignment, plan: Plan, head: str) -> str:
    """'1. Văn phòng HĐND và UBND: chủ trì lĩnh vực 1 (…); duy trì …; gửi kết quả về … trước …'."""
    leads = _leads(item)
    verb = "trực tiếp chỉ đạo" if item.leader else "chủ trì"
    clauses = [f"{verb} {leads}"] if leads else []
    if item.keep or item.fix:
        clauses.append(_tasks(item))
    if not item.leader and plan.report_by is not None:
        to = head if item.department == plan.coordinator else plan.coordinator
        clauses.append(
            f"gửi kết quả thực hiện và tài liệu kiểm chứng về {to} trước {vn_date(plan.report_by)}"
        )
    return f"{number}. {item.department}: " + "; ".join(clauses) + "."


def follow_up(plan: Plan, issuer: str, head: str) -> str:
    """The coordinator's job, and the issuer's report to the body above it."""
    to = plan.report_to
    via = " (qua Sở Nội vụ)" if to.startswith("UBND ") else ""
    when = f" trước {vn_date(plan.report_by)}" if plan.report_by is not None else ""
    return (
        f"{plan.coordinator} theo dõi, đôn đốc việc thực hiện Kế hoạch; tổng hợp kết quả, báo "
        f"cáo {head}{when}; tham mưu {issuer} báo cáo {to}{via} kết quả thực hiện cùng báo cáo "
        f"công tác cải cách hành chính năm {plan.plan_year}."
    )


def head_of(issuer: str, signer: list[str]) -> str:
    """Who the bodies report to inside the issuer: 'Chủ tịch UBND xã Tân Lập', 'Giám đốc Sở …'."""
    title = signer[-1].capitalize() if signer else "Thủ trưởng"
    return f"{title} {issuer}"


def recipients(plan: Plan, issuer: str) -> list[str]:
    lines = []
    if plan.report_to:
        lines.append(f"{plan.report_to} (b/c);")
        if plan.report_to.startswith("UBND "):
            lines.append("Sở Nội vụ (b/c);")
    elif plan.superior:
        lines.append(f"{plan.superior} (b/c);")
    if plan.signer[:1] == ["TM. ỦY BAN NHÂN DÂN"]:
        lines.append(f"Chủ tịch, các Phó Chủ tịch {issuer};")
    lines += ["Các cơ quan, đơn vị tại mục IV;", "Lưu: VT."]
    return lines
