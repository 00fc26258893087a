"""Whether a unit's result is provisional: which score layer its set expects is still missing."""

from __future__ import annotations

from cchc.criteria.model import CriteriaSet, effective_method
from cchc.scoring.run import UnitScore, YearRun

PROVISIONAL = {
    "survey": "chưa có điểm điều tra (chỉ số tính trên điểm tối đa không gồm các mục điều tra)",
    "appraisal": "chưa thẩm định (điểm là điểm tự chấm)",
}
"""Why a unit's result is provisional, by the layer it lacks."""


def provisional(run: YearRun, score: UnitScore) -> list[str]:
    """The layers the unit's result still lacks: 'survey' (its set has survey items and none
    was surveyed), 'appraisal' (no item was appraised).

    What the higher level published is final; where its items are the scored run's (it gives
    domain points only: `YearRun.scored_items`), they may still lack their appraisal.
    """
    official = run.result == "official"
    if official and score.unit.code not in run.scored_items:
        return []
    missing = []
    survey = survey_codes(run.criteria(score))
    leaves = score.leaves
    surveyed = any("survey" in leaves[c].layers for c in survey & set(leaves))
    if not official and survey & set(leaves) and not surveyed:
        missing.append("survey")
    appraised = ("appraisal_1", "appraisal_2")
    if leaves and not any(k in leaf.layers for leaf in leaves.values() for k in appraised):
        missing.append("appraisal")
    return missing


def provisional_note(run: YearRun, score: UnitScore) -> str:
    """'Kết quả tạm tính: chưa …; chưa …' for a provisional result, '' for a final one."""
    missing = provisional(run, score)
    return "Kết quả tạm tính: " + "; ".join(PROVISIONAL[m] for m in missing) if missing else ""


def provisional_summary(run: YearRun, scores: list[UnitScore]) -> str:
    """'Kết quả tạm tính: 4/6 đơn vị chưa …; chưa …' for the units given, '' if all are final."""
    return summary_of([provisional(run, score) for score in scores])


def summary_of(lacking: list[list[str]]) -> str:
    """The summary of the units' missing layers (`provisional` of each)."""
    count = sum(1 for missing in lacking if missing)
    if not count:
        return ""
    reasons = [why for layer, why in PROVISIONAL.items() if any(layer in m for m in lacking)]
    return f"Kết quả tạm tính: {count}/{len(lacking)} đơn vị " + "; ".join(reasons)


def survey_codes(criteria: CriteriaSet) -> frozenset[str]:
    """The set's survey leaves (found once per set object: thousands of units share a set)."""
    cached = _SURVEYS.get(id(criteria))
    if cached is None or cached[0] is not criteria:
        codes = frozenset(
            item.code
            for item, ancestors in criteria.walk()
            if item.is_leaf and effective_method(item, ancestors) == "survey"
        )
        cached = _SURVEYS[id(criteria)] = (criteria, codes)
    return cached[1]


_SURVEYS: dict[int, tuple[CriteriaSet, frozenset[str]]] = {}
