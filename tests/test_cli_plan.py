"""`cchc compare` and `cchc plan` in a workspace holding two hand-scored years."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from cchc.reports.compare_xlsx import ITEMS, UNITS
from cchc.scoring.compare import compare_years, comparison_data
from tests.pair import pair_runs, pair_workspace
from tests.test_cli import run


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = pair_workspace(tmp_path)
    monkeypatch.chdir(root)
    return root


def test_compare_json_table_and_workbook(workspace: Path) -> None:
    code, out = run("compare", "--from", "2023", "--to", "2024", "--out", "ra", "--json")
    assert code == 0, out
    before, now = pair_runs()
    target = str(Path("ra") / "so-sanh-2023-2024.xlsx")
    assert json.loads(out) == comparison_data(compare_years(before, now)) | {"workbook": target}
    book = load_workbook(workspace / target, read_only=True)
    units = [row for row in book[UNITS].iter_rows(values_only=True) if row[0] in ("U1", "U2")]
    assert [(r[0], r[2], r[5], r[8]) for r in units] == [
        ("U1", 58.7, 65.83, 7.13),
        ("U2", 100, 0, -100),
    ]
    statuses = {
        (row[0], row[1], row[3]): row[11]
        for row in book[ITEMS].iter_rows(values_only=True)
        if row[0] == "U1"
    }
    assert statuses[("U1", "1.2", "1.2, 1.3")] == "Mới đạt điểm tối đa"
    assert statuses[("U1", None, "2.3")] == "Đã bỏ"

    code, out = run("compare", "--from", "2023", "--to", "2024", "--unit", "U1", "--out", "ra")
    assert code == 0, out
    assert "58,70% – Yếu – hạng 2/2" in out and "65,83% – Khá – hạng 1/2" in out
    assert "+7,13 điểm %, +1 bậc" in out
    assert "gộp 1.2 + 1.3" in out and "Không so sánh được" in out
    assert run("compare", "--from", "2024", "--to", "2023")[0] == 2
    assert "chưa có kết quả chấm năm 2022" in run("compare", "--from", "2022", "--to", "2024")[1]


def test_plan_one_unit_and_all(workspace: Path) -> None:
    (workspace / "phan-cong.csv").write_text(
        "Mã,Cơ quan chủ trì,Cơ quan phối hợp\n2,Công chức Tư pháp,Bộ phận một cửa\n",
        encoding="utf-8",
    )
    code, out = run(
        "plan", "--unit", "U1", "--year", "2024", "--owners", "phan-cong.csv",
        "--number", "12/KH-UBND", "--date", "15/01/2025", "--out", "kh",
    )  # fmt: skip
    assert code == 0, out
    assert "Phụ lục 1 4 mục, Phụ lục 2 6 mục (mất 7 điểm)" in out
    names = sorted(p.name for p in (workspace / "kh").iterdir())
    assert names == [
        "ke-hoach-2024.docx",
        "phu-luc-1-2024.docx",
        "phu-luc-1-2024.xlsx",
        "phu-luc-2-2024.docx",
        "phu-luc-2-2024.xlsx",
    ]
    text = "\n".join(
        p.text for p in Document(str(workspace / "kh" / "ke-hoach-2024.docx")).paragraphs
    )
    assert "Số: 12/KH-UBND" in text or "12/KH-UBND" in text
    assert "65,83%" in text and "58,70%" in text and "xếp thứ 1/2" in text
    table_text = " ".join(
        cell.text
        for table in Document(str(workspace / "kh" / "phu-luc-2-2024.docx")).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Công chức Tư pháp" in table_text and "Bộ phận một cửa" in table_text

    code, out = run(
        "plan", "--unit", "U1", "--year", "2024", "--report-by", "31.10.2025",
        "--report-to", "UBND tỉnh Thử", "--coordinator", "Công chức Văn phòng", "--out", "kh2",
    )  # fmt: skip
    assert code == 0, out
    body = [p.text for p in Document(str(workspace / "kh2" / "ke-hoach-2024.docx")).paragraphs]
    assert (
        "Công chức Văn phòng theo dõi, đôn đốc việc thực hiện Kế hoạch; tổng hợp kết quả, báo "
        "cáo Chủ tịch UBND xã Tân Lập trước ngày 31/10/2025; tham mưu UBND xã Tân Lập báo cáo "
        "UBND tỉnh Thử (qua Sở Nội vụ) kết quả thực hiện cùng báo cáo công tác cải cách hành chính "
        "năm 2025."
    ) in body

    code, out = run("plan", "--all", "--year", "2024", "--out", "tat-ca", "--json", "--jobs", "1")
    assert code == 0, out
    files = json.loads(out)["files"]
    assert sorted(files) == ["U1", "U2"] and all(len(f) == 5 for f in files.values())
    assert all(Path(f).parent.name == unit for unit, fs in files.items() for f in fs)
    assert run("plan", "--year", "2024", "--out", "x")[0] == 2
    code, out = run("plan", "--unit", "U9", "--year", "2024", "--out", "x")
    assert code == 2 and "U9" in out


def _contents(folder: Path) -> dict[str, object]:
    """Every plan file's text (Word: paragraphs and table cells) or cells (Excel), by path."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*.*")):
        name = str(path.relative_to(folder))
        if path.suffix == ".docx":
            document = Document(str(path))
            cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
            found[name] = [p.text for p in document.paragraphs] + cells
        else:
            book = load_workbook(path)
            found[name] = [list(ws.values) for ws in book.worksheets]
    return found


def test_plans_load_each_units_scores_as_they_are_written(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """plan --all loads the runs without their units' scores; each unit's are loaded by the
    process that plans it (one unit at a time here, in two workers): the plans are those of
    the whole runs, loaded first, written here."""
    from cchc.commands import plan as plan_command
    from cchc.reports import plan_files

    monkeypatch.setattr(plan_files, "FILL_AT_ONCE", 1)
    monkeypatch.setattr(plan_files, "PARALLEL_FROM", 1)
    assert run("plan", "--all", "--year", "2024", "--out", "tung-phan", "--jobs", "2")[0] == 0
    whole_runs = plan_command.plan_runs
    monkeypatch.setattr(
        plan_command, "plan_runs", lambda session, request, scores: whole_runs(session, request)
    )
    monkeypatch.setattr(plan_files, "PARALLEL_FROM", 1000)
    assert run("plan", "--all", "--year", "2024", "--out", "ca-hai", "--jobs", "2")[0] == 0
    partial, whole = _contents(workspace / "tung-phan"), _contents(workspace / "ca-hai")
    assert len(whole) == 2 * 5 and partial == whole
    # the comparison with 2023 came from the year before, loaded for each unit too
    assert any("58,70%" in text for text in whole["U1/ke-hoach-2024.docx"])  # type: ignore[attr-defined]
