"""Score a year: every unit's layers, totals, band and rank within its group."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from cchc.core.issues import Issue, Severity
from cchc.core.text import vn_sort_key
from cchc.criteria.model import CriteriaSet
from cchc.criteria.registry import SetNotFound
from cchc.scoring.index import (
    APPRAISALS,
    LeafScore,
    Totals,
    band_of,
    competition_ranks,
    totals,
)
from cchc.scoring.layers import Appraised, Surveyed, unit_leaves
from cchc.scoring.submission import CheckReport, Submission
from cchc.units.model import Unit

SetFinder = Callable[[str, int | None], CriteriaSet]
Layered = Mapping[str, Mapping[str, Appraised]]
"""unit code → item code → appraisal."""
SurveyValues = Mapping[str, Mapping[str, Mapping[str, Surveyed]]]
"""set id → unit code → item code → survey result."""


@dataclass
class UnitScore:
    """A unit's year: leaves with every layer, node totals, index, band, rank."""

    unit: Unit
    set_id: str
    set_year: int
    file: str | None
    leaves: dict[str, LeafScore]
    totals: Totals

    @property
    def submitted(self) -> bool:
        """Whether there is anything of the unit's to score: its workbook, or an appraisal
        of it (a unit that sent nothing is 'chưa nộp', not ranked at the bottom as 'Yếu')."""
        return self.file is not None or any(
            layer in leaf.layers for leaf in self.leaves.values() for layer in APPRAISALS
        )


@dataclass
class YearRun:
    """Everything one scoring run of a year produced (what the store keeps)."""

    year: int
    sets: dict[tuple[str, int], CriteriaSet]
    units: list[UnitScore] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    sources: list[tuple[str, str, str | None]] = field(default_factory=list)
    """(file, sha256, unit code) of every workbook read."""
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    result: str = "cchc"
    """Whose result this is: 'cchc' (scored from the workbooks) or 'official' (published by the
    higher level and imported with `cchc results import`)."""
    source: str = ""
    """For an official result: the table it was imported from."""
    scored_items: frozenset[str] = frozenset()
    """Units of an official result of domain points only whose leaves are the year's scored
    run's, for a plan's items (`scoring.official_items`); such a run is never stored."""
    rev: int | None = None
    """The revision of the year it was loaded from (None: not loaded from the store)."""
    partial: bool = False
    """Loaded without its units' leaves and nodes, which `cchc.store.db.fill_scores` adds for
    the units asked for (a national run's plans load them unit group by unit group)."""

    _by_code: dict[str, UnitScore] = field(default_factory=dict, repr=False, compare=False)

    def unit(self, code: str) -> UnitScore | None:
        """The unit with this code, if scored (units are only ever appended)."""
        if len(self._by_code) != len(self.units):
            self._by_code = {u.unit.code: u for u in self.units}
        return self._by_code.get(code)

    def criteria(self, score: UnitScore) -> CriteriaSet:
        """The set a unit was scored on."""
        return self.sets[(score.set_id, score.set_year)]

    def result_line(self) -> str:
        """Which result this is, in Vietnamese, for every output built on it."""
        if self.result == "official":
            table = f" (nhập từ {self.source})" if self.source else ""
            return f"Dùng kết quả chính thức năm {self.year} do cấp trên công bố{table}"
        return f"Dùng kết quả cchc chấm năm {self.year}"

    def ranking(self) -> list[UnitScore]:
        """Units by group, then rank (unranked last), then Vietnamese name order."""

        def key(u: UnitScore) -> tuple[str, int, int, object]:
            rank = u.totals.rank
            return (u.unit.group or "", rank is None, rank or 0, vn_sort_key(u.unit.name))

        return sorted(self.units, key=key)


