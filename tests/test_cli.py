"""The command line: Vietnamese help, --json equal to the library result, exit codes."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc import __version__
from cchc.cli.main import main
from cchc.commands.criteria_list import list_sets
from cchc.criteria.loader import load_file
from cchc.criteria.model import CriteriaSet
from cchc.criteria.registry import find_set, require, scan
from cchc.criteria.summary import check_report, outline, set_info
from cchc.store import db as store
from tests.conftest import DATA

MINI = str(DATA / "sets" / "mini-2024.yaml")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), prog_name="cchc")
    return result.exit_code, result.output


def test_version_and_vietnamese_help() -> None:
    assert run("--version") == (0, f"cchc, phiên bản {__version__}\n")
    code, out = run("--help")
    assert code == 0
    assert "Cách dùng: cchc [TÙY CHỌN] LỆNH" in out
    assert "Hiện hướng dẫn này và thoát." in out
    assert "Bộ tiêu chí: liệt kê, xem, kiểm tra, nhập, xuất." in out


def test_list_json_equals_library() -> None:
    code, out = run("criteria", "list", "--json")
    assert code == 0
    assert json.loads(out) == list_sets().to_json()


def test_show_json_equals_library() -> None:
    code, out = run("criteria", "show", MINI, "--json")
    assert code == 0
    mini = require(load_file(MINI))
    assert json.loads(out) == {
        "set": set_info(mini),
        "items": [row.to_json() for row in outline(mini)],
    }


def test_show_text_has_tree_maxima_and_rules() -> None:
    code, out = run("criteria", "show", MINI)
    assert code == 0
    assert "  1.1 Kế hoạch CCHC năm [4]" in out
    assert "    1.2.2 Tỷ lệ cán bộ được tập huấn [1,5]  — Tỷ lệ (%)" in out


def test_show_by_id_and_year() -> None:
    bundled = [e.loaded.set for e in scan() if e.loaded.set is not None]
    first = bundled[0]
    code, out = run("criteria", "show", first.id, "--year", str(first.year), "--json")
    assert code == 0
    assert json.loads(out)["set"] == set_info(require(find_set(first.id, first.year)))
    code, out = run("criteria", "show", "khong-ton-tai")
    assert code == 2
    assert "Lỗi: không tìm thấy bộ tiêu chí 'khong-ton-tai'" in out


def test_check_json_and_exit_codes() -> None:
    broken = str(DATA / "broken" / "09-scale.yaml")
    code, out = run("criteria", "check", MINI, broken, "--json")
    assert code == 1
    assert json.loads(out) == [check_report(load_file(MINI)), check_report(load_file(broken))]
    assert run("criteria", "check", MINI)[0] == 0


def test_export_then_import(tmp_path: Path) -> None:
    xlsx = tmp_path / "mini.xlsx"
    assert run("criteria", "export", MINI, "--format", "xlsx", "--out", str(xlsx))[0] == 0
    assert (
        run("criteria", "export", MINI, "--format", "docx", "--out", str(tmp_path / "m.docx"))[0]
        == 0
    )
    out_yaml = tmp_path / "mini.yaml"
    code, out = run("criteria", "import", str(xlsx), "--out", str(out_yaml))
    assert code == 0, out
    assert load_file(out_yaml).ok


def test_demo_runs(tmp_path: Path) -> None:
    code, out = run("demo", str(tmp_path / "demo"))
    assert code == 0, out
    assert "giống hệt bản gốc" in out
    assert "KHÁC" not in out and "CÓ LỖI" not in out
    # the planted mistakes are found, with their cells
    assert "[na_not_allowed]" in out and "[wrong_type]" in out and "[missing_input]" in out
    assert "chưa nộp: P003" in out
    assert (tmp_path / "demo" / "kiem-tra-2024.xlsx").is_file()
    assert "Nhập bảng tiêu chí của tỉnh từ phụ lục Word (cchc criteria import): xong" in out
    assert load_file(tmp_path / "demo" / "bo-tieu-chi" / "xa-bk-2025.yaml").ok
    # the evidence the units cite is checked: each planted evidence mistake is found
    evidence = ("outside_year", "doc_type", "file_missing", "missing", "shared_file")
    assert all(f"[evidence_{code}]" in out for code in evidence)
    assert (tmp_path / "demo" / "tai-lieu-kiem-chung-2024.xlsx").is_file()
    # hostile files are refused one by one, the good workbook beside them is still read
    hostile = {line.split(" — ")[0].strip(): line for line in out.splitlines() if " — " in line}
    assert "→ đọc bình thường" in hostile["X001 - UBND xã Tân Lập - 2024.xlsx"]
    for name, refused in [
        ("o-cuoi-cung.xlsx", "workbook_too_large"),
        ("bom-nen.xlsx", "workbook_too_large"),
        ("chuoi-ky-tu.xlsx", "workbook_corrupt"),
        ("bao-cao.xlsx", "workbook_corrupt"),
        ("lien-ket.xlsx", "link_outside"),
    ]:
        assert f"→ [{refused}]" in hostile[name]
    assert list((tmp_path / "demo" / "bo-tieu-chi").glob("*.docx"))
    # two years scored, surveyed, appraised and stored
    assert out.count("chỉ số SIPAS") == 6 and "[survey_" not in out
    assert "Chênh lệch tự chấm – thẩm định: 2 mục" in out
    assert "so với năm trước" in out
    for year in (2024, 2025):
        assert (tmp_path / "demo" / "ket-qua" / f"ket-qua-{year}.xlsx").is_file()
    db = tmp_path / "demo" / "khong-gian-lam-viec" / "cchc.db"
    assert store.years(db) == [2024, 2025]
    # the comparison through the crosswalk, X001's plan, the charts and the report
    assert "Đối chiếu bộ tiêu chí: 3 mục đổi mã, 1 mục gộp, 3 mục mới, 2 mục bỏ" in out
    assert "Nhập kết quả chính thức năm 2024 do tỉnh công bố: xong" in out
    official = "Dùng kết quả chính thức năm 2024 do cấp trên công bố (nhập từ cong-bo-2024.xlsx)"
    assert out.count(official) == 2  # the comparison and the plan are built on it
    assert store.official_years(db) == [2024]
    assert (tmp_path / "demo" / "ket-qua" / "so-sanh-2024-2025.xlsx").is_file()
    plan = tmp_path / "demo" / "ke-hoach" / "X001"
    assert sorted(p.suffix for p in plan.iterdir()) == [".docx"] * 3 + [".xlsx"] * 2
    assert "Phòng Nội vụ: duy trì" in out
    assert len(list((tmp_path / "demo" / "bieu-do").glob("*.svg"))) == 6
    assert (tmp_path / "demo" / "bao-cao" / "bao-cao-2025.html").is_file()
    shutil.rmtree(tmp_path / "demo")


def test_init_template_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cchc.templates.collect import check_folder
    from cchc.units.read import load_units

    code, out = run("init", str(tmp_path / "ws"), "--province", "Tỉnh Thử")
    assert code == 0, out
    assert run("init", str(tmp_path / "ws"), "--province", "Tỉnh Thử")[0] == 2  # refused twice
    monkeypatch.chdir(tmp_path / "ws")  # inside the workspace: its units and sets are used
    code, out = run("template", "--set", "cchc-xa", "--year", "2024", "--out", "nop")
    assert code == 0, out
    registry, _ = load_units(tmp_path / "ws" / "don-vi.yaml")
    assert registry is not None
    assert len(list((tmp_path / "ws" / "nop").glob("*.xlsx"))) == len(registry)
    code, out = run("check", "nop", "--year", "2024", "--json", "--out", "ket-qua")
    assert code == 1  # the templates are empty: every input is missing
    report = check_folder(
        Path("nop"),
        2024,
        list(registry.units),
        bundled,
    )
    assert json.loads(out) == report.to_json()
    assert (tmp_path / "ws" / "ket-qua" / "kiem-tra-2024.xlsx").is_file()


def bundled(ref: str, year: int | None) -> CriteriaSet:
    """The bundled set (a module-level function: spawned workers can be handed it)."""
    return require(find_set(ref, year))


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (errno.ENOSPC, "ổ đĩa đã đầy"),
        (errno.EROFS, "ổ đĩa chỉ cho phép đọc"),
        (
            errno.EACCES,
            "tệp đang mở trong chương trình khác (Excel, Word…) hoặc không có quyền "
            "ghi; hãy đóng tệp rồi chạy lại lệnh",
        ),  # retried first: on Windows, a file held open
    ],
)
def test_a_machine_fault_on_output_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, reason: str
) -> None:
    """A full disk or a read-only folder: one Vietnamese line with the path, exit 2, no file."""

    def refuse(source: str, target: str | Path) -> None:
        raise OSError(number, os.strerror(number), str(target))

    monkeypatch.setattr(os, "replace", refuse)
    out_dir = tmp_path / "nop"
    code, out = run("template", "--set", "cchc-xa", "--year", "2024", "--out", str(out_dir))
    assert code == 2
    (line,) = [text for text in out.splitlines() if text.startswith("Lỗi:")]
    assert line.startswith(("Lỗi: không đọc/ghi được '" + str(out_dir), "Lỗi: không ghi được tệp"))
    assert str(out_dir) in line and line.endswith(f": {reason}")
    assert "Traceback" not in out
    assert [p.name for p in out_dir.rglob("*") if p.is_file()] == []
