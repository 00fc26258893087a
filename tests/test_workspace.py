"""Workspace folder: init, open, find, and refusals."""

from __future__ import annotations

import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path

import pytest

from cchc.criteria.catalog import bundled_dir
from cchc.store import db as store
from cchc.store.workspace import (
    WorkspaceError,
    find_workspace,
    init_workspace,
    open_workspace,
)


def db_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return list(db.execute(sql))


PROVINCE = 'Tỉnh Hà Tĩnh "mẫu" \\ thử'


def test_init_then_open_round_trip(tmp_path: Path) -> None:
    root = tmp_path / "ha-tinh"
    created = init_workspace(root, PROVINCE, ["cchc-xa"])
    opened = open_workspace(root)
    assert opened == created
    assert opened.root == root.resolve()
    assert opened.province == PROVINCE
    assert opened.default_sets == ("cchc-xa",)
    assert opened.units_path == root.resolve() / "don-vi.yaml"
    assert opened.sets_dir == root.resolve() / "sets"
    assert opened.db_path == root.resolve() / "cchc.db"


def test_config_is_valid_toml(tmp_path: Path) -> None:
    init_workspace(tmp_path, PROVINCE, ["cchc-xa"])
    config = tomllib.loads((tmp_path / "cchc.toml").read_text(encoding="utf-8"))
    assert config == {
        "version": 1,
        "province": PROVINCE,
        "default_sets": ["cchc-xa"],
        "units": "don-vi.yaml",
    }


def test_init_copies_every_year_of_the_set(tmp_path: Path) -> None:
    workspace = init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    copied = sorted(p.name for p in workspace.sets_dir.iterdir())
    assert copied == ["cchc-xa-2024.yaml", "cchc-xa-2025.yaml"]
    for name in copied:
        assert (workspace.sets_dir / name).read_bytes() == (bundled_dir() / name).read_bytes()
    assert [e.loaded.set.year for e in workspace.sets() if e.loaded.set] == [2024, 2025]


def test_sample_units_load_cleanly_against_the_sets(tmp_path: Path) -> None:
    workspace = init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    registry, issues = workspace.load_units()
    assert issues == []
    assert registry is not None and len(registry) == 3
    assert {u.group for u in registry.units} == {"xa", "phuong"}
    assert {u.set for u in registry.units} == {"cchc-xa"}


def test_workspace_units_checked_against_set_groups(tmp_path: Path) -> None:
    workspace = init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    workspace.units_path.write_text(
        "- {code: H1, name: Huyện Một, group: huyen, set: cchc-xa}\n", encoding="utf-8"
    )
    registry, issues = workspace.load_units()
    assert registry is None
    assert [i.code for i in issues] == ["unit_unknown_group"]


def test_init_creates_empty_store_with_schema_version(tmp_path: Path) -> None:
    workspace = init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    with closing(sqlite3.connect(workspace.db_path)) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    assert "meta" in tables and "units" in tables and "survey" in tables
    assert db_rows(workspace.db_path, "SELECT count(*) FROM runs") == [(0,)]
    assert version == (str(store.SCHEMA_VERSION),)


def test_refuses_to_init_twice(tmp_path: Path) -> None:
    init_workspace(tmp_path, "Tỉnh Một", ["cchc-xa"])
    before = (tmp_path / "cchc.toml").read_bytes()
    with pytest.raises(WorkspaceError, match="đã là không gian làm việc"):
        init_workspace(tmp_path, "Tỉnh Hai", ["cchc-xa"])
    assert (tmp_path / "cchc.toml").read_bytes() == before


def test_refuses_to_overwrite_existing_files(tmp_path: Path) -> None:
    (tmp_path / "cchc.db").write_bytes(b"old")
    with pytest.raises(WorkspaceError, match=r"cchc\.db"):
        init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    assert (tmp_path / "cchc.db").read_bytes() == b"old"
    assert not (tmp_path / "cchc.toml").exists()


@pytest.mark.parametrize("left", [["cchc.toml"], ["cchc.toml", "cchc.db"], ["cchc.toml", "sets"]])
def test_an_interrupted_init_is_finished_by_the_next(tmp_path: Path, left: list[str]) -> None:
    # Every file is written whole or not at all, cchc.toml last: a kill leaves a subset.
    init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    for name in left:
        path = tmp_path / name
        if path.is_dir():
            for child in path.iterdir():
                child.unlink()
                break  # one set copied of two
        else:
            path.unlink()
    workspace = init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    assert workspace.province == "Tỉnh Mẫu"
    assert sorted(p.name for p in (tmp_path / "sets").iterdir()) == sorted(
        p.name for p in bundled_dir().glob("cchc-xa*.yaml")
    )


