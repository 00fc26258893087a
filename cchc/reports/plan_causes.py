"""Nguyên nhân for Phụ lục 2: why points were lost, not what the unit reported.

A cause is built from what is known about the item, in this order: the appraiser's comment, the
gap between what the unit reached and what the rule requires ('đạt 72%, yêu cầu từ 95%'), the
evidence problem found by `cchc evidence`, missing evidence, the unit's giải trình, a decline
against last year. Where nothing is known the cause is a placeholder the officer fills in.
"""

from __future__ import annotations

import re
from decimal import Decimal

from cchc.core.numbers import fmt, parse_number
from cchc.criteria.model import (
    ChoiceRule,
    Item,
    PerItemRule,
    ProportionalRule,
    TiersRule,
    YesNoRule,
)
from cchc.criteria.wording import points, tier_condition
from cchc.reports.plan_model import Declined
from cchc.reports.plan_wording import lower_first
from cchc.scoring.index import APPRAISALS, LeafScore
from cchc.scoring.rules import Entry, measure_value

PLACEHOLDER = "(Cơ quan chủ trì bổ sung nguyên nhân bị trừ điểm)"
"""Shown where nothing explains the lost points: the officer writes the cause."""
NOT_ASSESSED = "Đơn vị chưa tự đánh giá tiêu chí này"

_FIGURE = re.compile(r"số liệu ([12]) = ([^;]+)")
_CHOICE = re.compile(r"lựa chọn: ([^;]+)")


def entry_of(inputs: str) -> Entry:
    """The unit's entry back from the trace ('số liệu 1 = 12; số liệu 2 = 20; lựa chọn: Đạt')."""
    figures = {n: parse_number(v) for n, v in _FIGURE.findall(inputs)}
    choice = _CHOICE.search(inputs)
    return Entry(
        figure1=figures.get("1"),
        figure2=figures.get("2"),
        choice=choice.group(1).strip() if choice else None,
    )


def _unit(rule: TiersRule | ProportionalRule) -> str:
    return "" if rule.measure.kind == "number" else "%"


def _reached(value: Decimal, unit: str) -> str:
    return f"{fmt(value, 2 if unit else None)}{unit}"


def gap(item: Item, entry: Entry) -> str:
    """What the unit reached against what the rule requires; '' when the rule says nothing."""
    match item.rule:
        case TiersRule() as rule:
            value = measure_value(rule.measure, entry)
            if value is None:
                return ""
            best = max(rule.tiers, key=lambda t: t.value)
            unit = _unit(rule)
            required = lower_first(tier_condition(best, unit))
            return f"Đạt {_reached(value, unit)}, yêu cầu {required} để đạt {points(best.value)}"
        case ProportionalRule(measure=measure):
            value = measure_value(measure, entry)
            if value is None:
                return ""
            top = points(item.max or Decimal(0))
            return f"Đạt {_reached(value, '%')}, yêu cầu 100% để đạt {top}"
        case PerItemRule() as rule if entry.figure1 is not None:
            counted = lower_first(rule.count)
            if rule.points < 0:
                return f"Phát sinh {fmt(entry.figure1)} trường hợp ({counted})"
            return f"Đạt {fmt(entry.figure1)} ({counted})"
        case ChoiceRule(options=options) if entry.choice:
            option = max(options, key=lambda o: o.points)
            return f"Đơn vị đạt mức “{entry.choice}”, yêu cầu mức “{option.label}”"
        case YesNoRule() if entry.choice:
            return f"Đơn vị tự đánh giá “{entry.choice}”"
        case _:
            return ""


def _appraisal(leaf: LeafScore) -> str:
    if leaf.by not in APPRAISALS:
        return ""
    said = f"Thẩm định {points(leaf.final)}"
    if "self" in leaf.layers and leaf.layers["self"] != leaf.final:
        said = f"Tự chấm {points(leaf.layers['self'])}, thẩm định {points(leaf.final)}"
    comment = leaf.trace.get("comment", "").strip()
    return f"{said}: {comment}" if comment else said


def _declined(item: Declined | None, year: int) -> str:
    if item is None:
        return ""
    return (
        f"Giảm so với năm {year - 1} ({fmt(item.previous_points)}/{fmt(item.previous_max)} "
        f"xuống {fmt(item.points)}/{fmt(item.max)} điểm)"
    )


def cause(
    item: Item,
    leaf: LeafScore,
    year: int,
    declined: Declined | None = None,
    evidence_note: str = "",
) -> str:
    """Nguyên nhân of one Phụ lục 2 row; `year` is the assessed year."""
    trace = leaf.trace
    if "self" not in leaf.layers and leaf.by not in APPRAISALS:
        return NOT_ASSESSED
    parts = [
        _appraisal(leaf),
        gap(item, entry_of(trace.get("inputs", ""))),
        evidence_note.strip(),
    ]
    if not trace.get("evidence") and not any("tài liệu kiểm chứng" in p.lower() for p in parts):
        parts.append("chưa có tài liệu kiểm chứng")
    said = (trace.get("response") or trace.get("explanation") or "").strip()
    if said:
        parts.append(f"đơn vị giải trình: {said}")
    parts.append(_declined(declined, year))
    known = [p for p in parts if p]
    if not known or known == [_declined(declined, year)]:
        known.append(PLACEHOLDER)
    text = "; ".join([known[0], *(lower_first(p) for p in known[1:])])
    return text[0].upper() + text[1:]
