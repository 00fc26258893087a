"""Benchmark: the whole pipeline for every commune over two years, command by command.

An officer's season, as separate `cchc` processes in one workspace (each phase timed, with its own
peak memory from `wait4`):

    template 2024 → (units fill in: simulated, not timed) → check 2024 → score 2024
    template 2025 → (units fill in) → check 2025 → score 2025
    compare 2024 → 2025 → plan --all 2025 → report 2025 (compared with 2024)

In the same run, the floors: python-calamine reading both sheets of every 2025 workbook (in one
process and in as many as `cchc check` uses; openpyxl read-only beside it), XlsxWriter writing as
many rows as the comparison's long sheet, and copying the bytes of every plan file. Each phase is
printed against its floor, and a missed target makes the run exit 1 (issue 21): check ≤ 2× and
score ≤ 3× the parallel reading floor, compare ≤ 2× its writing floor, plan --all ≤ 3 ms a file,
the season under 3 minutes, every process's peak memory under 1 GiB.

Run from the repository root::

    python -m bench.pipeline [--units N] [--workdir DIR] [--keep] [--reuse] [--jobs J]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter
import yaml

from bench.read import (
    COMMUNES,
    GROUP,
    cchc_command,
    fill,
    make_units,
    peak_mib,
    read_calamine,
    read_calamine_parallel,
    read_openpyxl,
    self_leaves,
)
from cchc.core.parallel import default_workers
from cchc.criteria.registry import find_set, require
from cchc.templates.layout import SELF_SHEET

SET_ID = "cchc-xa"
YEARS = (2024, 2025)
MINUTES = 3
CHECK_FACTOR = 2.0
SCORE_FACTOR = 3.0
COMPARE_FACTOR = 2.0
PLAN_MS = 3.0
MEMORY_MIB = 1024
ROWS_PER_UNIT = 90
"""Items of a commune in the comparison workbook's long sheet (the 'Tiêu chí' rows)."""


@dataclass
class Phase:
    """One `cchc` command: what it was, how long it took, its own peak memory."""

    name: str
    seconds: float
    peak_mib: float
    returncode: int


def spawn(name: str, args: list[str], logs: Path) -> Phase:
    """Run `cchc ARGS` in the current folder and wait for that very child (its own rusage)."""
    command = [cchc_command(), *args]
    safe = name.replace(" ", "-")
    with (logs / f"{safe}.out").open("wb") as out, (logs / f"{safe}.err").open("wb") as err:
        start = time.perf_counter()
        pid = os.posix_spawn(
            command[0],
            command,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
            ],
        )
        _, status, usage = os.wait4(pid, 0)
    phase = Phase(
        name, time.perf_counter() - start, peak_mib(usage), os.waitstatus_to_exitcode(status)
    )
    if phase.returncode not in (0, 1):  # 1: `check` found problems in some workbooks
        tail = (logs / f"{safe}.err").read_text(encoding="utf-8", errors="replace")[-2000:]
        raise SystemExit(f"{name} failed ({phase.returncode}):\n{tail}")
    return phase


_WORKER: dict[str, Any] = {}


def _init_filler(year: int) -> None:
    criteria = require(find_set(SET_ID, year))
    _WORKER["leaves"] = self_leaves(criteria, GROUP)
    _WORKER["year"] = year


def _fill_one(path: Path) -> None:
    """What a unit does: open its workbook, type its figures, save it."""
    wb = openpyxl.load_workbook(path)
    fill(wb[SELF_SHEET], _WORKER["leaves"], random.Random(path.name), _WORKER["year"])
    wb.save(path)


def fill_folder(folder: Path, year: int, jobs: int) -> float:
    files = sorted(folder.glob("*.xlsx"))
    start = time.perf_counter()
    with Pool(jobs, initializer=_init_filler, initargs=(year,)) as pool:
        pool.map(_fill_one, files, chunksize=16)
    return time.perf_counter() - start


def setup(root: Path, units: int) -> Path:
    """A fresh workspace with the commune registry."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    workspace = root / "ws"
    os.chdir(root)
    spawn("init", ["init", str(workspace), "--province", "Tỉnh Thử", "--set", SET_ID], root)
    registry = [u.model_dump(exclude_none=True) for u in make_units(units)]
    (workspace / "don-vi.yaml").write_text(
        yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return workspace


def season(workspace: Path, jobs: int, phases: list[Phase], logs: Path) -> None:
    """Both years' templates, filling (not timed), check and score; then compare, plan, report."""
    os.chdir(workspace)
    for year in YEARS:
        folder = workspace / f"so-{year}"
        args = ["template", "--set", SET_ID, "--year", str(year), "--out", str(folder)]
        phases.append(spawn(f"template {year}", args, logs))
        seconds = fill_folder(folder, year, jobs)
        print(f"  units fill in {year}: {seconds:.1f} s (simulated, not timed)", flush=True)
        check = ["check", str(folder), "--year", str(year), "--out", str(workspace / "kiem-tra")]
        phases.append(spawn(f"check {year}", check, logs))
        score = ["score", str(folder), "--year", str(year), "--out", str(workspace / "ket-qua")]
        phases.append(spawn(f"score {year}", score, logs))
        print(f"  {year}: done", flush=True)
    first, last = (str(y) for y in YEARS)
    compare = ["compare", "--from", first, "--to", last, "--out", str(workspace / "ket-qua")]
    phases.append(spawn("compare", compare, logs))
    plan = ["plan", "--all", "--year", last, "--out", str(workspace / "ke-hoach"), "--json"]
    phases.append(spawn("plan --all", plan, logs))
    report = ["report", "--year", last, "--compare", first, "--out", str(workspace / "bao-cao")]
    phases.append(spawn("report", report, logs))


