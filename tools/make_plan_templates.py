"""Build the bundled Word templates of the remediation plan in cchc/templates/docx.

    python tools/make_plan_templates.py

The .docx files are committed; a user may copy one into a template folder and edit it in Word.
The jinja2 tags are plain text in the document (docxtpl: '{%p …%}' repeats or drops a paragraph,
'{%tr …%}' a table row); the variables are those of `cchc.reports.plan_docx.plan_context`.
Layout after Nghị định 30/2020/NĐ-CP: Times New Roman, body 14 pt, tables 12 pt, A4 with the
plan in portrait and the appendices in landscape.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from cchc.reports.plan_docx import COLUMNS

OUT = Path(__file__).resolve().parent.parent / "cchc" / "templates" / "docx"
FONT = "Times New Roman"
PORTRAIT_WIDTH = 16.5
"""Text width in cm of portrait A4 with margins left 3, right 1.5."""
LANDSCAPE_WIDTH = sum(width for _, _, width in COLUMNS[1])
CENTER = WD_ALIGN_PARAGRAPH.CENTER
TEXT = "Plan Text"
HEADING = "Plan Heading"
CELL = "Table Text"
VARIABLE = {1: "keep", 2: "fix"}
TITLES = {1: "Phụ lục I", 2: "Phụ lục II"}

PURPOSE = [
    "- Khắc phục kịp thời những tồn tại, hạn chế được chỉ ra qua kết quả xác định Chỉ số cải "
    "cách hành chính năm {{ year }}; duy trì kết quả các tiêu chí, tiêu chí thành phần đạt điểm "
    "tối đa; phấn đấu nâng cao Chỉ số cải cách hành chính năm {{ plan_year }} của "
    "{{ issuer_name }}.",
    "- Nâng cao nhận thức, trách nhiệm của cán bộ, công chức trong thực hiện nhiệm vụ cải cách "
    "hành chính; gắn trách nhiệm của người đứng đầu với kết quả thực hiện từng lĩnh vực, tiêu chí "
    "được giao.",
]
REQUIREMENTS = [
    "- Nhiệm vụ, giải pháp phải cụ thể, khả thi, bám sát các tiêu chí, tiêu chí thành phần của Bộ "
    "Chỉ số; phân công rõ cơ quan chủ trì, cơ quan phối hợp và thời gian thực hiện.",
    "- Các cơ quan, đơn vị, công chức được giao nhiệm vụ triển khai thực hiện nghiêm túc, đúng "
    "tiến độ; lưu giữ đầy đủ tài liệu kiểm chứng phục vụ việc tự đánh giá, chấm điểm Chỉ số cải "
    "cách hành chính năm {{ plan_year }}.",
]
RESULTS = [
    "- Có {{ keep_count }} tiêu chí, tiêu chí thành phần đạt điểm tối đa (chi tiết tại Phụ lục I).",
    "- Có {{ fix_count }} tiêu chí, tiêu chí thành phần không đạt điểm hoặc chưa đạt điểm tối đa "
    "(không kể các tiêu chí đánh giá qua điều tra xã hội học), bị trừ tổng cộng {{ fix_lost }} "
    "điểm (chi tiết tại Phụ lục II).",
    "- {{ declined_intro }}",
]
TASKS = [
    (
        "1. Duy trì kết quả các tiêu chí đạt điểm tối đa",
        "Tiếp tục thực hiện tốt các nhiệm vụ đã đạt kết quả, duy trì điểm tối đa của "
        "{{ keep_count }} tiêu chí, tiêu chí thành phần năm {{ year }}; nhiệm vụ, giải pháp duy "
        "trì, cơ quan chủ trì, cơ quan phối hợp và thời gian thực hiện cụ thể tại Phụ lục I kèm "
        "theo Kế hoạch này.",
    ),
    (
        "2. Khắc phục những tồn tại, hạn chế",
        "Tập trung khắc phục {{ fix_count }} tiêu chí, tiêu chí thành phần không đạt điểm hoặc "
        "chưa đạt điểm tối đa năm {{ year }}; nguyên nhân, nhiệm vụ, giải pháp khắc phục, cơ quan "
        "chủ trì, cơ quan phối hợp và thời gian hoàn thành cụ thể tại Phụ lục II kèm theo Kế "
        "hoạch này.",
    ),
    (
        "3. Tài liệu kiểm chứng",
        "Các cơ quan, đơn vị, công chức được giao nhiệm vụ thường xuyên cập nhật, lưu trữ đầy đủ "
        "tài liệu kiểm chứng ngay khi hoàn thành nhiệm vụ, bảo đảm đúng thẩm quyền, đúng thời "
        "hạn, phục vụ việc tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {{ plan_year }}.",
    ),
]
TITLE = (
    "Khắc phục những tồn tại, hạn chế Chỉ số cải cách hành chính năm {{ year }}, duy trì và nâng "
    "cao Chỉ số cải cách hành chính năm {{ plan_year }}"
)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    plan = _document(landscape=False)
    _plan(plan)
    for number in (1, 2):
        _page_setup(plan.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        plan.sections[-1].different_first_page_header_footer = False
        _appendix(plan, number)
    _end(plan)
    plan.save(str(OUT / "ke-hoach.docx"))
    for number in (1, 2):
        document = _document(landscape=True)
        _appendix(document, number)
        _end(document)
        document.save(str(OUT / f"phu-luc-{number}.docx"))


def _document(landscape: bool) -> DocumentObject:
    document = Document()
    _styles(document)
    _page_setup(document.sections[0], landscape)
    return document


def _end(document: DocumentObject) -> None:
    """Word wants a paragraph after a table that ends the document: a 1 pt high one."""
    _add(document, "", "Normal").paragraph_format.line_spacing = Pt(1)


def _styles(document: DocumentObject) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts is not None
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    form = normal.paragraph_format
    form.space_before = form.space_after = Pt(0)
    form.line_spacing = 1.0
    text = document.styles.add_style(TEXT, WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = normal
    text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    text.paragraph_format.first_line_indent = Cm(1)
    text.paragraph_format.space_before = Pt(6)
    heading = document.styles.add_style(HEADING, WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = text
    heading.font.bold = True
    heading.paragraph_format.keep_with_next = True
    cell = document.styles.add_style(CELL, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(12)
    cell.paragraph_format.space_before = cell.paragraph_format.space_after = Pt(2)


def _page_setup(section: Section, landscape: bool) -> None:
    width, height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
        section.left_margin, section.right_margin = Cm(2), Cm(1.5)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.page_width, section.page_height = width, height
    section.top_margin = section.bottom_margin = Cm(2)
    section.header_distance = Cm(1)


def _add(
    parent: DocumentObject | _Cell,
    text: str = "",
    style: str = TEXT,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    size: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    """A paragraph; the first one written into a cell reuses the cell's empty paragraph."""
    paragraph: Paragraph
    first = parent.paragraphs[0] if isinstance(parent, _Cell) else None
    if first is not None and len(parent.paragraphs) == 1 and not first.runs:
        paragraph = first
        paragraph.style = style
    else:
        paragraph = parent.add_paragraph(style=style)
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size is not None:
            run.font.size = Pt(size)
        for element in run._r.iter(qn("w:t")):  # keep the blanks of 'ngày     tháng'
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return paragraph


