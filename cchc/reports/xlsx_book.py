"""An XlsxWriter workbook with the few formats cchc's reports use.

Text is always written as text, never as a formula; scores are exact decimals until the cell,
where Excel keeps them as numbers shown with the set's decimals (`points_style`, `index_style`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from cchc.core.numbers import number_format
from cchc.core.xlsx_print import row_height
from cchc.criteria.export import SAMPLE_NOTE
from cchc.criteria.model import MAX_DECIMALS, CriteriaSet
from cchc.reports.xlsx_stream import StreamedRows, splice

Row = list[tuple[Any, str]]
"""Cells of a row as (value, format name)."""


class _StyleIndexes(dict[str, int]):
    """Format name → XlsxWriter's style index, asked of XlsxWriter once per format."""

    def __init__(self, formats: dict[str, Any]) -> None:
        super().__init__()
        self.formats = formats

    def __missing__(self, name: str) -> int:
        index: int = self.formats[name]._get_xf_index()
        self[name] = index
        return index


class Book:
    """An XlsxWriter workbook with the few formats cchc uses."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        font = {"font_name": "Times New Roman", "font_size": 12}
        self.formats = {
            "text": self.wb.add_format({**font, "text_wrap": True, "valign": "top"}),
            "bold": self.wb.add_format({**font, "bold": True, "text_wrap": True, "valign": "top"}),
            "title": self.wb.add_format({**font, "bold": True, "font_size": 14}),
            "head": self.wb.add_format(
                {
                    **font,
                    "bold": True,
                    "text_wrap": True,
                    "border": 1,
                    "align": "center",
                    "valign": "vcenter",
                    "bg_color": "#DDEBF7",
                }
            ),
            "int": self.wb.add_format({**font, "num_format": "0", "valign": "top"}),
            "banner": self.wb.add_format({**font, "bold": True}),
            "line": self.wb.add_format(font),  # unwrapped: runs across the empty cells
        }
        for places in range(MAX_DECIMALS + 1):
            shown = number_format(places)
            self.formats[f"num{places}"] = self.wb.add_format(
                {**font, "num_format": shown, "valign": "top"}
            )
            self.formats[f"numbold{places}"] = self.wb.add_format(
                {**font, "num_format": shown, "bold": True, "valign": "top"}
            )
        self.names: set[str] = set()
        self.widths: dict[str, list[int]] = {}
        self.wrapped = {"text", "bold", "head"}
        """Formats that wrap: their rows get a height that fits (LibreOffice keeps 15 pt)."""
        self.streams: dict[str, StreamedRows] = {}
        """Long sheets whose rows below the header are streamed (xlsx_stream), once opened."""
        self._styles = _StyleIndexes(self.formats)
        """The style index XlsxWriter gives each format (xlsx_stream writes it)."""
        self.long: dict[str, int] = {}
        """Long sheets by name, with their index."""

    def sheet(self, name: str, widths: list[int], landscape: bool = True) -> Any:
        """A new sheet with a unique valid name and column widths."""
        ws = self.wb.add_worksheet(self._unique(name))
        self.widths[ws.name] = widths
        for column, width in enumerate(widths):
            ws.set_column(column, column, width)
        if landscape:
            ws.set_landscape()
            ws.set_paper(9)  # A4
            ws.fit_to_pages(1, 0)
            ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)  # inches: 1 cm at the sides
            ws.set_footer("&CTrang &P/&N")
        return ws

    def long_sheet(self, name: str, widths: list[int]) -> Any:
        """A sheet for a long table: its rows below the header are written by xlsx_stream
        (the same cells, several times faster than XlsxWriter's own)."""
        ws = self.sheet(name, widths)
        self.long[ws.name] = ws.index
        return ws

    def stream(self, ws: Any) -> StreamedRows:
        """The streamed rows of a long sheet whose header is written (for a table that makes
        the cells it repeats once: `StreamedRows.fragment`)."""
        return self.streams[ws.name]

    def style(self, name: str) -> int:
        """XlsxWriter's style index of format `name`."""
        return self._styles[name]

    def close(self) -> None:
        """Write the workbook, with the rows of its long sheets."""
        self.wb.close()
        if self.streams:
            splice(self.path, list(self.streams.values()))

    def _unique(self, name: str) -> str:
        base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'")[:31] or "Trang"
        candidate, n = base, 2
        while candidate.casefold() in self.names:
            suffix = f" ({n})"
            candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
        self.names.add(candidate.casefold())
        return candidate

    def row(self, ws: Any, r: int, cells: Row) -> None:
        """Write one row, as tall as its wrapped text; text is always text, never a formula."""
        widths = self.widths.get(ws.name, [])
        wrapped = [
            (str(value), widths[c] if c < len(widths) else 8.43, 14 if name == "title" else 12)
            for c, (value, name) in enumerate(cells)
            if name in self.wrapped and isinstance(value, str) and value
        ]
        height = row_height(wrapped)
        stream = self.streams.get(ws.name)
        if stream is not None:
            xf = self._styles
            stream.row(r, height, [(value, xf[name]) for value, name in cells])
            return
        if height is not None:
            ws.set_row(r, height)
        for c, (value, style_name) in enumerate(cells):
            style = self.formats[style_name]
            if value is None or value == "":
                continue  # nothing to show (and no border to draw): skip the cell
            elif isinstance(value, Decimal):
                ws.write_number(r, c, float(value), style)
            elif isinstance(value, int):
                ws.write_number(r, c, value, style)
            else:
                ws.write_string(r, c, str(value), style)

    def table_head(self, ws: Any, r: int, titles: list[str]) -> None:
        """The header row, frozen, filterable and repeated on every printed page."""
        self.row(ws, r, [(t, "head") for t in titles])
        ws.freeze_panes(r + 1, 0)
        ws.repeat_rows(r)
        if ws.name in self.long:  # the rows below stream
            self.streams[ws.name] = StreamedRows(self.long[ws.name], strings=self.wb.str_table)


def points_style(criteria: CriteriaSet | None, bold: bool = False) -> str:
    """The number format of points: the set's precision.points decimals (2 without a set)."""
    places = criteria.precision.points if criteria is not None else 2
    return f"numbold{places}" if bold else f"num{places}"


def index_style(criteria: CriteriaSet | None, bold: bool = False) -> str:
    """The number format of an index or a change of it: the set's precision.index decimals."""
    places = criteria.precision.index if criteria is not None else 2
    return f"numbold{places}" if bold else f"num{places}"


TITLE_HEIGHT = 21
"""Points of the 14 pt title row (LibreOffice keeps 15 pt and clips the title otherwise)."""


def title(book: Book, ws: Any, text: str, criteria: CriteriaSet | None = None) -> int:
    ws.set_row(0, TITLE_HEIGHT)  # a wrapped title sets a taller one below
    book.row(ws, 0, [(text, "title")])
    if criteria is not None and criteria.status == "sample":
        book.row(ws, 1, [(SAMPLE_NOTE, "banner")])  # unwrapped: it runs across the columns
    return 3
