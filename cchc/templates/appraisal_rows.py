"""The rows of the appraisal and feedback workbooks, from a stored run: what each unit claimed
and why, and what the council made of it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cchc.core.numbers import number_format
from cchc.criteria.model import effective_method
from cchc.scoring.rules import NA_EXCLUDE_LABEL, NA_FULL_LABEL, Status
from cchc.scoring.run import UnitScore, YearRun
from cchc.templates.appraisal import AppraisalRow
from cchc.templates.feedback import FeedbackRow

STATUS_NOTES = {
    Status.NA_EXCLUDE.value: NA_EXCLUDE_LABEL,
    Status.NA_FULL.value: NA_FULL_LABEL,
    Status.MISSING.value: "Chưa nhập",
}


def appraisal_rows(
    run: YearRun, findings: Mapping[tuple[str, str], str] | None = None
) -> list[AppraisalRow]:
    """One row per unit and self-assessed leaf, units in ranking order, leaves in tree order.

    Appraisal points already stored for the year are filled in, so a second round starts from
    the first; `findings` gives, by (unit, item), what the evidence check found.
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
                    step=item.manual_step,
                    first=leaf.layers.get("appraisal_1"),
                    comment=trace.get("comment", ""),
                    response=trace.get("response", ""),
                    second=leaf.layers.get("appraisal_2"),
                    inputs=trace.get("inputs", ""),
                    findings=(findings or {}).get((score.unit.code, item.code), ""),
                    added=trace.get("added_evidence", ""),
                    second_comment=trace.get("second_comment", ""),
                )
            )
    return rows


def points_format(run: YearRun) -> str:
    """The number format that shows every set's points with its declared decimals."""
    return number_format(max((s.precision.points for s in run.sets.values()), default=2))


def domain_of(run: YearRun) -> dict[tuple[str, str], str]:
    """(unit, item) → the code of the domain (lĩnh vực) the item belongs to."""
    by_set = {
        key: {item.code: (ancestors[0] if ancestors else item).code for item, ancestors in c.walk()}
        for key, c in run.sets.items()
    }
    return {
        (score.unit.code, code): by_set[(score.set_id, score.set_year)].get(code, code)
        for score in run.units
        for code in score.leaves
    }


def feedback_rows(run: YearRun) -> Iterator[tuple[UnitScore, list[FeedbackRow]]]:
    """Each unit with items appraised in round 1, and those items in tree order."""
    for score in run.ranking():
        rows = []
        for item, _ in run.criteria(score).walk():
            leaf = score.leaves.get(item.code)
            if leaf is None or "appraisal_1" not in leaf.layers:
                continue
            trace = leaf.trace
            rows.append(
                FeedbackRow(
                    code=item.code,
                    title=item.title,
                    max=leaf.max,
                    self_points=leaf.layers.get("self"),
                    first=leaf.layers["appraisal_1"],
                    body=trace.get("appraised_by", ""),
                    comment=trace.get("comment", ""),
                    response=trace.get("response", ""),
                    added=trace.get("added_evidence", ""),
                )
            )
        if rows:
            yield score, rows
