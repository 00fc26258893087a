"""Write remediation plans: the Word and Excel files of one unit, or of many in parallel."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cchc.core.names import safe_name
from cchc.core.parallel import fork_map
from cchc.reports.plan import PlanOptions, build_plan
from cchc.reports.plan_docx import write_plan_docx
from cchc.reports.plan_model import Plan
from cchc.reports.plan_xlsx import write_plan_xlsx
from cchc.scoring.compare import Comparer, group_sizes
from cchc.scoring.run import YearRun
from cchc.store.db import fill_scores

PARALLEL_FROM = 20
"""Fewer plans are written in this process: starting workers costs more."""


def write_plan_files(plan: Plan, folder: Path, template_dir: Path | None = None) -> list[Path]:
    """kế hoạch, Phụ lục 1 and Phụ lục 2 as .docx, the two Phụ lục as .xlsx."""
    return write_plan_docx(plan, folder, template_dir) + write_plan_xlsx(plan, folder)


@dataclass(frozen=True)
class PlanJob:
    """Everything needed to write the plans of a year's units."""

    run: YearRun
    previous: YearRun | None
    """Last year's run, for the comparison in the plan (None: not stored)."""
    options: Mapping[tuple[str, int], PlanOptions]
    """(set id, set year) → the options for the units scored on that set."""
    out: Path
    template_dir: Path | None = None
    per_unit: bool = False
    """Each unit's files in a sub-folder named by its code (made a valid name on Windows)."""
    store: Path | None = None
    """The store partial runs were loaded from (`YearRun.partial`)."""
    codes: Sequence[str] = ()
    """The units planned, in order: a partial run's scores are loaded FILL_AT_ONCE at a time."""
    comparer: Comparer | None = field(init=False, repr=False)
    sizes: Counter[tuple[str, str | None]] = field(init=False, repr=False)
    filled: set[str] = field(init=False, repr=False, default_factory=set)
    """Units whose scores this process has loaded into the partial runs."""

    def __post_init__(self) -> None:
        previous = self.previous
        object.__setattr__(self, "comparer", Comparer(previous, self.run) if previous else None)
        object.__setattr__(self, "sizes", group_sizes(self.run))

    def write(self, code: str) -> tuple[Plan, list[Path]]:
        """Build one unit's plan and write its files."""
        self._fill(code)
        score = self.run.unit(code)
        options = self.options.get((score.set_id, score.set_year)) if score else None
        change = self.comparer.unit(code) if self.comparer is not None else None
        plan = build_plan(self.run, code, change, options, self.sizes)
        folder = self.out / safe_name(code) if self.per_unit else self.out
        return plan, write_plan_files(plan, folder, self.template_dir)

    def _fill(self, code: str) -> None:
        """Load the scores of the unit, and of the next units to plan, into the partial runs
        (each worker process loads those of the units it plans, a few dozen at a time)."""
        partial = [r for r in (self.run, self.previous) if r is not None and r.partial]
        if code in self.filled or not partial:
            return
        assert self.store is not None
        at = self.codes.index(code) if code in self.codes else len(self.codes)
        batch = [c for c in self.codes[at : at + FILL_AT_ONCE] if c not in self.filled] or [code]
        for run in partial:
            fill_scores(self.store, run, batch, traces=run is self.run)
        self.filled.update(batch)


FILL_AT_ONCE = 64
"""Units whose scores a plan process loads together (one query each year)."""


def write_plans(
    job: PlanJob, codes: Sequence[str], workers: int | None = None
) -> Iterator[tuple[Plan, list[Path]]]:
    """Each unit's plan and files, in order; many units are written by forked workers (where
    fork is missing, here: a plan is no hostile input)."""
    return fork_map(job.write, codes, workers, PARALLEL_FROM)
