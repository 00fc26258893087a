"""`cchc results import` in a workspace, and compare, plan, chart, report on the official result.

The pair sets (tests/data/sets/pair): 2023 has domain 1 max 6, domain 2 max 13, domain 3 (survey)
max 4, 23 in all; bands Tốt ≥ 80, Khá ≥ 65, Yếu. The stored runs (tests/pair.py): U1 2023
58.70 Yếu second, U2 2023 100 Tốt first; U1 2024 65.83.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document

from cchc.reports.compare_xlsx import UNITS
from cchc.store import db as store
from tests.pair import pair_workspace
from tests.test_cli import run

# U1: 4.5 + 9.25 + 3.125 = 16.875 of 23 → 73.3695… → 73.37, Khá, second;
# U2: 6 + 12.5 + 3.75 = 22.25 of 23 → 96.7391… → 96.74, Tốt, first
PUBLISHED: list[list[Any]] = [
    ["KẾT QUẢ CHỈ SỐ CCHC NĂM 2023 CỦA CÁC XÃ"],
    [],
    ["STT", "Tên đơn vị", "LV1", "LV2", "LV3", "Tổng điểm", "Chỉ số (%)", "Xếp hạng"],
    [1, "Xã Đồng Tâm", 6, 12.5, 3.75, 22.25, 96.74, 1],
    [2, "UBND xã Tân Lập", 4.5, 9.25, 3.125, 16.875, 73.37, 2],
]


def table(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = pair_workspace(tmp_path)
    table(root / "cong-bo-2023.xlsx", PUBLISHED)
    monkeypatch.chdir(root)
    return root


def official_rev(root: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(root / "cchc.db")) as db:
        return list(db.execute("SELECT year, rev FROM official_runs"))


def test_import_refuse_a_second_import_replace_and_refuse_errors(workspace: Path) -> None:
    code, out = run("results", "import", "cong-bo-2023.xlsx", "--year", "2023")
    assert code == 0, out
    assert "Đã lưu kết quả chính thức năm 2023 (lần 2): 2 đơn vị, 6 điểm đã công bố" in out
    assert "    1  U2       Xã Đồng Tâm" in out and "96,74  Tốt" in out
    assert "    2  U1       Xã Tân Lập" in out and "73,37  Khá" in out
    assert "--result cchc" in out
    official = store.load_official_run(workspace / "cchc.db", 2023)
    assert official is not None
    u1 = official.unit("U1")
    assert u1 is not None and (u1.totals.index, u1.totals.rank) == (Decimal("73.37"), 2)
    scored = store.load_run(workspace / "cchc.db", 2023)
    assert scored is not None and scored.unit("U1").totals.index == Decimal("58.70")  # type: ignore[union-attr]

    code, out = run("results", "import", "cong-bo-2023.xlsx", "--year", "2023")
    assert code == 2 and "năm 2023 đã có kết quả chính thức (lần 2)" in out and "--replace" in out
    assert official_rev(workspace) == [(2023, 2)]
    code, out = run("results", "import", "cong-bo-2023.xlsx", "--year", "2023", "--replace")
    assert code == 0 and "thay kết quả chính thức lần 2 (vẫn giữ trong 'cchc history')" in out
    assert official_rev(workspace) == [(2023, 3)]
    code, out = run("history", "2023")
    assert code == 0 and out.count("kết quả chính thức do cấp trên công bố") == 2, out
    code, out = run("restore", "2023", "3")
    assert code == 2 and "là kết quả chính thức" in out

    bad = [*PUBLISHED, [3, "Xã Không Có", 1, 2, 3, 6, 26.09, 3]]
    table(workspace / "sai.xlsx", bad)
    code, out = run("results", "import", "sai.xlsx", "--year", "2023", "--replace", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["stored"] is False and data["rev"] is None
    [issue] = data["issues"]
    assert (issue["code"], issue["sheet"], issue["cell"]) == (
        "official_unit_unknown",
        "Sheet",
        "B6",
    )
    assert issue["message"] == "đơn vị 'Xã Không Có' không có trong danh sách đơn vị (tìm theo tên)"
    assert official_rev(workspace) == [(2023, 3)]  # nothing stored


def test_compare_plan_chart_and_report_on_the_official_result(workspace: Path) -> None:
    assert run("results", "import", "cong-bo-2023.xlsx", "--year", "2023")[0] == 0
    line_2023 = "Dùng kết quả chính thức năm 2023 do cấp trên công bố (nhập từ cong-bo-2023.xlsx)"
    code, out = run("compare", "--from", "2023", "--to", "2024", "--out", "ra")
    assert code == 0, out
    assert line_2023 in out and "Dùng kết quả cchc chấm năm 2024" in out
    # U1: 73.37 → 65.83 = −7.54
    assert "73,37" in out and "−7,54" in out
    book = openpyxl.load_workbook(workspace / "ra" / "so-sanh-2023-2024.xlsx", read_only=True)
    banner = [row[0] for row in book[UNITS].iter_rows(max_row=3, values_only=True)]
    assert banner[2] == f"{line_2023}; Dùng kết quả cchc chấm năm 2024"
    code, out = run("compare", "--from", "2023", "--to", "2024", "--out", "ra", "--json")
    data = json.loads(out)
    assert data["results"] == {"from": "official", "to": "cchc"}
    u1 = next(u for u in data["units"] if u["unit"] == "U1")
    assert (u1["before"]["index"], u1["delta"]) == ("73.37", "-7.54")
    code, out = run(
        "compare", "--from", "2023", "--to", "2024", "--out", "ra", "--result", "cchc", "--json"
    )
    u1 = next(u for u in json.loads(out)["units"] if u["unit"] == "U1")
    assert u1["before"]["index"] == "58.70"
    code, out = run("compare", "--from", "2023", "--to", "2024", "--result", "official")
    assert code == 2 and "năm 2024 chưa có kết quả chính thức" in out

    code, out = run("plan", "--unit", "U1", "--year", "2023", "--out", "kh")
    assert code == 2 and "chỉ có điểm lĩnh vực" in out
    code, out = run("plan", "--unit", "U1", "--year", "2024", "--out", "kh")
    assert code == 0, out
    assert "Dùng kết quả cchc chấm năm 2024" in out and line_2023 in out
    plan = Document(str(next((workspace / "kh").glob("ke-hoach-*.docx"))))
    text = "\n".join(p.text for p in plan.paragraphs)
    assert "so với năm 2023 (73,37%, xếp loại Khá, xếp thứ 2/2, kết quả chính thức" in text
    appendix = openpyxl.load_workbook(next((workspace / "kh").glob("phu-luc-2-*.xlsx")))
    sheet = appendix.worksheets[0]
    cells = [c for row in sheet.iter_rows(max_row=6, values_only=True) for c in row]
    assert line_2023 in cells and "Dùng kết quả cchc chấm năm 2024" in cells

    code, out = run("chart", "ranking", "--year", "2023", "--out", "xh.svg", "--json")
    assert code == 0 and json.loads(out)["result"] == "official"
    assert "kết quả chính thức năm 2023" in (workspace / "xh.svg").read_text(encoding="utf-8")
    code, out = run("chart", "ranking", "--year", "2023", "--out", "xh.png", "--result", "cchc")
    assert code == 0 and "Dùng kết quả cchc chấm năm 2023" in out
    code, out = run(
        "chart", "appraisal", "--year", "2023", "--out", "td.png", "--result", "official"
    )
    assert code == 2 and "cần kết quả cchc chấm" in out

    code, out = run("report", "--year", "2024", "--compare", "2023", "--out", "bc")
    assert code == 0 and line_2023 in out, out
    html = (workspace / "bc" / "bao-cao-2024.html").read_text(encoding="utf-8")
    assert "<dt>Kết quả dùng</dt><dd>Dùng kết quả chính thức năm 2023" in html