def _centered(parent: DocumentObject | _Cell, text: str, size: float, **run: bool) -> Paragraph:
    return _add(parent, text, "Normal", size=size, align=CENTER, **run)


def _rule(parent: DocumentObject | _Cell, length: float, width: float) -> None:
    """The short solid line under a heading: a top border on an empty, indented paragraph."""
    paragraph = _add(parent, "", "Normal")
    form = paragraph.paragraph_format
    form.left_indent = form.right_indent = Cm((width - length) / 2)
    form.space_before, form.line_spacing = Pt(3), Pt(3)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        top.set(qn(f"w:{name}"), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"
    )


def _tag(parent: DocumentObject | _Cell, tag: str) -> None:
    _add(parent, tag, "Normal")


def _table(parent: DocumentObject | _Cell, widths: list[float], grid: bool) -> Table:
    table = parent.add_table(rows=0, cols=len(widths))
    if grid:
        table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    return table


def _row(table: Table, widths: list[float]) -> list[_Cell]:
    cells = table.add_row().cells  # type: ignore[no-untyped-call]
    for cell, width in zip(cells, widths, strict=True):
        cell.width = Cm(width)
    return list(cells)


def _repeat_header(cells: list[_Cell]) -> None:
    row_properties = cells[0]._tc.getparent().get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def _head_row(table: Table, widths: list[float], titles: list[str]) -> None:
    cells = _row(table, widths)
    for cell, title in zip(cells, titles, strict=True):
        _add(cell, title, CELL, bold=True, align=CENTER)
        cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    _repeat_header(cells)


