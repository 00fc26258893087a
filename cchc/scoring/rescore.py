"""A stored run scored again: its leaves copied, changed if asked, totalled, banded, ranked."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cchc.core.issues import Issue
from cchc.scoring.index import LeafScore, band_of, totals
from cchc.scoring.run import UnitScore, YearRun, rank_units

Change = Callable[[UnitScore, dict[str, LeafScore]], None]
"""Changes the copied leaves of one unit (e.g. layers an appraisal round onto them)."""


def rescored(run: YearRun, change: Change | None = None, issues: Iterable[Issue] = ()) -> YearRun:
    """The run's stored points, changed by `change`, totalled, banded and ranked by today's
    code; `issues` replace the run's issues when given (the run's own are kept otherwise)."""
    found = list(issues)
    new = YearRun(
        run.year, dict(run.sets), issues=found or list(run.issues), sources=list(run.sources)
    )
    for score in run.units:
        criteria = run.criteria(score)
        leaves = {
            code: LeafScore(leaf.code, leaf.max, dict(leaf.layers), leaf.excluded, dict(leaf.trace))
            for code, leaf in score.leaves.items()
        }
        if change is not None:
            change(score, leaves)
        result = totals(criteria, leaves)
        result.band = band_of(criteria, result.index)
        new.units.append(
            UnitScore(score.unit, score.set_id, score.set_year, score.file, leaves, result)
        )
    rank_units(new.units)
    return new
