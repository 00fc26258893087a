"""The remediation plan as Word and Excel: what a unit's staff open, print and edit."""

from __future__ import annotations

import json
import unicodedata
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from xml.etree.ElementTree import canonicalize

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.table import _Cell, _Row
from openpyxl import load_workbook
from pypdf import PdfReader

from cchc.core.errors import CommandError
from cchc.reports import plan_docx
from cchc.reports.plan_docx import check_templates, long_date, result_sentence, write_plan_docx
from cchc.reports.plan_model import Appendix, Assignment, Declined, Plan, PlanRow, PlanSection
from cchc.reports.plan_xlsx import write_plan_xlsx
from tests.conftest import DATA
from tests.office import SOFFICE, convert
from tests.reports.xlsx_dump import dump

D = Decimal
NEEDS_OFFICE = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
DOMAIN = "1. Công tác chỉ đạo, điều hành CCHC"
SAMPLE = "BỘ TIÊU CHÍ MẪU – không phải văn bản chính thức"
SCORED = "(kết quả chấm điểm theo bộ Chỉ số CCHC cấp xã năm 2024)"
"""The result the plan is built on, named in its body: cchc's own scoring on the set."""
RESULT = (
    f"Chỉ số CCHC năm 2024 của UBND xã Mỹ An đạt 85,25%, xếp loại Tốt, xếp thứ 1/8 xã, phường "
    f"{SCORED}; so với năm 2023 (80,10%, xếp loại Khá, xếp thứ 3) tăng 5,15 điểm phần trăm, "
    "tăng 2 bậc."
)
APPENDICES = DATA / "plan" / "appendices-xlsx.json"
PREVIOUS = "Năm 2023: chỉ số 80,10%, xếp loại Khá, xếp thứ 3/8."
TRICKY = "Kiểm tra <b>hồ sơ</b> & báo cáo"
FORMULA = "=SUM(A1)"


def item(code: str, title: str, top: str, points: str, **extra: str) -> PlanRow:
    values = {
        "task": f"Duy trì {code}",
        "owner": "Công chức Văn phòng - Thống kê",
        "support": "Công chức Tư pháp - Hộ tịch",
        "deadline": "Quý II/2025",
    }
    values.update(extra)
    return PlanRow(code, title, DOMAIN, D(top), D(points), **values)


