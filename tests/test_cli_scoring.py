"""Scoring commands in a workspace: --json equals the library result; clean refusals."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from cchc.commands.score import run_json
from cchc.criteria.model import CriteriaSet
from cchc.scoring.whatif import explain, gains
from cchc.store import db as store
from tests.conftest import DATA
from tests.test_cli import run
from tests.workbooks import MINI_X01, XA, filled

UNITS = """\
- {code: X01, name: UBND xã Tân Lập, group: xa, set: mini}
- {code: P02, name: UBND phường Đông Hà, group: phuong, set: mini}
"""


@pytest.fixture
def workspace(tmp_path: Path, mini: CriteriaSet, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace using the mini set, with X01's hand-scored workbook in nop/."""
    assert run("init", str(tmp_path / "ws"), "--province", "Tỉnh Thử")[0] == 0
    root = tmp_path / "ws"
    shutil.copy(DATA / "sets" / "mini-2024.yaml", root / "sets")
    (root / "don-vi.yaml").write_text(UNITS, encoding="utf-8")
    filled(mini, XA, MINI_X01, root / "nop" / "X01.xlsx")
    monkeypatch.chdir(root)
    return root


def test_score_json_equals_the_stored_run(workspace: Path) -> None:
    code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--json")
    assert code == 0, out
    data = json.loads(out)
    stored = store.load_run(workspace / "cchc.db", 2024)
    assert stored is not None
    results = str(Path("ra") / "ket-qua-2024.xlsx")
    assert data == run_json(stored) | {"results": results, "revision": 1, "replaced": None}
    x01 = next(u for u in data["units"] if u["code"] == "X01")
    assert (x01["index"], x01["band"], x01["rank"]) == ("71.47", "Khá", 1)
    assert x01["domains"] == {"1": "71.88", "2": "63.86"}
    code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--replace")
    assert code == 0 and "71,47" in out and "UBND xã Tân Lập" in out
    assert "[CẢNH BÁO unit_missing]" in out and "P02" in out
    assert "Đã lưu lần chấm 2, thay lần chấm 1 (chấm từ sổ" in out


def test_explain_and_whatif(workspace: Path) -> None:
    assert run("score", "nop", "--year", "2024", "--out", "ra")[0] == 0
    stored = store.load_run(workspace / "cchc.db", 2024)
    assert stored is not None
    code, out = run("explain", "X01", "2.1", "--year", "2024", "--json")
    assert code == 0 and json.loads(out) == explain(stored, "X01", "2.1")
    code, out = run("explain", "X01", "2.1", "--year", "2024")
    assert "số liệu 1 = 89; số liệu 2 = 100" in out and "Điểm cuối cùng: 2,67" in out
    code, out = run("whatif", "X01", "--year", "2024", "--fix", "2.1", "--fix", "1.1", "--json")
    assert code == 0
    # +0.33 (2.1) + 0.5 (1.1.1) + 1 (1.1.4): (10.72 + 1.83) / 15 = 83.666… → 83.67, Tốt
    assert json.loads(out)["then"] == {"index": "83.67", "band": "Tốt", "rank": 1}
    code, out = run("whatif", "X01", "--year", "2024", "--json")
    top = [g.code for g in gains(stored, "X01")]
    assert [g["code"] for g in json.loads(out)["gains"]] == top
    assert run("explain", "X99", "2.1", "--year", "2024")[0] == 2
    assert "chưa có kết quả chấm năm 2023" in run("explain", "X01", "2.1", "--year", "2023")[1]


def test_survey_appraise_and_official(workspace: Path) -> None:
    (workspace / "dt.csv").write_text(
        "Mã đơn vị,Mã,Tỷ lệ hài lòng (%)\nX01,3.1,80\nX01,3.2,75\n", encoding="utf-8"
    )
    code, out = run("survey", "import", "dt.csv", "--year", "2024", "--json")
    assert code == 0, out
    assert json.loads(out)["units"] == [{"unit": "X01", "items": 2}]
    code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--json")
    x01 = next(u for u in json.loads(out)["units"] if u["code"] == "X01")
    assert x01["index"] == "73.10"  # the stored survey counts: 14.62 of 20
    code, out = run("appraise", "--year", "2024", "--out", "td.xlsx")
    assert code == 0 and (workspace / "td.xlsx").is_file(), out
    code, out = run("results", "import", "ra/ket-qua-2024.xlsx", "--year", "2024")
    assert code == 0, out
    official = store.load_official(workspace / "cchc.db", 2024)
    assert official["X01"]["2.1"] == Decimal("2.67") and official["X01"]["3.1"] == Decimal("2.4")


def test_second_writer_and_outside_a_workspace(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.writing(workspace / "cchc.db"):
        code, out = run("score", "nop", "--year", "2024", "--out", "ra")
    assert code == 2 and "một tiến trình khác đang ghi" in out
    monkeypatch.chdir(tmp_path)
    code, out = run("score", str(workspace / "nop"), "--year", "2024")
    assert code == 2 and "không gian làm việc" in out
