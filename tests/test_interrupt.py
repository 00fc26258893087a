"""Killing `cchc score` or `cchc plan` at any moment loses nothing.

The commands run as real processes and are killed (SIGKILL, with their workers) after seeded random
fractions of their measured duration. After each kill the store holds the previous run or the
complete new one, every output is the previous file byte for byte or a complete new one, and the
inputs are unchanged. A temporary file a killed writer leaves is removed by the next command that
writes into the same folder.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from cchc.core.fileio import TEMP_SUFFIX
from cchc.criteria.model import CriteriaSet, effective_method
from cchc.criteria.registry import find_set, require
from cchc.demo.sample_data import fill_sample
from cchc.reports.results_xlsx import RANKING
from cchc.store import db as store
from cchc.templates.builder import build_workbook, workbook_name, write_workbook
from cchc.templates.stamp import Stamp, placeholder_unit
from cchc.units.model import Unit
from tests.pair import pair_runs

YEAR = 2024
SEED = 8
SCORE_KILLS = 8
PLAN_KILLS = 4
Indices = dict[str, Decimal | None]


def _units(count: int) -> list[Unit]:
    return [
        Unit(code=f"X{n:03d}", name=f"UBND xã số {n}", group="xa", set="cchc-xa")
        for n in range(1, count + 1)
    ]


def _cchc(root: Path, *args: str) -> float:
    """Run a command to the end; its duration in seconds."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cchc.cli", *args],
        cwd=root,
        env=_env(root),
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr.decode()
    return time.perf_counter() - start


def _env(root: Path) -> dict[str, str]:
    """The system temporary folder inside the test's: XlsxWriter's own scratch files stay there."""
    scratch = root.parent / "scratch"
    scratch.mkdir(exist_ok=True)
    return os.environ | {"TMPDIR": str(scratch)}


def _killed(root: Path, delay: float, *args: str) -> bool:
    """Start a command, kill it and its workers after `delay` seconds; True if it was running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cchc.cli", *args],
        cwd=root,
        env=_env(root),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(delay)
    running = process.poll() is None
    if running:  # not yet reaped: the group exists even if the command has just finished
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return running


def _delays(rng: random.Random, kills: int, duration: float) -> list[float]:
    """One random moment in each of `kills` equal slices of the run."""
    return [duration * (n + rng.random()) / kills for n in range(kills)]


def _workspace(root: Path, units: list[Unit]) -> CriteriaSet:
    """A workspace with the bundled commune set, the units and a survey file in vao/."""
    subprocess.run(
        [sys.executable, "-m", "cchc.cli", "init", str(root), "--province", "Tỉnh Thử"],
        check=True,
        capture_output=True,
    )
    lines = [f"- {{code: {u.code}, name: {u.name}, group: xa, set: cchc-xa}}" for u in units]
    (root / "don-vi.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    criteria = require(find_set("cchc-xa", YEAR))
    survey = [
        i.code for i, a in criteria.walk() if i.is_leaf and effective_method(i, a) == "survey"
    ]
    rows = [f"{u.code},{code},{70 + n % 30}" for n, u in enumerate(units) for code in survey]
    (root / "vao").mkdir()
    text = "\n".join(["Mã đơn vị,Mã,Tỷ lệ hài lòng (%)", *rows]) + "\n"
    (root / "vao" / "dieu-tra.csv").write_text(text, encoding="utf-8")
    return criteria


def _submissions(criteria: CriteriaSet, units: list[Unit], folder: Path, seeds: list[int]) -> None:
    """Filled workbooks for every unit: a few fillings, stamped with each unit's code and name."""
    stamps = []
    for seed in seeds:
        blank = folder.parent / f"mau-{seed}.xlsx"
        unit = placeholder_unit(units[0])
        write_workbook(build_workbook(criteria, unit, YEAR), blank)
        stamps.append(Stamp.of(load_workbook(fill_sample(criteria, unit, blank, seed))))
        blank.unlink()
    for n, unit in enumerate(units):
        stamps[n % len(stamps)].write(unit, folder / workbook_name(unit, YEAR))


def _digests(*folders: Path) -> dict[Path, str]:
    return {
        path: hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _indices(db: Path) -> Indices:
    """The stored run's index per unit."""
    # Killed inside the transaction: the next writer rolls the journal back (a reader cannot
    # yet, see test_reader_after_a_killed_writer).
    if db.with_name(db.name + "-journal").exists():
        with store.writing(db):
            pass
    run = store.load_run(db, YEAR)
    assert run is not None
    return {u.unit.code: u.totals.index for u in run.units}


def _ranked(book: Path) -> Indices:
    """The index per unit on the ranking sheet of a complete results workbook."""
    with zipfile.ZipFile(book) as package:
        assert package.testzip() is None
    ws = load_workbook(book, read_only=True)[RANKING]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[1]]
    return {str(r[1]): Decimal(str(r[8])).quantize(Decimal("0.01")) for r in rows}