def _tag_row(table: Table, widths: list[float], tag: str) -> None:
    cells = _row(table, widths)
    _add(cells[0].merge(cells[-1]), tag, CELL)


def _plan(document: DocumentObject) -> None:
    _page_number(document.sections[0])
    _header_block(document)
    _sample_note(document)
    _centered(document, "KẾ HOẠCH", 14, bold=True).paragraph_format.space_before = Pt(18)
    _centered(document, TITLE, 14, bold=True)
    _rule(document, 5, PORTRAIT_WIDTH)
    _add(
        document,
        "Căn cứ kết quả xác định Chỉ số cải cách hành chính năm {{ year }} của "
        "{{ issuer_name }} theo {{ set_title }}; {{ issuer_name }} ban hành Kế hoạch khắc phục "
        "những tồn tại, hạn chế Chỉ số cải cách hành chính năm {{ year }}, duy trì và nâng cao "
        "Chỉ số cải cách hành chính năm {{ plan_year }} như sau:",
    )
    _add(document, "I. MỤC ĐÍCH, YÊU CẦU", HEADING)
    _add(document, "1. Mục đích", HEADING)
    for line in PURPOSE:
        _add(document, line)
    _add(document, "2. Yêu cầu", HEADING)
    for line in REQUIREMENTS:
        _add(document, line)
    _add(document, "II. KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {{ year }}", HEADING)
    _add(document, "1. Kết quả chung", HEADING)
    _add(document, "{{ result }}")
    _add(document, "2. Kết quả theo lĩnh vực", HEADING)
    _domains(document)
    _add(document, "3. Kết quả theo tiêu chí, tiêu chí thành phần", HEADING)
    for line in RESULTS:
        _add(document, line)
    _declines(document)
    _add(document, "III. NHIỆM VỤ, GIẢI PHÁP", HEADING)
    for heading, text in TASKS:
        _add(document, heading, HEADING)
        _add(document, text)
    _add(document, "IV. TỔ CHỨC THỰC HIỆN", HEADING)
    _tag(document, "{%p for line in assignments %}")
    _add(document, "{{ line }}")
    _tag(document, "{%p endfor %}")
    _add(document, "{{ follow_up }}")
    _add(
        document,
        "Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị, "
        "công chức kịp thời báo cáo {{ issuer_name }} để xem xét, giải quyết./.",
    ).paragraph_format.keep_with_next = True  # with the signature block
    _signature(document)


def _sample_note(document: DocumentObject) -> None:
    """'BỘ TIÊU CHÍ MẪU …' when the criteria set is a sample; nothing otherwise."""
    _tag(document, "{%p if sample_note %}")
    _centered(document, "{{ sample_note }}", 13, bold=True).paragraph_format.space_before = Pt(6)
    _tag(document, "{%p endif %}")


