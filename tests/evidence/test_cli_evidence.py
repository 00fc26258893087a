"""`cchc evidence` and `cchc check` in a workspace: --json equals the library result."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from cchc.criteria.model import CriteriaSet
from cchc.evidence.check import (
    EvidenceOptions,
    LeafEvidence,
    check_evidence,
    check_folder_evidence,
)
from cchc.templates import collect
from cchc.templates.collect import OneSet, check_folder
from cchc.units.model import Unit
from tests.conftest import DATA
from tests.test_cli import run
from tests.workbooks import MINI_X01, XA, filled

UNIT = "- {code: X01, name: UBND xã Tân Lập, group: xa, set: mini}\n"
REPORT = "Báo cáo số 1/BC-UBND ngày 1/6/2024"
EVIDENCE = {
    "1.1.1": "Kế hoạch số 12/KH-UBND ngày 20/12/2023; minh-chung/kh.pdf",
    "1.1.2": "Báo cáo số 45/BC-UBND ngày 10/5/2023",  # last year
    "1.1.4": "https://xa.gov.vn/bao-cao",
    "1.2.1": REPORT,
    "1.2.2": REPORT,
    "1.2.3": "minh-chung/sang-kien.docx",  # not sent
    "2.2": REPORT,
    "2.4": "Báo cáo số 2/BC-UBND ngày 3/12/2024",
    "T.1": "Quyết định số 9/QĐ-UBND ngày 5/5/2024",
    "T.2": REPORT,
}  # 2.1 is claimed with nothing cited


@pytest.fixture
def workspace(tmp_path: Path, mini: CriteriaSet, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with X01's workbook in nop/ and its evidence in nop/tai-lieu/X01/."""
    assert run("init", str(tmp_path / "ws"), "--province", "Tỉnh Thử")[0] == 0
    root = tmp_path / "ws"
    shutil.copy(DATA / "sets" / "mini-2024.yaml", root / "sets")
    (root / "don-vi.yaml").write_text(UNIT, encoding="utf-8")
    values = {code: dict(cells) for code, cells in MINI_X01.items()}
    for code, evidence in EVIDENCE.items():
        values[code]["evidence"] = evidence
    filled(mini, XA, values, root / "nop" / "X01.xlsx")
    (root / "nop" / "tai-lieu" / "X01" / "minh-chung").mkdir(parents=True)
    (root / "nop" / "tai-lieu" / "X01" / "minh-chung" / "kh.pdf").write_bytes(b"%PDF")
    monkeypatch.chdir(root)
    return root


def test_evidence_json_equals_library(workspace: Path, mini: CriteriaSet) -> None:
    code, out = run("evidence", "nop", "--year", "2024", "--deadline", "01/12/2024", "--json")
    assert code == 1, out  # errors found
    units = [Unit(code="X01", name="UBND xã Tân Lập", group="xa", set="mini")]
    options = EvidenceOptions(2024, Path("nop/tai-lieu"), deadline=date(2024, 12, 1))
    expected = check_folder_evidence(Path("nop"), units, lambda ref, year: mini, options)
    data = json.loads(out)
    assert data == expected.to_json()
    assert [(i["item"], i["code"]) for i in data["issues"]] == [
        ("1.1.2", "evidence_outside_year"),
        ("1.2.3", "evidence_file_missing"),
        ("2.1", "evidence_missing"),
        ("2.4", "evidence_after_deadline"),
    ]
    assert data["references"] == {"citation": 8, "url": 1, "file": 2, "text": 0}
    assert (workspace / "tai-lieu-kiem-chung-2024.xlsx").is_file()


def test_evidence_text_output(workspace: Path) -> None:
    code, out = run("evidence", "nop", "--year", "2024", "--out", "ra/tl.xlsx")
    assert code == 1
    assert (
        "Đã xét 1 sổ: 11 tài liệu được dẫn (8 văn bản, 1 trang web, 2 tệp); 2 lỗi, 1 cảnh báo."
        in out
    )
    assert "[LỖI evidence_missing] nop/X01.xlsx: Tự đánh giá!I" in out
    assert "Bảng tài liệu kiểm chứng: ra/tl.xlsx" in out
    assert (workspace / "ra" / "tl.xlsx").is_file()


def test_bad_deadline_is_refused(workspace: Path) -> None:
    code, out = run("evidence", "nop", "--year", "2024", "--deadline", "31/02/2024")
    assert (
        code == 2
        and "'31/02/2024' không phải một ngày (ghi dạng ngày/tháng/năm, vd. 15/01/2025)" in out
    )