def _temps(folder: Path) -> list[Path]:
    return list(folder.rglob(f".*{TEMP_SUFFIX}"))


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 units; the year scored once from nop-cu/ (the previous run, ket-qua of it in ra/)."""
    root = tmp_path_factory.mktemp("interrupt") / "ws"
    units = _units(200)
    criteria = _workspace(root, units)
    _submissions(criteria, units, root / "nop-cu", [1, 2, 3])
    _submissions(criteria, units, root / "nop", [4, 5, 6])
    _cchc(
        root, "score", "nop-cu", "--year", str(YEAR), "--survey", "vao/dieu-tra.csv", "--out", "ra"
    )
    return root


def test_killed_scoring_keeps_the_previous_run_or_the_new_one(scored: Path) -> None:
    root, db, book = scored, scored / "cchc.db", scored / "ra" / f"ket-qua-{YEAR}.xlsx"
    survey = ("--survey", "vao/dieu-tra.csv")
    score = ("score", "nop", "--year", str(YEAR), *survey, "--replace", "--out", "ra")
    inputs = _digests(root / "nop", root / "vao")
    previous_db, previous_book = root / "truoc.db", root / "truoc.xlsx"
    shutil.copy(db, previous_db)
    shutil.copy(book, previous_book)
    old = _indices(db)
    duration = _cchc(root, *score)
    new = _indices(db)
    assert _ranked(book) == new != old

    def restore() -> None:
        shutil.copy(previous_db, db)
        for left in ("-journal", "-wal", "-shm"):  # a killed writer's, of the store replaced
            db.with_name(db.name + left).unlink(missing_ok=True)
        shutil.copy(previous_book, book)

    interrupted = set()
    rng = random.Random(SEED)
    for delay in _delays(rng, SCORE_KILLS, duration):
        restore()
        running = _killed(root, delay, *score)
        stored = _indices(db)
        assert stored in (old, new)
        if book.read_bytes() == previous_book.read_bytes():
            written = old
        else:  # the workbook is written after the run is stored, never before
            assert _ranked(book) == new == stored
            written = new
        assert _digests(root / "nop", root / "vao") == inputs
        if running:
            interrupted.add((stored == new, written == new))
    assert (False, False) in interrupted  # some kills landed before the run was stored
    restore()
    _cchc(root, *score)
    assert _indices(db) == _ranked(book) == new
    assert _temps(root / "ra") == []  # the complete run removed what the killed ones left
    assert _digests(root / "nop", root / "vao") == inputs


def _plan_files(folder: Path) -> dict[Path, bytes]:
    """The files under their final names (not the temporary files of killed writers)."""
    return {p: p.read_bytes() for p in sorted(folder.rglob("[!.]*")) if p.is_file()}


def _complete(path: Path) -> None:
    """A whole .docx or .xlsx: every part intact, and it opens."""
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
    if path.suffix == ".docx":
        assert Document(str(path)).paragraphs
    else:
        assert load_workbook(path).worksheets


def test_killed_planning_keeps_every_file_whole(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    units = _units(12)
    criteria = _workspace(root, units)
    _submissions(criteria, units, root / "nop", [1, 2])
    _cchc(root, "score", "nop", "--year", str(YEAR), "--out", "ra")
    plan = ("plan", "--all", "--year", str(YEAR), "--out", "kh", "--number")
    duration = _cchc(root, *plan, "1/KH-UBND")  # the plans as issued, timed
    previous = _plan_files(root / "kh")
    assert len(previous) == 5 * len(units)
    rng = random.Random(SEED)
    running = []
    for delay in _delays(rng, PLAN_KILLS, duration):
        for path, data in previous.items():
            path.write_bytes(data)
        running.append(_killed(root, delay, *plan, "2/KH-UBND"))
        now = _plan_files(root / "kh")
        assert set(now) == set(previous)
        for path in now:
            if now[path] != previous[path]:
                _complete(path)
    assert any(running)
    _cchc(root, *plan, "2/KH-UBND")
    now = _plan_files(root / "kh")
    assert set(now) == set(previous) and all(now[p] != previous[p] for p in now)
    assert _temps(root / "kh") == []


WRITER = """
import sys, time
from cchc.core.fileio import atomic_path
with atomic_path(sys.argv[1]) as tmp:
    tmp.write_text("dở dang")
    print(tmp, flush=True)
    time.sleep(60)
