"""Evaluate a leaf's scoring rule on what the unit entered, in exact decimals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import assert_never

from cchc.core.numbers import fmt, round_points
from cchc.core.text import fold
from cchc.criteria.model import (
    NO,
    YES,
    ChoiceRule,
    Item,
    ManualRule,
    Measure,
    PerItemRule,
    ProportionalRule,
    TiersRule,
    YesNoRule,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
NA_FULL_LABEL = "Không phát sinh"
NA_EXCLUDE_LABEL = "Không áp dụng"


class Status(StrEnum):
    """How a leaf ended up with its points."""

    SCORED = "scored"
    NA_FULL = "na_full"
    NA_EXCLUDE = "na_exclude"
    MISSING = "missing"
    SURVEY = "survey"


@dataclass(frozen=True)
class Entry:
    """What the unit entered for one leaf (already parsed to decimals and NFC text)."""

    figure1: Decimal | None = None
    figure2: Decimal | None = None
    choice: str | None = None
    points: Decimal | None = None

    def __reduce__(self) -> tuple[type[Entry], tuple[object, ...]]:
        # Positional fields pickle in half the time of the default (workers send thousands).
        return Entry, (self.figure1, self.figure2, self.choice, self.points)


@dataclass
class Outcome:
    """The points of a leaf, why, and what was wrong with the entry."""

    points: Decimal
    status: Status
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    """(code, column, Vietnamese message); column is one of figure1, figure2, choice, points."""

    def __reduce__(self) -> tuple[type[Outcome], tuple[object, ...]]:
        return Outcome, (self.points, self.status, self.problems)


def na_label(item: Item) -> str | None:
    """The N/A answer the item accepts, if any."""
    if item.na == "full":
        return NA_FULL_LABEL
    return NA_EXCLUDE_LABEL if item.na == "exclude" else None


def choice_labels(item: Item) -> list[str]:
    """The answers offered in the 'Lựa chọn' column, N/A last."""
    labels = list(item.rule.answers) if item.rule is not None else []
    na = na_label(item)
    return [*labels, na] if na else labels


def measure_value(measure: Measure, entry: Entry) -> Decimal | None:
    """The figure the tiers apply to: the number, the percent, or numerator/denominator × 100."""
    if measure.kind != "ratio":
        return entry.figure1
    if entry.figure1 is None or entry.figure2 is None or entry.figure2 == 0:
        return None
    return entry.figure1 / entry.figure2 * HUNDRED


def _na_outcome(item: Item) -> Outcome:
    """N/A: full credit is filled in with the group's maximum by `evaluate`."""
    return Outcome(ZERO, Status.NA_FULL if item.na == "full" else Status.NA_EXCLUDE)


def evaluate(item: Item, entry: Entry, top: Decimal | None = None, places: int = 2) -> Outcome:
    """Points of a leaf for an entry; `top` is the leaf's maximum for the unit's group.

    `places` is the set's precision for points: a rescaled or proportional result is rounded
    half-up once, there (a proportional rule may round coarser with its own `decimals`).
    """
    top = (item.max or ZERO) if top is None else top
    scale = top / item.max if item.max else Decimal(1)
    na = na_label(item)
    if entry.choice is not None and na is not None and fold(entry.choice) == fold(na):
        return _finish(_na_outcome(item), top, scale, places)
    outcome: Outcome
    match item.rule:
        case None:
            return Outcome(ZERO, Status.SURVEY)
        case YesNoRule() | ChoiceRule():
            outcome = _choice(item, entry)
        case ProportionalRule() as rule:
            # Points are a share of the group's own maximum, rounded once at the rule's decimals.
            measured = _measured(item, rule, entry, top, scale, places)
            return _finish(measured, top, Decimal(1), places)
        case TiersRule() as rule:
            outcome = _measured(item, rule, entry, top, scale, places)
        case PerItemRule() as rule:
            outcome = _per_item(item, rule, entry)
        case ManualRule() as rule:
            # The unit types points on the group's own scale: nothing to rescale.
            return _finish(_manual(rule, entry, top), top, Decimal(1), places)
        case _:
            assert_never(item.rule)
    return _finish(outcome, top, scale, places)


def _finish(outcome: Outcome, top: Decimal, scale: Decimal, places: int) -> Outcome:
    """Full credit for 'nothing arose'; points rescaled to the group's maximum."""
    if outcome.status is Status.NA_FULL:
        outcome.points = top
    elif outcome.status is Status.SCORED and scale != 1:
        outcome.points = round_points(outcome.points * scale, places)
    return outcome


