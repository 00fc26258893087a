"""Benchmark: score a folder of returned unit workbooks into the store and the results workbook.

Uses the same N filled commune workbooks as ``bench.read`` (default 3,321), then times
``cchc score`` through the library (``score(ScoreJob(...))``):

* a first run into a fresh SQLite store: read, score, store, results workbook;
* a re-run into the same store (the year's run is replaced);
* reloading the stored year (``load_run``, what ``cchc explain/whatif/appraise`` do).

Run from the repository root::

    python -m bench.score [--units N] [--workdir DIR] [--keep] [--reuse] [--repeat K] [--jobs J]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from bench.read import (
    COMMUNES,
    GROUP,
    SET_ID,
    YEAR,
    load_criteria,
    make_units,
    peak_mib,
    prepare,
    verdict,
)
from cchc.commands.score import ScoreJob, ScoreResult, score
from cchc.core.parallel import default_workers
from cchc.criteria.model import CriteriaSet
from cchc.reports.results_xlsx import write_results
from cchc.scoring.run import YearRun, score_year
from cchc.store import db as store
from cchc.templates.collect import check_folder
from cchc.units.model import Unit

T = TypeVar("T")

STEPS = ("read", "score", "store", "results")
"""The steps `score` times, in order."""
SCORING_SHARE = 0.20
"""The scoring and store part (score + store) should stay under this share of the total."""
PROFILE_TOP = 10


def scored_units(count: int) -> list[Unit]:
    """Units X0001 … in group xa, each assigned the bundled commune set."""
    return [Unit(code=u.code, name=u.name, group=u.group, set=SET_ID) for u in make_units(count)]


# --------------------------------------------------------------------------- runs


Fingerprint = tuple[object, object, object]
"""A unit's (index, band, rank)."""


@dataclass
class Run:
    """One `score` call: step times, wall time, what it wrote, and each unit's outcome.

    The scored YearRun itself is not kept, so that one run's objects never inflate the
    next run's peak memory.
    """

    seconds: dict[str, float]
    wall: float
    results: Path
    results_bytes: int
    db_bytes: int
    units: int
    leaves: int
    issues: int
    sources: int
    outcomes: dict[str, Fingerprint] = field(default_factory=dict)
    peak_mib: float = 0.0
    start_mib: float = 0.0
    """This process's RSS when the run began (freed memory of earlier runs stays resident)."""

    @property
    def other(self) -> float:
        """Wall time outside the four timed steps (store lock, previous year's lookup …)."""
        return max(self.wall - sum(self.seconds.values()), 0.0)


def outcomes(run: YearRun) -> dict[str, Fingerprint]:
    """unit code → (index, band, rank)."""
    return {u.unit.code: (u.totals.index, u.totals.band, u.totals.rank) for u in run.units}


def make_job(folder: Path, units: list[Unit], criteria: CriteriaSet, out: Path) -> ScoreJob:
    """`cchc score FOLDER --year Y --replace` for the bundled set, into out/store.db and out/
    (a re-run replaces the year, kept as a revision)."""
    return ScoreJob(
        folder=folder,
        year=YEAR,
        units=units,
        find=lambda ref, year: criteria,
        db=out / "store.db",
        out=out,
        replace=True,
    )


def fresh_store(db: Path) -> None:
    """Remove any store (and its lock) at the path and create an empty one."""
    for path in (db, db.with_name(db.name + ".lock"), db.with_name(db.name + "-journal")):
        path.unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    store.create(db)


def reset_peak() -> bool:
    """Reset this process's peak RSS (Linux: /proc/self/clear_refs); False if not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def self_peak_mib() -> float:
    """This process's peak RSS in MiB (since the last reset_peak)."""
    return peak_mib(resource.getrusage(resource.RUSAGE_SELF))


def timed_score(job: ScoreJob) -> Run:
    """Run `score` once; measure its wall time, peak memory and output sizes."""
    reset_peak()
    start_mib = self_peak_mib()  # right after a reset, the peak is the current RSS
    start = time.perf_counter()
    result: ScoreResult | None = score(job)
    wall = time.perf_counter() - start
    assert result is not None
    run = result.run
    measured = Run(
        seconds=dict(result.seconds),
        wall=wall,
        results=result.results,
        results_bytes=result.results.stat().st_size,
        db_bytes=job.db.stat().st_size,
        units=len(run.units),
        leaves=sum(len(u.leaves) for u in run.units),
        issues=len(run.issues),
        sources=len(run.sources),
        outcomes=outcomes(run),
    )
    del run
    result = None  # free the run before reading the peak of the next one
    measured.peak_mib, measured.start_mib = self_peak_mib(), start_mib
    return measured


