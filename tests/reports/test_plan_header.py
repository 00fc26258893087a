"""The issuing body, the causes and the deadlines of a plan, as an officer signs it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from cchc.criteria.model import Item
from cchc.reports.plan_bodies import assignments, header_of, signer_of
from cchc.reports.plan_causes import PLACEHOLDER, cause
from cchc.reports.plan_deadlines import deadline_for
from cchc.reports.plan_docx import write_plan_docx
from cchc.reports.plan_model import Appendix, Declined, PlanSection
from cchc.scoring.index import LeafScore
from tests.office import SOFFICE, convert
from tests.reports.test_plan_docs import PLAN, cells, item

D = Decimal
LONG = "XÃ ĐỒNG THÀNH PHƯỚC HƯNG LONG THƯỢNG"


def test_header_lines_follow_decree_30() -> None:
    assert header_of("Xã Tân Lập", "Tỉnh Bắc Kạn") == ("", ["ỦY BAN NHÂN DÂN", "XÃ TÂN LẬP"])
    assert header_of("UBND xã Tân Lập", "") == ("", ["ỦY BAN NHÂN DÂN", "XÃ TÂN LẬP"])
    assert header_of("Thành phố Bắc Kạn", "Tỉnh Bắc Kạn") == (
        "",
        ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ BẮC KẠN"],
    )
    assert header_of("Sở Tư pháp", "Tỉnh Bắc Kạn") == ("UBND TỈNH BẮC KẠN", ["SỞ TƯ PHÁP"])
    assert signer_of("Phường Đức Xuân") == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert signer_of("Sở Tư pháp") == ["GIÁM ĐỐC"]


def test_department_header_has_its_superior(tmp_path: Path) -> None:
    plan = replace(PLAN, superior="UBND TỈNH BẮC KẠN", header=["SỞ TƯ PHÁP"], signer=["GIÁM ĐỐC"])
    document = Document(str(write_plan_docx(plan, tmp_path)[0]))
    header, *_, signature = document.tables[:4]
    assert cells(header.rows[0])[0] == "UBND TỈNH BẮC KẠN\nSỞ TƯ PHÁP\n"
    assert cells(signature.rows[0])[1] == "GIÁM ĐỐC\n\n\n\n"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_long_name_keeps_number_level_with_date(tmp_path: Path) -> None:
    plan = replace(PLAN, header=["ỦY BAN NHÂN DÂN", LONG])
    pdf = PdfReader(convert(write_plan_docx(plan, tmp_path)[0], "pdf", tmp_path / "pdf"))
    where: dict[str, float] = {}

    def visit(text: str, cm: object, tm: list[float], *_: object) -> None:
        for key in ("Số:", "Mỹ An, ngày", "THƯỢNG", "ĐỒNG"):
            if text.startswith(key) or (key in text and key.isupper()):
                where.setdefault(key, tm[5])

    pdf.pages[0].extract_text(visitor_text=visit)
    assert where["ĐỒNG"] > where["THƯỢNG"]  # the long name wraps onto two lines…
    assert where["Số:"] == pytest.approx(where["Mỹ An, ngày"], abs=1)  # …Số stays level


def test_an_old_edited_template_still_renders(tmp_path: Path) -> None:
    """A template edited in Word with the earlier tags ({{ issuer }}, declined lines)."""
    mine = tmp_path / "mau"
    mine.mkdir()
    with files("cchc.templates").joinpath("docx", "ke-hoach.docx").open("rb") as stream:
        template = Document(stream)
    template.add_paragraph("Cơ quan: {{ issuer }}")
    template.add_paragraph("{%p for line in declined %}")
    template.add_paragraph("+ {{ line }}")
    template.add_paragraph("{%p endfor %}")
    template.save(str(mine / "ke-hoach.docx"))
    document = Document(str(write_plan_docx(PLAN, tmp_path / "out", template_dir=mine)[0]))
    texts = [p.text for p in document.paragraphs]
    assert "Cơ quan: ỦY BAN NHÂN DÂN\nXÃ MỸ AN" in texts
    assert "+ 1.2. Báo cáo: năm 2023 đạt 1/1 điểm, năm 2024 đạt 0/1 điểm." in texts


def test_each_body_once_with_whole_domains_and_shared_items() -> None:
    a, b = "Văn phòng", "Công an xã"
    keep = Appendix(1, "", [PlanSection("", [item("1.1", "x", "1", "1", owner=a)])])
    rows = [
        item("1.2", "x", "1", "0", owner=a),
        replace(item("9.1", "x", "1", "0", owner=a), domain="9. Tác động"),
        replace(item("9.2", "x", "1", "0", owner=b), domain="9. Tác động"),
        replace(item("9.3", "x", "1", "0", owner="Chủ tịch UBND xã"), domain="9. Tác động"),
    ]
    fix = Appendix(2, "", [PlanSection("", rows)])
    found = [
        (x.department, x.domains, x.items, x.keep, x.fix, x.leader) for x in assignments(keep, fix)
    ]
    assert found == [
        (a, ["1. Công tác chỉ đạo, điều hành CCHC"], ["9.1"], 1, 2, False),
        (b, [], ["9.2"], 0, 1, False),
        ("Chủ tịch UBND xã", [], ["9.3"], 0, 1, True),
    ]


def _tiers() -> Item:
    return Item.model_validate(
        {
            "code": "3.3.1",
            "title": "Tỷ lệ hồ sơ đúng hạn",
            "max": 2,
            "rule": {
                "kind": "tiers",
                "measure": {"ratio": ["Số hồ sơ đúng hạn", "Tổng số hồ sơ"]},
                "tiers": [{"from": 95, "points": 2}, {"from": 80, "points": 1}, {"else": 0}],
            },
        }
    )


def test_cause_gives_the_gap_the_appraisal_the_explanation_and_the_decline() -> None:
    leaf = LeafScore("3.3.1", D(2), {"self": D(0)})
    leaf.trace.update(inputs="số liệu 1 = 36; số liệu 2 = 50", evidence="Báo cáo số 12/BC-UBND")
    # 36 / 50 = 72%; the best tier asks from 95% for 2 points.
    assert cause(_tiers(), leaf, 2025) == "Đạt 72,00%, yêu cầu từ 95% để đạt 2 điểm"
    leaf.layers["appraisal_1"] = D(0)
    leaf.trace.update(comment="Số liệu không khớp báo cáo", explanation="Thiếu hồ sơ quý IV")
    was = Declined("3.3.1", "x", "3.3.1", D(1), D(2), D(0), D(2))
    assert cause(_tiers(), leaf, 2025, was, "Văn bản số 12/BC-UBND không tìm thấy") == (
        "Thẩm định 0 điểm: Số liệu không khớp báo cáo; đạt 72,00%, yêu cầu từ 95% để đạt 2 "
        "điểm; văn bản số 12/BC-UBND không tìm thấy; đơn vị giải trình: Thiếu hồ sơ quý IV; "
        "giảm so với năm 2024 (1/2 xuống 0/2 điểm)"
    )


def test_cause_placeholder_when_nothing_is_known() -> None:
    manual = Item.model_validate(
        {"code": "5.1", "title": "Chấp hành kỷ luật", "max": 1, "rule": {"kind": "manual"}}
    )
    leaf = LeafScore("5.1", D(1), {"self": D("0.5")})
    leaf.trace.update(inputs="điểm tự nhập = 0,5", evidence="Biên bản")
    assert cause(manual, leaf, 2025) == PLACEHOLDER
    leaf.trace.pop("evidence")
    assert cause(manual, leaf, 2025) == "Chưa có tài liệu kiểm chứng"


def test_deadlines_by_kind_before_the_report() -> None:
    by = date(2026, 11, 30)
    yes_no = Item.model_validate({"code": "1", "title": "x", "max": 1, "rule": {"kind": "yes_no"}})
    manual = Item.model_validate({"code": "2", "title": "x", "max": 1, "rule": {"kind": "manual"}})
    assert deadline_for(yes_no, True, False, by) == "Quý II/2026"
    assert deadline_for(manual, True, False, by) == "Quý III/2026"
    assert deadline_for(_tiers(), True, False, by) == "Trước ngày 30/11/2026"
    assert deadline_for(_tiers(), False, False, by) == "Thường xuyên, đến ngày 30/11/2026"
    # Reported by the end of May: no drafted deadline falls after it.
    assert deadline_for(manual, True, False, date(2026, 5, 31)) == "Trước ngày 31/05/2026"
