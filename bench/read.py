"""Benchmark: read a folder of returned unit workbooks.

Generates N filled commune workbooks (default 3,321, the number of commune-level units
in Vietnam since 2025), then times, over the same folder:

* ``cchc check`` through the library (``check_folder``) and once as a CLI subprocess;
* the floor: python-calamine reading the two sheets and nothing else;
* a plain openpyxl read-only reader of the same two sheets.

Run from the repository root::

    python -m bench.read [--units N] [--workdir DIR] [--keep] [--repeat K]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from cchc.core.issues import Issue, Severity
from cchc.core.parallel import default_workers
from cchc.criteria.model import (
    CriteriaSet,
    Item,
    ManualRule,
    Measure,
    PerItemRule,
    ProportionalRule,
    TiersRule,
    effective_method,
)
from cchc.criteria.registry import find_set, require
from cchc.evidence.doctypes import NAMES
from cchc.scoring.rules import choice_labels, na_label
from cchc.scoring.submission import CheckReport, Submission
from cchc.templates.builder import build_workbook, workbook_name, write_workbook
from cchc.templates.collect import check_folder
from cchc.templates.layout import HEADER_ROW, LETTER, META_SHEET, SELF_SHEET
from cchc.templates.reader import open_rows
from cchc.units.model import Unit

YEAR = 2024
SET_ID = "cchc-xa"
GROUP = "xa"
COMMUNES = 3321
"""Commune-level units (xã, phường, đặc khu) in Vietnam since 1 July 2025."""

FLOOR_FACTOR = 1.5
OPENPYXL_FACTOR = 5.0
MEMORY_LIMIT_MIB = 1024.0
NA_SHARE = 0.1
"""Share of leaves that allow N/A which a unit answers N/A."""

Cells = dict[str, str | float | int]


# --------------------------------------------------------------------------- generation


def load_criteria() -> CriteriaSet:
    """The bundled commune set the workbooks are made against."""
    return require(find_set(SET_ID, YEAR))


def make_units(count: int) -> list[Unit]:
    """Units X0001 … in group xa."""
    return [
        Unit(code=f"X{i:04d}", name=f"UBND xã Thử Nghiệm {i}", group=GROUP)
        for i in range(1, count + 1)
    ]


def self_leaves(criteria: CriteriaSet, group: str) -> list[Item]:
    """The leaves a unit of the group assesses itself (survey leaves excluded)."""
    return [
        item
        for item, ancestors in criteria.walk()
        if item.is_leaf
        and effective_method(item, ancestors) != "survey"
        and (item.applies_to is None or group in item.applies_to)
    ]


def _measured(measure: Measure, rng: random.Random) -> Cells:
    """Figures for a tiers or proportional rule: a count, a percent, or a ratio."""
    if measure.kind == "number":
        return {"figure1": rng.randint(0, 40)}
    if measure.kind == "percent":
        return {"figure1": round(rng.uniform(0, 100), 1)}
    denominator = rng.randint(1, 250)
    return {"figure1": rng.randint(0, denominator), "figure2": denominator}


def _manual(item: Item, rule: ManualRule, rng: random.Random) -> Cells:
    """Points in steps of the rule, from 0 to the item's maximum."""
    steps = int((item.max or Decimal(0)) / rule.step)
    return {"points": float(rule.step * rng.randint(0, steps))}


def citation(item: Item, rng: random.Random, year: int) -> str:
    """A document of a type the item accepts (a report otherwise), dated in the year."""
    wanted = item.evidence.doc_types if item.evidence else []
    kind = wanted[0] if wanted else "BC"
    word = NAMES.get(kind, "văn bản")
    return f"{word[0].upper()}{word[1:]} số {rng.randint(1, 999)}/{kind}-UBND ngày 15/10/{year}"


def leaf_inputs(item: Item, rng: random.Random, year: int = YEAR) -> Cells:
    """What a diligent unit types for one leaf, by rule kind."""
    cells: Cells = {"evidence": citation(item, rng, year)}
    rule = item.rule
    na = na_label(item)
    if na is not None and rng.random() < NA_SHARE:
        return {**cells, "choice": na, "explanation": "Trong năm không phát sinh"}
    if isinstance(rule, TiersRule | ProportionalRule):
        return {**cells, **_measured(rule.measure, rng)}
    if isinstance(rule, PerItemRule):
        return {**cells, "figure1": rng.randint(0, 6)}
    if isinstance(rule, ManualRule):
        return {**cells, **_manual(item, rule, rng)}
    labels = [label for label in choice_labels(item) if label != na]
    return {**cells, "choice": rng.choice(labels)} if labels else cells


