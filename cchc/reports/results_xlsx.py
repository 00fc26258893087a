"""The results workbook (ket-qua-<year>.xlsx): ranking, domain sub-indices, discrepancies,
issues, and each unit's items (a sheet per unit for a province, one long table past
UNIT_SHEETS_UP_TO units). The ranking and the domains print on A4 landscape at full size.

Written with XlsxWriter in constant-memory mode: thousands of unit sheets stream to disk row by
row. Scores are exact decimals until the cell, where Excel keeps them as numbers shown with two
decimals the set declares (precision).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path

from cchc.core.fileio import atomic_path
from cchc.core.issues import Issue, Severity
from cchc.core.numbers import pct
from cchc.core.xlsx_print import row_height
from cchc.criteria.model import CriteriaSet, Item
from cchc.reports.xlsx_book import Book, Row, index_style, points_style, title
from cchc.reports.xlsx_stream import Fragment, StreamedRows, number, templated
from cchc.scoring.discrepancy import Discrepancy, discrepancies
from cchc.scoring.index import LAYER_LABELS, LAYERS
from cchc.scoring.provisional import provisional, summary_of
from cchc.scoring.run import UnitScore, YearRun

RANKING = "Xếp hạng"
DOMAINS = "Lĩnh vực"
DIFFERENCES = "Chênh lệch"
ISSUES = "Vấn đề"


def write_results(
    run: YearRun, target: Path, previous: Mapping[str, Decimal | None] | None = None
) -> Path:
    """Write the results workbook whole or not at all."""
    with atomic_path(target) as tmp:
        write_results_to(run, tmp, previous)
    return target


def write_results_to(
    run: YearRun, path: Path, previous: Mapping[str, Decimal | None] | None = None
) -> None:
    """Write the results workbook at `path` (a temporary file the caller renames into place)."""
    book = Book(path)
    by_set: dict[tuple[str, int], list[UnitScore]] = {}
    for score in run.ranking():
        by_set.setdefault((score.set_id, score.set_year), []).append(score)
    for key, scores in by_set.items():
        name = RANKING if len(by_set) == 1 else f"{RANKING} {key[0]}"
        _ranking(book, name, run, run.sets[key], scores, previous)
    for key, scores in by_set.items():
        name = DOMAINS if len(by_set) == 1 else f"{DOMAINS} {key[0]}"
        _domains(book, name, run.sets[key], scores)
    sets = {s.unit.code: run.criteria(s) for s in run.units}
    _differences(book, discrepancies(run), sets)
    _issues(book, run.issues)
    _details(book, run)
    book.close()


def _ranking(
    book: Book,
    name: str,
    run: YearRun,
    criteria: CriteriaSet,
    scores: list[UnitScore],
    previous: Mapping[str, Decimal | None] | None,
) -> None:
    titles = ["STT", "Mã", "Đơn vị", "Nhóm", "Điểm đạt", "Điểm tối đa", "Điểm thưởng"]
    titles += ["Điểm trừ", "Chỉ số (%)", "Xếp loại", "Hạng"]
    year = run.year
    titles += [f"Chỉ số năm {year - 1} (%)", "Tăng/giảm", "Tạm tính"]
    # A4 landscape, one page wide, at full size (the domains have a sheet of their own).
    widths = [4, 7, 24, 7, 7, 7, 7, 6, 7, 8, 6, 8, 7, 14]
    ws = book.long_sheet(name, widths)  # 3,321 rows at national scale: streamed
    r = title(book, ws, f"Kết quả Chỉ số CCHC năm {year}: {criteria.title}", criteria)
    lacking = {s.unit.code: provisional(run, s) for s in scores}
    notice = summary_of(list(lacking.values()))
    if notice:
        book.row(ws, r - 1, [(notice, "banner")])
    book.table_head(ws, r, titles)
    ws.autofilter(r, 0, r + len(scores), len(titles) - 1)
    i = index_style(criteria)
    for n, score in enumerate(scores, start=1):
        t = score.totals
        last = (previous or {}).get(score.unit.code)
        change = t.index - last if t.index is not None and last is not None else None
        cells: Row = [(n, "int"), (score.unit.code, "text"), (score.unit.name, "text")]
        cells += [(criteria.groups.get(score.unit.group or "", score.unit.group or ""), "text")]
        cells += [(value, points_style(criteria)) for value in (t.points, t.max, t.bonus)]
        cells += [(t.penalty, points_style(criteria))]
        cells += [(t.index, index_style(criteria, bold=True)), (t.band or "", "text")]
        cells += [(t.rank if t.rank is not None else "không xếp hạng", "int")]
        cells += [(last, i), (change, i)]
        cells += [("; ".join(_SHORT[m] for m in lacking[score.unit.code]), "text")]
        book.row(ws, r + n, cells)


def _domains(book: Book, name: str, criteria: CriteriaSet, scores: list[UnitScore]) -> None:
    """Each unit's domain sub-indices, in ranking order, the domains named below the table."""
    domains = [d for d in criteria.items if (d.type or "score") == "score"]
    # 'Chỉ số chung', not 'Chỉ số': an official-results reader takes this sheet for no table.
    titles = ["Hạng", "Mã", "Đơn vị", "Chỉ số chung (%)"]
    titles += [f"Lĩnh vực {d.code} (%)" for d in domains]  # named in the legend below
    ws = book.long_sheet(name, [6, 7, 24, 8] + [7] * len(domains))
    r = title(book, ws, f"Chỉ số thành phần theo lĩnh vực năm {criteria.year}: {criteria.title}")
    book.table_head(ws, r, titles)
    ws.autofilter(r, 0, r + len(scores), len(titles) - 1)
    i = index_style(criteria)
    for n, score in enumerate(scores, start=1):
        rank = score.totals.rank if score.totals.rank is not None else "—"  # the ranking says why
        cells: Row = [(rank, "int"), (score.unit.code, "text"), (score.unit.name, "text")]
        cells += [(score.totals.index, index_style(criteria, bold=True))]
        cells += [(_node_index(score, d.code), i) for d in domains]
        book.row(ws, r + n, cells)
    legend = r + len(scores) + 2
    for n, d in enumerate(domains):
        # In the unit column, unwrapped: the name runs across the empty cells to its right.
        book.row(ws, legend + n, [(None, "text"), (None, "text"), (_legend(d), "line")])