KEEP = [
    item("1.1.1", "Ban hành kế hoạch CCHC năm", "1", "1"),
    item("1.1.2", "Mức độ thực hiện kế hoạch CCHC", "2", "2"),
    item("3.2", "Công khai thủ tục hành chính", "1.5", "1.5"),
]
ZERO = item("1.1.4", TRICKY, "1", "0", task=FORMULA, cause="Chưa ban hành kế hoạch kiểm tra")
BELOW = [
    item("2.3", "Tỷ lệ hồ sơ giải quyết đúng hạn", "2", "1.5", task="Theo dõi hồ sơ\nhằng tuần"),
    item("4.1", "Tuyên truyền CCHC", "1", "0.75", cause="Thiếu tài liệu"),
]
PLAN = Plan(
    unit_code="X01",
    unit_name="Xã Mỹ An",
    issuer="UBND xã Mỹ An",
    superior="",
    header=["ỦY BAN NHÂN DÂN", "XÃ MỸ AN"],
    report_by=date(2025, 11, 30),
    report_to="UBND tỉnh Bắc Kạn",
    coordinator="Công chức Văn phòng - Thống kê",
    place="Mỹ An",
    year=2024,
    number="12/KH-UBND",
    date=date(2025, 1, 15),
    set_title="Bộ Chỉ số CCHC cấp xã năm 2024",
    sample=True,
    index=D("85.25"),
    band="Tốt",
    rank=1,
    rank_of=8,
    group_name="xã, phường",
    previous_index=D("80.10"),
    previous_band="Khá",
    previous_rank=3,
    domains=[(DOMAIN, D("8.5"), D("10"), D("85")), ("2. Thủ tục hành chính", D("7"), D("8"), None)],
    keep=Appendix(
        1,
        "Danh mục tiêu chí đạt điểm tối đa năm 2024 cần duy trì",
        [PlanSection("Tiêu chí đạt điểm tối đa", KEEP)],
    ),
    fix=Appendix(
        2,
        "Danh mục tiêu chí chưa đạt điểm tối đa năm 2024 cần khắc phục",
        [
            PlanSection("I. Tiêu chí không đạt điểm", [ZERO]),
            PlanSection("II. Tiêu chí chưa đạt điểm tối đa", BELOW),
        ],
    ),
    declined=[
        Declined("2.3", "Tỷ lệ hồ sơ", "2.2", D(2), D(2), D("1.5"), D(2), "2. Thủ tục hành chính"),
        Declined(
            "2.4", "Công khai", "2.4", D("0.5"), D(1), D("0.25"), D(1), "2. Thủ tục hành chính"
        ),
        Declined("1.2", "Báo cáo", "1.2", D(1), D(1), D(0), D(1), DOMAIN),
    ],
    assignments=[
        Assignment("Công chức Văn phòng - Thống kê", [DOMAIN, "2. Thủ tục hành chính"], 2, 2),
        Assignment("Công chức Tư pháp - Hộ tịch", [], 1, 1, ["1.1.4", "3.2"]),
        Assignment("Chủ tịch UBND xã", [], 1, 0, ["4.1"], leader=True),
    ],
)
ASSIGNMENTS = [
    "1. Công chức Văn phòng - Thống kê: chủ trì lĩnh vực 1 (Công tác chỉ đạo, điều hành CCHC) và "
    "lĩnh vực 2 (Thủ tục hành chính); duy trì 2 tiêu chí, tiêu chí thành phần đạt điểm tối đa "
    "(Phụ lục I) và khắc phục 2 tiêu chí, tiêu chí thành phần bị mất điểm (Phụ lục II); gửi kết "
    "quả thực hiện và tài liệu kiểm chứng về Chủ tịch UBND xã Mỹ An trước ngày 30/11/2025.",
    "2. Công chức Tư pháp - Hộ tịch: chủ trì các tiêu chí 1.1.4, 3.2; duy trì 1 tiêu chí, tiêu "
    "chí thành phần đạt điểm tối đa (Phụ lục I) và khắc phục 1 tiêu chí, tiêu chí thành phần bị "
    "mất điểm (Phụ lục II); gửi kết quả thực hiện và tài liệu kiểm chứng về Công chức Văn phòng "
    "- Thống kê trước ngày 30/11/2025.",
    "3. Chủ tịch UBND xã: trực tiếp chỉ đạo tiêu chí 4.1; duy trì 1 tiêu chí, tiêu chí thành phần "
    "đạt điểm tối đa (Phụ lục I).",
    "Công chức Văn phòng - Thống kê theo dõi, đôn đốc việc thực hiện Kế hoạch; tổng hợp kết quả, "
    "báo cáo Chủ tịch UBND xã Mỹ An trước ngày 30/11/2025; tham mưu UBND xã Mỹ An báo cáo UBND "
    "tỉnh Bắc Kạn (qua Sở Nội vụ) kết quả thực hiện cùng báo cáo công tác cải cách hành chính năm "
    "2025.",
]
KEEP_HEAD = [
    "STT",
    "Lĩnh vực / tiêu chí / tiêu chí thành phần",
    "Điểm tối đa",
    "Điểm đạt năm 2024",
    "Nhiệm vụ, giải pháp duy trì",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian thực hiện",
]
FIX_HEAD = [*KEEP_HEAD[:4], "Điểm bị trừ", "Nguyên nhân", "Nhiệm vụ, giải pháp khắc phục"]
FIX_HEAD += [*KEEP_HEAD[5:7], "Thời gian hoàn thành"]
OWNERS = ["Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch", "Quý II/2025"]
KEEP_ROWS = [
    ["I", "Tiêu chí đạt điểm tối đa"],
    ["1", "1.1.1. Ban hành kế hoạch CCHC năm", "1", "1", "Duy trì 1.1.1", *OWNERS],
    ["2", "1.1.2. Mức độ thực hiện kế hoạch CCHC", "2", "2", "Duy trì 1.1.2", *OWNERS],
    ["3", "3.2. Công khai thủ tục hành chính", "1,5", "1,5", "Duy trì 3.2", *OWNERS],
    ["Tổng cộng", "4,5", "4,5", "", "", "", ""],
]
FIX_ROWS = [
    ["I", "Tiêu chí không đạt điểm"],
    ["1", f"1.1.4. {TRICKY}", "1", "0", "1", "Chưa ban hành kế hoạch kiểm tra", FORMULA, *OWNERS],
    ["II", "Tiêu chí chưa đạt điểm tối đa"],
    ["2", "2.3. Tỷ lệ hồ sơ giải quyết đúng hạn", "2", "1,5", "0,5", "", BELOW[0].task, *OWNERS],
    ["3", "4.1. Tuyên truyền CCHC", "1", "0,75", "0,25", "Thiếu tài liệu", "Duy trì 4.1", *OWNERS],
    ["Tổng cộng", "4", "2,25", "1,75", "", "", "", "", ""],
]


