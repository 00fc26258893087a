"""Benchmark: the appraisal council's workbooks against the single appraisal workbook.

Issue 19: a province of 150 units × 90 self-assessed items is 13,500 appraisal rows. In one run,
over the same rows (built in memory, no unit workbooks needed):

* baseline: the single workbook of every row (`write_appraisal(rows, year, path)`), read back
  with `read_council([path], year, maxima)`;
* the council: one round-1 workbook per body, holding the domains it appraises for every unit
  (`write_appraisal(rows, Sheet(year, 1, body, council), path)`), all read back in one call with
  `read_council(paths, year, maxima, 1)`.

Every row carries round-1 points (and some a comment), typed into an input column of both forms,
so reading parses real values. The council's merged values must equal the single workbook's,
unit by unit and item by item: the benchmark also proves that split-and-merge gives the same
result. Printed: rows, files, seconds to write and to read each, the council/single ratio of
each, peak memory; then one cProfile of the council's read path.

No bundled set has 90 self-assessed leaves (the largest, cchc-so 2024, has 85), so the items
are synthesised: `--items` leaves in domains of ten, a few scored by hand in steps.

Run from the repository root::

    python -m bench.council [--units 150] [--items 90] [--bodies 3] [--repeat K] [--keep]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from bench.read import peak_mib
from bench.score import best_of, reset_peak, self_peak_mib
from cchc.core.issues import Issue, Severity
from cchc.core.names import safe_name
from cchc.scoring.layers import Appraised
from cchc.templates.appraisal import AppraisalRow, Council, Maxima, Sheet, write_appraisal
from cchc.templates.council import CouncilRead, read_council

YEAR = 2024
UNITS = 150
ITEMS = 90
BODIES = 3
DOMAIN_SIZE = 10
"""Items per domain (lĩnh vực): 90 items are nine domains."""
BODY_NAMES = ("Sở Tư pháp", "Sở Khoa học và Công nghệ", "Sở Nội vụ")
"""The institutional domain, digital transformation, the rest (issue 19); more are numbered."""
MAXIMA = (Decimal("0.5"), Decimal("1"), Decimal("1.5"), Decimal("2"), Decimal("3"))
MANUAL_EVERY = 9
"""Every ninth item is scored by hand, in steps of 0.25 points."""
STEP = Decimal("0.25")
COMMENT_EVERY = 7
"""Every seventh row also carries an appraiser's comment."""
PROFILE_TOP = 12

Decided = dict[tuple[str, str], tuple[Decimal | None, Decimal | None, str]]
"""(unit, item) → (round-1 points, round-2 points, comment): what a read decided."""


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Item:
    """One synthetic self-assessed leaf."""

    code: str
    domain: str
    title: str
    max: Decimal
    step: Decimal | None


