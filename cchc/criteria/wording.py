"""The Vietnamese wording of a scoring rule ("Cách chấm"), as printed in published tables."""

from __future__ import annotations

from decimal import Decimal
from typing import assert_never

from cchc.core.numbers import fmt
from cchc.criteria.model import (
    ChoiceRule,
    Item,
    ManualRule,
    Measure,
    PerItemRule,
    ProportionalRule,
    Tier,
    TiersRule,
    YesNoRule,
)

SURVEY = "Điều tra xã hội học"
BONUS = "Điểm thưởng"
PENALTY = "Điểm trừ"
NA_FULL = "Không phát sinh: đạt điểm tối đa"
NA_EXCLUDE = "Không áp dụng: không tính vào điểm tối đa"
CHOICE_HEAD = "Chọn một:"
PROPORTIONAL = "Điểm = tỷ lệ × điểm tối đa"
MANUAL = "Chấm trực tiếp"


def points(value: Decimal) -> str:
    """'0,5 điểm'."""
    return f"{fmt(value)} điểm"


def measure_line(measure: Measure) -> str:
    """How the figure is described: 'Tỷ lệ: A / B', 'Tỷ lệ (%): A' or 'Số liệu: A'."""
    if measure.ratio is not None:
        return f"Tỷ lệ: {measure.ratio[0]} / {measure.ratio[1]}"
    if measure.percent is not None:
        return f"Tỷ lệ (%): {measure.percent}"
    return f"Số liệu: {measure.number}"


def tier_condition(tier: Tier, unit: str) -> str:
    """'Trên 90%', 'Từ 70% đến dưới 90%', 'Dưới 50%', 'Còn lại'."""
    if tier.is_else:
        return "Còn lại"
    low, low_in = tier.lower()
    high, high_in = tier.upper()
    parts = []
    if low is not None:
        parts.append(f"{'từ' if low_in else 'trên'} {fmt(low)}{unit}")
    if high is not None:
        if low is not None:
            parts.append(f"đến {fmt(high)}{unit}" if high_in else f"đến dưới {fmt(high)}{unit}")
        else:
            parts.append(f"không quá {fmt(high)}{unit}" if high_in else f"dưới {fmt(high)}{unit}")
    text = " ".join(parts)
    return text[0].upper() + text[1:]


def rule_lines(item: Item) -> list[str]:
    """The canonical lines of an item's 'Cách chấm' (what it declares itself, not inherited)."""
    lines: list[str] = []
    if item.type == "bonus":
        lines.append(BONUS)
    elif item.type == "penalty":
        lines.append(PENALTY)
    if item.cap is not None:
        lines.append(f"Tối đa {points(item.cap)}")
    if item.method == "survey":
        lines.append(SURVEY)
    elif item.method == "self":
        lines.append("Tự đánh giá")
    match item.rule:
        case None:
            pass
        case YesNoRule():
            lines.append(f"Đạt: {points(item.max or Decimal(0))}; không đạt: 0 điểm")
        case ChoiceRule(options=options):
            lines.append(CHOICE_HEAD)
            lines += [f"- {o.label}: {points(o.points)}" for o in options]
        case TiersRule(measure=measure, tiers=tiers):
            unit = "" if measure.kind == "number" else "%"
            lines.append(measure_line(measure))
            lines += [f"- {tier_condition(t, unit)}: {points(t.value)}" for t in tiers]
        case ProportionalRule() as rule:
            lines += [measure_line(rule.measure), PROPORTIONAL]
            if rule.floor is not None:
                lines.append(f"Dưới {fmt(rule.floor)}%: 0 điểm")
            if rule.cap is not None:
                lines.append(f"Tối đa {points(rule.cap)}")
            if rule.decimals is not None and rule.decimals != 2:
                lines.append(f"Làm tròn {rule.decimals} chữ số thập phân")
        case PerItemRule() as rule:
            lines += [f"Đếm: {rule.count}", f"Mỗi trường hợp: {_signed(rule.points)} điểm"]
            if rule.base:
                lines.append(f"Điểm ban đầu: {points(rule.base)}")
            if rule.min is not None:
                lines.append(f"Thấp nhất: {points(rule.min)}")
            if rule.max is not None:
                lines.append(f"Cao nhất: {points(rule.max)}")
        case ManualRule(step=step, guide=guide):
            by = "" if step == Decimal("0.01") else f", bước {points(step)}"
            lines.append(MANUAL + by)
            if guide:
                lines += guide.splitlines()
        case _:
            assert_never(item.rule)
    if item.na == "full":
        lines.append(NA_FULL)
    elif item.na == "exclude":
        lines.append(NA_EXCLUDE)
    return lines


def _signed(value: Decimal) -> str:
    return fmt(value) if value < 0 else "+" + fmt(value)


def rule_text(item: Item) -> str:
    """The multi-line 'Cách chấm' cell."""
    return "\n".join(rule_lines(item))


def rule_summary(item: Item) -> str:
    """The rule on one line, e.g. for `cchc criteria show`."""
    out = ""
    for line in rule_lines(item):
        text = line.removeprefix("- ")
        out += text if not out else (" " if out.endswith(":") else "; ") + text
    return out