def cells(row: _Row) -> list[str]:
    """The texts of a Word table row, one per cell (a merged cell once), paragraphs on lines."""
    return ["\n".join(p.text for p in _Cell(tc, row.table).paragraphs) for tc in row._tr.tc_lst]


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("plan")
    return {path.name: path for path in write_plan_docx(PLAN, out)}


@pytest.fixture(scope="module")
def pdfs(docs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, PdfReader]:
    """Each document as LibreOffice prints it."""
    out = tmp_path_factory.mktemp("pdf")
    return {name: PdfReader(convert(path, "pdf", out)) for name, path in docs.items()}


def text(pdf: PdfReader) -> str:
    """The PDF's text in NFC with single spaces (lines joined)."""
    joined = " ".join(page.extract_text() for page in pdf.pages)
    return " ".join(unicodedata.normalize("NFC", joined).split())


def orientations(pdf: PdfReader) -> list[str]:
    boxes = [page.mediabox for page in pdf.pages]
    return ["landscape" if box.width > box.height else "portrait" for box in boxes]


def test_writes_three_documents_named_by_year(docs: dict[str, Path]) -> None:
    assert sorted(docs) == ["ke-hoach-2024.docx", "phu-luc-1-2024.docx", "phu-luc-2-2024.docx"]


@pytest.mark.parametrize(
    ("name", "head", "rows"),
    [("phu-luc-1-2024.docx", KEEP_HEAD, KEEP_ROWS), ("phu-luc-2-2024.docx", FIX_HEAD, FIX_ROWS)],
)
def test_appendix_table_rows(
    docs: dict[str, Path], name: str, head: list[str], rows: list[list[str]]
) -> None:
    document = Document(str(docs[name]))
    (table,) = document.tables
    assert cells(table.rows[0]) == head
    assert [cells(row) for row in table.rows[1:]] == rows
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert not table.rows[1]._tr.xpath("./w:trPr/w:tblHeader")


@pytest.mark.parametrize("name", ["phu-luc-1-2024.docx", "phu-luc-2-2024.docx"])
def test_appendix_is_landscape_a4_with_heading(docs: dict[str, Path], name: str) -> None:
    document = Document(str(docs[name]))
    (section,) = document.sections
    assert section.orientation == WD_ORIENT.LANDSCAPE
    page = [section.page_width, section.page_height, section.left_margin, section.right_margin]
    width, height, left, right = (Length(x or 0).cm for x in page)
    assert (round(width, 1), round(height, 1)) == (29.7, 21.0)
    twips = sum(int(col.get(qn("w:w"))) for col in document.tables[0]._tbl.tblGrid)
    assert twips / 567 <= width - left - right + 0.01  # the table fits between the margins
    lines = [p.text for p in document.paragraphs if p.text]
    roman = "I" if name.startswith("phu-luc-1") else "II"
    assert lines[0] == f"Phụ lục {roman}"
    assert lines[2] == (
        "(Kèm theo Kế hoạch số 12/KH-UBND ngày 15 tháng 01 năm 2025 của UBND xã Mỹ An)"
    )
    assert SAMPLE in lines


