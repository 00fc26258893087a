"""One test per finding of the offline evidence check, on hand-built submissions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cchc.core.issues import Issue, Severity
from cchc.criteria.model import CriteriaSet, Evidence
from cchc.scoring.rules import Status
from cchc.scoring.submission import LeafResult
from tests.evidence.cases import check, codes, leaf, submission


def test_claimed_without_evidence_or_explanation(mini: CriteriaSet, tmp_path: Path) -> None:
    found = check(mini, tmp_path, submission("X01", leaf("1.1.2", row=9)))
    assert found.all_issues() == [
        Issue(
            code="evidence_missing",
            severity=Severity.ERROR,
            message="tự chấm 1 điểm nhưng không có tài liệu kiểm chứng, cũng không có giải trình",
            file="nop/X01.xlsx",
            sheet="Tự đánh giá",
            cell="I9",
            item="1.1.2",
        )
    ]
    (row,) = found.rows
    assert (row.unit, row.unit_name, row.ref) == ("X01", "Đơn vị X01", None)
    assert not found.ok


@pytest.mark.parametrize(
    "entry",
    [
        leaf("1.1.2", explanation="Kế hoạch đang trình ký, sẽ bổ sung"),  # explained
        leaf("1.1.2", points="0"),  # nothing claimed
        leaf("1.1.2", status=Status.NA_FULL),  # nothing arose
        leaf("P.1", points="0.5"),  # a penalty is not a claim
        leaf("1.1.2", evidence="Kế hoạch CCHC năm 2024"),  # free text is evidence
    ],
)
def test_no_finding_without_a_bare_claim(
    mini: CriteriaSet, tmp_path: Path, entry: LeafResult
) -> None:
    assert check(mini, tmp_path, submission("X01", entry)).all_issues() == []


def test_nothing_words_are_no_evidence(mini: CriteriaSet, tmp_path: Path) -> None:
    found = check(mini, tmp_path, submission("X01", leaf("1.1.2", evidence="Không có")))
    assert codes(found) == ["evidence_missing"]


def test_optional_evidence_may_be_left_out(mini: CriteriaSet, tmp_path: Path) -> None:
    optional = mini.model_copy(deep=True)
    item = optional.find("1.1.2")
    assert item is not None
    item.evidence = Evidence(text="Kế hoạch CCHC năm", required=False)
    assert check(optional, tmp_path, submission("X01", leaf("1.1.2"))).all_issues() == []


@pytest.mark.parametrize(
    ("code", "evidence", "expected"),
    [
        ("1.2.1", "Báo cáo số 45/BC-UBND ngày 10/5/2023", ["evidence_outside_year"]),
        ("1.2.1", "Báo cáo số 45/BC-UBND ngày 2/1/2025", ["evidence_outside_year"]),
        ("1.2.1", "Báo cáo số 45/BC-UBND ngày 31/12/2024", []),
        ("1.2.1", "Báo cáo số 45/BC-UBND ngày 1/1/2024", []),
        # a plan is issued before its year: from 1 October of the year before
        ("1.1.1", "Kế hoạch số 12/KH-UBND ngày 20/12/2023", []),
        ("1.1.1", "Kế hoạch số 12/KH-UBND ngày 1/10/2023", []),
        ("1.1.1", "Kế hoạch số 12/KH-UBND ngày 30/9/2023", ["evidence_outside_year"]),
        # a year only inside the number is not a date: legal documents stay in force
        ("1.2.1", "Quyết định số 52/2019/QĐ-UBND", []),
    ],
)
def test_dated_outside_the_year(
    mini: CriteriaSet, tmp_path: Path, code: str, evidence: str, expected: list[str]
) -> None:
    found = check(mini, tmp_path, submission("X01", leaf(code, evidence)))
    assert codes(found) == expected
    assert all(i.severity is Severity.WARNING for i in found.all_issues())


def test_outside_year_message(mini: CriteriaSet, tmp_path: Path) -> None:
    evidence = "Kế hoạch số 12/KH-UBND ngày 30/9/2023"
    (issue,) = check(mini, tmp_path, submission("X01", leaf("1.1.1", evidence))).all_issues()
    assert issue.message == (
        "văn bản 'Kế hoạch số 12/KH-UBND ngày 30/9/2023' đề ngày 30/09/2023, ngoài năm đánh giá "
        "2024 (kế hoạch tính từ 01/10/2023)"
    )


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ("Báo cáo số 45/BC-UBND ngày 16/12/2024", ["evidence_after_deadline"]),
        ("Báo cáo số 45/BC-UBND ngày 15/12/2024", []),
        ("Báo cáo số 45/BC-UBND ngày 5/1/2025", ["evidence_outside_year"]),  # said once
    ],
)
def test_dated_after_the_deadline(
    mini: CriteriaSet, tmp_path: Path, evidence: str, expected: list[str]
) -> None:
    sub = submission("X01", leaf("1.2.1", evidence))
    assert codes(check(mini, tmp_path, sub, deadline=date(2024, 12, 15))) == expected


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ("Báo cáo số 45/BC-UBND ngày 10/12/2024", ["evidence_doc_type"]),
        ("Công văn số 123/UBND-VP ngày 10/12/2024", ["evidence_doc_type"]),
        ("Kế hoạch số 12/KH-UBND ngày 20/12/2023", []),
        ("KH so 12/kh-ubnd ngay 20/12/2023", []),
        ("Kế hoạch số 1234/UBND-VP ngày 20/12/2023", []),  # the word says plan
    ],
)
def test_document_type_the_item_does_not_accept(
    mini: CriteriaSet, tmp_path: Path, evidence: str, expected: list[str]
) -> None:
    found = check(mini, tmp_path, submission("X01", leaf("1.1.1", evidence)))
    assert codes(found) == expected


def test_document_type_message(mini: CriteriaSet, tmp_path: Path) -> None:
    evidence = "Báo cáo số 45/BC-UBND ngày 10/12/2024"
    (issue,) = check(mini, tmp_path, submission("X01", leaf("1.1.1", evidence))).all_issues()
    assert issue.message == (
        "mục này cần kế hoạch (KH); tài liệu dẫn là báo cáo (BC): "
        "'Báo cáo số 45/BC-UBND ngày 10/12/2024'"
    )
    assert issue.severity is Severity.WARNING


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ("Báo cáo số /BC-UBND ngày 10/12/2024", ["evidence_bad_number"]),
        ("Báo cáo số 45/BC-UBND ngày 31/02/2024", ["evidence_bad_date"]),
        ("Báo cáo số .../BC-UBND ngày .../.../2024", ["evidence_bad_number", "evidence_bad_date"]),
        ("http//xa.gov.vn/tin-bai", ["evidence_bad_url"]),
    ],
)
def test_malformed(mini: CriteriaSet, tmp_path: Path, evidence: str, expected: list[str]) -> None:
    found = check(mini, tmp_path, submission("X01", leaf("1.2.1", evidence, row=12)))
    assert codes(found) == expected
    assert {(i.severity, i.cell) for i in found.all_issues()} == {(Severity.ERROR, "I12")}


def test_cited_file_missing_then_found(mini: CriteriaSet, tmp_path: Path) -> None:
    sub = submission("X01", leaf("1.2.1", "Báo cáo số 45/BC-UBND; minh-chung/bao cao.pdf"))
    (issue,) = check(mini, tmp_path, sub).all_issues()
    assert issue.code == "evidence_file_missing"
    assert issue.message == (
        f"không có tệp 'minh-chung/bao cao.pdf' trong thư mục {(tmp_path / 'X01').resolve()}"
    )
    (tmp_path / "X01" / "minh-chung").mkdir(parents=True)
    (tmp_path / "X01" / "minh-chung" / "bao cao.pdf").write_bytes(b"%PDF")
    found = check(mini, tmp_path, sub)
    assert found.all_issues() == []
    assert [row.ref.kind for row in found.rows if row.ref] == ["citation", "file"]


def test_file_names_in_either_unicode_form(mini: CriteriaSet, tmp_path: Path) -> None:
    folder = tmp_path / "X01"
    folder.mkdir()
    (folder / "b\u00e1o c\u00e1o.pdf".replace("\u00e1", "a\u0301")).write_bytes(b"%PDF")  # NFD
    sub = submission("X01", leaf("1.2.1", "báo cáo.pdf"))
    assert check(mini, tmp_path, sub).all_issues() == []


def test_unknown_unit_files_are_not_looked_for(mini: CriteriaSet, tmp_path: Path) -> None:
    for unit in (None, "../X01"):
        found = check(mini, tmp_path, submission(unit, leaf("1.2.1", "minh-chung/bc.pdf")))
        assert codes(found) == ["evidence_folder_unknown"]


def test_report_json(mini: CriteriaSet, tmp_path: Path) -> None:
    sub = submission("X01", leaf("1.1.1", "Báo cáo số 45/BC-UBND ngày 10/12/2024"), leaf("2.1"))
    data = check(mini, tmp_path, sub).to_json()
    assert (data["year"], data["ok"], data["workbooks"]) == (2024, False, 1)
    assert data["references"] == {"citation": 1, "url": 0, "file": 0, "text": 0}
    assert (data["errors"], data["warnings"]) == (1, 1)
    assert [(r["item"], r["findings"]) for r in data["rows"]] == [
        ("1.1.1", ["evidence_doc_type"]),
        ("2.1", ["evidence_missing"]),
    ]
    assert data["rows"][0]["reference"]["doc_type"] == "BC"
    assert [i["code"] for i in data["issues"]] == ["evidence_doc_type", "evidence_missing"]
