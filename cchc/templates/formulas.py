"""Excel formulas that show a unit its points as it fills in the workbook (for convenience only).

cchc never reads these results back: scores are recomputed from the inputs by scoring.rules.
"""

from __future__ import annotations

from decimal import Decimal
from typing import assert_never

from cchc.criteria.model import (
    YES,
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
from cchc.scoring.rules import NA_EXCLUDE_LABEL, NA_FULL_LABEL
from cchc.templates.layout import LETTER


def _n(value: Decimal) -> str:
    return format(value, "f")


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _tier_condition(tier: Tier, v: str) -> str:
    parts = []
    low, low_in = tier.lower()
    high, high_in = tier.upper()
    if low is not None:
        parts.append(f"{v}{'>=' if low_in else '>'}{_n(low)}")
    if high is not None:
        parts.append(f"{v}{'<=' if high_in else '<'}{_n(high)}")
    return parts[0] if len(parts) == 1 else f"AND({','.join(parts)})"


def _tiers(rule: TiersRule, v: str) -> str:
    expr = "0"
    for tier in reversed(rule.tiers):
        if tier.is_else:
            expr = _n(tier.value)
        else:
            expr = f"IF({_tier_condition(tier, v)},{_n(tier.value)},{expr})"
    return expr


def _value(measure: Measure, row: int) -> str:
    """The figure the rule applies to; '85%' typed is stored as 0,85 in a percent-formatted cell
    (CELL("format") starts with P), read as 85 as the scorer does."""
    e, f = f"{LETTER['figure1']}{row}", f"{LETTER['figure2']}{row}"
    if measure.kind == "percent":
        return f'IF(LEFT(CELL("format",{e}),1)="P",{e}*100,{e})'
    return f"({e}/{f}*100)" if measure.kind == "ratio" else e


def _core(item: Item, row: int, group_top: Decimal, places: int) -> str | None:
    """The points on the set's maximum, except proportional ones: on the group's own maximum."""
    rule = item.rule
    top = item.max or Decimal(0)
    g = f"{LETTER['choice']}{row}"
    e = f"{LETTER['figure1']}{row}"
    match rule:
        case YesNoRule():
            return f"IF({g}={_q(YES)},{_n(top)},0)"
        case ChoiceRule(options=options):
            expr = "0"
            for option in reversed(options):
                expr = f"IF({g}={_q(option.label)},{_n(option.points)},{expr})"
            return expr
        case TiersRule():
            return _tiers(rule, _value(rule.measure, row))
        case ProportionalRule():
            v = _value(rule.measure, row)
            decimals = rule.decimals if rule.decimals is not None else places
            expr = f"ROUND({_n(group_top)}*{v}/100,{decimals})"
            if rule.cap is not None:
                cap = rule.cap * group_top / top if top else rule.cap
                expr = f"MIN({_n(cap)},{expr})"
            return f"IF({v}<{_n(rule.floor)},0,{expr})" if rule.floor is not None else expr
        case PerItemRule():
            low = rule.min if rule.min is not None else Decimal(0)
            high = rule.max if rule.max is not None else top
            return f"MAX({_n(low)},MIN({_n(high)},{_n(rule.base)}+{_n(rule.points)}*{e}))"
        case ManualRule() | None:
            return None  # the unit types the points (or a survey gives them)
        case _:
            assert_never(rule)


def leaf_formula(item: Item, row: int, top: Decimal, places: int = 2) -> str | None:
    """The formula of the 'Điểm tự chấm' cell, or None where the unit types points (manual).

    Rounded as the scoring rounds: half-up once at `places`, the set's precision.points.
    """
    core = _core(item, row, top, places)
    if core is None:
        return None
    if item.max and top != item.max and not isinstance(item.rule, ProportionalRule):
        core = f"ROUND(({core})*{_n(top)}/{_n(item.max)},{places})"
    e, f, g = (f"{LETTER[c]}{row}" for c in ("figure1", "figure2", "choice"))
    if len(item.figures) == 2:  # a ratio: no denominator, nothing to score
        zero = _n(top) if item.na == "full" else "0"
        core = f"IF({f}=0,{zero},{core})"
    if item.na == "full":
        core = f"IF({g}={_q(NA_FULL_LABEL)},{_n(top)},{core})"
    elif item.na == "exclude":
        core = f"IF({g}={_q(NA_EXCLUDE_LABEL)},0,{core})"
    return f'=IF(AND({e}="",{f}="",{g}=""),"",{core})'


def step_check(cell: str, top: Decimal, step: Decimal) -> str:
    """A validation formula: a number from 0 to `top` in steps of `step` (0,3 on 0,25 fails).

    Compared in ten-thousandths, so that the decimal steps of a set (0,25; 0,5; 0,01) divide
    exactly whatever binary value the spreadsheet holds.
    """
    whole = f"ROUND({cell}*10000,0)"
    return (
        f"AND(ISNUMBER({cell}),{cell}>=0,{cell}<={_n(top)},"
        f"MOD({whole},{_n((step * 10000).to_integral_value())})=0)"
    )
