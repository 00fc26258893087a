"""The rows of a long table streamed straight into its sheet's XML, beside XlsxWriter.

A national results workbook holds some 450 000 rows of unit × item; XlsxWriter spends about
20 µs a cell on them (a cell object, its checks, its escaping, one write each), most of a
`score` run. A long sheet's title, header, widths, filter, panes and print set-up are still
XlsxWriter's; only the rows below its header are written here, as XlsxWriter writes them in
constant-memory mode (inline strings, the same style indexes, the same row heights), into a
temporary file. When the workbook closes, they are spliced into the sheet's part before its
`</sheetData>`. A test reads both paths' workbooks and finds the same cells, styles and heights.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from xlsxwriter.utility import xl_col_to_name

_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
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


_STYLE = [f'" s="{n}"' for n in range(4096)]
"""The style attribute of each XlsxWriter style index (a workbook here has a few dozen)."""


class StreamedRows:
    """The rows of one sheet below its header, as sheet XML in a temporary file."""

    def __init__(self, index: int) -> None:
        self.member = f"xl/worksheets/sheet{index + 1}.xml"
        # Open for the Book's life; closed by splice (or with the object, if writing fails).
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self.last_row = -1
        self.last_column = -1

    def row(self, r: int, height: float | None, cells: list[tuple[Any, int]]) -> None:
        """Row `r` (0-based) of (value, style index) cells; empty values are skipped."""
        parts = [f'<row r="{r + 1}"']
        if height is not None:
            pixels = int(height * 4.0 / 3.0 + 0.5)  # as XlsxWriter's set_row rounds it
            parts.append(f' ht="{pixels * 0.75:.16g}" customHeight="1"')
        parts.append(">")
        row = str(r + 1)
        last = -1
        for c, (value, style) in enumerate(cells):
            if value is None or value == "":
                continue
            parts += (_column(c), row, _STYLE[style])
            if isinstance(value, (Decimal, int)):
                parts.append(f"><v>{float(value):.16G}</v></c>")
            else:
                parts.append(_string(str(value)))
            last = c
        parts.append("</row>")
        self.file.write("".join(parts))
        self.last_row = r
        if last > self.last_column:
            self.last_column = last

    def splice(self, xml: str, out: IO[bytes]) -> None:
        """Write the sheet part `xml` (XlsxWriter's) to `out` with these rows at its end."""
        xml = xml.replace("<sheetData/>", "<sheetData></sheetData>", 1)
        if self.last_row >= 0:
            end = f"{xl_col_to_name(max(self.last_column, 0))}{self.last_row + 1}"
            xml = _DIMENSION.sub(lambda m: f'<dimension ref="{m.group(1)}:{end}"/>', xml, 1)
        head, tail = xml.split("</sheetData>", 1)
        out.write(head.encode())
        self.file.seek(0)
        while chunk := self.file.read(_CHUNK):
            out.write(chunk.encode())
        out.write(b"</sheetData>" + tail.encode())
        self.file.close()


def splice(path: Path, streams: list[StreamedRows]) -> None:
    """Rewrite the workbook at `path` with each stream's rows in its sheet."""
    by_member = {s.member: s for s in streams}
    with (
        zipfile.ZipFile(io.BytesIO(path.read_bytes())) as src,
        path.open("wb") as raw,
        zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
    ):
        for info in src.infolist():
            stream = by_member.get(info.filename)
            if stream is None:
                with src.open(info) as part, dst.open(info, "w") as copy:
                    shutil.copyfileobj(part, copy)
                continue
            target = zipfile.ZipInfo(info.filename, info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(target, "w") as out:
                stream.splice(src.read(info).decode(), out)