def _missing(column: str, message: str) -> Outcome:
    return Outcome(ZERO, Status.MISSING, [("missing_input", column, message)])


def _choice(item: Item, entry: Entry) -> Outcome:
    if entry.choice is None:
        return _missing("choice", "chưa chọn kết quả ở cột Lựa chọn")
    wanted = fold(entry.choice)
    match item.rule:
        case YesNoRule():
            options = {fold(YES): item.max or ZERO, fold(NO): ZERO}
        case ChoiceRule(options=offered):
            options = {fold(o.label): o.points for o in offered}
        case _:
            raise TypeError(f"item {item.code}: not a choice rule")
    if wanted not in options:
        if fold(entry.choice) in (fold(NA_FULL_LABEL), fold(NA_EXCLUDE_LABEL)):
            problem = ("na_not_allowed", "choice", "mục này không cho phép chọn không áp dụng")
        else:
            problem = ("choice_invalid", "choice", f"'{entry.choice}' không có trong danh sách")
        return Outcome(ZERO, Status.MISSING, [problem])
    return Outcome(options[wanted], Status.SCORED)


def _measured(
    item: Item,
    rule: TiersRule | ProportionalRule,
    entry: Entry,
    top: Decimal,
    scale: Decimal,
    places: int,
) -> Outcome:
    measure = rule.measure
    if entry.figure1 is None:
        return _missing("figure1", f"thiếu số liệu '{measure.labels[0]}'")
    if measure.kind == "ratio":
        if entry.figure2 is None:
            return _missing("figure2", f"thiếu số liệu '{measure.labels[1]}'")
        if entry.figure2 == 0:
            if item.na is not None:
                return _na_outcome(item)
            problem = ("zero_denominator", "figure2", "mẫu số bằng 0 mà mục không cho phép N/A")
            return Outcome(ZERO, Status.MISSING, [problem])
        if entry.figure1 > entry.figure2:
            problem = ("ratio_above_one", "figure1", "tử số lớn hơn mẫu số")
            return Outcome(ZERO, Status.MISSING, [problem])
    value = measure_value(measure, entry)
    assert value is not None
    if value < 0 or (measure.upper is not None and value > measure.upper):
        return Outcome(ZERO, Status.MISSING, [("out_of_range", "figure1", "số liệu ngoài khoảng")])
    if isinstance(rule, TiersRule):
        tier = next((t for t in rule.tiers if t.matches(value)), None)
        return Outcome(tier.value if tier else ZERO, Status.SCORED)
    return Outcome(_proportional(rule, value, top, scale, places), Status.SCORED)


def _proportional(
    rule: ProportionalRule, percent: Decimal, top: Decimal, scale: Decimal, places: int
) -> Decimal:
    """`percent` of the group's maximum `top`, rounded once; the cap on the same scale."""
    if rule.floor is not None and percent < rule.floor:
        return ZERO
    decimals = rule.decimals if rule.decimals is not None else places
    points = round_points(top * percent / HUNDRED, decimals)
    return min(points, rule.cap * scale) if rule.cap is not None else points


def _per_item(item: Item, rule: PerItemRule, entry: Entry) -> Outcome:
    count = entry.figure1
    if count is None:
        return _missing("figure1", f"thiếu số liệu '{rule.count}'")
    if count < 0 or count != count.to_integral_value():
        return Outcome(ZERO, Status.MISSING, [("not_a_count", "figure1", "cần một số nguyên ≥ 0")])
    low = rule.min if rule.min is not None else ZERO
    high = rule.max if rule.max is not None else item.max or ZERO
    return Outcome(max(low, min(high, rule.base + rule.points * count)), Status.SCORED)


def _manual(rule: ManualRule, entry: Entry, top: Decimal) -> Outcome:
    if entry.points is None:
        return _missing("points", "chưa nhập điểm tự chấm")
    if not ZERO <= entry.points <= top:
        message = f"điểm phải trong khoảng 0 – {fmt(top)}"
        return Outcome(ZERO, Status.MISSING, [("out_of_range", "points", message)])
    if entry.points % rule.step != 0:
        message = f"điểm phải theo bước {fmt(rule.step)}"
        return Outcome(ZERO, Status.MISSING, [("step_mismatch", "points", message)])
    return Outcome(entry.points, Status.SCORED)