"""


def test_the_next_command_removes_what_a_killed_writer_left(tmp_path: Path) -> None:
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path / name)], stdout=subprocess.PIPE, text=True
        )
        for name in ("killed.xlsx", "running.xlsx")
    ]
    killed, running = writers
    temps = []
    for writer in writers:
        assert writer.stdout is not None
        temps.append(Path(writer.stdout.readline().strip()))
    killed.kill()
    killed.wait()
    next_command = (
        "import sys; from cchc.core.fileio import write_text; write_text(sys.argv[1], 'x')"
    )
    subprocess.run([sys.executable, "-c", next_command, str(tmp_path / "other.txt")], check=True)
    assert not temps[0].exists() and temps[1].exists()  # the running writer's file is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == [temps[1].name, "other.txt"]
    running.kill()
    running.wait()


def test_reader_after_a_killed_writer(tmp_path: Path) -> None:
    db = tmp_path / "cchc.db"
    store.create(db)
    before, _ = pair_runs()
    with store.writing(db) as connection:
        store.save_run(connection, before)
    # A run larger than the page cache (a province's thousands of units) reaches the file
    # before COMMIT; a one-page cache makes this small run do the same.
    writer = """
import sys, time
from pathlib import Path
from cchc.store import db as store
from tests.pair import pair_runs
with store.writing(Path(sys.argv[1])) as db:
    db.execute("PRAGMA cache_size = 1")
    store.save_run(db, pair_runs()[1])
    print("stored", flush=True)
    time.sleep(60)
"""
    cwd = Path(__file__).parent.parent
    child = subprocess.Popen(
        [sys.executable, "-c", writer, str(db)], cwd=cwd, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "stored\n"
    child.kill()
    child.wait()
    assert store.load_run(db, 2023) is not None


INIT_KILLS = 3


def test_killed_init_leaves_nothing_the_next_init_does_not_finish(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init = ("init", str(root), "--province", "Tỉnh Thử")
    duration = _cchc(tmp_path, *init)
    shutil.rmtree(root)
    rng = random.Random(SEED)
    for delay in _delays(rng, INIT_KILLS, duration):
        _killed(tmp_path, delay, *init)
        if (root / "cchc.toml").exists():  # it finished
            shutil.rmtree(root)
            continue
        _cchc(tmp_path, *init)
        left = sorted(p.name for p in root.iterdir() if p.name.startswith("."))
        assert left == [], left  # no temporary store, journal, WAL or shared-memory file
        assert store.years(root / "cchc.db") == []  # a whole store (checked on open)
        shutil.rmtree(root)


def _table(db: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of the store after a kill: opened by a writer first (the whole store checked)."""
    with store.writing(db, keep_copy=False) as connection:
        return sorted(connection.execute(sql))


IMPORT_KILLS = 3


@pytest.mark.parametrize(
    ("command", "table"),
    [("survey", "SELECT unit, item, points FROM survey"), ("results", "SELECT * FROM official")],
)
def test_killed_imports_keep_the_store_whole(scored: Path, command: str, table: str) -> None:
    root, db = scored, scored / "cchc.db"
    text = (root / "vao" / "dieu-tra.csv").read_text(encoding="utf-8")
    changed = root / "vao" / f"{command}-moi.csv"
    if command == "survey":  # every rate one point lower
        lines = text.splitlines()
        rows = [line.rsplit(",", 1) for line in lines[1:]]
        changed.write_text(
            "\n".join([lines[0], *(f"{a},{int(b) - 1}" for a, b in rows)]) + "\n", "utf-8"
        )
    else:  # the results workbook of the stored run, as the official result
        changed = root / "ra" / f"ket-qua-{YEAR}.xlsx"
    saved = root / f"truoc-{command}.db"
    shutil.copy(db, saved)
    old = _table(db, table)
    args: tuple[str, ...] = (command, "import", str(changed.relative_to(root)), "--year", str(YEAR))
    if command == "survey":  # the scored year has a survey already: replacing it is asked for
        args = (*args, "--replace")
    duration = _cchc(root, *args)
    new = _table(db, table)
    assert new != old
    rng = random.Random(SEED)
    for delay in _delays(rng, IMPORT_KILLS, duration):
        shutil.copy(saved, db)
        for left in ("-journal", "-wal", "-shm"):
            db.with_name(db.name + left).unlink(missing_ok=True)
        _killed(root, delay, *args)
        assert _table(db, table) in (old, new)
    shutil.copy(saved, db)
