"""The year-on-year workbook (so-sanh-<from>-<to>.xlsx).

Sheets: `Đơn vị` (index, band and rank in both years), `Lĩnh vực` (each unit's domain
sub-indices), `Tiêu chí` (every item of every unit with its status) and `Đối chiếu` (the
crosswalk: which item continues which, and what changed).
"""

from __future__ import annotations

from pathlib import Path

from cchc.core.fileio import atomic_path
from cchc.criteria.crosswalk import KIND_LABELS
from cchc.criteria.model import Precision
from cchc.reports.xlsx_book import Book, Row, title
from cchc.scoring.compare import Comparison, Side, Standing

UNITS = "Đơn vị"
DOMAINS = "Lĩnh vực"
ITEMS = "Tiêu chí"
CROSSWALK = "Đối chiếu"


def _styles(precision: Precision) -> tuple[str, str]:
    """Number formats of points and of indices: the finest decimals of the sets compared."""
    return f"num{precision.points}", f"num{precision.index}"


def _standing(standing: Standing | None, i: str) -> Row:
    if standing is None:
        return [(None, i), ("", "text"), (None, "int")]
    rank = standing.rank if standing.rank is not None else "không xếp hạng"
    return [(standing.index, i), (standing.band or "", "text"), (rank, "int")]


def _side(side: Side | None, p: str, i: str) -> Row:
    if side is None:
        return [(None, p), (None, p), (None, i)]
    return [(side.max, p), (side.points, p), (side.share, i)]


def write_comparison(comparison: Comparison, target: Path) -> Path:
    """Write the workbook atomically."""
    y0, y1 = comparison.year_from, comparison.year_to
    with atomic_path(target) as tmp:
        book = Book(tmp)
        _units(book, comparison, y0, y1)
        _domains(book, comparison, y0, y1)
        _items(book, comparison, y0, y1)
        _crosswalk(book, comparison)
        book.close()
    return target


def _units(book: Book, comparison: Comparison, y0: int, y1: int) -> None:
    ws = book.sheet(UNITS, [9, 32, 10, 12, 9, 10, 12, 9, 10, 10])
    r = title(book, ws, f"So sánh Chỉ số CCHC năm {y1} với năm {y0}")
    book.row(ws, r - 1, [("; ".join(comparison.result_lines), "banner")])
    titles = ["Mã", "Đơn vị", f"Chỉ số {y0} (%)", f"Xếp loại {y0}", f"Hạng {y0}"]
    titles += [f"Chỉ số {y1} (%)", f"Xếp loại {y1}", f"Hạng {y1}", "Tăng/giảm (điểm %)"]
    titles += ["Tăng/giảm bậc"]
    book.table_head(ws, r, titles)
    ws.autofilter(r, 0, r + len(comparison.units), len(titles) - 1)
    _, i = _styles(comparison.precision)
    for n, unit in enumerate(comparison.units, start=1):
        cells: Row = [(unit.code, "text"), (unit.name, "text")]
        cells += _standing(unit.before, i) + _standing(unit.now, i)
        cells += [(unit.delta, i), (unit.rank_change, "int")]
        book.row(ws, r + n, cells)


def _domains(book: Book, comparison: Comparison, y0: int, y1: int) -> None:
    ws = book.long_sheet(DOMAINS, [9, 28, 8, 44, 11, 11, 11])
    r = title(book, ws, f"Chỉ số thành phần theo lĩnh vực: năm {y1} so với năm {y0}")
    titles = ["Mã đơn vị", "Đơn vị", "Mã", "Lĩnh vực", f"Năm {y0} (%)", f"Năm {y1} (%)"]
    titles += ["Tăng/giảm"]
    book.table_head(ws, r, titles)
    _, i = _styles(comparison.precision)
    for unit in comparison.units:
        for domain in unit.domains:
            r += 1
            cells: Row = [(unit.code, "text"), (unit.name, "text"), (domain.code, "text")]
            cells += [(domain.title, "text"), (domain.index_before, i)]
            cells += [(domain.index_now, i), (domain.delta, i)]
            book.row(ws, r, cells)


def _items(book: Book, comparison: Comparison, y0: int, y1: int) -> None:
    widths = [9, 8, 44, 9, 12, 8, 8, 8, 8, 8, 8, 20, 30]
    ws = book.long_sheet(ITEMS, widths)
    r = title(book, ws, f"Từng tiêu chí: năm {y1} so với năm {y0}")
    titles = ["Mã đơn vị", "Mã", "Nội dung", f"Mã năm {y0}", "Thay đổi mục"]
    titles += [f"Tối đa {y0}", f"Điểm {y0}", f"% tối đa {y0}"]
    titles += [f"Tối đa {y1}", f"Điểm {y1}", f"% tối đa {y1}", "Kết quả so sánh", "Ghi chú"]
    book.table_head(ws, r, titles)
    start = r
    p, i = _styles(comparison.precision)
    for unit in comparison.units:
        for item in unit.items:
            r += 1
            cells: Row = [(unit.code, "text"), (item.code or "", "text"), (item.title, "text")]
            cells += [(", ".join(item.old_codes), "text"), (KIND_LABELS[item.link], "text")]
            cells += _side(item.before, p, i) + _side(item.now, p, i)
            cells += [(item.label, "text"), (item.note, "text")]
            book.row(ws, r, cells)
    ws.autofilter(start, 0, r, len(titles) - 1)


def _crosswalk(book: Book, comparison: Comparison) -> None:
    ws = book.sheet(CROSSWALK, [18, 10, 44, 14, 12, 14, 40])
    r = title(book, ws, "Đối chiếu bộ tiêu chí giữa hai năm")
    titles = ["Bộ tiêu chí", "Mã", "Nội dung", "Mã năm trước", "Thay đổi", "So sánh được"]
    titles += ["Ghi chú"]
    book.table_head(ws, r, titles)
    for walk in comparison.crosswalks:
        label = f"{walk.old_set.id} {walk.old_set.year} → {walk.new_set.id} {walk.new_set.year}"
        new_titles = {i.code: i.title for i, _ in walk.new_set.walk()}
        old_titles = {i.code: i.title for i, _ in walk.old_set.walk()}
        for link in walk.links:
            r += 1
            item_title = new_titles[link.new] if link.new else old_titles[link.old[0]]
            cells: Row = [(label, "text"), (link.new or "", "text"), (item_title, "text")]
            cells += [(", ".join(link.old), "text"), (KIND_LABELS[link.kind], "text")]
            cells += [("có" if link.comparable else "không", "text"), (link.note, "text")]
            book.row(ws, r, cells)
