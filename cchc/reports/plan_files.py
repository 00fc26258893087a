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
    comparer: Comparer | None = field(init=False, repr=False)
    sizes: Counter[tuple[str, str | None]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        previous = self.previous
        object.__setattr__(self, "comparer", Comparer(previous, self.run) if previous else None)
        object.__setattr__(self, "sizes", group_sizes(self.run))

    def write(self, code: str) -> tuple[Plan, list[Path]]:
        """Build one unit's plan and write its files."""
        score = self.run.unit(code)
        options = self.options.get((score.set_id, score.set_year)) if score else None
        change = self.comparer.unit(code) if self.comparer is not None else None
        plan = build_plan(self.run, code, change, options, self.sizes)
        folder = self.out / safe_name(code) if self.per_unit else self.out
        return plan, write_plan_files(plan, folder, self.template_dir)


def write_plans(
    job: PlanJob, codes: Sequence[str], workers: int | None = None
) -> Iterator[tuple[Plan, list[Path]]]:
    """Each unit's plan and files, in order; many units are written by forked workers (where
    fork is missing, here: a plan is no hostile input)."""
    return fork_map(job.write, codes, workers, PARALLEL_FROM)
