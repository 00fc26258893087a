"""A province's own sets in a workspace: added, seen first, reported when broken, found by id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc.cli.main import main
from cchc.store.workspace import open_workspace
from tests.criteria.published import write_docx


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), prog_name="cchc")
    return result.exit_code, result.output


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with the bundled commune set, and a finished draft of a province's table."""
    code, out = run(
        "init", str(tmp_path / "kglv"), "--province", "Tỉnh Hòa Bình", "--set", "cchc-xa"
    )
    assert code == 0, out
    draft = tmp_path / "so-hb.yaml"
    code, out = run(
        "criteria",
        "import",
        str(write_docx(tmp_path / "pl.docx")),
        "--id",
        "so-hb",
        "--out",
        str(draft),
    )
    assert code == 0, out
    monkeypatch.chdir(tmp_path / "kglv")
    return tmp_path


def test_added_set_is_seen_first_by_every_command(workspace: Path) -> None:
    code, out = run("criteria", "add", str(workspace / "so-hb.yaml"))
    assert code == 0, out
    target = workspace / "kglv" / "sets" / "so-hb-2025.yaml"
    assert f"Đã thêm bộ tiêu chí so-hb 2025 → {target}" in out
    code, out = run("criteria", "list", "--json")
    rows = json.loads(out)
    assert (rows[0]["id"], rows[0]["workspace"]) == ("cchc-xa", True)
    assert {"so-hb"} == {r["id"] for r in rows if r["workspace"] and r["id"] != "cchc-xa"}
    assert run("criteria", "show", "so-hb")[0] == 0
    code, out = run("template", "--set", "so-hb", "--out", "so")
    assert code == 0, out
    assert len(list(Path("so").glob("*.xlsx"))) == 3  # the sample units file has three units
    code, out = run("criteria", "export", "so-hb", "--out", "so-hb.docx", "--format", "docx")
    assert code == 0, out


def test_workspace_set_shadows_the_bundled_one(workspace: Path) -> None:
    copy = Path("sets/cchc-xa-2024.yaml")
    text = copy.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    copy.write_text(text.replace(title, "title: Bộ của tỉnh"), encoding="utf-8")
    code, out = run("criteria", "show", "cchc-xa", "--year", "2024", "--json")
    assert code == 0 and json.loads(out)["set"]["title"] == "Bộ của tỉnh"


def test_broken_workspace_set_is_reported(workspace: Path) -> None:
    Path("sets/hong.yaml").write_text("id: hong\nyear: 2025\n", encoding="utf-8")
    code, out = run("criteria", "list")
    assert code == 0 and "hong.yaml  (CÓ LỖI)" in out
    assert "[CẢNH BÁO workspace_set_invalid]" in out
    code, out = run("template", "--set", "cchc-xa", "--out", "so")
    assert code == 0 and "[CẢNH BÁO workspace_set_invalid]" in out and "hong.yaml" in out


def test_unknown_id_gets_the_known_ids_and_the_nearest(workspace: Path) -> None:
    run("criteria", "add", str(workspace / "so-hb.yaml"))
    code, out = run("template", "--set", "so-hbb", "--out", "so")
    assert code == 2
    assert "không tìm thấy bộ tiêu chí 'so-hbb'" in out
    assert "các bộ đã có: cchc-so, cchc-xa, par-tinh, sipas, so-hb" in out
    assert "gần nhất: 'so-hb'" in out


def test_add_refuses_a_set_with_errors_or_a_different_one_without_replace(workspace: Path) -> None:
    broken = workspace / "hong.yaml"
    broken.write_text("id: hong\nyear: 2025\n", encoding="utf-8")
    code, out = run("criteria", "add", str(broken))
    assert code == 2 and "[LỖI missing_field]" in out
    assert not Path("sets/hong-2025.yaml").exists()
    assert run("criteria", "add", str(workspace / "so-hb.yaml"))[0] == 0
    changed = workspace / "so-hb-moi.yaml"
    changed.write_text(
        (workspace / "so-hb.yaml")
        .read_text(encoding="utf-8")
        .replace("status: sample", "status: official"),
        encoding="utf-8",
    )
    code, out = run("criteria", "add", str(changed))
    assert code == 2 and "dùng --replace" in out
    code, out = run("criteria", "add", str(changed), "--replace")
    assert code == 0 and "Đã thay" in out
    assert "status: official" in Path("sets/so-hb-2025.yaml").read_text(encoding="utf-8")


def test_init_with_a_set_file(tmp_path: Path) -> None:
    draft = tmp_path / "so-hb.yaml"
    run(
        "criteria",
        "import",
        str(write_docx(tmp_path / "pl.docx")),
        "--id",
        "so-hb",
        "--out",
        str(draft),
    )
    code, out = run("init", str(tmp_path / "k"), "--province", "Tỉnh Hòa Bình", "--set", str(draft))
    assert code == 0, out
    workspace = open_workspace(tmp_path / "k")
    assert workspace.default_sets == ("so-hb",)
    assert [e.loaded.set.id for e in workspace.sets() if e.loaded.set] == ["so-hb"]


def test_a_broken_workspace_config_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cchc.toml").write_text("version = [", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out = run("criteria", "show", "cchc-xa")
    assert code == 2 and "Lỗi: " in out and "không đúng cú pháp TOML" in out


def test_a_provinces_first_day_from_the_readme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Import the annex, finish the draft, make a workspace with it, templates, score, plan."""
    monkeypatch.chdir(tmp_path)
    write_docx(tmp_path / "phu-luc.docx")
    code, out = run(
        "criteria", "import", "phu-luc.docx", "--id", "so-hb", "--out", "so-hb-2025.yaml"
    )
    assert code == 0, out
    draft = tmp_path / "so-hb-2025.yaml"
    bands = "status: sample\nbands:\n- {label: Tốt, min: 80}\n- {label: Khá, min: 0}"
    draft.write_text(draft.read_text(encoding="utf-8").replace("status: sample", bands), "utf-8")
    assert run("criteria", "check", str(draft)) == (0, f"{draft}: hợp lệ\n")
    code, out = run("init", "kglv", "--province", "Tỉnh Hòa Bình", "--set", str(draft))
    assert code == 0, out
    monkeypatch.chdir(tmp_path / "kglv")
    code, out = run("template", "--set", "so-hb", "--out", "so")
    assert code == 0 and "Đã tạo 3 sổ tự đánh giá" in out, out
    code, out = run("score", "so", "--year", "2025")  # unfilled: every input missing, still scored
    assert (tmp_path / "kglv" / "ket-qua-2025.xlsx").is_file(), out
    code, out = run("plan", "--all", "--year", "2025", "--out", "kh")
    assert code == 0, out
    assert (tmp_path / "kglv" / "kh" / "SO-01" / "phu-luc-2-2025.docx").is_file()
