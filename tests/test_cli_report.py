"""`cchc chart` and `cchc report` in a workspace: --json equals the library; clean refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cchc.reports import chart_data
from cchc.scoring.compare import compare_years
from cchc.store import db as store
from tests.pair import pair_runs
from tests.reports.test_chart_data import XA_2024
from tests.test_cli import run


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace whose store holds the hand-worked pair runs of 2023 and 2024."""
    assert run("init", str(tmp_path / "ws"), "--province", "Tỉnh Thử")[0] == 0
    root = tmp_path / "ws"
    for year_run in pair_runs():
        with store.writing(root / "cchc.db") as db:
            store.save_run(db, year_run)
    monkeypatch.chdir(root)
    return root


def test_chart_json_equals_the_library(workspace: Path) -> None:
    code, out = run("chart", "ranking", "--year", "2024", "--out", "bd/xh.svg", "--json")
    assert code == 0, out
    now = store.load_run(workspace / "cchc.db", 2024)
    before = store.load_run(workspace / "cchc.db", 2023)
    assert now is not None and before is not None
    expected = chart_data.to_json(chart_data.ranking(now, XA_2024))
    assert json.loads(out) == expected | {"file": str(Path("bd/xh.svg")), "result": "cchc"}
    assert (workspace / "bd" / "xh.svg").read_bytes().startswith(b"<?xml")

    code, out = run(
        "chart", "domains", "--year", "2024", "--unit", "U1", "--out", "ld.png", "--json"
    )
    assert code == 0, out
    domains = chart_data.domains(now, "U1", compare_years(before, now, "U1"))
    assert json.loads(out) == chart_data.to_json(domains) | {"file": "ld.png", "result": "cchc"}
    assert json.loads(out)["domains"][0] == {
        "code": "1",
        "title": "Chỉ đạo, điều hành",
        "share": "78.57",
        "share_before": "66.67",
    }
    code, out = run("chart", "history", "--year", "2024", "--unit", "U1", "--out", "ls.png")
    assert code == 0 and "Đã vẽ biểu đồ history năm 2024" in out
    assert (workspace / "ls.png").read_bytes().startswith(b"\x89PNG")


def test_chart_refusals(workspace: Path) -> None:
    code, out = run("chart", "domains", "--year", "2024", "--out", "a.png")
    assert code == 2 and "Lỗi: biểu đồ domains cần --unit MÃ_ĐƠN_VỊ" in out
    code, out = run("chart", "ranking", "--year", "2024", "--out", "a.pdf")
    assert code == 2 and "--out phải là tệp .png hoặc .svg" in out
    code, out = run("chart", "ranking", "--year", "2024", "--group", "phuong", "--out", "a.png")
    assert code == 2 and "không có nhóm đơn vị 'phuong' (các nhóm: xa)" in out
    code, out = run("chart", "pareto", "--year", "2024", "--unit", "U9", "--out", "a.png")
    assert code == 2 and "đơn vị U9 không có trong kết quả năm 2024" in out
    code, out = run("chart", "ranking", "--year", "2022", "--out", "a.png")
    assert code == 2 and "chưa có kết quả chấm năm 2022" in out
    assert not list(workspace.glob("a.*"))


def test_report(workspace: Path) -> None:
    code, out = run("report", "--year", "2024", "--compare", "2023", "--out", "bc", "--json")
    assert code == 0, out
    target = Path("bc") / "bao-cao-2024.html"
    assert json.loads(out) == {
        "file": str(target),
        "year": 2024,
        "compare": 2023,
        "units": 2,
        "detailed": 2,
        "charts": 6,
        "results": ["Dùng kết quả cchc chấm năm 2024", "Dùng kết quả cchc chấm năm 2023"],
    }
    html = (workspace / target).read_text(encoding="utf-8")
    assert "Tỉnh Thử" in html and "So sánh năm 2024 với năm 2023" in html
    code, out = run("report", "--year", "2024", "--unit", "U2", "--out", "bc")
    assert code == 0, out
    # ranking, heatmap, U2's lost points, the group's appraisal (U1's), U2's domains
    assert "Báo cáo năm 2024: 1 đơn vị, 5 biểu đồ, phần chi tiết cho 1 đơn vị" in out
    assert (workspace / "bc" / "bao-cao-2024-U2.html").is_file()
    code, out = run("report", "--year", "2023", "--compare", "2024", "--out", "bc")
    assert code == 2 and "--compare phải là năm trước --year" in out
