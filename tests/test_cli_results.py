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
from cchc.scoring.run import YearRun
from cchc.store import db as store
from tests.pair import pair_runs, pair_workspace
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


LINE_2023 = "Dùng kết quả chính thức năm 2023 do cấp trên công bố (nhập từ cong-bo-2023.xlsx)"
ITEMS_2023 = (
    "Điểm từng mục (Phụ lục 1, 2) theo kết quả cchc chấm năm 2023; chỉ số, xếp loại, xếp hạng "
    "theo kết quả chính thức (kết quả chính thức chỉ có điểm lĩnh vực)"
)


def test_a_plan_on_domain_points_takes_its_items_from_the_scored_year(workspace: Path) -> None:
    """The official 2023 result gives domain points only: the items of Phụ lục 1 and 2 are
    what cchc scored of U1 in 2023 (tests/pair.py: 1.1, 1.2, 2.2 at their maximum; 1.3, 2.3,
    2.5 nothing; 1.4, 2.1, 2.4 one point short, 2.6 1.5 short: 8.5 lost), the index, band, rank
    and domain points the official ones (73.37, Khá, second)."""
    assert run("results", "import", "cong-bo-2023.xlsx", "--year", "2023")[0] == 0
    code, out = run("plan", "--unit", "U1", "--year", "2023", "--out", "kh")
    assert code == 0, out
    assert out.splitlines()[:3] == [
        LINE_2023,
        ITEMS_2023,
        "U1 Xã Tân Lập: Phụ lục 1 3 mục, Phụ lục 2 7 mục (mất 8,5 điểm)",
    ]
    plan = Document(str(workspace / "kh" / "ke-hoach-2023.docx"))
    assert (
        "Chỉ số CCHC năm 2023 của UBND xã Tân Lập đạt 73,37%, xếp loại Khá, xếp thứ 2/2 đơn vị "
        "(chỉ số, xếp loại, xếp hạng theo kết quả chính thức do cấp trên công bố; kết quả chính "
        "thức chỉ có điểm lĩnh vực nên điểm từng tiêu chí, tiêu chí thành phần tại Phụ lục I, II "
        "là kết quả chấm điểm theo bộ tiêu chí thử đối chiếu năm 2023 (chưa thẩm định, điểm là "
        "điểm tự chấm))."
    ) in [p.text for p in plan.paragraphs]
    domains = [[c.text for c in row.cells] for row in plan.tables[1].rows]
    assert domains[1:3] == [  # the official domain points
        ["1. Chỉ đạo, điều hành", "6", "4,5", "75,00%"],
        ["2. Thủ tục hành chính", "13", "9,25", "71,15%"],
    ]
    fix = openpyxl.load_workbook(workspace / "kh" / "phu-luc-2-2023.xlsx").worksheets[0]
    rows = list(fix.iter_rows(values_only=True))
    assert [r[0] for r in rows[3:5]] == [LINE_2023, ITEMS_2023]
    items = [(str(r[1]).split(". ")[0], r[3], r[4]) for r in rows if isinstance(r[0], int)]
    assert items == [
        ("2.3", 0, 2),
        ("1.3", 0, 1),
        ("2.5", 0, 1),
        ("2.6", 0.5, 1.5),
        ("1.4", 1, 1),
        ("2.1", 3, 1),
        ("2.4", 1, 1),
    ]
    assert rows[-1][:5] == ("Tổng cộng", None, 14, 5.5, 8.5)
    keep = openpyxl.load_workbook(workspace / "kh" / "phu-luc-1-2023.xlsx").worksheets[0]
    kept = [
        str(r[1]).split(". ")[0] for r in keep.iter_rows(values_only=True) if isinstance(r[0], int)
    ]
    assert kept == ["1.1", "1.2", "2.2"]

    code, out = run(
        "plan", "--all", "--year", "2023", "--result", "official", "--out", "tat-ca", "--json"
    )
    assert code == 0, out
    data = json.loads(out)
    assert (data["result"], data["items"]) == ("official", {"U2": "cchc", "U1": "cchc"})
    code, out = run("plan", "--unit", "U1", "--year", "2023", "--result", "cchc", "--out", "kh2")
    assert code == 0 and out.splitlines()[0] == "Dùng kết quả cchc chấm năm 2023", out
    text = [p.text for p in Document(str(workspace / "kh2" / "ke-hoach-2023.docx")).paragraphs]
    assert (
        "Chỉ số CCHC năm 2023 của UBND xã Tân Lập đạt 58,70%, xếp loại Yếu, xếp thứ 2/2 đơn vị "
        "(kết quả chấm điểm theo bộ tiêu chí thử đối chiếu năm 2023; kết quả tạm tính: chưa thẩm "
        "định (điểm là điểm tự chấm))."
    ) in text


def test_a_plan_on_domain_points_without_the_scored_year_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = pair_workspace(tmp_path, years=(2024,))
    table(root / "cong-bo-2023.xlsx", PUBLISHED)
    monkeypatch.chdir(root)
    assert run("results", "import", "cong-bo-2023.xlsx", "--year", "2023")[0] == 0
    fix = (
        "chấm các sổ tự đánh giá bằng 'cchc score THƯ_MỤC --year 2023', hoặc nhập bảng điểm "
        "từng tiêu chí bằng 'cchc results import TỆP --year 2023 --replace'"
    )
    code, out = run("plan", "--unit", "U1", "--year", "2023", "--out", "kh")
    assert (code, out) == (
        2,
        "Lỗi: kết quả chính thức năm 2023 của đơn vị U1 chỉ có điểm lĩnh vực; Phụ lục 1, 2 cần "
        "điểm từng tiêu chí, lấy từ kết quả cchc chấm năm 2023, nhưng năm 2023 chưa được chấm: "
        f"{fix}\n",
    )
    assert not (root / "kh").exists()

    before, _ = pair_runs()
    only_u2 = YearRun(2023, before.sets, [u for u in before.units if u.unit.code == "U2"])
    with store.writing(root / "cchc.db") as db:
        store.save_run(db, only_u2)
    code, out = run("plan", "--all", "--year", "2023", "--out", "kh")
    assert code == 2
    assert out == (
        "Lỗi: kết quả chính thức năm 2023 của đơn vị U2, U1 chỉ có điểm lĩnh vực; Phụ lục 1, 2 "
        "cần điểm từng tiêu chí, lấy từ kết quả cchc chấm năm 2023, nhưng trong kết quả cchc "
        "chấm năm 2023, đơn vị U1 chưa có điểm (chưa nộp sổ hoặc chưa được chấm): "
        f"{fix}\n"
    )