def timed(action: Any) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=COMMUNES)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="Keep the workspace.")
    parser.add_argument("--jobs", type=int, default=default_workers())
    args = parser.parse_args(argv)
    root = (args.workdir or Path(tempfile.mkdtemp(prefix="cchc-pipeline-"))).resolve()
    logs = root / "logs"
    workspace = setup(root, args.units)
    # The readings `cchc check` keeps for `cchc score` go under the run's folder, not the user's.
    os.environ["CCHC_CACHE_DIR"] = str(root / "cache")
    logs.mkdir()
    phases: list[Phase] = []
    print(
        f"{args.units} communes, {SET_ID} {YEARS[0]} and {YEARS[1]}, {args.jobs} cores", flush=True
    )
    season(workspace, args.jobs, phases, logs)

    files = sorted((workspace / f"so-{YEARS[1]}").glob("*.xlsx"))
    floor = timed(lambda: read_calamine(files))
    floor_parallel = timed(lambda: read_calamine_parallel(files, args.jobs))
    baseline = timed(lambda: read_openpyxl(files))

    plans = sorted(p for p in (workspace / "ke-hoach").rglob("*") if p.is_file())
    plan_floor = timed(lambda: copy_bytes(plans, root / "floor-plans"))
    compare_floor = timed(lambda: write_rows(root / "floor.xlsx", len(files) * ROWS_PER_UNIT, 13))

    total = sum(p.seconds for p in phases)
    print(f"\n{'phase':<16} {'seconds':>8} {'share':>7} {'peak MiB':>9}")
    for p in phases:
        print(f"{p.name:<16} {p.seconds:>8.1f} {p.seconds / total:>7.1%} {p.peak_mib:>9.0f}")
    print(f"{'total':<16} {total:>8.1f}")
    print(f"\nreading {len(files)} workbooks of {YEARS[1]}:")
    print(f"  calamine floor, 1 process      {floor:6.1f} s")
    print(f"  calamine floor, {args.jobs} processes    {floor_parallel:6.1f} s")
    print(f"  openpyxl read-only             {baseline:6.1f} s")
    by_name = {p.name: p for p in phases}
    check, score = by_name[f"check {YEARS[1]}"], by_name[f"score {YEARS[1]}"]
    compare, plan = by_name["compare"], by_name["plan --all"]
    peak = max(p.peak_mib for p in phases)
    per_file = plan.seconds / max(1, len(plans)) * 1000
    targets = [
        (
            f"check {check.seconds:.1f} s = {check.seconds / floor_parallel:.2f}× the "
            f"{args.jobs}-process floor (≤ {CHECK_FACTOR})",
            check.seconds <= CHECK_FACTOR * floor_parallel,
        ),
        (
            f"score {score.seconds:.1f} s = {score.seconds / floor_parallel:.2f}× the "
            f"{args.jobs}-process floor (≤ {SCORE_FACTOR})",
            score.seconds <= SCORE_FACTOR * floor_parallel,
        ),
        (
            f"compare {compare.seconds:.1f} s = {compare.seconds / compare_floor:.2f}× writing its "
            f"rows with XlsxWriter ({compare_floor:.1f} s; ≤ {COMPARE_FACTOR})",
            compare.seconds <= COMPARE_FACTOR * compare_floor,
        ),
        (
            f"plan --all {per_file:.1f} ms per file for {len(plans)} files (≤ {PLAN_MS}); "
            f"{plan.seconds / plan_floor:.1f}× copying the same bytes ({plan_floor:.1f} s)",
            per_file <= PLAN_MS,
        ),
        (f"whole season {total / 60:.1f} min (< {MINUTES})", total < MINUTES * 60),
        (f"peak memory {peak:.0f} MiB (< {MEMORY_MIB})", peak < MEMORY_MIB),
    ]
    print("\ntargets:")
    for text, passed in targets:
        print(f"  {_ok(passed)}  {text}")
    if not args.keep:
        shutil.rmtree(root)
    missed = [text for text, passed in targets if not passed]
    if missed:
        print(f"\n{len(missed)} target(s) missed", file=sys.stderr)
        return 1
    return 0


def copy_bytes(files: list[Path], folder: Path) -> None:
    """The floor of writing the plans: the same bytes into as many new files."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(files):
        (folder / f"{n}{path.suffix}").write_bytes(path.read_bytes())


def write_rows(path: Path, rows: int, columns: int) -> None:
    """The floor of the comparison workbook: as many rows of numbers and short texts."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Tiêu chí")
    for r in range(rows):
        for c in range(columns):
            if c % 3:
                ws.write_number(r, c, r * 0.5 + c)
            else:
                ws.write_string(r, c, f"Mục {r}.{c}")
    wb.close()


def _ok(passed: bool) -> str:
    return "PASS" if passed else "MISS"


if __name__ == "__main__":
    sys.exit(main())
