"""The rows of a long table streamed straight into its sheet's XML, beside XlsxWriter.

A national results workbook holds some 450 000 rows of unit × item; XlsxWriter spends about
20 µs a cell on them (a cell object, its checks, its escaping, one write each), most of a
`score` run. A long sheet's title, header, widths, filter, panes and print set-up are still
XlsxWriter's; only the rows below its header are written here, as XlsxWriter writes them (the
same style indexes, the same row heights, text in the workbook's shared strings), into a
temporary file. When the workbook closes, they are spliced into the sheet's part before its
`</sheetData>`. A test reads both paths' workbooks and finds the same cells, styles and heights.

Text goes to XlsxWriter's shared-string table, as its own cells' does: a unit's name and an
item's title repeat on thousands of rows, and written inline they were half of the national
table's 237 MB of sheet XML (to write, to deflate, and for Excel to read back).

A plan's appendix streams every row (heading, header, items, merges) into a sheet XlsxWriter
laid out once per shape (`cchc.reports.plan_xlsx`); its rows stay in memory, text inline.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Protocol

from xlsxwriter.utility import xl_col_to_name, xl_range

_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_MERGES = re.compile(r'<mergeCells count="([0-9]+)">')
_DIMENSION = re.compile(r'<dimension ref="([A-Z]+[0-9]+)(?::[A-Z]+[0-9]+)?"/>')
_CHUNK = 1 << 20


@lru_cache(maxsize=65536)
def _string(text: str) -> str:
    """The inline-string cell body of `text`, escaped as XlsxWriter escapes it."""
    text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


@lru_cache(maxsize=256)
def _column(c: int) -> str:
    return f'<c r="{xl_col_to_name(c)}'


BLANK = object()
"""A cell with a style and no value (a border to draw, a merged range's other cells)."""
_STYLE = [f'" s="{n}"' for n in range(4096)]
"""The style attribute of each XlsxWriter style index (a workbook here has a few dozen)."""


Fragment = tuple[int, str, str]
"""A cell: its column (0-based), and its XML either side of its row number."""


class Strings(Protocol):
    """XlsxWriter's shared-string table (`Workbook.str_table`): an index per text, and the
    count of the cells that refer to one."""

    count: int

    def _get_shared_string_index(self, string: str) -> int: ...


def _tail(value: Any, style: int, strings: Strings | None) -> str | None:
    """A cell's XML after its row number (None: an empty value, not written); text goes to
    `strings` when there is a table (one reference counted), inline otherwise."""
    kind = type(value)
    if kind is Decimal or kind is int or kind is float:  # the most cells: checked first
        return f"{_STYLE[style]}><v>{number(value)}</v></c>"
    if value is None or value == "":
        return None
    if value is BLANK:
        return _STYLE[style] + "/>"
    if isinstance(value, (Decimal, int, float)):  # a subclass (bool: 0 or 1)
        return f"{_STYLE[style]}><v>{number(value)}</v></c>"
    text = str(value)
    if strings is None or (text.startswith("<r>") and text.endswith("</r>")):
        # (XlsxWriter would write such a shared string as rich text, unescaped)
        return _STYLE[style] + _string(text)
    return f'{_STYLE[style]} t="s"><v>{strings._get_shared_string_index(text)}</v></c>'


@lru_cache(maxsize=65536)
def number(value: Decimal | int | float) -> str:
    """A number as XlsxWriter writes it (points repeat: a national table has a few hundred);
    what a slot of a `templated` row takes."""
    return f"{float(value):.16G}"


def templated(cells: Sequence[Fragment | tuple[int, int]]) -> str:
    """A row's cells as one `str.format` template: '{0}' for the row number, '{1}', '{2}'…
    for the numbers of the (column, style) slots, in order (see `StreamedRows.templated`); the
    fragments are fixed cells (a label, an item's title)."""
    parts = []
    slot = 0
    for cell in cells:
        if len(cell) == 3:
            _, head, tail = cell
            parts.append(_braced(head) + "{0}" + _braced(tail))
        else:
            slot += 1
            c, style = cell
            parts.append(f"{_braced(_column(c))}{{0}}{_STYLE[style]}><v>{{{slot}}}</v></c>")
    return "".join(parts)


def _braced(xml: str) -> str:
    return xml.replace("{", "{{").replace("}", "}}")


def member(index: int) -> str:
    """The zip member of the sheet at `index` (0-based) of an XlsxWriter workbook."""
    return f"xl/worksheets/sheet{index + 1}.xml"


class StreamedRows:
    """The rows of one sheet below its header, as sheet XML in a temporary file."""

    def __init__(self, index: int, in_memory: bool = False, strings: Strings | None = None) -> None:
        self.member = member(index)
        self.strings = strings
        """The workbook's shared strings (None: text is written inline)."""
        self._references: dict[str, int] = {}
        """The shared-string cells in each row template used."""
        # Open for the Book's life; closed by splice (or with the object, if writing fails).
        # In memory for a small sheet (a plan's appendix), on disk for a national table.
        self.file: IO[str] = (
            io.StringIO()
            if in_memory
            else tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        )
        self.last_row = -1
        self.last_column = -1
        self.merges: list[str] = []
        """Ranges merged among the streamed rows ('B8:J8')."""

    def row(self, r: int, height: float | None, cells: list[tuple[Any, int]]) -> None:
        """Row `r` (0-based) of (value, style index) cells; empty values are skipped, BLANK
        ones written with their style only."""
        row = str(r + 1)
        parts = [_row_tag(row, height)]
        last = -1
        for c, (value, style) in enumerate(cells):
            tail = _tail(value, style, self.strings)
            if tail is not None:
                parts += (_column(c), row, tail)
                last = c
        parts.append("</row>")
        self.file.write("".join(parts))
        self._wrote(r, last)

    def fragment(self, c: int, value: Any, style: int) -> Fragment | None:
        """The cell of `value` in column `c`, to be used in `templated` rows; None for an empty
        value, which is not written (BLANK: a cell with its style only)."""
        tail = _tail(value, style, self.strings)
        if tail is None:
            return None
        if self.strings is not None and tail.endswith("</v></c>") and ' t="s">' in tail:
            self.strings.count -= 1  # a fragment is counted where a row uses it
        return (c, _column(c), tail)

    def templated(
        self,
        r: int,
        height: float | None,
        template: str,
        numbers: list[str],
        last: int,
        prefix: str = "",
    ) -> None:
        """Row `r` (0-based) from a `templated` row and the numbers of its slots (`number`),
        after the fixed cells of `prefix` (a `templated` row without slots: a unit's code and
        name); `last`: its last column. A long table's rows share a few hundred templates."""
        row = str(r + 1)
        cells = template.format(row, *numbers)
        self.file.write(f"{_row_tag(row, height)}{prefix.format(row)}{cells}</row>")
        if self.strings is not None:
            self.strings.count += self._references_in(prefix) + self._references_in(template)
        self._wrote(r, last)

    def _references_in(self, template: str) -> int:
        """The shared-string cells of a template, counted once for each template."""
        references = self._references.get(template)
        if references is None:
            references = self._references[template] = template.count(' t="s">')
        return references

    def _wrote(self, r: int, last: int) -> None:
        self.last_row = r
        if last > self.last_column:
            self.last_column = last

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Merge a range of the streamed rows (0-based, as XlsxWriter's merge_range)."""
        self.merges.append(xl_range(first_row, first_col, last_row, last_col))

    def splice(self, xml: str, out: IO[bytes]) -> None:
        """Write the sheet part `xml` (XlsxWriter's) to `out` with these rows at its end."""
        xml = xml.replace("<sheetData/>", "<sheetData></sheetData>", 1)
        if self.merges:
            xml = _merged(xml, self.merges)
        if self.last_row >= 0:
            end = f"{xl_col_to_name(max(self.last_column, 0))}{self.last_row + 1}"
            xml = _DIMENSION.sub(lambda m: f'<dimension ref="{m.group(1)}:{end}"/>', xml, 1)
        head, tail = xml.split("</sheetData>", 1)
        out.write(head.encode())
        if isinstance(self.file, io.StringIO):
            out.write(self.file.getvalue().encode())
        else:  # on disk: its UTF-8 bytes as they are (a wrapper of the text file on Windows)
            self.file.flush()
            raw = self.file.buffer  # type: ignore[attr-defined]
            raw.seek(0)
            shutil.copyfileobj(raw, out, _CHUNK)
        out.write(b"</sheetData>" + tail.encode())
        self.file.close()


def _row_tag(row: str, height: float | None) -> str:
    if height is None:
        return f'<row r="{row}">'
    pixels = int(height * 4.0 / 3.0 + 0.5)  # as XlsxWriter's set_row rounds it
    return f'<row r="{row}" ht="{pixels * 0.75:.16g}" customHeight="1">'


_AFTER_MERGES = (
    *("<phoneticPr", "<conditionalFormatting", "<dataValidations", "<hyperlinks"),
    *("<printOptions", "<pageMargins", "<pageSetup", "<headerFooter", "</worksheet>"),
)
"""What follows <mergeCells> in a sheet part (the schema's order), the first found."""


def _merged(xml: str, merges: list[str]) -> str:
    """The sheet part with `merges` added to its <mergeCells> (made where there is none)."""
    added = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    found = _MERGES.search(xml)
    if found is not None:
        count = int(found.group(1)) + len(merges)
        xml = xml[: found.start()] + f'<mergeCells count="{count}">' + xml[found.end() :]
        return xml.replace("</mergeCells>", added + "</mergeCells>", 1)
    at = min(i for tag in _AFTER_MERGES if (i := xml.find(tag)) >= 0)
    return xml[:at] + f'<mergeCells count="{len(merges)}">{added}</mergeCells>' + xml[at:]


def splice(path: Path, streams: list[StreamedRows]) -> None:
    """Rewrite the workbook at `path` with each stream's rows in its sheet."""
    data = path.read_bytes()
    with path.open("wb") as raw:
        _splice(io.BytesIO(data), raw, streams)


def _splice(source: IO[bytes], target: IO[bytes], streams: list[StreamedRows]) -> None:
    by_member = {s.member: s for s in streams}
    with (
        zipfile.ZipFile(source) as src,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
    ):
        for info in src.infolist():
            stream = by_member.get(info.filename)
            if stream is None:
                with src.open(info) as part, dst.open(info, "w") as copy:
                    shutil.copyfileobj(part, copy)
                continue
            member = zipfile.ZipInfo(info.filename, info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(member, "w") as out:
                stream.splice(src.read(info).decode(), out)