def _legend(domain: Item) -> str:
    return f"Lĩnh vực {domain.code}: {domain.title}"


_SHORT = {"survey": "chưa có điểm điều tra", "appraisal": "chưa thẩm định"}


def _node_index(score: UnitScore, code: str) -> Decimal | None:
    node = score.totals.nodes.get(code)
    return node.index if node else None


DETAIL = "Chi tiết"
UNIT_SHEETS_UP_TO = 200
"""Up to this many units (a province), each has a sheet of its own; past it (a national run),
every unit's detail is one filterable long table (unit × item) beside the ranking."""
_DETAIL_TITLES = ["Mã", "Nội dung", "Điểm tối đa", *(LAYER_LABELS[x] for x in LAYERS)]
_DETAIL_TITLES += ["Điểm đạt", "Chỉ số (%)", "Điểm do"]


def _details(book: Book, run: YearRun) -> None:
    """Each unit's items: a sheet per unit, or one long table for a national run."""
    scores = run.ranking()
    if len(scores) <= UNIT_SHEETS_UP_TO:
        for score in scores:
            _unit_sheet(book, run, score)
        return
    widths = [9, 28, 9, 60, 9, 9, 9, 9, 9, 9, 9, 16]
    ws = book.long_sheet(DETAIL, widths)
    r = title(book, ws, f"Kết quả từng tiêu chí của từng đơn vị năm {run.year}")
    titles = ["Mã đơn vị", "Đơn vị", *_DETAIL_TITLES]
    book.table_head(ws, r, titles)
    start = r
    table = _LongTable(book, book.stream(ws), widths)
    for score in scores:
        r = table.unit(run, score, r)
    ws.autofilter(start, 0, r, len(titles) - 1)


_ItemKey = tuple[str, int, str, bool]
"""An item of the long table: its set, set year, code, and whether it is bold (not a leaf)."""
_Cell = tuple[int, str, str | None]
"""A cell of a row's shape: its column, its style, its label (None: a number, filled in)."""
_BOLD, _EXCLUDED = "(bold)", "(excluded)"
"""The kind of a domain's or criterion's row, and of a leaf out of the maximum (a leaf's row
is of the layer that decided it)."""