def make_items(count: int) -> list[Item]:
    """Items '1.1' … in domains of DOMAIN_SIZE, maxima cycling, every MANUAL_EVERY-th by hand."""
    items = []
    for i in range(count):
        domain = str(i // DOMAIN_SIZE + 1)
        code = f"{domain}.{i % DOMAIN_SIZE + 1}"
        title = (
            f"Tiêu chí thành phần {code}: tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải "
            "quyết đúng hạn và công khai kết quả trên Cổng dịch vụ công của tỉnh"
        )
        step = STEP if i % MANUAL_EVERY == 0 else None
        items.append(Item(code, domain, title, MAXIMA[i % len(MAXIMA)], step))
    return items


def points(item: Item, rng: random.Random) -> Decimal:
    """Round-1 points within 0 … max, on the step (hundredths otherwise)."""
    grain = item.step or Decimal("0.01")
    return grain * rng.randint(0, int(item.max / grain))


def make_rows(units: int, items: list[Item], seed: int) -> list[AppraisalRow]:
    """Every unit × every item, units together, as `appraisal_rows` orders them, with the
    unit's figures and references and round-1 points already typed in."""
    rng = random.Random(seed)
    rows = []
    for u in range(1, units + 1):
        unit_code, unit_name = f"S{u:03d}", f"Sở Thử Nghiệm {u}"
        for n, item in enumerate(items):
            self_points = points(item, rng)
            rows.append(
                AppraisalRow(
                    unit_code=unit_code,
                    unit_name=unit_name,
                    code=item.code,
                    title=item.title,
                    max=item.max,
                    self_points=self_points,
                    status="",
                    evidence=f"Báo cáo số {rng.randint(1, 999)}/BC-UBND ngày 15/10/{YEAR}",
                    explanation="Đã thực hiện đầy đủ theo kế hoạch năm",
                    step=item.step,
                    first=points(item, rng),
                    comment="Tài liệu kiểm chứng chưa đủ" if n % COMMENT_EVERY == 0 else "",
                    inputs=f"số liệu 1 = {rng.randint(0, 40)}; số liệu 2 = {rng.randint(40, 80)}",
                    findings="Đã kiểm tra 1 tài liệu: không phát hiện vấn đề",
                )
            )
    return rows


def body_names(count: int) -> list[str]:
    """The bodies' names: the three of issue 19, then 'Cơ quan 4' …"""
    return [BODY_NAMES[i] if i < len(BODY_NAMES) else f"Cơ quan {i + 1}" for i in range(count)]


def split(items: list[Item], bodies: int) -> dict[str, tuple[str, ...]]:
    """Body → its domains: the domains in order, cut into `bodies` runs as even as possible."""
    domains = list(dict.fromkeys(item.domain for item in items))
    names = body_names(min(bodies, len(domains)))
    found: dict[str, list[str]] = {name: [] for name in names}
    for index, domain in enumerate(domains):
        found[names[index * len(names) // len(domains)]].append(domain)
    return {name: tuple(codes) for name, codes in found.items()}


# --------------------------------------------------------------------------- phases


@dataclass
class Phase:
    """One way of appraising: its files, the seconds to write and read them, what was read."""

    name: str
    files: list[Path] = field(default_factory=list)
    rows: int = 0
    write: float = 0.0
    read: float = 0.0
    peak_mib: float = 0.0
    start_mib: float = 0.0
    bytes: int = 0
    values: Decided = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)


def flatten(read: CouncilRead) -> Decided:
    """What the merge decided, by unit and item."""
    return {
        (unit, code): _decided(appraised)
        for unit, items in read.values.items()
        for code, appraised in items.items()
    }


def _decided(a: Appraised) -> tuple[Decimal | None, Decimal | None, str]:
    return a.first, a.second, a.comment


def timed(
    phase: Phase,
    books: list[tuple[list[AppraisalRow], Sheet | int, Path]],
    reader: Callable[[list[Path]], CouncilRead],
    repeat: int,
) -> None:
    """Write every book, then read them all back in one call; the best of `repeat` each."""
    reset_peak()
    phase.start_mib = self_peak_mib()
    phase.files = [path for _, _, path in books]
    phase.rows = sum(len(rows) for rows, _, _ in books)

    def write() -> list[Path]:
        return [write_appraisal(rows, sheet, path) for rows, sheet, path in books]

    phase.write, _ = best_of(repeat, write)
    phase.bytes = sum(path.stat().st_size for path in phase.files)
    phase.read, read = best_of(repeat, lambda: reader(phase.files))
    phase.values = flatten(read)
    phase.issues = read.issues
    phase.peak_mib = self_peak_mib()


def single(rows: list[AppraisalRow], maxima: Maxima, folder: Path, repeat: int) -> Phase:
    """The baseline: one workbook of every row, both rounds."""
    phase = Phase("single workbook")
    path = folder / f"tham-dinh-{YEAR}.xlsx"
    timed(phase, [(rows, YEAR, path)], lambda p: read_council(p, YEAR, maxima), repeat)
    return phase


def council_books(
    rows: list[AppraisalRow], items: list[Item], bodies: int, folder: Path
) -> list[tuple[list[AppraisalRow], Sheet | int, Path]]:
    """One round-1 book per body: its domains' rows for every unit, in the rows' order."""
    assigned = split(items, bodies)
    council = Council(assigned)
    domain = {item.code: item.domain for item in items}
    body_of = {d: body for body, domains in assigned.items() for d in domains}
    mine: dict[str, list[AppraisalRow]] = {body: [] for body in assigned}
    for row in rows:
        mine[body_of[domain[row.code]]].append(row)
    return [
        (
            chosen,
            Sheet(YEAR, 1, body, council),
            folder / safe_name(f"tham-dinh-lan-1-{YEAR} - {body}", ".xlsx"),
        )
        for body, chosen in mine.items()
    ]


def council(
    books: list[tuple[list[AppraisalRow], Sheet | int, Path]], maxima: Maxima, repeat: int
) -> Phase:
    """The council: one workbook per body, read back together and merged."""
    phase = Phase(f"council ({len(books)} bodies)")
    timed(phase, books, lambda p: read_council(p, YEAR, maxima, 1), repeat)
    return phase


def expected(rows: list[AppraisalRow]) -> Decided:
    """What was typed in: every row's round-1 points and comment."""
    return {(r.unit_code, r.code): (r.first, r.second, r.comment) for r in rows}


def differences(got: Decided, want: Decided) -> list[tuple[str, str]]:
    """The (unit, item) pairs whose decided values differ, or that one side lacks."""
    return sorted(key for key in got.keys() | want.keys() if got.get(key) != want.get(key))


# --------------------------------------------------------------------------- report


def print_table(base: Phase, split_: Phase) -> None:
    """phase | files | rows | MiB | write s | read s | rows/s read."""
    print(f"\n{'phase':<22} {'files':>5} {'rows':>7} {'MiB':>6} {'write s':>8} {'read s':>8}")
    print("-" * 61)
    for p in (base, split_):
        size = p.bytes / 2**20
        print(f"{p.name:<22} {len(p.files):>5} {p.rows:>7} {size:>6.2f} ", end="")
        print(f"{p.write:>8.2f} {p.read:>8.2f}")
    print("-" * 61)
    print(
        f"{'council / single':<22} {'':>5} {'':>7} {split_.bytes / base.bytes:>6.2f} "
        f"{split_.write / base.write:>8.2f} {split_.read / base.read:>8.2f}"
    )


def print_memory(base: Phase, split_: Phase, per_phase: bool) -> None:
    """This process's peak per phase (reset between phases where possible), and the largest
    reader child (the files are read in contained worker processes)."""
    if per_phase:
        print("\npeak memory (RSS of this process, reset before each phase):")
        for p in (base, split_):
            print(f"  {p.name:<22} {p.peak_mib:>6.0f} MiB (RSS at its start {p.start_mib:.0f} MiB)")
    else:
        print(f"\npeak memory of this process: {max(base.peak_mib, split_.peak_mib):.0f} MiB")
    children = peak_mib(resource.getrusage(resource.RUSAGE_CHILDREN))
    print(f"  {'largest reader process':<22} {children:>6.0f} MiB (forked, both phases)")


def print_issues(phase: Phase) -> None:
    """Issue counts by code, and the first few."""
    if not phase.issues:
        print(f"{phase.name}: no issues")
        return
    codes: dict[str, int] = {}
    for issue in phase.issues:
        codes[issue.code] = codes.get(issue.code, 0) + 1
    print(f"{phase.name}: {len(phase.issues)} issues {codes}")
    for issue in phase.issues[:5]:
        print(f"    {issue}")


def profile(paths: list[Path], maxima: Maxima) -> None:
    """cProfile the council's read path once; the top functions by cumulative and own time.

    The files are read (guard + calamine) in a forked worker, which cProfile does not see: its
    share is the wait in the parent, under the pool's result functions.
    """
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(read_council, paths, YEAR, maxima, 1)
    seconds = time.perf_counter() - start
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(PROFILE_TOP)
        body = text.getvalue().strip().split("\n", 1)[-1]
        print(f"\nprofile of the council's read ({seconds:.2f} s under cProfile), by {order}:")
        print(body.rstrip())


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.council", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--units", type=int, default=UNITS, help="units appraised")
    parser.add_argument("--items", type=int, default=ITEMS, help="self-assessed items per unit")
    parser.add_argument("--bodies", type=int, default=BODIES, help="appraising bodies")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing, best taken")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the typed values")
    parser.add_argument("--workdir", type=Path, help="folder for the workbooks (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the written workbooks")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile of the read")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the rows, time both ways, check they agree, report; exit 1 if they do not."""
    args = parse_args(argv)
    root = args.workdir or Path(tempfile.mkdtemp(prefix="cchc-bench-council-"))
    items = make_items(args.items)
    rows = make_rows(args.units, items, args.seed)
    limits = {(r.unit_code, r.code): (r.max, r.step) for r in rows}

    def maxima(unit: str, code: str) -> tuple[Decimal, Decimal | None] | None:
        return limits.get((unit, code))

    try:
        (root / "single").mkdir(parents=True, exist_ok=True)
        (root / "council").mkdir(parents=True, exist_ok=True)
        books = council_books(rows, items, args.bodies, root / "council")
        per_phase = reset_peak()
        print(
            f"{args.units} units × {args.items} items = {len(rows)} rows; "
            f"{len(books)} bodies: {split(items, args.bodies)}"
        )
        print("timing the single workbook …", flush=True)
        base = single(rows, maxima, root / "single", args.repeat)
        print("timing the council's workbooks …", flush=True)
        split_ = council(books, maxima, args.repeat)
        print_table(base, split_)
        print_memory(base, split_, per_phase)
        print()
        print_issues(base)
        print_issues(split_)
        want = expected(rows)
        off_base = differences(base.values, want)
        off_split = differences(split_.values, base.values)
        errors = [i for p in (base, split_) for i in p.issues if i.severity is Severity.ERROR]
        print(
            f"\nsingle workbook read back as typed: {len(want) - len(off_base)}/{len(want)} rows"
            f"\ncouncil merged = single workbook: {len(base.values) - len(off_split)}/"
            f"{len(base.values)} (unit, item) values, {len(off_split)} differ"
        )
        for key in off_split[:5]:
            print(f"    {key}: single {base.values.get(key)}, council {split_.values.get(key)}")
        if not args.no_profile:
            profile(split_.files, maxima)
    finally:
        if args.keep:
            print(f"\nkept: {root}")
        else:
            shutil.rmtree(root / "single", ignore_errors=True)
            shutil.rmtree(root / "council", ignore_errors=True)
            if args.workdir is None:
                shutil.rmtree(root, ignore_errors=True)
    if off_base or off_split or errors:
        print("\nFAIL: split-and-merge differs from the single workbook", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
