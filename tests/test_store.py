"""The store: revisions, runs read back as stored, schema migration, damaged and locked stores."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from cchc.store import db as store
from cchc.store import schema
from cchc.store.workspace import init_workspace
from tests.conftest import DATA
from tests.pair import pair_runs

D = Decimal
V2 = DATA / "store" / "v2.db"
V3 = DATA / "store" / "v3.db"
ROOT = Path(__file__).parent.parent


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return list(db.execute(sql))


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    """A copy of the schema-2 store written by cchc before revisions (tests/data/store)."""
    path = tmp_path / "cchc.db"
    shutil.copy(V2, path)
    return path


def test_a_schema_2_store_is_migrated_and_reads_back_as_it_was_stored(old_store: Path) -> None:
    assert rows(old_store, "SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
    before = {
        (r[0], r[1]): r[2:]
        for r in rows(
            old_store, "SELECT year, code, points, max, bonus, penalty, idx, band, rank FROM units"
        )
    }
    inner = rows(old_store, "SELECT year, unit, item, points, max, sub_index FROM nodes")
    assert store.years(old_store) == [2023, 2024]  # reading migrates first
    assert rows(old_store, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(schema.SCHEMA_VERSION),)
    ]
    # As scored by cchc 0.1.0: X01 14.12 of 20 + 1 bonus − 0.5 penalty → 73.10 (test_pipeline);
    # U1 2023 13.5 of 23 → 58.70 (tests/pair.py).
    assert before[(2024, "X01")] == ("14.12", "20.0", "1", "0.50", "73.10", "Khá", 1)
    assert before[(2023, "U1")] == ("13.5", "23", "0", "0", "58.70", "Yếu", 2)
    for year in (2023, 2024):
        run = store.load_run(old_store, year)
        assert run is not None
        for unit in run.units:
            t = unit.totals
            stored = (str(t.points), str(t.max), str(t.bonus), str(t.penalty))
            figures = (*stored, str(t.index), t.band, t.rank)
            assert figures == before[(year, unit.unit.code)]
            for y, code, item, points, top, sub_index in inner:
                if (y, code) == (year, unit.unit.code):
                    node = t.nodes[str(item)]
                    assert (str(node.points), str(node.max)) == (points, top)
                    assert node.index == (None if sub_index is None else D(str(sub_index)))
    x01 = store.load_run(old_store, 2024)
    assert x01 is not None
    leaf = x01.unit("X01").leaves["2.1"]  # type: ignore[union-attr]
    assert leaf.layers == {"self": D("2.67")} and "89" in leaf.trace["inputs"]
    # a leaf's node, which schema 2 did not keep: 2.67 of 3 → 89.00
    assert x01.unit("X01").totals.nodes["2.1"].index == D("89.00")  # type: ignore[union-attr]
    [revision] = store.history(old_store, 2024)
    assert (revision.rev, revision.how, revision.current) == (1, "migrated", True)
    assert (revision.units, revision.files, revision.surveyed) == (2, 1, 1)
    assert len(store.load_official(old_store, 2024)["X01"]) == 15
    with store.reading(old_store) as db:
        assert store.survey_values(db, 2024)["mini"]["X01"]["3.1"].points == D("2.4")


def test_a_schema_3_store_gains_the_official_results_and_keeps_every_run(tmp_path: Path) -> None:
    path = tmp_path / "cchc.db"
    shutil.copy(V3, path)
    runs_before = rows(path, "SELECT year, rev, how, units FROM runs ORDER BY rev")
    units_before = rows(path, "SELECT year, rev, code, idx, band, rank FROM units ORDER BY rowid")
    assert runs_before == [(2024, 1, "score", 2), (2024, 2, "score", 2)]
    assert store.years(path) == [2024]  # reading migrates first
    assert rows(path, "SELECT value FROM meta WHERE key = 'schema_version'") == [("4",)]
    assert rows(path, "SELECT year, rev, how, units FROM runs ORDER BY rev") == runs_before
    after = rows(path, "SELECT year, rev, code, idx, band, rank FROM units ORDER BY rowid")
    assert after == units_before
    # as scored then: X01 14.62 of 20 with 1 bonus − 0.5 penalty → 73.10, Khá
    assert (2024, 2, "X01", "73.10", "Khá", 1) in after
    assert rows(path, "SELECT count(*) FROM official_runs") == [(0,)]
    assert rows(path, "SELECT count(*) FROM official") == [(27,)]
    assert store.load_official_run(path, 2024) is None
    [one, two] = store.history(path, 2024)
    assert (one.current, two.current) == (False, True)


def test_an_official_result_is_a_revision_of_its_own_never_replaced_by_mistake(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cchc.db"
    shutil.copy(V3, path)
    scored = store.load_run(path, 2024)
    assert scored is not None
    official = store.load_run(path, 2024)
    assert official is not None
    official.result, official.source = "official", "bang-2024.xlsx"
    with store.writing(path) as db:
        assert store.save_official_run(db, official) == 3
    with store.writing(path) as db, pytest.raises(store.StoreError, match="--replace"):
        store.save_official_run(db, official)
    with store.writing(path) as db:
        assert store.save_official_run(db, official, replace=True) == 4
        with pytest.raises(store.StoreError, match="kết quả chính thức"):
            store.restore(db, 2024, 4)
    again = store.load_official_run(path, 2024)
    assert again is not None and (again.result, again.source) == ("official", "bang-2024.xlsx")
    assert again.result_line() == (
        "Dùng kết quả chính thức năm 2024 do cấp trên công bố (nhập từ bang-2024.xlsx)"
    )
    current = store.load_run(path, 2024)
    assert current is not None and current.result == "cchc"  # the scored run stays current
    assert [(r.rev, r.how, r.current) for r in store.history(path, 2024)] == [
        (1, "score", False),
        (2, "score", True),
        (3, "official", False),
        (4, "official", False),
    ]
    assert store.official_years(path) == [2024]


def test_a_failed_migration_leaves_the_old_store_as_it_was(
    old_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = old_store.read_bytes()

    def broken(db: sqlite3.Connection, year: int) -> None:
        raise RuntimeError("hỏng giữa chừng")

    monkeypatch.setattr(schema, "_nodes_v2", broken)
    with pytest.raises(RuntimeError):
        store.years(old_store)
    assert rows(old_store, "SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
    assert rows(old_store, "SELECT count(*) FROM units") == [(4,)]
    monkeypatch.undo()
    assert store.years(old_store) == [2023, 2024]
    assert before != old_store.read_bytes()


def test_a_schema_1_store_holding_only_its_meta_gets_the_tables(tmp_path: Path) -> None:
    path = tmp_path / "cchc.db"
    with closing(sqlite3.connect(path)) as db, db:  # what the first cchc init wrote
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    assert store.years(path) == []
    assert rows(path, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(schema.SCHEMA_VERSION),)
    ]


def test_a_store_of_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cchc.db"
    store.create(path)
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    before = path.read_bytes()
    with pytest.raises(store.StoreError, match="lược đồ 9"):
        store.years(path)
    with pytest.raises(store.StoreError, match="cập nhật cchc"), store.writing(path):
        pass
    assert path.read_bytes() == before


def test_every_run_is_a_revision_and_one_can_be_restored(tmp_path: Path) -> None:
    path = tmp_path / "cchc.db"
    store.create(path)
    old, new = pair_runs()
    with store.writing(path) as db:
        assert store.save_run(db, old) == 1
    new.year = 2023  # the same year scored again, on the other set
    with store.writing(path) as db:
        assert store.save_run(db, new) == 2
    assert [(r.rev, r.current) for r in store.history(path, 2023)] == [(1, False), (2, True)]
    now = store.load_run(path, 2023)
    assert now is not None and now.unit("U1").totals.index == new.units[0].totals.index  # type: ignore[union-attr]
    with store.writing(path) as db:
        store.restore(db, 2023, 1)
        with pytest.raises(store.StoreError, match="không có lần chấm 5 \\(các lần chấm: 1, 2\\)"):
            store.restore(db, 2023, 5)
    back = store.load_run(path, 2023)
    assert back is not None
    # U1 2023: 13.5 of 23 → 58.70 (tests/pair.py), the first run's again
    assert back.unit("U1").totals.index == D("58.70")  # type: ignore[union-attr]
    assert store.indices(path, 2023) == {"U1": D("58.70"), "U2": D("100.00")}
    assert [r.current for r in store.history(path, 2023)] == [True, False]


LATER = """
import json, sys
from decimal import Decimal
from pathlib import Path
import cchc.core.numbers, cchc.scoring.index, cchc.scoring.rules
from cchc.commands.score import run_json
from cchc.store import db as store

