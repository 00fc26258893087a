"""`cchc criteria list` from the cache of set summaries: the same as reading every set, re-read
on any change, never fooled by a damaged cache, a broken workspace set still reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cchc.cli.main import main
from cchc.commands.criteria_list import list_sets
from cchc.core.user_cache import cache_dir
from cchc.criteria import catalog
from cchc.criteria.catalog import INFO_TYPES, bundled_dir
from cchc.criteria.loader import load_file
from cchc.criteria.registry import require, scan
from cchc.criteria.summary import set_info


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), prog_name="cchc")
    return result.exit_code, result.output


def listing() -> tuple[str, str]:
    """The text and JSON of `criteria list` in the current folder."""
    code, text = run("criteria", "list")
    assert code == 0, text
    code, as_json = run("criteria", "list", "--json")
    assert code == 0, as_json
    return text, as_json


def no_reading(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every set read in full from now on (none, on a warm cache)."""
    read: list[Path] = []
    original = catalog._read_set

    def recorded(path: Path, raw: bytes | None) -> dict[str, Any]:
        read.append(path)
        return original(path, raw)

    monkeypatch.setattr(catalog, "_read_set", recorded)
    return read


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with the bundled commune sets, the current folder."""
    code, out = run("init", str(tmp_path / "kg"), "--province", "Tỉnh Hòa Bình", "--set", "cchc-xa")
    assert code == 0, out
    monkeypatch.chdir(tmp_path / "kg")
    return tmp_path / "kg"


def test_a_warm_cache_lists_what_reading_every_set_does(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, own_cache: Path
) -> None:
    cold = listing()
    assert list(own_cache.glob("sets-*.json")), "the cold run writes the cache"
    read = no_reading(monkeypatch)
    assert listing() == cold
    assert read == []
    rows = json.loads(cold[1])
    entries = scan([workspace / "sets", bundled_dir()])
    assert [row["path"] for row in rows] == [str(e.path) for e in entries]
    for row, entry in zip(rows, entries, strict=True):
        assert row == {
            **set_info(require(entry.loaded)),
            "path": str(entry.path),
            "ok": True,
            "workspace": entry.path.parent == workspace / "sets",
        }


def test_a_changed_file_is_read_again_even_with_the_same_size_and_time(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing()
    copy = workspace / "sets" / "cchc-xa-2024.yaml"
    before = copy.stat()
    text = copy.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    changed = text.replace(title, title.replace("UBND", "UBNX"))
    assert changed != text and len(changed.encode()) == len(text.encode())
    copy.write_text(changed, encoding="utf-8")
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    read = no_reading(monkeypatch)
    text_out, _ = listing()
    assert read == [copy]  # once: the second listing has it cached again
    assert "của UBNX xã, phường (mẫu)" in text_out


def test_a_new_or_removed_set_file_is_seen(workspace: Path) -> None:
    listing()
    (workspace / "sets" / "cchc-xa-2025.yaml").unlink()
    rows = json.loads(listing()[1])
    assert [r["year"] for r in rows if r["workspace"]] == [2024]
    extra = workspace / "sets" / "khac.yaml"
    extra.write_bytes((bundled_dir() / "sipas-2024.yaml").read_bytes())
    rows = json.loads(listing()[1])
    assert {r["id"] for r in rows if r["workspace"]} == {"cchc-xa", "sipas"}


@pytest.mark.parametrize(
    "damage",
    [
        b"{ not json",
        b"\xff\xfe",
        b"[]",
        json.dumps({"format": 1, "checker": "x", "sets": []}).encode(),
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_a_damaged_cache_is_ignored(workspace: Path, own_cache: Path, damage: bytes) -> None:
    cold = listing()
    for store in own_cache.glob("sets-*.json"):
        store.write_bytes(damage)
    assert listing() == cold


def test_cached_entries_of_the_wrong_shape_are_read_again(
    workspace: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = listing()
    for store in own_cache.glob("sets-*.json"):
        data = json.loads(store.read_text(encoding="utf-8"))
        for name, entry in data["sets"].items():
            if name.startswith("cchc-xa-2024"):
                entry["info"]["year"] = "2024"  # a string, not a number
            elif name.startswith("cchc-xa-2025"):
                del entry["info"]["leaves"]
            else:
                entry["ok"] = "yes"
        store.write_text(json.dumps(data), encoding="utf-8")
    read = no_reading(monkeypatch)
    assert listing() == cold
    assert len(read) == len(json.loads(cold[1]))  # every entry was spoilt: each one read again


def test_an_unwritable_cache_only_costs_time(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = listing()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("CCHC_CACHE_DIR", str(blocked))
    assert listing() == cold
    assert blocked.read_text(encoding="utf-8") == "a file where the cache folder should be"
    monkeypatch.setenv("CCHC_CACHE_DIR", "")  # no cache at all
    assert listing() == cold


def test_a_broken_workspace_set_is_reported_on_a_warm_cache(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = workspace / "sets" / "hong.yaml"
    broken.write_text("id: hong\nyear: 2025\n", encoding="utf-8")
    cold = listing()
    read = no_reading(monkeypatch)
    for text, as_json in (cold, listing()):
        assert "hong.yaml  (CÓ LỖI)" in text
        assert f"[CẢNH BÁO workspace_set_invalid] {broken}: bộ tiêu chí" in text
        row = next(r for r in json.loads(as_json) if r["path"] == str(broken))
        assert row == {"id": None, "path": str(broken), "ok": False, "workspace": True}
    assert read == []
    assert broken.read_text(encoding="utf-8") == "id: hong\nyear: 2025\n"  # inputs untouched
    assert [n.code for n in list_sets().notices] == ["workspace_set_invalid"]


def test_another_cchc_reads_every_set_again(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = listing()
    monkeypatch.setattr(catalog, "_checker_stamp", lambda: "another cchc")
    read = no_reading(monkeypatch)
    assert listing() == cold
    assert len(read) == len(json.loads(cold[1]))


def test_a_warm_listing_loads_neither_yaml_nor_pydantic(workspace: Path) -> None:
    probe = (
        "import sys\n"
        "from cchc.cli.main import main\n"
        "try:\n    main(['criteria', 'list'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'yaml', 'pydantic'}))"
    )
    for loaded in ("['pydantic', 'yaml']", "[]"):  # cold, then warm
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1] == loaded


def test_the_cached_facts_are_those_of_set_info() -> None:
    info = set_info(require(load_file(bundled_dir() / "sipas-2024.yaml")))
    assert list(info) == list(INFO_TYPES)
    assert {name: type(value) for name, value in info.items()} == INFO_TYPES


def test_the_cache_folder_of_each_system(tmp_path: Path) -> None:
    home = Path.home()
    local = str(tmp_path / "Local")
    assert cache_dir({"LOCALAPPDATA": local}, "win32") == Path(local) / "cchc" / "Cache"
    assert cache_dir({}, "win32") == home / "AppData" / "Local" / "cchc" / "Cache"
    assert cache_dir({}, "darwin") == home / "Library" / "Caches" / "cchc"
    assert cache_dir({}, "linux") == home / ".cache" / "cchc"
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path)}, "linux") == tmp_path / "cchc"
    assert cache_dir({"XDG_CACHE_HOME": "relative"}, "linux") == home / ".cache" / "cchc"
    assert cache_dir({"CCHC_CACHE_DIR": str(tmp_path)}, "win32") == tmp_path
    assert cache_dir({"CCHC_CACHE_DIR": ""}, "linux") is None