def best_run(repeat: int, action: Callable[[], Run]) -> Run:
    """The fastest (by wall time) of `repeat` runs; its peak is the highest of them all."""
    runs = [action() for _ in range(repeat)]
    best = min(runs, key=lambda r: r.wall)
    top = max(runs, key=lambda r: r.peak_mib)
    best.peak_mib, best.start_mib = top.peak_mib, top.start_mib
    return best


def best_of(repeat: int, action: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `repeat` runs in seconds, and the last run's value."""
    times: list[float] = []
    value: T | None = None
    for _ in range(repeat):
        value = None  # one value alive at a time
        start = time.perf_counter()
        value = action()
        times.append(time.perf_counter() - start)
    assert value is not None
    return min(times), value


def differing(scored: dict[str, Fingerprint], loaded: YearRun) -> int:
    """Units whose index, band or rank differ between the scored and the reloaded run."""
    kept = outcomes(loaded)
    return sum(1 for code in scored.keys() | kept.keys() if scored.get(code) != kept.get(code))


# --------------------------------------------------------------------------- report


@dataclass
class Results:
    """Everything measured in one benchmark."""

    units: int
    first: Run | None = None
    rerun: Run | None = None
    load_seconds: float = 0.0
    loaded_units: int = 0
    loaded_differ: int = 0
    load_peak_mib: float = 0.0
    load_start_mib: float = 0.0
    baseline_mib: float = 0.0
    per_run_peaks: bool = True
    """False where the peak cannot be reset: every peak is then the process's peak so far."""
    reader_peak_mib: float = 0.0
    """Largest reader process of the first run (later ones are forked from a larger parent)."""
    workers: int = field(default_factory=default_workers)


def mib(size: int) -> float:
    """Bytes in MiB."""
    return size / 2**20


def print_table(title: str, run: Run) -> None:
    """step | seconds | share of total (the total is the wall time of the `score` call)."""
    print(f"\n{title}")
    print(f"{'step':<22} {'seconds':>9} {'share':>8}")
    print("-" * 41)
    rows = [(step, run.seconds.get(step, 0.0)) for step in STEPS]
    rows.append(("other (lock, previous)", run.other))
    for step, seconds in rows:
        print(f"{step:<22} {seconds:>9.2f} {seconds / run.wall:>8.1%}")
    print("-" * 41)
    print(f"{'total (wall)':<22} {run.wall:>9.2f} {1:>8.1%}")


def scoring_part(run: Run) -> float:
    """score + store as a share of the wall time."""
    seconds = run.seconds
    return (seconds.get("score", 0.0) + seconds.get("store", 0.0)) / run.wall


def targets(results: Results) -> Iterator[str]:
    """One line per target, with PASS/MISS."""
    for label, run in (("", results.first), ("re-run: ", results.rerun)):
        if run is None:
            continue
        share = scoring_part(run)
        yield (
            f"{label}scoring and store part under {SCORING_SHARE:.0%} of the total: "
            f"{share:.1%} {verdict(share < SCORING_SHARE)}"
        )


def print_summary(results: Results) -> None:
    """What was scored, sizes, reload and memory."""
    first, rerun = results.first, results.rerun
    assert first is not None and rerun is not None
    print(
        f"\nscored: {first.units} units, {first.leaves} leaves, {first.issues} issues, "
        f"{first.sources} sources (read with {results.workers} processes)"
    )
    print(f"results workbook: {mib(first.results_bytes):.1f} MiB ({first.results.name})")
    print(
        f"store: {mib(first.db_bytes):.1f} MiB after the first run, "
        f"{mib(rerun.db_bytes):.1f} MiB after the re-run"
    )
    print(
        f"re-run into the same store: {rerun.wall:.2f} s total "
        f"({rerun.wall - first.wall:+.2f} s against the fresh store)"
    )
    print(
        f"load_run of the stored year: {results.load_seconds:.2f} s "
        f"({results.loaded_units} units, {results.loaded_differ} differ from the scored run)"
    )
    if not results.per_run_peaks:
        print(f"peak memory of this process: {max(first.peak_mib, rerun.peak_mib):.0f} MiB")
        return
    print(f"peak memory (RSS of this process; baseline {results.baseline_mib:.0f} MiB):")
    for label, peak, start in (
        ("score, fresh store", first.peak_mib, first.start_mib),
        ("re-run", rerun.peak_mib, rerun.start_mib),
        ("load_run", results.load_peak_mib, results.load_start_mib),
    ):
        print(f"  {label:<20} {peak:>6.0f} MiB (RSS at its start {start:.0f} MiB)")
    print(f"  {'largest reader proc.':<20} {results.reader_peak_mib:>6.0f} MiB (first run)")


# --------------------------------------------------------------------------- profile


def profile(step: str, job: ScoreJob, run: YearRun) -> None:
    """cProfile one step again on its own; print the top functions by cumulative time.

    The read step is profiled with one process (worker processes are not profiled); the
    score step reads the folder first, outside the profile.
    """
    scratch = job.out / "profile"
    action: Callable[[], object]
    if step == "read":
        action = partial(check_folder, job.folder, job.year, job.units, job.find, workers=1)
    elif step == "score":
        report = check_folder(job.folder, job.year, job.units, job.find, workers=job.workers)
        action = partial(score_year, job.year, job.units, report, job.find)
    elif step == "store":
        fresh_store(scratch / "store.db")
        action = partial(_save, scratch / "store.db", run)
    elif step == "results":
        action = partial(write_results, run, scratch / "ket-qua.xlsx")
    else:
        action = partial(store.load_run, job.db, job.year)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(action)
    seconds = time.perf_counter() - start
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(PROFILE_TOP)
    print(f"\nprofile of {step} ({seconds:.2f} s under cProfile), top {PROFILE_TOP} cumulative:")
    print(text.getvalue().rstrip())
    shutil.rmtree(scratch, ignore_errors=True)


def _save(db: Path, run: YearRun) -> None:
    with store.writing(db) as conn:
        store.save_run(conn, run)


# --------------------------------------------------------------------------- main


def measure(job: ScoreJob, repeat: int) -> Results:
    """First run into a fresh store, a re-run into the same store, then reload the year.

    The peak memory is reset before each run where the system allows it (Linux).
    """
    results = Results(units=len(job.units), workers=job.workers or default_workers())
    results.baseline_mib = self_peak_mib()
    results.per_run_peaks = reset_peak()

    def first() -> Run:
        fresh_store(job.db)
        return timed_score(job)

    print(f"timing score into a fresh store ({repeat}×) …", flush=True)
    results.first = best_run(repeat, first)
    results.reader_peak_mib = peak_mib(resource.getrusage(resource.RUSAGE_CHILDREN))
    print(f"timing a re-run into the same store ({repeat}×) …", flush=True)
    results.rerun = best_run(repeat, lambda: timed_score(job))
    print(f"timing load_run of the stored year ({repeat}×) …", flush=True)
    reset_peak()
    results.load_start_mib = self_peak_mib()
    results.load_seconds, loaded = best_of(repeat, lambda: store.load_run(job.db, job.year))
    results.load_peak_mib = self_peak_mib()
    assert loaded is not None, "the stored year is missing"
    results.loaded_units = len(loaded.units)
    results.loaded_differ = differing(results.rerun.outcomes, loaded)
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.score", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--units", type=int, default=COMMUNES, help="workbooks to score")
    parser.add_argument("--workdir", type=Path, help="folder for the workbooks (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing, best taken")
    parser.add_argument("--jobs", type=int, default=2, help="processes for generation")
    parser.add_argument("--workers", type=int, help="processes reading (default: one per CPU)")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the filled values")
    parser.add_argument("--reuse", action="store_true", help="reuse workbooks already there")
    parser.add_argument(
        "--profile",
        choices=(*STEPS, "load"),
        action="append",
        default=[],
        help="cProfile this step once more afterwards (repeatable)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Generate (or reuse), measure, report."""
    args = parse_args(argv)
    root = args.workdir or Path(tempfile.mkdtemp(prefix="cchc-bench-score-"))
    folder = root / "returned"
    out = root / "score"
    units = scored_units(args.units)
    criteria = load_criteria()
    try:
        prepare(args, make_units(args.units), folder)
        job = make_job(folder, units, criteria, out)
        job.workers = args.workers
        results = measure(job, args.repeat)
        assert results.first is not None and results.rerun is not None
        print_table(f"score {len(units)} units, fresh store (group {GROUP})", results.first)
        print_table("re-run into the same store", results.rerun)
        print(f"\n{'load_run (reload the year)':<22} {results.load_seconds:>9.2f}")
        print("\ntargets:")
        for line in targets(results):
            print(f"  {line}")
        print_summary(results)
        if args.profile:
            run = store.load_run(job.db, job.year)  # the scored run, as the store keeps it
            assert run is not None
            for step in args.profile:
                profile(step, job, run)
    finally:
        if args.keep:
            print(f"\nkept: {root}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            if args.workdir is None:
                shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