def code_rows(ws: Worksheet) -> dict[str, int]:
    """Row number of every item, read from the codes in column A."""
    rows: dict[str, int] = {}
    cells = ws.iter_rows(min_row=HEADER_ROW + 1, min_col=1, max_col=1, values_only=True)
    for row, (code,) in enumerate(cells, start=HEADER_ROW + 1):
        if isinstance(code, str) and code:
            rows[code] = row
    return rows


def fill(ws: Worksheet, leaves: list[Item], rng: random.Random, year: int = YEAR) -> None:
    """Type plausible inputs for every self-assessed leaf."""
    rows = code_rows(ws)
    for item in leaves:
        for column, value in leaf_inputs(item, rng, year).items():
            ws[f"{LETTER[column]}{rows[item.code]}"] = value


_WORKER: dict[str, Any] = {}


def _init_worker() -> None:
    """Load the set once per worker process."""
    criteria = load_criteria()
    _WORKER["criteria"] = criteria
    _WORKER["leaves"] = self_leaves(criteria, GROUP)


def make_workbook(job: tuple[Unit, str, int]) -> None:
    """Build, fill and save one unit's workbook (runs in a worker)."""
    unit, folder, seed = job
    criteria: CriteriaSet = _WORKER["criteria"]
    wb = build_workbook(criteria, unit, YEAR)
    ws = wb[SELF_SHEET]
    fill(ws, _WORKER["leaves"], random.Random(f"{seed}:{unit.code}"))
    write_workbook(wb, Path(folder) / workbook_name(unit, YEAR))


def generate(units: list[Unit], folder: Path, seed: int, jobs: int) -> float:
    """Write every unit's filled workbook into the folder; returns the seconds taken."""
    folder.mkdir(parents=True, exist_ok=True)
    work = [(unit, str(folder), seed) for unit in units]
    start = time.perf_counter()
    with Pool(jobs, initializer=_init_worker) as pool:
        for done, _ in enumerate(pool.imap_unordered(make_workbook, work, chunksize=8), 1):
            if done % 500 == 0:
                print(f"  … {done}/{len(units)} workbooks", flush=True)
    return time.perf_counter() - start


# --------------------------------------------------------------------------- readers


def warm_cache(files: list[Path]) -> int:
    """Read every file once so that no timed reader pays for a cold disk cache."""
    return sum(len(path.read_bytes()) for path in files)


def read_calamine(files: list[Path]) -> int:
    """The floor: both sheets as Python values, nothing else. Returns the rows read."""
    return sum(map(_calamine_rows, files))


def _calamine_rows(path: Path) -> int:
    book = CalamineWorkbook.from_path(str(path))
    rows = len(book.get_sheet_by_name(SELF_SHEET).to_python())
    return rows + len(book.get_sheet_by_name(META_SHEET).to_python())


def read_guarded(files: list[Path]) -> int:
    """cchc's reading alone: the input guard, then calamine into rows (both sheets), no checks."""
    rows = 0
    for path in files:
        opened = open_rows(path, Submission(str(path)))
        rows += len(opened[0]) if opened is not None else 0
    return rows


def read_calamine_parallel(files: list[Path], workers: int) -> int:
    """The floor with as many processes as `cchc check` uses."""
    with Pool(workers) as pool:
        return sum(pool.map(_calamine_rows, files, chunksize=64))


def read_openpyxl(files: list[Path]) -> int:
    """A plain openpyxl read-only reader of both sheets. Returns the rows read."""
    rows = 0
    for path in files:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for name in (SELF_SHEET, META_SHEET):
                rows += sum(1 for _ in wb[name].iter_rows(values_only=True))
        finally:
            wb.close()
    return rows


