"""Benchmark: the year-on-year comparison and the remediation plans of every commune.

Two stored years of N communes (default 3,321) are synthesised straight into a store (random
final points on the bundled commune sets of 2024 and 2025, which differ by renumbered, merged,
re-weighted, new and dropped items), then timed as `cchc compare` and `cchc plan --all` do:

* load both years from the store;
* compare every unit item by item through the crosswalk, and write so-sanh-<y1>-<y2>.xlsx;
* build every unit's plan (Phụ lục 1 and 2 rows, tasks, owners, causes);
* render the Word files (kế hoạch, Phụ lục 1, Phụ lục 2) and the Excel files (Phụ lục 1, 2).

The baseline in the same run is the floor of writing Word files at all: python-docx saving one
document per unit with the Phụ lục 2 table's rows and nothing else.

Run from the repository root::

    python -m bench.plan [--units N] [--workdir DIR] [--keep] [--jobs J]
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from docx import Document

from bench.read import COMMUNES, GROUP, make_units, peak_mib
from cchc.core.parallel import default_workers
from cchc.criteria.model import CriteriaSet, effective_method
from cchc.criteria.registry import find_set, require
from cchc.reports.compare_xlsx import write_comparison
from cchc.reports.plan import PlanOptions, build_plan
from cchc.reports.plan_docx import write_plan_docx
from cchc.reports.plan_files import PlanJob, write_plans
from cchc.reports.plan_model import Plan
from cchc.reports.plan_xlsx import write_plan_xlsx
from cchc.scoring.compare import compare_years
from cchc.scoring.index import LeafScore, applicable_max, band_of, totals
from cchc.scoring.run import UnitScore, YearRun, rank_units
from cchc.store import db as store
from cchc.units.model import Unit

T = TypeVar("T")
SET_ID = "cchc-xa"
YEARS = (2024, 2025)
SAMPLE = 200
"""Units timed one by one in this process (per-unit figures and the floor)."""


def synthesise(criteria: CriteriaSet, units: list[Unit], seed: int) -> YearRun:
    """A year run with random final points in quarter-point steps."""
    rng = random.Random(seed)
    scores = []
    for unit in units:
        leaves = {}
        for item, path in criteria.walk():
            top = applicable_max(item, unit.group) if item.is_leaf else None
            if top is None:
                continue
            layer = "survey" if effective_method(item, path) == "survey" else "self"
            steps = int(top * 4)
            points = Decimal(rng.choice([0, steps, steps, rng.randint(0, steps)])) / 4
            leaves[item.code] = LeafScore(item.code, top, {layer: points})
        result = totals(criteria, leaves)
        result.band = band_of(criteria, result.index)
        scores.append(
            UnitScore(unit, criteria.id, criteria.year, f"{unit.code}.xlsx", leaves, result)
        )
    rank_units(scores)
    return YearRun(criteria.year, {(criteria.id, criteria.year): criteria}, scores)


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def floor_docx(plan: Plan, folder: Path) -> Path:
    """The least a Word plan can be: one table with the Phụ lục 2 rows, saved."""
    document = Document()
    table = document.add_table(rows=1, cols=5)
    for row in plan.fix.rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = row.code, row.title, str(row.lost)
        cells[3].text, cells[4].text = row.task, row.owner
    folder.mkdir(parents=True, exist_ok=True)
    document.save(str(folder / "san.docx"))
    return folder / "san.docx"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=COMMUNES)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="Keep the outputs.")
    parser.add_argument("--jobs", type=int, help="Processes for the plans (default: all cores).")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cchc-plan-"))
    workdir.mkdir(parents=True, exist_ok=True)
    units = make_units(args.units)
    db = workdir / "cchc.db"
    db.unlink(missing_ok=True)
    store.create(db)
    for seed, year in enumerate(YEARS):
        run = synthesise(require(find_set(SET_ID, year)), units, seed)
        with store.writing(db) as connection:
            store.save_run(connection, run)

    rows: list[tuple[str, float]] = []
    seconds, runs = timed(lambda: [store.load_run(db, year) for year in YEARS])
    before, now = runs
    assert before is not None and now is not None
    rows.append(("load both years", seconds))
    seconds, comparison = timed(lambda: compare_years(before, now))
    rows.append(("compare (crosswalk, every item)", seconds))
    out = workdir / "ra"
    target = out / f"so-sanh-{YEARS[0]}-{YEARS[1]}.xlsx"
    rows.append(("so-sanh workbook", timed(lambda: write_comparison(comparison, target))[0]))
    changes = {u.code: u for u in comparison.units}
    options = {(SET_ID, YEARS[1]): PlanOptions("15/KH-UBND", None, province="Tỉnh Bắc Kạn")}
    job = PlanJob(now, before, options, out, per_unit=True)
    codes = [u.code for u in units]
    sample = codes[:SAMPLE]
    common = options[(SET_ID, YEARS[1])]
    seconds, plans = timed(lambda: [build_plan(now, c, changes.get(c), common) for c in sample])
    build_per_unit = seconds / len(sample)

    def per_unit(write: Callable[[Plan], object]) -> float:
        return timed(lambda: [write(p) for p in plans])[0] / len(plans)

    docx_per_unit = per_unit(lambda p: write_plan_docx(p, out / p.unit_code))
    xlsx_per_unit = per_unit(lambda p: write_plan_xlsx(p, out / p.unit_code))
    floor_per_unit = per_unit(lambda p: floor_docx(p, workdir / "san" / p.unit_code))
    workers = args.jobs or default_workers()
    seconds = timed(lambda: list(write_plans(job, codes, workers)))[0]
    rows.append((f"plans, all units ({workers} processes)", seconds))
    total = sum(s for _, s in rows)
    print(f"{len(units)} communes ({GROUP}), {SET_ID} {YEARS[0]} → {YEARS[1]}")
    print(f"{'step':<34} {'seconds':>8} {'share':>7} {'ms/unit':>8}")
    for name, s in rows:
        print(f"{name:<34} {s:>8.2f} {s / total:>7.1%} {s / len(units) * 1000:>8.2f}")
    print(f"{'total':<34} {total:>8.2f}")
    print(f"one process, first {len(sample)} units, ms per unit:")
    print(
        f"  build plan {build_per_unit * 1000:.2f}; Word files (3) {docx_per_unit * 1000:.2f}; "
        f"Excel files (2) {xlsx_per_unit * 1000:.2f}"
    )
    print(
        f"  Word floor (python-docx, one plain table) {floor_per_unit * 1000:.2f}: "
        f"plan Word files = {docx_per_unit / floor_per_unit:.2f}× floor"
    )
    print(f"peak memory: {peak_mib(resource.getrusage(resource.RUSAGE_SELF)):.0f} MiB")
    if not args.keep:
        shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
