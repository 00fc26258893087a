"""The results workbook as LibreOffice prints it: the ranking one page wide and readable, the
header and the sample banner in full, the header repeated on every page."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cchc.criteria.loader import load_file
from cchc.criteria.model import CriteriaSet
from cchc.reports.results_xlsx import DOMAINS, RANKING, write_results
from cchc.reports.xlsx_book import TITLE_HEIGHT
from cchc.scoring.run import YearRun, rank_units
from cchc.units.model import Unit
from tests.office import SOFFICE, convert
from tests.pair import unit_score

NAMES = ["UBND phường Đông Hà", "UBND xã Tân Lập", "UBND xã Đồng Thành Phước Hưng Long Thượng"]


def _set() -> CriteriaSet:
    path = Path(str(files("cchc.criteria") / "sets" / "cchc-xa-2024.yaml"))
    loaded = load_file(path)
    assert loaded.set is not None, loaded.issues
    return loaded.set


def _workbook(tmp_path: Path) -> tuple[Path, CriteriaSet]:
    criteria = _set()
    units = [
        unit_score(
            criteria,
            Unit(code=f"X{n:03d}", name=NAMES[n % 3], group="xa"),
            {leaf.code: str(leaf.max) for leaf in list(criteria.leaves())[: n * 7]},
        )
        for n in range(1, 21)
    ]
    rank_units(units)
    run = YearRun(2024, {(criteria.id, criteria.year): criteria}, units)
    target = tmp_path / "ket-qua-2024.xlsx"
    write_results(run, target, {u.unit.code: None for u in units})
    return target, criteria


def test_ranking_print_setup(tmp_path: Path) -> None:
    """Landscape A4, one page wide, 1 cm side margins, the header row repeated; the title and
    the wrapped header rows have heights set (LibreOffice keeps 15 pt otherwise)."""
    path, _ = _workbook(tmp_path)
    ws = load_workbook(path)[RANKING]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None and setup.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.page_margins.left == pytest.approx(0.4) and ws.print_title_rows == "$4:$4"
    assert ws.row_dimensions[1].height == TITLE_HEIGHT
    assert (ws.row_dimensions[4].height or 0) >= 2 * 15  # "Điểm tối đa" on two lines
    header = [c.value for c in ws[4]]
    assert header == [
        "STT", "Mã", "Đơn vị", "Nhóm", "Điểm đạt", "Điểm tối đa", "Điểm thưởng", "Điểm trừ",
        "Chỉ số (%)", "Xếp loại", "Hạng", "Chỉ số năm 2023 (%)", "Tăng/giảm", "Tạm tính",
    ]  # fmt: skip
    dims = ws.column_dimensions.values()
    widths = [d.width * (d.max - d.min + 1) for d in dims if d.min and d.max]
    assert sum(widths) < 140  # were 23 columns, 195 characters wide, printed at 57 %


def test_domains_have_a_sheet_of_their_own(tmp_path: Path) -> None:
    """Each unit's domain sub-indices, in ranking order, the domains named below the table."""
    path, criteria = _workbook(tmp_path)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == [RANKING, DOMAINS]
    ws = wb[DOMAINS]
    domains = [d for d in criteria.items if (d.type or "score") == "score"]
    assert len(domains) == 9
    header = [c.value for c in ws[4]]
    assert header == ["Hạng", "Mã", "Đơn vị", "Chỉ số chung (%)"] + [
        f"Lĩnh vực {d.code} (%)" for d in domains
    ]
    ranking = [[c.value for c in row] for row in wb[RANKING].iter_rows(min_row=5, max_row=24)]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=24)]
    assert [r[1] for r in rows] == [r[1] for r in ranking]  # the ranking's order
    assert [(r[0], r[3]) for r in rows] == [(r[10], r[8]) for r in ranking]  # rank, index
    # X020 claimed the first 140 leaves at their maximum: every domain whole but the last ones
    x020 = next(r for r in rows if r[1] == "X020")
    assert x020[4] == 100
    legend = [ws.cell(row=r, column=3).value for r in range(26, 26 + len(domains))]
    assert legend == [f"Lĩnh vực {d.code}: {d.title}" for d in domains]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_ranking_prints_readable_on_one_page_width(tmp_path: Path) -> None:
    path, criteria = _workbook(tmp_path)
    pdf = PdfReader(convert(path, "pdf", tmp_path / "pdf"))
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > 40:  # above the footer ('Trang 1/…')
            sizes.append(size * tm[0] * cm[0])

    texts = [page.extract_text() for page in pdf.pages]
    # the ranking's pages: up to the next sheet, whose title opens its first page
    end = next(n for n, t in enumerate(texts) if "Chỉ số thành phần theo lĩnh vực" in t)
    after = next(n for n, t in enumerate(texts) if "Các mục điểm thẩm định khác điểm tự chấm" in t)
    assert end >= 2  # 20 units with long names: two pages tall, one page wide
    for number in range(end):
        page = pdf.pages[number]
        assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
        page.extract_text(visitor_text=visit)
        # the header on every page, with its last column (nothing cut to the right)
        assert "Tạm tính" in texts[number] and "STT Mã Đơn vị" in texts[number]
    # 12 pt text printed at 10 pt or more (the earlier widths: 46 %, then 57 %: 6,8 pt)
    assert min(sizes) >= 10, min(sizes)
    assert "Kết quả Chỉ số CCHC năm 2024" in texts[0] and "BỘ TIÊU CHÍ MẪU" in texts[0]
    ranking = "\n".join(texts[:end])
    assert all(f"X{n:03d}" in ranking for n in range(1, 21))
    # the domains' sheet, one page wide too, its legend in full
    sizes.clear()
    for number in range(end, after):
        assert "Lĩnh vực 9 (%)" in " ".join(texts[number].split())  # its last column
        pdf.pages[number].extract_text(visitor_text=visit)
    assert min(sizes) >= 9.5, min(sizes)
    assert f"Lĩnh vực 9: {criteria.items[8].title}" in "\n".join(texts[end:after])


def test_unit_sheet_summary_runs_across_the_columns(tmp_path: Path) -> None:
    """'Chỉ số … – xếp loại … – hạng …' above a unit's items is not wrapped in the 9-character
    code column (LibreOffice printed it on four lines, over the header)."""
    path, _ = _workbook(tmp_path)
    ws = load_workbook(path)["X001"]
    summary = ws.cell(row=3, column=1)
    assert str(summary.value).startswith("Chỉ số ") and " – hạng " in str(summary.value)
    assert not summary.alignment.wrap_text and summary.font.bold