def peak_mib(usage: resource.struct_rusage) -> float:
    """ru_maxrss in MiB (kilobytes on Linux, bytes on macOS)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return usage.ru_maxrss * scale / 2**20


@dataclass
class CliRun:
    """One `cchc check` subprocess: time, its own peak memory, exit code, JSON summary."""

    seconds: float
    peak_mib: float
    returncode: int
    summary: dict[str, Any] = field(default_factory=dict)
    stderr: str = ""


def cchc_command() -> str:
    """The `cchc` script of the running environment."""
    script = Path(sys.prefix) / "bin" / "cchc"
    return str(script) if script.exists() else shutil.which("cchc") or "cchc"


def run_cli(folder: Path, out: Path) -> CliRun:
    """Run `cchc check FOLDER --year Y --out OUT --json` and wait for that very child.

    os.wait4 gives this child's own rusage (RUSAGE_CHILDREN would also count the
    generator's pool workers). Linux carries a process's peak RSS across exec, so the
    child's peak is at least this process's peak when it is spawned: run it early.
    """
    out.mkdir(parents=True, exist_ok=True)
    command = [cchc_command(), "check", str(folder), "--year", str(YEAR), "--out", str(out)]
    stdout_path, stderr_path = out / "cli-stdout.json", out / "cli-stderr.txt"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        start = time.perf_counter()
        pid = os.posix_spawn(
            command[0],
            [*command, "--json"],
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, stdout.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, stderr.fileno(), 2),
            ],
        )
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
    run = CliRun(seconds, peak_mib(usage), os.waitstatus_to_exitcode(status))
    run.stderr = stderr_path.read_text(encoding="utf-8", errors="replace")
    with contextlib.suppress(ValueError):  # no JSON if the CLI crashed
        run.summary = json.loads(stdout_path.read_text(encoding="utf-8"))
    return run


def best_of(repeat: int, action: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


# --------------------------------------------------------------------------- report


@dataclass
class Results:
    """Everything measured in one run."""

    files: int
    seconds: dict[str, float] = field(default_factory=dict)
    check_peak_mib: float = 0.0
    baseline_mib: float = 0.0
    report: CheckReport | None = None
    cli: CliRun | None = None


WORKERS = default_workers()
FLOOR = "calamine (floor)"
FLOOR_PAR = f"calamine (floor, {WORKERS} proc)"
READ = "cchc read (guard + calamine)"
CHECK_1 = "cchc check (lib, 1 proc)"
CHECK = f"cchc check (lib, {WORKERS} proc)"
CLI = f"cchc check (CLI, {WORKERS} proc)"
OPENPYXL = "openpyxl read-only"
FLOORS = {READ: FLOOR, CHECK_1: FLOOR, CHECK: FLOOR_PAR, CLI: FLOOR_PAR}
"""Each check is held to the floor read with the same number of processes."""


def print_table(results: Results) -> None:
    """phase | seconds | files/s | ratio to floor."""
    floor = results.seconds[FLOOR]
    print(f"\n{'phase':<30} {'seconds':>9} {'files/s':>9} {'× floor':>8}")
    print("-" * 59)
    for name in (FLOOR, FLOOR_PAR, READ, CHECK_1, CHECK, CLI, OPENPYXL):
        if name not in results.seconds:
            continue
        seconds = results.seconds[name]
        rate = results.files / seconds if seconds else float("inf")
        print(f"{name:<30} {seconds:>9.2f} {rate:>9.1f} {seconds / floor:>8.2f}")


def verdict(ok: bool) -> str:
    """PASS or MISS."""
    return "PASS" if ok else "MISS"


def targets(results: Results) -> Iterator[str]:
    """One line per target, with PASS/MISS."""
    s = results.seconds
    for name in (READ, CHECK_1, CHECK, CLI):
        if name not in s:
            continue
        ratio = s[name] / s[FLOORS[name]]
        within = verdict(ratio <= FLOOR_FACTOR)
        yield f"{name}: within {FLOOR_FACTOR}× of {FLOORS[name]}: {ratio:.2f}× {within}"
        speedup = s[OPENPYXL] / s[name]
        yield (
            f"{name}: ≥ {OPENPYXL_FACTOR:g}× faster than openpyxl: {speedup:.2f}× "
            f"{verdict(speedup >= OPENPYXL_FACTOR)}"
        )
    peak = results.check_peak_mib
    yield (
        f"{CHECK_1}: peak memory < {MEMORY_LIMIT_MIB:g} MiB: {peak:.0f} MiB "
        f"(process baseline before the check {results.baseline_mib:.0f} MiB) "
        f"{verdict(peak < MEMORY_LIMIT_MIB)}"
    )
    if results.cli is not None:
        peak = results.cli.peak_mib
        yield f"{CLI}: peak memory < {MEMORY_LIMIT_MIB:g} MiB: {peak:.0f} MiB " + verdict(
            peak < MEMORY_LIMIT_MIB
        )


def print_issues(report: CheckReport, expected_leaves: int) -> None:
    """Issue counts, the first errors, and how many leaves each workbook yielded."""
    issues = report.all_issues()
    errors = [i for i in issues if i.severity is Severity.ERROR]
    warnings = [i for i in issues if i.severity is Severity.WARNING]
    print(
        f"\ncheck (library): {len(report.submissions)} files, {len(errors)} errors, "
        f"{len(warnings)} warnings, {len(report.missing)} units missing"
    )
    _print_codes("errors", errors)
    _print_codes("warnings", warnings)
    short = [s for s in report.submissions if len(s.leaves) != expected_leaves]
    print(f"leaves read per file: expected {expected_leaves}, files off: {len(short)}")


def _print_codes(label: str, issues: list[Issue]) -> None:
    if not issues:
        return
    print(f"  {label} by code: {dict(Counter(i.code for i in issues).most_common())}")
    for issue in issues[:5]:
        print(f"    {issue}")


def print_cli(cli: CliRun) -> None:
    """Exit code and the JSON summary's counts."""
    s = cli.summary
    print(
        f"check (CLI): exit {cli.returncode}, files {s.get('files')}, errors {s.get('errors')}, "
        f"warnings {s.get('warnings')}, peak {cli.peak_mib:.0f} MiB"
    )
    if cli.stderr.strip():
        print("  stderr: " + cli.stderr.strip()[-500:])