def test_plan_text_and_sections(docs: dict[str, Path]) -> None:
    document = Document(str(docs["ke-hoach-2024.docx"]))
    kinds = [s.orientation for s in document.sections]
    assert kinds == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.LANDSCAPE]
    header = [cells(row) for row in document.tables[0].rows]
    assert header == [  # Nghị định 30/2020: a UBND has no superior line; Số level with the date
        [
            "ỦY BAN NHÂN DÂN\nXÃ MỸ AN\n",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n",
        ],
        ["Số: 12/KH-UBND", "Mỹ An, ngày 15 tháng 01 năm 2025"],
    ]
    assert cells(document.tables[3].rows[0]) == [
        "Nơi nhận:\n- UBND tỉnh Bắc Kạn (b/c);\n- Sở Nội vụ (b/c);\n"
        "- Chủ tịch, các Phó Chủ tịch UBND xã Mỹ An;\n- Các cơ quan, đơn vị tại mục IV;\n"
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n\n\n",
    ]
    lines = [p.text for p in document.paragraphs]
    assert RESULT in lines
    start = lines.index("IV. TỔ CHỨC THỰC HIỆN") + 1
    assert lines[start : start + 4] == ASSIGNMENTS
    assert SAMPLE in lines
    assert (
        "- Có 3 tiêu chí, tiêu chí thành phần giảm điểm so với năm 2023 (nguyên nhân, nhiệm vụ "
        "khắc phục tại Phụ lục II), tổng hợp theo lĩnh vực:"
    ) in lines
    assert not any(line.startswith("+ ") for line in lines)  # the items are in Phụ lục II
    declines = [cells(row) for row in document.tables[2].rows]
    assert declines == [  # by domain in order of first decline; points summed by hand
        ["Lĩnh vực", "Số tiêu chí giảm điểm", "Điểm năm 2023", "Điểm năm 2024"],
        ["2. Thủ tục hành chính", "2", "2,5", "1,75"],
        [DOMAIN, "1", "1", "0"],
    ]
    domains = [cells(row) for row in document.tables[1].rows]
    assert domains[1:] == [
        [DOMAIN, "10", "8,5", "85,00%"],
        ["2. Thủ tục hành chính", "8", "7", "—"],
    ]
    keep, fix = document.tables[-2:]
    assert [cells(row) for row in keep.rows] == [KEEP_HEAD, *KEEP_ROWS]
    assert [cells(row) for row in fix.rows] == [FIX_HEAD, *FIX_ROWS]
    assert keep.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert fix.rows[0]._tr.xpath("./w:trPr/w:tblHeader")


def test_times_new_roman_13_to_14_pt_tables_12(docs: dict[str, Path]) -> None:
    for path in docs.values():
        document = Document(str(path))
        assert document.styles["Normal"].font.name == "Times New Roman"
        assert document.styles["Normal"].font.size == Pt(14)
        assert document.styles["Table Text"].font.size == Pt(12)
        defaults = document.styles.element.find(qn("w:docDefaults"))
        fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        assert dict(fonts.attrib) == {
            qn(f"w:{script}"): "Times New Roman" for script in ("ascii", "hAnsi", "eastAsia", "cs")
        }
        body = document.element.body
        assert not list(body.iter(qn("w:rFonts")))  # no run picks another font
        sizes = {int(size.get(qn("w:val"))) / 2 for size in body.iter(qn("w:sz"))}
        assert sizes <= {11, 12, 13, 14}  # 11 only for the 'Nơi nhận' list


def test_blank_date_no_superior_no_previous_year(tmp_path: Path) -> None:
    plan = replace(
        PLAN,
        date=None,
        superior="",
        previous_index=None,
        previous_rank=None,
        declined=[],
        sample=False,
        number="   /KH-UBND",
    )
    document = Document(str(write_plan_docx(plan, tmp_path)[0]))
    header, _, signature, *_ = document.tables
    assert [cells(row)[0] for row in header.rows] == [
        "ỦY BAN NHÂN DÂN\nXÃ MỸ AN\n",
        "Số:    /KH-UBND",
    ]
    assert cells(header.rows[1])[1] == "Mỹ An, ngày     tháng     năm 2025"
    assert cells(signature.rows[0])[0].startswith("Nơi nhận:\n- UBND tỉnh Bắc Kạn (b/c);")
    lines = [p.text for p in document.paragraphs]
    assert "- Chưa có kết quả năm 2023 để so sánh." in lines
    assert SAMPLE not in lines


def test_control_characters_do_not_break_the_file(tmp_path: Path) -> None:
    row = replace(ZERO, task="Lập danh sách\x0b hồ sơ\f\x07", cause="Tab\tgiữa")
    plan = replace(PLAN, fix=Appendix(2, "Danh mục", [PlanSection("I. Không đạt", [row])]))
    path = write_plan_docx(plan, tmp_path)[2]
    (table,) = Document(str(path)).tables
    assert cells(table.rows[2])[5:7] == ["Tab\tgiữa", "Lập danh sách hồ sơ"]


