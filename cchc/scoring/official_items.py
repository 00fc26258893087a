"""An official result that gives domain points only, with the items of the year's scored run.

A plan lists items (Phụ lục 1 and 2); a province that publishes domain points gives none. The
plan then takes each item's points from the year's run scored from the workbooks, and keeps the
official index, band, rank and domain points. The run built so is never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from cchc.criteria.model import CriteriaSet, effective_method, effective_type
from cchc.scoring.index import ZERO, applicable_max
from cchc.scoring.run import UnitScore, YearRun


def missing_items(criteria: CriteriaSet, score: UnitScore) -> list[str]:
    """The items a plan lists that have no points of their own in the unit's score: the
    self-assessed or appraised leaves that apply to the unit (not the survey's, nor bonus or
    penalty ones), missing where the result gives their domain's points only."""
    missing = []
    for item, ancestors in criteria.walk():
        if not item.is_leaf or item.code in score.leaves:
            continue
        if effective_method(item, ancestors) == "survey":
            continue
        if effective_type(item, ancestors) != "score":
            continue
        top = applicable_max(item, score.unit.group)
        if top is not None and top > ZERO:
            missing.append(item.code)
    return missing


def lacks_items(run: YearRun, score: UnitScore) -> bool:
    """True for a unit of an official result without the points of every item a plan lists."""
    return run.result == "official" and bool(missing_items(run.criteria(score), score))


def with_scored_items(official: YearRun, scored: YearRun, codes: Iterable[str]) -> YearRun:
    """The official result with the scored run's leaves for the units of `codes` (each scored
    on the same set): their official totals (index, band, rank, domain points) are kept."""
    swap = set(codes)
    units = []
    for score in official.units:
        if score.unit.code in swap:
            mine = scored.unit(score.unit.code)
            assert mine is not None
            score = replace(score, file=mine.file, leaves=mine.leaves)
        units.append(score)
    return replace(official, units=units, scored_items=frozenset(swap), _by_code={})