# A later version: proportional rules give nothing, the index is rounded to whole numbers.
cchc.scoring.rules._proportional = lambda item, rule, percent: Decimal(0)
whole = lambda value, places=2: cchc.core.numbers.round_points(value, 0)
cchc.scoring.index.round_points = whole
run = store.load_run(Path(sys.argv[1]), 2024)
print(json.dumps(run_json(run), ensure_ascii=False))
"""


def test_a_stored_run_does_not_follow_later_code_or_set_files(tmp_path: Path) -> None:
    from cchc.criteria.loader import load_file
    from tests.test_cli import run
    from tests.test_cli_scoring import UNITS
    from tests.workbooks import MINI_X01, XA, filled

    root = tmp_path / "ws"
    assert run("init", str(root), "--province", "Tỉnh Thử")[0] == 0
    shutil.copy(DATA / "sets" / "mini-2024.yaml", root / "sets")
    (root / "don-vi.yaml").write_text(UNITS, encoding="utf-8")
    mini = load_file(DATA / "sets" / "mini-2024.yaml").set
    assert mini is not None
    filled(mini, XA, MINI_X01, root / "nop" / "X01.xlsx")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--json")
    assert code == 0, out
    scored = json.loads(out)
    x01 = next(u for u in scored["units"] if u["code"] == "X01")
    assert (x01["index"], x01["band"], x01["domains"]) == (
        "71.47",
        "Khá",
        {"1": "71.88", "2": "63.86"},
    )
    # the set file changes too: every band cut-off raised
    set_file = root / "sets" / "mini-2024.yaml"
    set_file.write_text(
        set_file.read_text(encoding="utf-8").replace("min: 65", "min: 75"), encoding="utf-8"
    )
    later = subprocess.run(
        [sys.executable, "-c", LATER, str(root / "cchc.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    del scored["results"], scored["revision"], scored["replaced"]
    assert json.loads(later.stdout) == scored


def test_a_damaged_store_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "cchc.db"
    store.create(path)
    with store.writing(path) as db:
        store.save_run(db, pair_runs()[0])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a copy cut short
    half = path.read_bytes()
    for action in (lambda: store.years(path), lambda: store.writing(path).__enter__()):
        with pytest.raises(store.StoreDamaged) as caught:
            action()
        message = str(caught.value)
        assert "bị cắt cụt" in message and "cchc.db.bak" in message
        assert "không đọc và không ghi" in message
    assert path.read_bytes() == half
    # every page but the first overwritten at its start: the header is whole, the pages not
    broken = bytearray(data)
    for start in range(4096, len(data), 4096):
        broken[start : start + 8] = b"\xff" * 8
    path.write_bytes(bytes(broken))
    with pytest.raises(store.StoreDamaged, match="bị hỏng"):
        store.load_run(path, 2023)
    assert path.read_bytes() == bytes(broken)
    # the copy the store kept restores it
    shutil.copy(tmp_path / "cchc.db.bak", path)
    assert store.years(path) == [2023]


def test_a_temporary_store_journal_left_by_a_killed_init_is_removed(tmp_path: Path) -> None:
    orphan = tmp_path / ".cchc.db.k1ll3d.cchc.tmp-journal"
    orphan.write_bytes(b"left by a killed init")
    init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    assert not orphan.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cchc.db",
        "cchc.toml",
        "don-vi.yaml",
        "sets",
    ]


def test_a_partial_run_gets_each_units_scores_as_stored_when_asked(tmp_path: Path) -> None:
    """A run loaded without its scores has every unit's totals and none of its leaves or
    nodes; filling a unit gives it exactly what the whole run has, and no other unit."""
    path = tmp_path / "cchc.db"
    store.create(path)
    old, new = pair_runs()
    with store.writing(path) as db:
        store.save_run(db, old)
        store.save_run(db, new)
    whole = store.load_run(path, 2024)
    partial = store.load_run(path, 2024, scores=False)
    assert whole is not None and partial is not None
    assert (whole.partial, partial.partial, partial.rev) == (False, True, 1)
    u1, u2 = (partial.unit(c) for c in ("U1", "U2"))
    assert u1 is not None and u2 is not None
    # U1 2024 (tests/pair.py): its totals are there, its leaves and nodes not yet
    assert u1.totals.index == whole.unit("U1").totals.index  # type: ignore[union-attr]
    assert (u1.leaves, u1.totals.nodes, u2.leaves) == ({}, {}, {})
    store.fill_scores(path, partial, ["U1"])
    full = whole.unit("U1")
    assert full is not None and len(full.leaves) > 5
    assert u1.leaves == full.leaves and u1.totals.nodes == full.totals.nodes
    assert u1.leaves[next(iter(full.leaves))].trace == next(iter(full.leaves.values())).trace
    assert (u2.leaves, u2.totals.nodes) == ({}, {})
    store.fill_scores(path, partial, ["U2"], traces=False)
    assert all(not leaf.trace for leaf in u2.leaves.values()) and u2.totals.nodes