def test_user_template_overrides_the_bundled_one(tmp_path: Path) -> None:
    mine = tmp_path / "mau"
    mine.mkdir()
    bundled = files("cchc.templates").joinpath("docx", "phu-luc-1.docx")
    with bundled.open("rb") as stream:
        template = Document(stream)
    template.add_paragraph("Mẫu riêng của {{ issuer_name }}: {{ keep.points }} điểm")
    template.save(str(mine / "phu-luc-1.docx"))
    plan, keep, fix = write_plan_docx(PLAN, tmp_path / "out", template_dir=mine)
    assert "Mẫu riêng của UBND xã Mỹ An: 4,5 điểm" in paragraphs(keep)
    assert [cells(row) for row in Document(str(keep)).tables[0].rows][1:] == KEEP_ROWS
    assert not any("Mẫu riêng" in line for line in paragraphs(plan) + paragraphs(fix))


def test_long_date_follows_decree_30() -> None:
    assert long_date(date(2025, 1, 5), 2025) == "ngày 05 tháng 01 năm 2025"
    assert long_date(date(2025, 3, 15), 2025) == "ngày 15 tháng 3 năm 2025"
    assert long_date(date(2025, 12, 31), 2025) == "ngày 31 tháng 12 năm 2025"
    assert long_date(None, 2025) == "ngày     tháng     năm 2025"


def test_result_sentence_variants() -> None:
    assert result_sentence(PLAN) == RESULT
    worse = replace(PLAN, index=D("80.1"), rank=5, band=None)
    assert result_sentence(worse) == (
        f"Chỉ số CCHC năm 2024 của UBND xã Mỹ An đạt 80,10%, xếp thứ 5/8 xã, phường {SCORED}; so "
        "với năm 2023 (80,10%, xếp loại Khá, xếp thứ 3) không thay đổi, giảm 2 bậc."
    )
    unranked = replace(PLAN, rank=None, previous_index=None)
    assert result_sentence(unranked) == (
        f"Chỉ số CCHC năm 2024 của UBND xã Mỹ An đạt 85,25%, xếp loại Tốt, không xếp hạng {SCORED}."
    )
    assert result_sentence(replace(PLAN, index=None)) == (
        "Chưa xác định được Chỉ số CCHC năm 2024 của UBND xã Mỹ An."
    )


def test_the_result_sentence_names_the_result_the_plan_is_built_on() -> None:
    """cchc's scoring on the set (and what it still lacks), the official result, or the official
    index, band and rank with cchc's points of the items."""
    first = (
        "Chỉ số CCHC năm 2024 của UBND xã Mỹ An đạt 85,25%, xếp loại Tốt, xếp thứ 1/8 xã, phường"
    )
    alone = replace(PLAN, previous_index=None)
    provisional = replace(
        alone, provisional="Kết quả tạm tính: chưa thẩm định (điểm là điểm tự chấm)"
    )
    assert result_sentence(provisional) == (
        f"{first} (kết quả chấm điểm theo bộ Chỉ số CCHC cấp xã năm 2024; kết quả tạm tính: chưa "
        "thẩm định (điểm là điểm tự chấm))."
    )
    titled = replace(alone, set_title="Chỉ số CCHC cấp xã năm 2024")
    assert result_sentence(titled) == (
        f"{first} (kết quả chấm điểm theo bộ tiêu chí Chỉ số CCHC cấp xã năm 2024)."
    )
    official = replace(alone, result="official")
    assert result_sentence(official) == f"{first} (kết quả chính thức do cấp trên công bố)."
    mixed = replace(official, scored_items=True)
    assert result_sentence(mixed) == (
        f"{first} (chỉ số, xếp loại, xếp hạng theo kết quả chính thức do cấp trên công bố; kết "
        "quả chính thức chỉ có điểm lĩnh vực nên điểm từng tiêu chí, tiêu chí thành phần tại Phụ "
        "lục I, II là kết quả chấm điểm theo bộ Chỉ số CCHC cấp xã năm 2024)."
    )
    self_only = replace(
        mixed, provisional="Kết quả tạm tính: chưa thẩm định (điểm là điểm tự chấm)"
    )
    assert result_sentence(self_only) == (
        f"{first} (chỉ số, xếp loại, xếp hạng theo kết quả chính thức do cấp trên công bố; kết "
        "quả chính thức chỉ có điểm lĩnh vực nên điểm từng tiêu chí, tiêu chí thành phần tại Phụ "
        "lục I, II là kết quả chấm điểm theo bộ Chỉ số CCHC cấp xã năm 2024 (chưa thẩm định, điểm "
        "là điểm tự chấm))."
    )