# --------------------------------------------------------------------------- main


def measure(folder: Path, units: list[Unit], criteria: CriteriaSet, args: Any) -> Results:
    """Time every reader over the folder.

    The CLI runs first and the library check next, while this process is still small,
    so that neither peak memory figure includes the other readers.
    """
    files = sorted(folder.glob("*.xlsx"))
    results = Results(files=len(files))
    warm_cache(files)
    results.baseline_mib = peak_mib(resource.getrusage(resource.RUSAGE_SELF))
    if not args.no_cli:
        print("timing cchc check (CLI subprocess) …", flush=True)
        results.cli = run_cli(folder, folder.parent / "out")
        results.seconds[CLI] = results.cli.seconds

    def check(workers: int) -> None:
        results.report = None  # one report alive at a time
        results.report = check_folder(
            folder, YEAR, units, lambda ref, year: criteria, workers=workers
        )

    print("timing cchc check (library) …", flush=True)
    results.seconds[CHECK_1] = best_of(args.repeat, lambda: check(1))
    results.check_peak_mib = peak_mib(resource.getrusage(resource.RUSAGE_SELF))
    results.seconds[CHECK] = best_of(args.repeat, lambda: check(WORKERS))
    print("timing calamine floor …", flush=True)
    results.seconds[FLOOR] = best_of(args.repeat, lambda: read_calamine(files))
    results.seconds[READ] = best_of(args.repeat, lambda: read_guarded(files))
    results.seconds[FLOOR_PAR] = best_of(
        args.repeat, lambda: read_calamine_parallel(files, WORKERS)
    )
    print("timing openpyxl …", flush=True)
    results.seconds[OPENPYXL] = best_of(args.repeat, lambda: read_openpyxl(files))
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.read", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--units", type=int, default=COMMUNES, help="workbooks to generate")
    parser.add_argument("--workdir", type=Path, help="folder for the workbooks (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing, best taken")
    parser.add_argument("--jobs", type=int, default=2, help="processes for generation")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the filled values")
    parser.add_argument("--reuse", action="store_true", help="reuse workbooks already there")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI subprocess")
    return parser.parse_args(argv)


def prepare(args: argparse.Namespace, units: list[Unit], folder: Path) -> None:
    """Generate the workbooks unless --reuse finds them all in place."""
    if args.reuse and all((folder / workbook_name(u, YEAR)).exists() for u in units):
        print(f"reusing {len(units)} workbooks in {folder}")
        return
    shutil.rmtree(folder, ignore_errors=True)
    print(f"generating {len(units)} workbooks in {folder} ({args.jobs} processes) …", flush=True)
    seconds = generate(units, folder, args.seed, args.jobs)
    print(f"generation: {seconds:.1f} s ({len(units) / seconds:.1f} workbooks/s), not measured")


def main(argv: list[str] | None = None) -> int:
    """Generate, measure, report."""
    args = parse_args(argv)
    root = args.workdir or Path(tempfile.mkdtemp(prefix="cchc-bench-read-"))
    folder = root / "returned"
    units = make_units(args.units)
    criteria = load_criteria()
    try:
        prepare(args, units, folder)
        results = measure(folder, units, criteria, args)
        print_table(results)
        print("\ntargets:")
        for line in targets(results):
            print(f"  {line}")
        assert results.report is not None
        print_issues(results.report, len(self_leaves(criteria, GROUP)))
        if results.cli is not None:
            print_cli(results.cli)
    finally:
        if args.keep:
            print(f"\nkept: {root}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(root / "out", ignore_errors=True)
            if args.workdir is None:
                shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
