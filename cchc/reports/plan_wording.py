"""Drafted wording for the plan: the task for each item (causes: `plan_causes`).

The set's own `remedy` / `maintain` wording wins; otherwise a sentence is drafted from the rule
(a tiers item: the threshold to reach; a yes/no item: what must be done; …).
"""

from __future__ import annotations

import math
from decimal import Decimal

from cchc.criteria.model import (
    ChoiceRule,
    Item,
    ManualRule,
    Measure,
    PerItemRule,
    ProportionalRule,
    TiersRule,
    YesNoRule,
)
from cchc.criteria.wording import points, tier_condition


def lower_first(text: str) -> str:
    """'Ban hành kế hoạch' → 'ban hành kế hoạch'; acronyms ('CCHC', 'UBND') stay as they are."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _measure(measure: Measure) -> str:
    if measure.ratio is not None:
        return f"tỷ lệ {lower_first(measure.ratio[0])} trên {lower_first(measure.ratio[1])}"
    return lower_first(measure.percent or measure.number or "")


def _tiers(rule: TiersRule) -> tuple[str, str]:
    unit = "" if rule.measure.kind == "number" else "%"
    best = max(rule.tiers, key=lambda t: t.value)
    condition = lower_first(tier_condition(best, unit))
    if condition == f"từ 100{unit}":  # 'ở mức từ 100%' reads oddly: the top is the top
        condition = f"100{unit}"
    figure = _measure(rule.measure)
    return (
        f"Phấn đấu {figure} ở mức {condition} để đạt {points(best.value)}",
        f"Duy trì {figure} ở mức {condition}",
    )


def _per_item(rule: PerItemRule, item: Item, penalty: bool) -> tuple[str, str]:
    counted = lower_first(rule.count)
    if rule.points < 0 or penalty:
        return f"Không để phát sinh: {counted}", f"Tiếp tục không để phát sinh: {counted}"
    top = rule.max if rule.max is not None else item.max or Decimal(0)
    needed = max(1, math.ceil((top - rule.base) / rule.points))
    return (
        f"Đạt ít nhất {needed} ({counted}) để đạt {points(top)}",
        f"Duy trì ít nhất {needed} ({counted})",
    )


def _drafted(item: Item, penalty: bool) -> tuple[str, str]:
    """(remedy, maintain) drafted from the item's rule; a penalty item counts what to avoid."""
    title = lower_first(item.title)
    top = points(item.max or Decimal(0))
    match item.rule:
        case YesNoRule():
            return f"Thực hiện đầy đủ, đúng yêu cầu: {title}", f"Tiếp tục thực hiện tốt: {title}"
        case ChoiceRule(options=options):
            best = max(options, key=lambda o: o.points)
            return (
                f"Phấn đấu đạt mức “{best.label}” ({points(best.points)})",
                f"Duy trì mức “{best.label}”",
            )
        case TiersRule() as rule:
            return _tiers(rule)
        case ProportionalRule(measure=measure):
            figure = _measure(measure)
            return f"Nâng {figure} lên 100% để đạt {top}", f"Duy trì {figure} đạt 100%"
        case PerItemRule() as rule:
            return _per_item(rule, item, penalty)
        case ManualRule(guide=guide) if guide:
            guide = lower_first(guide.splitlines()[0])
            return f"Khắc phục để đạt {top}: {guide}", f"Duy trì kết quả: {title}"
        case _:
            return f"Khắc phục, hoàn thiện để đạt {top}: {title}", f"Duy trì kết quả: {title}"


def remedy_task(item: Item, penalty: bool = False) -> str:
    """Nhiệm vụ, giải pháp khắc phục (Phụ lục 2)."""
    return item.remedy or _drafted(item, penalty)[0]


def maintain_task(item: Item) -> str:
    """Nhiệm vụ, giải pháp duy trì (Phụ lục 1)."""
    return item.maintain or _drafted(item, False)[1]
