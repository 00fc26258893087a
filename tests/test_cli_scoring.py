"""Scoring commands in a workspace: --json equals the library result; clean refusals."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
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


def test_an_empty_folder_is_refused_and_the_stored_year_is_intact(workspace: Path) -> None:
    assert run("score", "nop", "--year", "2024", "--out", "ra")[0] == 0
    book = (workspace / "ra" / "ket-qua-2024.xlsx").read_bytes()
    (workspace / "trong").mkdir()
    code, out = run("score", "trong", "--year", "2024", "--out", "ra", "--replace")
    assert code == 2
    assert "Lỗi: không có sổ tự đánh giá nào trong trong; chưa chấm" in out
    assert (workspace / "ra" / "ket-qua-2024.xlsx").read_bytes() == book
    assert [r.rev for r in store.history(workspace / "cchc.db", 2024)] == [1]
    assert store.indices(workspace / "cchc.db", 2024)["X01"] == Decimal("71.47")


def test_a_scored_year_is_not_replaced_unless_asked(workspace: Path) -> None:
    assert run("score", "nop", "--year", "2024", "--out", "ra")[0] == 0
    book = (workspace / "ra" / "ket-qua-2024.xlsx").read_bytes()
    code, out = run("score", "nop", "--year", "2024", "--out", "ra")
    assert code == 2 and "năm 2024 đã có kết quả chấm: lần chấm 1 (chấm từ sổ" in out
    assert "2 đơn vị, 1 sổ, thẩm định 0 đơn vị, điều tra 0 đơn vị" in out
    assert "(danh sách đơn vị, điểm thẩm định, điểm điều tra)" in out
    assert "Thêm --replace để chấm lại" in out and "'cchc restore 2024 1'" in out
    assert (workspace / "ra" / "ket-qua-2024.xlsx").read_bytes() == book
    code, out = run("history", "2024", "--json")
    assert code == 0 and [r["rev"] for r in json.loads(out)["revisions"]] == [1]


def test_restore_brings_back_the_replaced_run(workspace: Path, mini: CriteriaSet) -> None:
    db = workspace / "cchc.db"
    assert run("score", "nop", "--year", "2024", "--out", "ra")[0] == 0
    # X01 typed 45% for 2.1: under the floor, 0 instead of 2.67 → (10.72 − 2.67) / 15 = 53.67
    filled(
        mini,
        XA,
        {**MINI_X01, "2.1": {"figure1": 45, "figure2": 100}},
        workspace / "nop" / "X01.xlsx",
    )
    code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--replace")
    assert code == 0 and "Đã lưu lần chấm 2, thay lần chấm 1" in out
    assert store.indices(db, 2024)["X01"] == Decimal("53.67")
    code, out = run("history", "2024")
    assert code == 0
    assert "   lần chấm 1 (chấm từ sổ" in out and " * lần chấm 2 (chấm từ sổ" in out
    code, out = run("restore", "2024", "1")
    assert code == 0 and "kết quả hiện hành là lần chấm 1" in out
    assert store.indices(db, 2024)["X01"] == Decimal("71.47")
    code, out = run("restore", "2024", "3")
    assert code == 2 and "năm 2024 không có lần chấm 3 (các lần chấm: 1, 2)" in out
    code, out = run("recompute", "2024", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["revision"]["rev"], data["from"], data["changes"]) == (3, 1, [])
    code, out = run("history", "2023")
    assert code == 2 and "chưa có kết quả chấm năm 2023" in out


@pytest.mark.parametrize(
    ("year", "says"),
    [
        ("24", "năm 24 không hợp lệ: ghi năm đủ bốn chữ số"),
        (
            "2042",
            "không có bộ tiêu chí của năm 2042 cho các đơn vị (năm mới nhất có bộ: mini (2024))",
        ),
    ],
)
def test_a_year_no_set_is_for_is_refused(workspace: Path, year: str, says: str) -> None:
    code, out = run("score", "nop", "--year", year, "--out", "ra")
    assert code == 2 and says in out, out
    assert store.years(workspace / "cchc.db") == []
    assert not (workspace / "ra" / "ket-qua-2024.xlsx").exists()


def test_workbooks_of_another_year_are_refused(workspace: Path, mini: CriteriaSet) -> None:
    filled(mini, XA, MINI_X01, workspace / "nop" / "X01.xlsx", year=2025)
    code, out = run("score", "nop", "--year", "2024", "--out", "ra")
    assert code == 2, out
    assert "các sổ trong nop là sổ của năm 2025, không phải năm 2024" in out
    assert "[LỖI wrong_year]" in out
    assert store.years(workspace / "cchc.db") == []


def test_errors_in_a_workbook_give_exit_code_1(workspace: Path) -> None:
    (workspace / "nop" / "P02.xlsx").write_bytes(b"not a workbook")
    code, out = run("score", "nop", "--year", "2024", "--out", "ra")
    assert code == 1 and "[LỖI " in out, out
    assert store.indices(workspace / "cchc.db", 2024)["X01"] == Decimal("71.47")  # stored
    code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--replace", "--json")
    assert code == 1 and json.loads(out)["revision"] == 2


def test_a_reader_holding_the_store_across_a_whole_score(workspace: Path) -> None:
    db = workspace / "cchc.db"
    assert run("score", "nop", "--year", "2024", "--out", "ra")[0] == 0  # the store is WAL now
    with closing(sqlite3.connect(db)) as reader:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM runs").fetchone() == (1,)
        code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--replace")
        assert code == 0, out
        assert reader.execute("SELECT count(*) FROM runs").fetchone() == (1,)  # its snapshot
        reader.execute("COMMIT")
    assert [r.rev for r in store.history(db, 2024)] == [1, 2]


def test_a_store_held_locked_is_refused_before_any_work(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cchc.commands.score

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("workbooks read while the store was locked")

    monkeypatch.setattr(store, "BUSY_SECONDS", 0.2)
    monkeypatch.setattr(cchc.commands.score, "check_folder", no_work)
    with closing(sqlite3.connect(workspace / "cchc.db", isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # a database browser writing
        code, out = run("score", "nop", "--year", "2024", "--out", "ra")
        other.execute("ROLLBACK")
    assert code == 2
    assert "kho dữ liệu cchc.db đang bị một chương trình khác giữ" in out
    assert "Chưa làm gì, chưa ghi gì." in out
    assert not (workspace / "ra" / "ket-qua-2024.xlsx").exists()


def test_a_command_on_a_year_with_no_run(workspace: Path) -> None:
    assert run("score", "nop", "--year", "2024", "--out", "ra")[0] == 0
    for args in (
        ("chart", "ranking", "--year", "2023", "--out", "r.png"),
        ("report", "--year", "2023", "--out", "bc"),
        ("plan", "--unit", "X01", "--year", "2023", "--out", "kh"),
        ("compare", "--from", "2023", "--to", "2024", "--out", "ra"),
    ):
        code, out = run(*args)
        assert code == 2 and "Lỗi: chưa có kết quả chấm năm 2023 (kho có các năm 2024)" in out


def test_a_half_copied_store_is_refused_by_every_command(workspace: Path) -> None:
    db = workspace / "cchc.db"
    assert run("score", "nop", "--year", "2024", "--out", "ra")[0] == 0
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    half = db.read_bytes()
    for args in (
        ("history", "2024"),
        ("chart", "ranking", "--year", "2024", "--out", "r.png"),
        ("score", "nop", "--year", "2024", "--out", "ra", "--replace"),
        ("survey", "import", "nop/X01.xlsx", "--year", "2024"),
    ):
        code, out = run(*args)
        assert code == 2, (args, out)
        assert "Lỗi: kho dữ liệu" in out and "bị hỏng (tệp bị cắt cụt" in out, (args, out)
        assert "chép bản sao cchc.db.bak" in out and "Traceback" not in out
    assert db.read_bytes() == half


@pytest.mark.parametrize("command", ["survey", "results"])
def test_imports_refuse_a_year_no_set_is_for(workspace: Path, command: str) -> None:
    (workspace / "dt.csv").write_text("Mã đơn vị,Mã,Tỷ lệ hài lòng (%)\nX01,3.1,80\n", "utf-8")
    for year, says in (
        ("24", "năm 24 không hợp lệ"),
        ("2042", "không có bộ tiêu chí của năm 2042"),
    ):
        code, out = run(command, "import", "dt.csv", "--year", year)
        assert code == 2 and says in out, out
    with closing(sqlite3.connect(workspace / "cchc.db")) as db:
        assert db.execute("SELECT count(*) FROM survey").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM official").fetchone() == (0,)


def test_a_result_without_survey_or_appraisal_is_said_to_be_provisional(workspace: Path) -> None:
    code, out = run("score", "nop", "--year", "2024", "--out", "ra")
    assert code == 0
    # mini: 15 self-assessed points + 3.1 (3) and 3.2 (2) surveyed = 20
    assert (
        "Kết quả tạm tính: 2 đơn vị chưa có điểm điều tra (chỉ số tính trên điểm tối đa không "
        "gồm các mục điều tra); vd. X01: trên 15 thay vì 20 điểm"
    ) in out
    assert "Kết quả tạm tính: 2 đơn vị chưa thẩm định (điểm là điểm tự chấm)" in out
    (workspace / "dt.csv").write_text(
        "Mã đơn vị,Mã,Tỷ lệ hài lòng (%)\nX01,3.1,80\nX01,3.2,75\n", encoding="utf-8"
    )
    code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--survey", "dt.csv")
    assert code == 2  # the year is scored: --replace needed
    args = ("score", "nop", "--year", "2024", "--out", "ra", "--survey", "dt.csv", "--replace")
    code, out = run(*args, "--json")
    units = {u["code"]: u["provisional"] for u in json.loads(out)["units"]}
    assert units == {"X01": ["appraisal"], "P02": ["survey", "appraisal"]}


def test_council_through_the_command_line(workspace: Path) -> None:
    """Two bodies; the justice office returns, status names the other; a conflict exits 1."""
    from openpyxl import load_workbook

    assert run("score", "nop", "--year", "2024", "--out", "ra")[0] == 0
    Path("phan-cong.csv").write_text(
        "Mã,Cơ quan thẩm định\n1,Phòng Nội vụ\n2,Phòng Tư pháp\nT,Phòng Nội vụ\nP,Phòng Nội vụ\n",
        encoding="utf-8",
    )
    args = ("--year", "2024", "--out", "lan-1", "--bodies", "phan-cong.csv", "--json")
    code, out = run("council", "books", *args)
    assert code == 0, out
    books = {b["for"]: Path(b["path"]) for b in json.loads(out)["books"]}
    assert sorted(books) == ["Phòng Nội vụ", "Phòng Tư pháp"]
    justice = books["Phòng Tư pháp"]
    wb = load_workbook(justice)
    ws = wb["Thẩm định"]
    row = next(
        r
        for r in range(4, ws.max_row + 1)
        if (ws.cell(r, 1).value, ws.cell(r, 3).value) == ("X01", "2.1")
    )
    ws.cell(row, 11).value = 2  # K: Thẩm định lần 1
    wb.save(justice)
    code, out = run("council", "status", str(justice), "--year", "2024")
    assert code == 0, out
    assert "Phòng Tư pháp: lĩnh vực 2 – 1/" in out
    assert "Phòng Nội vụ chưa gửi bảng thẩm định lần 1 (lĩnh vực 1, T, P)" in out
    code, out = run("council", "read", str(justice), "--year", "2024", "--round", "1")
    assert code == 0, out
    assert "thẩm định lần 1 – 1 mục từ 1 bảng" in out and "Kết quả: ket-qua-2024.xlsx" in out
    code, out = run("explain", "X01", "2.1", "--year", "2024")
    assert f"Thẩm định lần 1: Phòng Tư pháp · {justice.name}, ô Thẩm định!K{row}" in out
    other = justice.with_name("ban-khac.xlsx")
    ws.cell(row, 11).value = 1
    wb.save(other)
    code, out = run("council", "read", str(justice), str(other), "--year", "2024", "--round", "1")
    assert code == 2 and "appraisal_conflict" in out and "không có điểm nào dùng được" in out
    history = store.history(workspace / "cchc.db", 2024)
    assert [r.how for r in history] == ["score", "appraisal_1"]


def test_a_survey_is_not_replaced_unless_asked(workspace: Path) -> None:
    (workspace / "dt.csv").write_text(
        "Mã đơn vị,Mã,Tỷ lệ hài lòng (%)\nX01,3.1,80\nX01,3.2,75\n", encoding="utf-8"
    )
    (workspace / "dt2.csv").write_text(
        "Mã đơn vị,Mã,Tỷ lệ hài lòng (%)\nX01,3.1,50\nX01,3.2,50\n", encoding="utf-8"
    )
    assert run("survey", "import", "dt.csv", "--year", "2024")[0] == 0
    code, out = run("survey", "import", "dt2.csv", "--year", "2024")
    assert code == 2 and "đã có kết quả điều tra theo bộ mini của 1 đơn vị (X01)" in out
    code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--json")
    x01 = next(u for u in json.loads(out)["units"] if u["code"] == "X01")
    assert x01["index"] == "73.10"  # still the first survey: 3 × 80% + 2 × 75% = 3.9
    assert run("survey", "import", "dt2.csv", "--year", "2024", "--replace")[0] == 0
    code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--replace", "--json")
    x01 = next(u for u in json.loads(out)["units"] if u["code"] == "X01")
    # 10.72 + 3 × 50% + 2 × 50% = 13.22 of 20 → 66.10
    assert x01["index"] == "66.10"
    code, out = run("score", "nop", "--year", "2024", "--out", "ra", "--survey", "dt.csv")
    assert code == 2  # a scored year (and its survey) is replaced only with --replace
