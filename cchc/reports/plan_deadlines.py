"""Drafted deadlines: a quarter or a date, always before the next self-assessment.

Used where neither the owners file (`Thời hạn`) nor the set (`deadline` of an item) gives one.
By kind of task: an act or a document to issue (yes/no, choice) by the end of Quý II, a
judgement item (manual) by the end of Quý III, a figure measured over the year (tiers,
proportional, per item) before the results are reported; keeping an item at its maximum, and
avoiding a deduction, is continuous up to that date.
"""

from __future__ import annotations

from datetime import date

from cchc.criteria.model import ChoiceRule, Item, ManualRule, YesNoRule

QUARTER_ENDS = {"I": (3, 31), "II": (6, 30), "III": (9, 30), "IV": (12, 31)}


def short_date(day: date) -> str:
    """'30/11/2026'."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _by(report_by: date) -> str:
    return f"Trước ngày {short_date(report_by)}"


def _quarter(quarter: str, report_by: date) -> str:
    month, day = QUARTER_ENDS[quarter]
    if date(report_by.year, month, day) > report_by:
        return _by(report_by)
    return f"Quý {quarter}/{report_by.year}"


def deadline_for(item: Item, fixing: bool, penalty: bool, report_by: date) -> str:
    """The drafted deadline of an item's task; `report_by` is when results are reported."""
    if not fixing or penalty:
        return f"Thường xuyên, đến ngày {short_date(report_by)}"
    if isinstance(item.rule, YesNoRule | ChoiceRule):
        return _quarter("II", report_by)
    if isinstance(item.rule, ManualRule):
        return _quarter("III", report_by)
    return _by(report_by)