def test_check_reports_evidence_too(workspace: Path) -> None:
    code, out = run("check", "nop", "--year", "2024", "--json", "--out", "ra")
    assert code == 1
    found = [
        (i["item"], i["code"])
        for i in json.loads(out)["issues"]
        if i["code"].startswith("evidence")
    ]
    assert found == [
        ("1.1.2", "evidence_outside_year"),
        ("1.2.3", "evidence_file_missing"),
        ("2.1", "evidence_missing"),
    ]


def test_evidence_checked_in_the_readers_equals_after(
    workspace: Path, mini: CriteriaSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Evidence rows made in the reading processes (LeafEvidence) are the rows the parent
    makes after reading: the same rows, findings and issues."""
    monkeypatch.setattr(collect, "PARALLEL_FROM", 1)  # read in worker processes
    shutil.copy(workspace / "nop" / "X01.xlsx", workspace / "nop" / "X01 - ban sao.xlsx")
    units = [Unit(code="X01", name="UBND xã Tân Lập", group="xa", set="mini")]
    options = EvidenceOptions(2024, Path("nop/tai-lieu"), deadline=date(2024, 12, 1))
    find = OneSet(mini)
    report = check_folder(Path("nop"), 2024, units, find, workers=2)
    assert all(sub.evidence is None for sub in report.submissions)
    after = check_evidence(report, find, options)
    then = LeafEvidence(find, options)
    read = check_folder(Path("nop"), 2024, units, find, workers=2, then=then)
    assert all(sub.evidence is not None for sub in read.submissions)
    assert len(read.submissions) == 2
    inside = check_evidence(read, find, options)
    assert inside.to_json() == after.to_json()
    assert [i.code for i in inside.all_issues()] == [i.code for i in after.all_issues()]
    assert len(after.rows) == 2 * 12
    # what `cchc check` asks for: only the rows with a finding or a file or address to look for
    then = LeafEvidence(find, options, findings_only=True)
    read = check_folder(Path("nop"), 2024, units, find, workers=2, then=then)
    lean = check_evidence(read, find, options)
    assert lean.all_issues() == after.all_issues()
    # of X01's 12 rows: the 2023 report, the file missing, the file found, 2.1 uncited, the
    # address, the date after the deadline; the citations without a finding are not sent back
    assert len(lean.rows) == 2 * 6
    # and no leaves: how many were read and filled is kept (X01 fills all 13 of its leaves:
    # 1.1.1 to 2.4, T.1, T.2, P.1)
    assert [(len(s.leaves), s.counts) for s in read.submissions] == [(0, (13, 13))] * 2
    assert [s.filled for s in read.submissions] == [s.filled for s in report.submissions]


def test_check_summarises_by_file_errors_first(workspace: Path, mini: CriteriaSet) -> None:
    """The terminal: one line per file (those with errors first), then errors before
    warnings, not the first warnings of one unit."""
    filled(mini, XA, {code: dict(cells) for code, cells in MINI_X01.items()}, Path("nop/b.xlsx"))
    code, out = run("check", "nop", "--year", "2024", "--out", "ra")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "Đã đọc 2 tệp: 1 đơn vị đã nộp, 0 nộp sổ trống, 0 chưa nộp; 13 lỗi, 2 cảnh báo."
    )
    start = lines.index("Theo tệp (tệp có lỗi trước):")
    # b.xlsx cites nothing for its 10 items with points; X01: a file missing, 2.1 uncited, and
    # its duplicate; a warning each (the duplicate chosen; a document of 2023)
    b, x01 = lines[start + 1 : start + 3]
    assert b == (
        "  b.xlsx: 10 lỗi, 1 cảnh báo – Tự đánh giá, I9, mục 1.1.2: tự chấm 1 điểm nhưng "
        "không có tài liệu kiểm chứng, cũng không có giải trình"
    )
    assert x01.startswith("  X01.xlsx: 3 lỗi, 1 cảnh báo – Tự đánh giá, I14, mục 1.2.3: ")
    tags = [line.split("]")[0] for line in lines if line.startswith("  [")]
    assert len(tags) == 15 and tags == sorted(tags, key=lambda t: "CẢNH BÁO" in t)
    assert tags[-2:] == ["  [CẢNH BÁO evidence_outside_year", "  [CẢNH BÁO unit_duplicate_chosen"]