@NEEDS_OFFICE
def test_pdf_shows_every_row_and_the_totals(pdfs: dict[str, PdfReader]) -> None:
    plan = text(pdfs["ke-hoach-2024.docx"])
    for name, rows in (("phu-luc-1-2024.docx", KEEP), ("phu-luc-2-2024.docx", [ZERO, *BELOW])):
        appendix = text(pdfs[name])
        for row in rows:
            assert f"{row.code}. {row.title}" in appendix
            assert f"{row.code}. {row.title}" in plan
        assert SAMPLE in appendix
    assert "Tổng cộng 4,5 4,5" in text(pdfs["phu-luc-1-2024.docx"])
    assert "Tổng cộng 4 2,25 1,75" in text(pdfs["phu-luc-2-2024.docx"])
    assert FORMULA in text(pdfs["phu-luc-2-2024.docx"])
    assert RESULT in plan
    assert "Tổng cộng 4,5 4,5" in plan
    assert "Tổng cộng 4 2,25 1,75" in plan


@NEEDS_OFFICE
def test_pdf_plan_is_portrait_and_appendices_landscape(pdfs: dict[str, PdfReader]) -> None:
    plan = orientations(pdfs["ke-hoach-2024.docx"])
    assert plan[0] == "portrait"
    assert plan[-2:] == ["landscape", "landscape"]
    assert plan == sorted(plan, key=["portrait", "landscape"].index)
    assert orientations(pdfs["phu-luc-1-2024.docx"]) == ["landscape"]
    assert orientations(pdfs["phu-luc-2-2024.docx"]) == ["landscape"]


def test_xlsx_values_and_print_setup(tmp_path: Path) -> None:
    keep_path, fix_path = write_plan_xlsx(PLAN, tmp_path)
    assert (keep_path.name, fix_path.name) == ("phu-luc-1-2024.xlsx", "phu-luc-2-2024.xlsx")
    ws = load_workbook(fix_path).active
    assert ws is not None
    assert ws.title == "Phụ lục II"
    heading = [ws.cell(r, 1).value for r in range(1, 5)]
    assert heading == [
        "Phụ lục II",
        "DANH MỤC TIÊU CHÍ CHƯA ĐẠT ĐIỂM TỐI ĐA NĂM 2024 CẦN KHẮC PHỤC",
        "(Kèm theo Kế hoạch số 12/KH-UBND ngày 15 tháng 01 năm 2025 của UBND xã Mỹ An)",
        SAMPLE,
    ]
    rows = [list(r) for r in ws.iter_rows(min_row=6, values_only=True)]
    assert rows[0] == FIX_HEAD
    assert rows[1:] == [
        ["I", "Tiêu chí không đạt điểm"] + [None] * 8,
        [1, f"1.1.4. {TRICKY}", 1, 0, 1, "Chưa ban hành kế hoạch kiểm tra", FORMULA, *OWNERS],
        ["II", "Tiêu chí chưa đạt điểm tối đa"] + [None] * 8,
        [2, "2.3. Tỷ lệ hồ sơ giải quyết đúng hạn", 2, 1.5, 0.5, None, BELOW[0].task, *OWNERS],
        [3, "4.1. Tuyên truyền CCHC", 1, 0.75, 0.25, "Thiếu tài liệu", "Duy trì 4.1", *OWNERS],
        ["Tổng cộng", None, 4, 2.25, 1.75, None, None, None, None, None],
    ]
    assert ws["G8"].data_type == "s"
    assert ws["C8"].number_format == "0.00"
    assert {str(r) for r in ws.merged_cells.ranges} >= {"B7:J7", "B9:J9", "A12:B12"}
    assert ws.print_title_rows == "$6:$6"
    assert ws.freeze_panes == "A7"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.fitToWidth in (None, 1)  # one page wide (1 is the default, not written)
    assert ws.page_setup.fitToHeight == 0
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None and setup.fitToPage