class _LongTable:
    """The long table's rows (440,000 at 3,321 units), each written from a template of its
    shape: the cells a row repeats (a unit's code and name, an item's code and title, a label)
    are made once, and a row fills in only its row number and its numbers."""

    def __init__(self, book: Book, rows: StreamedRows, widths: list[int]) -> None:
        self.book, self.rows, self.widths = book, rows, widths
        self.items: dict[_ItemKey, tuple[list[Fragment], float | None]] = {}
        self.labels: dict[tuple[int, str, str], tuple[Fragment | None, float | None]] = {}
        self.kinds: dict[tuple[object, ...], tuple[str, float | None, int]] = {}
        """Row templates by kind: the item, its layer or mark, which of its numbers are empty."""
        self.orders: dict[tuple[str, int], list[Item]] = {}

    def unit(self, run: YearRun, score: UnitScore, r: int) -> int:
        """Write the unit's rows after row `r`; the last row written."""
        style = self.book.style
        code, name = score.unit.code, score.unit.name
        head = [
            f
            for f in (
                self.rows.fragment(0, code, style("text")),
                self.rows.fragment(1, name, style("text")),
            )
            if f
        ]
        unit_cells = templated(head)
        unit_height = row_height([(code, self.widths[0], 12), (name, self.widths[1], 12)])
        order = self.orders.get((score.set_id, score.set_year))
        if order is None:
            walked = run.criteria(score).walk()
            order = self.orders[(score.set_id, score.set_year)] = [item for item, _ in walked]
        nodes, leaves = score.totals.nodes, score.leaves
        for item in order:
            node = nodes.get(item.code)
            if node is None:
                continue
            leaf = leaves.get(item.code)
            values: tuple[Decimal | None, ...]
            if leaf is None:  # a domain or criterion: its totals, bold
                values, mark = (node.max, node.points, node.index), _BOLD
            elif leaf.excluded:  # out of the maximum: its layers only
                values = (node.max, *[leaf.layers.get(layer) for layer in LAYERS])
                mark = _EXCLUDED
            else:
                layers = [leaf.layers.get(layer) for layer in LAYERS]
                values, mark = (node.max, *layers, node.points, node.index), leaf.by
            kind = (score.set_id, score.set_year, item.code, mark, *[v is None for v in values])
            made = self.kinds.get(kind)
            if made is None:  # the first row of its kind: made as a unit's own sheet makes it
                made = self.kinds[kind] = self._row_template(score, _item_rows(run, score, [item]))
            template, height, last = made
            r += 1
            numbers = [number(v) for v in values if v is not None]
            height = _taller(height, unit_height)
            self.rows.templated(r, height, template, numbers, last, prefix=unit_cells)
        return r

    def _row_template(self, score: UnitScore, rows: Iterator[Row]) -> tuple[str, float | None, int]:
        """The template of an item's row (its cells as `_item_rows` makes them), the height its
        item and labels need, and its last column; its numbers are the row's slots, in order."""
        cells = next(rows)
        key, item_height = self._item(score, cells)
        shape: list[_Cell] = []
        for c, (value, name_of_style) in enumerate(cells[2:], start=4):
            if value is None:
                continue  # not written
            if type(value) is str:  # a label ('Tự chấm', 'không tính'): fixed
                if value:
                    shape.append((c, name_of_style, value))
            else:
                shape.append((c, name_of_style, None))
        return self._shape(key, tuple(shape), item_height)

    def _item(self, score: UnitScore, cells: Row) -> tuple[_ItemKey, float | None]:
        """The item's key, its code and title cells made once, and the height they need."""
        (code, weight), (title_text, _) = cells[0], cells[1]
        key = (score.set_id, score.set_year, str(code), weight == "bold")
        found = self.items.get(key)
        if found is None:
            style = self.book.style(weight)
            made = [
                f
                for f in (
                    self.rows.fragment(2, code, style),
                    self.rows.fragment(3, title_text, style),
                )
                if f
            ]
            texts = [(str(code), self.widths[2], 12), (str(title_text), self.widths[3], 12)]
            found = self.items[key] = (made, row_height(texts))
        return key, found[1]

    def _shape(
        self, key: _ItemKey, shape: tuple[_Cell, ...], item_height: float | None
    ) -> tuple[str, float | None, int]:
        """A row shape's template (the item's cells, a slot per number, the labels), the
        height its item and labels need, and its last column."""
        item, _ = self.items[key]
        cells: list[Fragment | tuple[int, int]] = [*item]
        height = item_height
        last = item[-1][0] if item else -1
        for c, style, text in shape:
            if text is None:
                cells.append((c, self.book.style(style)))
            else:
                made, tall = self._label(c, text, style)
                height = _taller(height, tall)
                if made is not None:
                    cells.append(made)
            last = c
        return templated(cells), height, last

    def _label(self, c: int, text: str, style: str) -> tuple[Fragment | None, float | None]:
        """A label's cell and the height it needs, made once."""
        key = (c, style, text)
        found = self.labels.get(key)
        if found is None:
            tall = row_height([(text, self.widths[c], 12)]) if style in self.book.wrapped else None
            found = self.labels[key] = (self.rows.fragment(c, text, self.book.style(style)), tall)
        return found