def _page_number(section: Section) -> None:
    """The page number at the top centre, from the second page on."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _header_block(document: DocumentObject) -> None:
    """Nghị định 30/2020: the issuing body over its rule, the motto over its rule; a second row
    holds 'Số:' and the date line, so they stay level however long the body's name is."""
    widths = [6.5, PORTRAIT_WIDTH - 6.5]
    table = _table(document, widths, grid=False)
    left, right = _row(table, widths)
    _tag(left, "{%p if superior %}")
    _centered(left, "{{ superior }}", 13)
    _tag(left, "{%p endif %}")
    _tag(left, "{%p for line in header %}")
    _centered(left, "{{ line }}", 13, bold=True)
    _tag(left, "{%p endfor %}")
    _rule(left, 2, widths[0])
    _centered(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)
    _centered(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    _rule(right, 6.2, widths[1])
    left, right = _row(table, widths)
    _centered(left, "Số: {{ number }}", 13).paragraph_format.space_before = Pt(6)
    _centered(right, "{{ date_line }}", 14, italic=True).paragraph_format.space_before = Pt(6)


def _domains(document: DocumentObject) -> None:
    widths = [8.9, 2.4, 2.4, 2.8]
    table = _table(document, widths, grid=True)
    titles = ["Lĩnh vực", "Điểm tối đa", "Điểm đạt được", "Chỉ số thành phần"]
    _head_row(table, widths, titles)
    _tag_row(table, widths, "{%tr for d in domains %}")
    name, *numbers = _row(table, widths)
    _add(name, "{{ d.name }}", CELL)
    for cell, key in zip(numbers, ("max", "points", "index"), strict=True):
        _add(cell, f"{{{{ d.{key} }}}}", CELL, align=CENTER)
    _tag_row(table, widths, "{%tr endfor %}")


def _declines(document: DocumentObject) -> None:
    """The declining items summarised by domain; the items themselves are in Phụ lục II."""
    _tag(document, "{%p if declined_domains %}")
    widths = [8.9, 2.4, 2.6, 2.6]
    table = _table(document, widths, grid=True)
    titles = ["Lĩnh vực", "Số tiêu chí giảm điểm", "Điểm năm {{ previous_year }}"]
    _head_row(table, widths, [*titles, "Điểm năm {{ year }}"])
    _tag_row(table, widths, "{%tr for d in declined_domains %}")
    name, *numbers = _row(table, widths)
    _add(name, "{{ d.domain }}", CELL)
    for cell, key in zip(numbers, ("count", "before", "now"), strict=True):
        _add(cell, f"{{{{ d.{key} }}}}", CELL, align=CENTER)
    _tag_row(table, widths, "{%tr endfor %}")
    _tag(document, "{%p endif %}")


def _signature(document: DocumentObject) -> None:
    widths = [8.0, PORTRAIT_WIDTH - 8.0]
    table = _table(document, widths, grid=False)
    left, right = _row(table, widths)
    _add(
        left, "Nơi nhận:", "Normal", bold=True, italic=True, size=12
    ).paragraph_format.space_before = Pt(12)
    _tag(left, "{%p for line in recipients %}")
    _add(left, "- {{ line }}", "Normal", size=11)
    _tag(left, "{%p endfor %}")
    _tag(right, "{%p for line in signer %}")
    _centered(right, "{{ line }}", 14, bold=True).paragraph_format.space_before = Pt(6)
    _tag(right, "{%p endfor %}")
    for _ in range(4):
        _add(right, "", "Normal")
    right._tc.getparent().get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _appendix(document: DocumentObject, number: int) -> None:
    name = VARIABLE[number]
    _centered(document, TITLES[number], 14, bold=True)
    _centered(document, f"{{{{ {name}.title }}}}", 14, bold=True)
    _centered(document, f"{{{{ {name}.attachment }}}}", 14, italic=True)
    _rule(document, 5, LANDSCAPE_WIDTH)
    _sample_note(document)
    _add(document, "", "Normal").paragraph_format.line_spacing = Pt(6)
    columns = COLUMNS[number]
    widths = [width for _, _, width in columns]
    table = _table(document, widths, grid=True)
    _head_row(table, widths, [title.format(year="{{ year }}") for _, title, _ in columns])
    _tag_row(table, widths, f"{{%tr for section in {name}.sections %}}")
    roman, *rest = _row(table, widths)
    _add(roman, "{{ section.number }}", CELL, bold=True, align=CENTER)
    _add(rest[0].merge(rest[-1]), "{{ section.title }}", CELL, bold=True)
    _tag_row(table, widths, "{%tr for row in section.rows %}")
    for cell, (key, _, _) in zip(_row(table, widths), columns, strict=True):
        align = CENTER if key in ("number", "max", "points", "lost") else None
        _add(cell, f"{{{{ row.{key} }}}}", CELL, align=align)
    _tag_row(table, widths, "{%tr endfor %}")
    _tag_row(table, widths, "{%tr endfor %}")
    cells = _row(table, widths)
    _add(cells[0].merge(cells[1]), "Tổng cộng", CELL, bold=True, align=CENTER)
    for cell, (key, _, _) in zip(cells[2:], columns[2:], strict=True):
        if key in ("max", "points", "lost"):
            _add(cell, f"{{{{ {name}.{key} }}}}", CELL, bold=True, align=CENTER)


if __name__ == "__main__":
    main()
