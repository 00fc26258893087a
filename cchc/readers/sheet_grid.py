"""Where the cells of a sheet lie, read from its XML as bytes, the way python-calamine places them.

calamine builds each sheet as a dense grid from its first to its last value, so these scans give
rows and columns counted from A1 to the last value and stop as soon as a limit is passed. No XML
parser runs: nothing here can expand an entity or fetch a file.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
    rb"|<(/?)([^\s<>/=\"'!?]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)
"""A comment, CDATA section or processing instruction (where what looks like a tag is not one),
or a tag, whose quoted attribute values may hold '<' or '>' (quick-xml reads them so too)."""
_ATTR = re.compile(rb"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_ODS_VALUES = {
    b"value-type",
    b"value",
    b"string-value",
    b"date-value",
    b"time-value",
    b"boolean-value",
    b"formula",
}
_PLACING = {b"r", b"number-rows-repeated", b"number-columns-repeated"}
_USUAL: dict[int, re.Pattern[bytes]] = {}


class BadSheet(Exception):
    """A sheet calamine would fail on or that no spreadsheet program writes."""


@dataclass
class Grid:
    """Rows and columns from A1 to the last value seen; `before`: cells of earlier sheets."""

    rows: int = 0
    columns: int = 0
    before: int = 0
    name: str = ""

    def add(self, row: int, column: int) -> None:
        """Take in a value at (row, column), both counted from 1."""
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)

    def over(self, rows: int, cells: int) -> bool:
        """True once the grid passes either limit."""
        return self.rows > rows or self.before + self.rows * self.columns > cells


def xlsx_grid(data: bytes, rows: int, cells: int) -> Grid | None:
    """The grid of one .xlsx worksheet if it passes a limit, else None; raises BadSheet.

    A row's `r` moves to that row and each row's end to the next; a cell's `r` places it and the
    cells after it, a cell without one takes the next column; only cells with content count.
    """
    if _within(data, rows, cells):
        return None
    if b"<!DOCTYPE" in data:
        raise BadSheet("trang tính khai báo DOCTYPE")
    grid = Grid()
    row = column = 0
    for closing, name, raw, content in _tags(data):
        if name == b"row" and not closing:
            ref = attributes(raw).get(b"r")
            if ref is not None and not (ref.isdigit() and int(ref) > 0):
                raise BadSheet(f"địa chỉ dòng không hợp lệ: '{_shown(ref)}'")
            row = row if ref is None else int(ref) - 1
        if name == b"row" and (closing or raw.endswith(b"/")):
            row, column = row + 1, 0
        elif name == b"c" and not closing:
            ref = attributes(raw).get(b"r")
            at_row, at_column = (row, column) if ref is None else _cell(ref)
            column = at_column + 1
            if content:
                grid.add(at_row + 1, at_column + 1)
                if grid.over(rows, cells):
                    return grid
    return None


def ods_grid(data: bytes, rows: int, cells: int) -> Grid | None:
    """The grid of the first .ods sheet that passes a limit (all sheets load at once), or None.

    Empty cells count only before a value in their row and empty rows only above a row with one,
    as calamine expands them: the million empty rows LibreOffice writes after the data are free.
    """
    if b"<!DOCTYPE" in data:
        raise BadSheet("nội dung khai báo DOCTYPE")
    grid = Grid()
    row_at = row_width = column = 0
    repeat = 1
    for closing, name, raw, content in _tags(data):
        if not closing and name == b"table":
            sheet = html.unescape(attributes(raw).get(b"name", b"").decode("utf-8", "replace"))
            grid = Grid(before=grid.before + grid.rows * grid.columns, name=sheet)
            row_at = 0
        elif not closing and name == b"table-row":
            repeat = _repeat(attributes(raw).get(b"number-rows-repeated"))
            row_width = column = 0
        elif not closing and name in (b"table-cell", b"covered-table-cell"):
            found = attributes(raw)
            column += _repeat(found.get(b"number-columns-repeated"))
            if content or _ODS_VALUES & found.keys():
                row_width = column
        if name == b"table-row" and (closing or raw.endswith(b"/")):
            row_at += repeat
            if row_width:
                grid.add(row_at, row_width)
                if grid.over(rows, cells):
                    return grid
    return None


@dataclass(frozen=True)
class OdsCell:
    """A cell start tag of an .ods content part: where it is (0-based), how many rows and
    columns it stands for (LibreOffice repeats identical cells), and its attributes."""

    sheet: str
    row: int
    column: int
    rows: int
    columns: int
    attributes: dict[bytes, bytes]

    def covers(self, row: int, column: int) -> bool:
        """Whether the cell (row, column) is this one or one of its repeats."""
        return (
            self.row <= row < self.row + self.rows
            and self.column <= column < self.column + self.columns
        )


def ods_cells(data: bytes) -> Iterator[OdsCell]:
    """Every cell of an .ods content part (which passed the guards), in document order."""
    sheet = ""
    row_at = column = 0
    repeat = 1
    for closing, name, raw, _ in _tags(data):
        if not closing and name == b"table":
            sheet = html.unescape(attributes(raw).get(b"name", b"").decode("utf-8", "replace"))
            row_at = 0
        elif not closing and name == b"table-row":
            repeat = _repeat(attributes(raw).get(b"number-rows-repeated"))
            column = 0
        elif not closing and name in (b"table-cell", b"covered-table-cell"):
            found = attributes(raw)
            span = _repeat(found.get(b"number-columns-repeated"))
            yield OdsCell(sheet, row_at, column, repeat, span, found)
            column += span
        if name == b"table-row" and (closing or raw.endswith(b"/")):
            row_at += repeat


_UNUSUAL = re.compile(rb'<c(?! r="[A-Z][1-9][0-9]*+"(?: [st]="[^"]*+")*+/?>)[\s/>]')
"""Any cell start tag but `<c r="A1" s="1" t="s">`, whatever its row: Excel, LibreOffice, openpyxl
and XlsxWriter write every cell so, each placed by its own reference."""
_COLUMN = re.compile(rb'<c r="([A-Z])')


def _within(data: bytes, rows: int, cells: int) -> bool:
    """True if every cell is written the usual way and lies within the limits.

    A search or a few instead of reading every tag. First, no cell unusual or with a row number
    longer than both limits allow even with 26 columns: the sheets of units. Else, for long
    tables: the last column any cell uses leaves cells // columns rows, and one search finds a
    cell below them. Empty cells count here too, so a sheet this finds too large is read tag by
    tag for the exact figure.
    """
    if _PREFIXED_CELL.search(data) is not None:
        return False
    if _usual_cells(rows, cells).search(data) is None:
        return True
    if _UNUSUAL.search(data) is not None:
        return False
    columns = ord(max(_COLUMN.findall(data), default=b"@")) - ord("@")
    return columns == 0 or _row_beyond(min(rows, cells // columns)).search(data) is None


def _usual_cells(rows: int, cells: int) -> re.Pattern[bytes]:
    """Any cell start tag but `<c r="A1" s="1" t="s">` with a row below both limits."""
    digits = len(str(min(rows, cells // 26))) - 1
    pattern = _USUAL.get(digits)
    if pattern is None:
        usual = rb' r="[A-Z][1-9][0-9]{0,%d}"(?: [st]="[^"]*+")*+/?>' % (digits - 1)
        pattern = _USUAL[digits] = re.compile(rb"<c(?!" + usual + rb")[\s/>]")
    return pattern


@functools.cache
def _row_beyond(number: int) -> re.Pattern[bytes]:
    """A usual cell tag whose row is beyond `number`: more digits, or the first differing one
    greater."""
    digits = str(number)
    options = [f"[1-9][0-9]{{{len(digits)},}}"]
    for at, digit in enumerate(digits):
        if digit != "9":
            rest = len(digits) - at - 1
            options.append(f"{digits[:at]}[{int(digit) + 1}-9][0-9]{{{rest}}}")
    return re.compile(b'<c r="[A-Z](?:' + "|".join(options).encode() + b')"')


def _tags(data: bytes) -> Iterator[tuple[bool, bytes, bytes, bool]]:
    """(closing, local name, raw attributes, has content) of every tag, in document order."""
    for match in _TOKEN.finditer(data):
        closing, name, raw = match.groups()
        if name is None:
            continue  # a comment, CDATA section or processing instruction
        content = not raw.endswith(b"/") and not data.startswith(b"</", match.end())
        yield bool(closing), name.rsplit(b":", 1)[-1], raw, content


def attributes(raw: bytes) -> dict[bytes, bytes]:
    """A tag's attributes by local name (LibreOffice writes office: and calcext:value-type both).

    An attribute that places cells, given twice, is refused: calamine takes the first of some and
    the last of others, and no spreadsheet program writes one.
    """
    found = {}
    for match in _ATTR.finditer(raw):
        name = match.group(1).rsplit(b":", 1)[-1]
        if name in found and name in _PLACING:
            raise BadSheet(f"thuộc tính '{_shown(name)}' bị lặp trong một thẻ")
        found[name] = match.group(2) if match.group(2) is not None else match.group(3)
    return found


def _cell(ref: bytes) -> tuple[int, int]:
    """(row, column), from 0, of a reference such as 'AB12'."""
    match = _CELL_REF.fullmatch(ref)
    if match is None or int(match.group(2)) == 0:
        raise BadSheet(f"địa chỉ ô không hợp lệ: '{_shown(ref)}'")
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + letter - 64
    return int(match.group(2)) - 1, column - 1


def _repeat(value: bytes | None) -> int:
    """An .ods repeat count (calamine unescapes some of them: so do we)."""
    if value is None:
        return 1
    text = html.unescape(value.decode("ascii", "replace"))
    if not text.isdigit():
        raise BadSheet(f"số lần lặp không hợp lệ: '{_shown(value)}'")
    return int(text)


def _shown(value: bytes) -> str:
    return value[:20].decode("ascii", "replace")
