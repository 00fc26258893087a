"""`cchc score` as one library call: read, layer, score, rank, store, write the results."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from cchc.core.fileio import atomic_path
from cchc.core.issues import Issue
from cchc.criteria.model import CriteriaSet, ManualRule, effective_method
from cchc.criteria.registry import SetNotFound
from cchc.inputs.survey import SurveyImport, read_survey
from cchc.reports.results_xlsx import write_results_to
from cchc.scoring.index import LeafScore, applicable_max, totals
from cchc.scoring.layers import Surveyed
from cchc.scoring.run import SetFinder, YearRun, score_year
from cchc.store import db as store
from cchc.templates.appraisal import read_appraisal
from cchc.templates.collect import check_folder
from cchc.units.model import Unit

T = TypeVar("T")


@dataclass
class ScoreJob:
    """What `cchc score` was asked to do."""

    folder: Path
    year: int
    units: list[Unit]
    find: SetFinder
    db: Path
    out: Path
    default_set: str | None = None
    appraisal: Path | None = None
    survey: Path | None = None
    answers: Mapping[str, Decimal] | None = None
    workers: int | None = None


@dataclass
class ScoreResult:
    """The run, where it was written, and how long each step took."""

    run: YearRun
    results: Path
    previous: dict[str, Decimal | None]
    """Last year's index of each unit (empty when last year was not scored)."""
    seconds: dict[str, float] = field(default_factory=dict)


class Lookup:
    """A unit's set and a leaf's maximum for that unit (for appraisal and survey checks)."""

    def __init__(self, units: list[Unit], find: SetFinder, default_set: str | None, year: int):
        self._units = {u.code: u for u in units}
        self._find = find
        self._default = default_set
        self._year = year
        self._cache: dict[
            tuple[int, str | None],
            tuple[CriteriaSet, dict[str, tuple[Decimal, Decimal | None, bool]]],
        ] = {}

    def criteria(self, unit_code: str) -> CriteriaSet | None:
        """The set the unit is scored on, if it can be found."""
        unit = self._units.get(unit_code)
        ref = (unit.set if unit else None) or self._default
        if unit is None or ref is None:
            return None
        try:
            return self._find(ref, self._year)
        except SetNotFound:
            return None

    def leaf(
        self, unit_code: str, code: str, survey: bool, criteria: CriteriaSet | None = None
    ) -> tuple[Decimal, Decimal | None] | None:
        """(maximum, manual step) of a leaf that applies to the unit and is (not) a survey item.

        `criteria` overrides the unit's own set (a SIPAS survey scored on the SIPAS set).
        """
        unit = self._units.get(unit_code)
        criteria = criteria or self.criteria(unit_code)
        if unit is None or criteria is None:
            return None
        found = self._leaves(criteria, unit.group).get(code)
        return found[:2] if found and found[2] == survey else None

    def leaf_max(self, unit_code: str, code: str) -> Decimal | None:
        """The maximum of any leaf (self-assessed or survey) for the unit; None if unknown."""
        criteria = self.criteria(unit_code)
        unit = self._units.get(unit_code)
        if unit is None or criteria is None:
            return None
        found = self._leaves(criteria, unit.group).get(code)
        return found[0] if found else None

    def _leaves(
        self, criteria: CriteriaSet, group: str | None
    ) -> dict[str, tuple[Decimal, Decimal | None, bool]]:
        """code → (maximum for the group, manual step, is a survey item), for applicable leaves."""
        key = (id(criteria), group)
        if key in self._cache:
            return self._cache[key][1]
        leaves = {}
        for item, ancestors in criteria.walk():
            top = applicable_max(item, group) if item.is_leaf else None
            if top is not None:
                step = item.rule.step if isinstance(item.rule, ManualRule) else None
                leaves[item.code] = (top, step, effective_method(item, ancestors) == "survey")
        self._cache[key] = (criteria, leaves)  # the set is kept alive, so its id stays its own
        return leaves


def score(job: ScoreJob) -> ScoreResult:
    """Score the year and keep it: the store's year replaced in one transaction, and the workbook.

    The workbook is written first under a temporary name and renamed once the store has
    committed: a kill leaves both as they were, or both new (but for the instant between).
    Raises store.StoreBusy if another process is writing the store.
    """
    seconds: dict[str, float] = {}
    clock = _Clock(seconds)
    lookup = Lookup(job.units, job.find, job.default_set, job.year)
    target = job.out / f"ket-qua-{job.year}.xlsx"
    with atomic_path(target) as book, store.writing(job.db) as db:
        report = clock(
            "read",
            lambda: check_folder(
                job.folder,
                job.year,
                job.units,
                job.find,
                (job.default_set, job.year) if job.default_set else None,
                workers=job.workers,
            ),
        )
        extra: list[Issue] = []
        appraisal = None
        if job.appraisal is not None:
            appraisal, found = read_appraisal(
                job.appraisal, job.year, lambda u, c: lookup.leaf(u, c, survey=False)
            )
            extra += found
        if job.survey is not None:
            extra += import_survey(db, job.survey, job.year, lookup, answers=job.answers).issues
        survey = store.survey_values(db, job.year)
        run = clock(
            "score",
            lambda: score_year(
                job.year, job.units, report, job.find, job.default_set, appraisal, survey
            ),
        )
        run.issues += extra
        previous = store.indices_in(db, job.year - 1)
        clock("results", lambda: write_results_to(run, book, previous))
        clock("store", lambda: store.save_run(db, run))
    return ScoreResult(run, target, previous, seconds)


def import_survey(
    db: sqlite3.Connection,
    path: Path,
    year: int,
    lookup: Lookup,
    on: CriteriaSet | None = None,
    answers: Mapping[str, Decimal] | None = None,
    satisfied_only: bool = False,
) -> SurveyImport:
    """Read a survey file and keep its results in the store (inside the caller's transaction).

    Items are checked against each unit's own set, or against `on` for every unit.
    """

    def max_of(unit_code: str, code: str) -> Decimal | None:
        found = lookup.leaf(unit_code, code, survey=True, criteria=on)
        return found[0] if found else None

    imported = read_survey(path, max_of, answers, satisfied_only)
    by_set: dict[str, dict[str, dict[str, Surveyed]]] = {}
    for unit_code, items in imported.values.items():
        criteria = on or lookup.criteria(unit_code)
        if criteria is not None:
            by_set.setdefault(criteria.id, {})[unit_code] = dict(items)
    for set_id, values in by_set.items():
        store.save_survey(db, year, set_id, values)
    return imported


class _Clock:
    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds

    def __call__(self, name: str, action: Callable[[], T]) -> T:
        start = time.perf_counter()
        try:
            return action()
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def survey_summary(
    values: Mapping[str, Mapping[str, Surveyed]], on: CriteriaSet | None
) -> list[dict[str, Any]]:
    """Per unit: items imported, and on a whole-set survey (SIPAS) its index and factors."""
    rows = []
    for unit, items in sorted(values.items()):
        row: dict[str, Any] = {"unit": unit, "items": len(items)}
        if on is not None:
            leaves = {
                code: LeafScore(code, item.max or Decimal(0), {"survey": items[code].points})
                for code in items
                if (item := on.find(code)) is not None
            }
            result = totals(on, leaves)
            row["index"] = None if result.index is None else str(result.index)
            row["factors"] = {
                d.code: str(n.index)
                for d in on.items
                if (n := result.nodes.get(d.code)) is not None and n.index is not None
            }
        rows.append(row)
    return rows