def test_xlsx_keep_appendix_totals(tmp_path: Path) -> None:
    keep_path, _ = write_plan_xlsx(replace(PLAN, sample=False), tmp_path)
    ws = load_workbook(keep_path).active
    assert ws is not None
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert SAMPLE not in [r[0] for r in rows]
    assert rows[4] == KEEP_HEAD
    assert [r[:4] for r in rows[5:]] == [
        ["I", "Tiêu chí đạt điểm tối đa", None, None],
        [1, "1.1.1. Ban hành kế hoạch CCHC năm", 1, 1],
        [2, "1.1.2. Mức độ thực hiện kế hoạch CCHC", 2, 2],
        [3, "3.2. Công khai thủ tục hành chính", 1.5, 1.5],
        ["Tổng cộng", None, 4.5, 4.5],
    ]


def test_an_edited_template_with_a_broken_tag_is_named(tmp_path: Path) -> None:
    """A tag broken while editing in Word: the file and the tag are named, nothing is written."""
    mine = tmp_path / "mau"
    mine.mkdir()
    bundled = files("cchc.templates").joinpath("docx", "phu-luc-1.docx")
    with bundled.open("rb") as stream:
        template = Document(stream)
    template.add_paragraph("Mẫu riêng của {{ issuer_name }: {{ keep.points }} điểm")
    template.save(str(mine / "phu-luc-1.docx"))
    with pytest.raises(CommandError) as caught:
        check_templates(mine)
    assert caught.value.message == (
        f"mẫu Word '{mine / 'phu-luc-1.docx'}' có thẻ bị hỏng khi sửa ({{{{ issuer_name }}:); "
        "trình đọc mẫu báo: unexpected '}'"
    )


def test_an_edited_template_that_is_not_a_document_is_named(tmp_path: Path) -> None:
    mine = tmp_path / "mau"
    mine.mkdir()
    (mine / "ke-hoach.docx").write_text("không phải Word", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        check_templates(mine)
    assert caught.value.message == (
        f"mẫu Word '{mine / 'ke-hoach.docx'}' không phải tệp .docx đọc được (BadZipFile)"
    )
    check_templates(None)  # the bundled templates: nothing to check


def _canonical_parts(path: Path) -> dict[str, str]:
    """Every XML part of a .docx in canonical form (namespace declarations in scope once)."""
    with zipfile.ZipFile(path) as package:
        return {
            name: canonicalize(package.read(name).decode("utf-8"))
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        }


@pytest.mark.parametrize("kind", ["plain", "line-breaks"])
def test_the_fast_path_writes_what_docxtpl_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Each template prepared once, each document one render and a zip of the changed parts:
    every part of every file equal, in canonical XML, to what docxtpl writes."""
    plan = PLAN
    if kind == "line-breaks":  # docxtpl's listing pass: \\n, \\t, \\a, \\f in the text
        row = replace(ZERO, task="Lập danh sách\\nhồ sơ\\ttheo mẫu", cause="Nguyên nhân\\nthứ hai")
        plan = replace(PLAN, fix=Appendix(2, "Danh mục", [PlanSection("I. Không đạt", [row])]))
    fast = write_plan_docx(plan, tmp_path / "fast")
    monkeypatch.setattr(plan_docx, "FAST", False)
    slow = write_plan_docx(plan, tmp_path / "slow")
    monkeypatch.setattr(plan_docx, "FAST", True)
    assert [p.name for p in fast] == [p.name for p in slow]
    for mine, theirs in zip(fast, slow, strict=True):
        assert _canonical_parts(mine) == _canonical_parts(theirs), mine.name
    before = plan_docx._prepared.cache_info()
    write_plan_docx(plan, tmp_path / "again")
    after = plan_docx._prepared.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (3, 0)  # prepared once


@pytest.mark.parametrize("variant", ["sample", "plain", "previous"])
def test_xlsx_appendices_equal_the_pinned_workbooks(tmp_path: Path, variant: str) -> None:
    """Every cell, look, merge, row height and print setting of both Excel appendices, as
    written by XlsxWriter cell by cell before the rows were streamed (pinned in
    tests/data/plan/appendices-xlsx.json: the slower path's output)."""
    pinned = json.loads(APPENDICES.read_text(encoding="utf-8"))[variant]
    plan = {
        "sample": PLAN,
        "plain": replace(PLAN, sample=False),
        "previous": replace(PLAN, previous_result=PREVIOUS),
    }[variant]
    keep, fix = write_plan_xlsx(plan, tmp_path)
    got = {"phu-luc-1": dump(keep), "phu-luc-2": dump(fix)}
    assert json.loads(json.dumps(got, ensure_ascii=False, default=str)) == pinned
