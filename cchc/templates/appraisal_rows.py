"""The rows of the appraisal workbook, from a stored run: what each unit claimed and why."""

from __future__ import annotations

from cchc.criteria.model import ManualRule, effective_method
from cchc.scoring.rules import NA_EXCLUDE_LABEL, NA_FULL_LABEL, Status
from cchc.scoring.run import YearRun
from cchc.templates.appraisal import AppraisalRow

STATUS_NOTES = {
    Status.NA_EXCLUDE.value: NA_EXCLUDE_LABEL,
    Status.NA_FULL.value: NA_FULL_LABEL,
    Status.MISSING.value: "Chưa nhập",
}


def appraisal_rows(run: YearRun) -> list[AppraisalRow]:
    """One row per unit and self-assessed leaf, units in ranking order, leaves in tree order.

    Appraisal points already stored for the year are filled in, so a second round starts from
    the first.
    """
    rows: list[AppraisalRow] = []
    for score in run.ranking():
        criteria = run.criteria(score)
        for item, ancestors in criteria.walk():
            leaf = score.leaves.get(item.code)
            if leaf is None or effective_method(item, ancestors) == "survey":
                continue
            trace = leaf.trace
            rows.append(
                AppraisalRow(
                    unit_code=score.unit.code,
                    unit_name=score.unit.name,
                    code=item.code,
                    title=item.title,
                    max=leaf.max,
                    self_points=leaf.layers.get("self"),
                    status=STATUS_NOTES.get(trace.get("status", ""), "")
                    if "self" in leaf.layers or "status" in trace
                    else "Chưa nộp",
                    evidence=trace.get("evidence", ""),
                    explanation=trace.get("explanation", ""),
                    step=item.rule.step if isinstance(item.rule, ManualRule) else None,
                    first=leaf.layers.get("appraisal_1"),
                    comment=trace.get("comment", ""),
                    response=trace.get("response", ""),
                    second=leaf.layers.get("appraisal_2"),
                )
            )
    return rows