@pytest.mark.parametrize(
    ("name", "change", "kept"),
    [
        # a store without runs, survey or results holds nothing to lose
        ("cchc.db", "INSERT INTO meta (key, value) VALUES ('x', 'y')", False),
        ("cchc.db", "INSERT INTO runs VALUES (2024, 1, 'x', 'y', 'score', '', 0, 0, 0, 0)", True),
        ("don-vi.yaml", "", True),
    ],
)
def test_what_a_user_changed_after_an_interrupted_init_is_kept(
    tmp_path: Path, name: str, change: str, kept: bool
) -> None:
    init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    (tmp_path / "cchc.toml").unlink()
    target = tmp_path / name
    if name == "cchc.db":
        with closing(sqlite3.connect(target)) as db, db:
            db.execute(change)
    else:
        target.write_text(target.read_text(encoding="utf-8") + "# sửa\n", encoding="utf-8")
    before = target.read_bytes()
    if not kept:
        init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
        assert db_rows(target, "SELECT count(*) FROM meta WHERE key = 'x'") == [(0,)]
        return
    with pytest.raises(WorkspaceError, match=name.replace(".", r"\.")):
        init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    assert target.read_bytes() == before


def test_unknown_set_creates_nothing(tmp_path: Path) -> None:
    root = tmp_path / "moi"
    with pytest.raises(WorkspaceError, match="không có bộ tiêu chí 'khong-co'"):
        init_workspace(root, "Tỉnh Mẫu", ["cchc-xa", "khong-co"])
    assert not root.exists()


@pytest.mark.parametrize(("province", "sets"), [("  ", ["cchc-xa"]), ("Tỉnh Mẫu", [])])
def test_init_needs_province_and_sets(tmp_path: Path, province: str, sets: list[str]) -> None:
    with pytest.raises(WorkspaceError):
        init_workspace(tmp_path, province, sets)
    assert list(tmp_path.iterdir()) == []


def test_find_workspace_walks_up(tmp_path: Path) -> None:
    init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    deep = tmp_path / "2025" / "nop"
    deep.mkdir(parents=True)
    assert find_workspace(deep) == tmp_path.resolve()
    assert find_workspace(tmp_path / "sets" / "cchc-xa-2024.yaml") == tmp_path.resolve()


def test_find_workspace_none(tmp_path: Path) -> None:
    assert find_workspace(tmp_path) is None


def test_open_without_config(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match=r"thiếu cchc\.toml"):
        open_workspace(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("province = \n", "cú pháp TOML"),
        ('units = "don-vi.yaml"\n', "thiếu 'province'"),
        ('province = "T"\nunits = "u.yaml"\ndefault_sets = "cchc-xa"\n', "default_sets"),
        ('version = 9\nprovince = "T"\nunits = "u.yaml"\n', "phiên bản 9"),
    ],
)
def test_open_bad_config(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "cchc.toml").write_text(text, encoding="utf-8")
    with pytest.raises(WorkspaceError, match=message):
        open_workspace(tmp_path)


def test_units_path_may_be_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "cchc.toml").write_text(
        'province = "T"\nunits = "du-lieu/don-vi.xlsx"\n', encoding="utf-8"
    )
    workspace = open_workspace(tmp_path)
    assert workspace.units_path == tmp_path.resolve() / "du-lieu" / "don-vi.xlsx"
    assert workspace.default_sets == ()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("a = " + "[" * 20_000 + "]" * 20_000 + "\n", "lồng nhau quá sâu"),
        ("# " + "x" * 100_000 + "\n", "lớn hơn 64 KB"),
    ],
)
def test_a_hostile_config_is_refused(tmp_path: Path, text: str, says: str) -> None:
    init_workspace(tmp_path, "Tỉnh Mẫu", ["cchc-xa"])
    (tmp_path / "cchc.toml").write_text(text, encoding="utf-8")
    with pytest.raises(WorkspaceError, match=says):
        open_workspace(tmp_path)