def file_digest(path: str) -> str:
    """SHA-256 of a source file, so a later run can tell whether it changed."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


REJECTING = frozenset(
    {"wrong_year", "unit_unknown", "unit_duplicate", "set_unknown", "set_changed"}
)
"""Workbook-level errors: the file is not scored at all (its unit counts as not submitted)."""


def _usable(sub: Submission) -> bool:
    return bool(sub.leaves) and not any(i.code in REJECTING for i in sub.issues)


def _unit_set(
    unit: Unit, sub: Submission | None, year: int, find: SetFinder, default: str | None
) -> CriteriaSet:
    """The set the unit is scored on: the registry's, else its workbook's, else the default."""
    ref = unit.set or (sub.meta.get("set_id") if sub else None) or default
    if not ref:
        raise SetNotFound(f"đơn vị {unit.code} chưa được gán bộ tiêu chí")
    return find(ref, year)


def score_year(
    year: int,
    units: list[Unit],
    report: CheckReport,
    find: SetFinder,
    default_set: str | None = None,
    appraisal: Layered | None = None,
    survey: SurveyValues | None = None,
) -> YearRun:
    """Score every unit of the registry from the checked workbooks and the other layers.

    A unit that sent no workbook still gets a result (0 on its self-assessed items), so that
    the ranking lists every unit, as 'chưa nộp' and without a rank unless it was appraised; a
    unit whose set cannot be found is reported and skipped.
    """
    run = YearRun(year, {}, issues=list(report.all_issues()))
    by_unit = {s.unit_code: s for s in report.submissions if s.unit_code and _usable(s)}
    for submission in report.submissions:
        sha256 = submission.sha256 or file_digest(submission.file)
        run.sources.append((submission.file, sha256, submission.unit_code))
    for unit in units:
        sub = by_unit.get(unit.code)
        try:
            criteria = _unit_set(unit, sub, year, find, default_set)
        except SetNotFound as exc:
            run.issues.append(Issue(code="set_unknown", severity=Severity.ERROR, message=str(exc)))
            continue
        run.sets[(criteria.id, criteria.year)] = criteria
        leaves = unit_leaves(
            criteria,
            unit.group,
            sub.leaves if sub else None,
            f"{Path(sub.file).name} · {sub.sheet}" if sub else None,
            (appraisal or {}).get(unit.code),
            (survey or {}).get(criteria.id, {}).get(unit.code),
        )
        result = totals(criteria, leaves)
        result.band = band_of(criteria, result.index)
        file = sub.file if sub else None
        run.units.append(UnitScore(unit, criteria.id, criteria.year, file, leaves, result))
    _warn_unknown(run, appraisal, "appraisal_unit_unknown", "bảng thẩm định")
    surveyed = {unit: items for by_set in (survey or {}).values() for unit, items in by_set.items()}
    _warn_unknown(run, surveyed, "survey_unit_unknown", "kết quả điều tra")
    rank_units(run.units)
    return run


def _warn_unknown(run: YearRun, layer: Mapping[str, object] | None, code: str, what: str) -> None:
    scored = {u.unit.code for u in run.units}
    for unit_code in sorted(set(layer or {}) - scored):
        message = f"{what} có đơn vị {unit_code} không có trong danh sách đơn vị được chấm"
        run.issues.append(Issue(code=code, severity=Severity.WARNING, message=message))


NOT_SUBMITTED = "chưa nộp"
"""The band of a unit that sent no workbook and was not appraised: it is not ranked."""


def rank_units(scores: list[UnitScore]) -> None:
    """Rank within each unit group of a set; units kept out of the ranking, and units that
    sent nothing (band NOT_SUBMITTED), get no rank."""
    groups: dict[tuple[str, str], list[UnitScore]] = defaultdict(list)
    for score in scores:
        score.totals.rank = None
        if not score.submitted or score.totals.band == NOT_SUBMITTED:  # or published so
            score.totals.band = NOT_SUBMITTED
        elif score.unit.ranked and score.totals.index is not None:
            groups[(score.set_id, score.unit.group or "")].append(score)
    for members in groups.values():
        ranks = competition_ranks((s.unit.code, s.totals.index or Decimal(0)) for s in members)
        for score in members:
            score.totals.rank = ranks[score.unit.code]