def _taller(height: float | None, other: float | None) -> float | None:
    """The taller of two row heights (None: one line)."""
    if other is None:
        return height
    return other if height is None else max(height, other)


def _unit_sheet(book: Book, run: YearRun, score: UnitScore) -> None:
    criteria = run.criteria(score)
    ws = book.sheet(score.unit.code, [9, 60, 9, 9, 9, 9, 9, 9, 9, 16])
    t = score.totals
    r = title(book, ws, f"{score.unit.name} – Chỉ số CCHC năm {run.year}", criteria)
    index = pct(t.index, "%", criteria.precision.index)
    summary = f"Chỉ số {index} – xếp loại {t.band or '—'} – hạng {t.rank or '—'}"
    book.row(ws, r - 1, [(summary, "banner")])  # unwrapped: it runs across the columns
    book.table_head(ws, r, _DETAIL_TITLES)
    for cells in _item_rows(run, score):
        r += 1
        book.row(ws, r, cells)


def _item_rows(run: YearRun, score: UnitScore, order: list[Item] | None = None) -> Iterator[Row]:
    """The unit's items in the set's order (`order`: its items, walked once for many units):
    layers, points, index, which layer decided."""
    t = score.totals
    criteria = run.criteria(score)
    p, i = points_style(criteria), index_style(criteria)
    for item in order if order is not None else (item for item, _ in criteria.walk()):
        node = t.nodes.get(item.code)
        if node is None:
            continue
        leaf = score.leaves.get(item.code)
        weight = "text" if leaf else "bold"
        cells: Row = [(item.code, weight), (item.title, weight), (node.max, p)]
        if leaf is not None:
            cells += [(leaf.layers.get(layer), p) for layer in LAYERS]
            if leaf.excluded:  # out of the maximum: no points to show
                cells += [(None, p), (None, i), ("không tính", "text")]
            else:
                cells += [(node.points, p), (node.index, i), (LAYER_LABELS[leaf.by], "text")]
        else:
            cells += [(None, "text")] * len(LAYERS)
            bold_p, bold_i = points_style(criteria, bold=True), index_style(criteria, bold=True)
            cells += [(node.points, bold_p), (node.index, bold_i), ("", "text")]
        yield cells


def _differences(
    book: Book, rows: list[Discrepancy], sets: Mapping[str, CriteriaSet | None]
) -> None:
    titles = ["Mã ĐV", "Đơn vị", "Mã", "Nội dung", "Điểm tối đa", "Tự chấm", "Thẩm định lần 1"]
    titles += ["Thẩm định lần 2", "Chênh lệch", "Cơ quan thẩm định", "Nhận xét thẩm định"]
    titles += ["Tài liệu kiểm chứng", "Giải trình của đơn vị (dự thảo)"]
    ws = book.long_sheet(DIFFERENCES, [9, 26, 8, 40, 9, 9, 10, 10, 9, 18, 32, 28, 36])
    r = title(book, ws, "Các mục điểm thẩm định khác điểm tự chấm (tự chấm, lần 1, lần 2)")
    book.table_head(ws, r, titles)
    ws.autofilter(r, 0, r + max(len(rows), 1), len(titles) - 1)
    for n, d in enumerate(rows, start=1):
        cells: Row = [(d.unit_code, "text"), (d.unit_name, "text"), (d.code, "text")]
        p = points_style(sets.get(d.unit_code))
        cells += [(d.title, "text"), (d.max, p), (d.self_points, p)]
        cells += [(d.first, p), (d.second, p), (d.difference, p)]
        cells += [(d.body, "text"), (d.comment, "text")]
        cells += [(d.evidence, "text"), (d.explanation, "text")]
        book.row(ws, r + n, cells)


def _issues(book: Book, issues: list[Issue]) -> None:
    titles = ["Mức độ", "Mã lỗi", "Tệp", "Trang", "Ô", "Mục", "Nội dung"]
    ws = book.long_sheet(ISSUES, [10, 20, 36, 14, 8, 10, 80])
    r = title(book, ws, "Các vấn đề phát hiện khi chấm điểm")
    book.table_head(ws, r, titles)
    ws.autofilter(r, 0, r + max(len(issues), 1), len(titles) - 1)
    for n, issue in enumerate(issues, start=1):
        book.row(ws, r + n, [(v, "text") for v in _issue_cells(issue)])


def _issue_cells(issue: Issue) -> Iterator[str]:
    yield "Lỗi" if issue.severity is Severity.ERROR else "Cảnh báo"
    yield issue.code
    yield Path(issue.file).name if issue.file else ""
    yield from (issue.sheet or "", issue.cell or "", issue.item or "", issue.message)
