"""Hostile input files, written in a few milliseconds each (the big ones streamed into the zip)."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from cchc.templates.layout import SELF_SHEET

MIB = 2**20
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    + "]>"
)
"""Billion laughs: `&lol9;` expands to 10⁹ 'lol'."""


def external_entity(target: Path) -> str:
    """A DOCTYPE whose entity `&xxe;` is the content of a local file."""
    return f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{target.as_uri()}">]>'


def cells(*refs: str) -> str:
    """Sheet rows holding the value 1 at each reference, one row per reference."""
    return "".join(
        f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}"><v>1</v></c></row>'
        for ref in refs
    )


def workbook(
    path: Path,
    sheet: str | Iterable[bytes],
    members: Mapping[str, str | bytes] | None = None,
    name: str = SELF_SHEET,
) -> Path:
    """A minimal .xlsx whose one sheet has this XML; chunks are streamed into the zip."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
        f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    rels = (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    )
    package = (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("_rels/.rels", package)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        with archive.open("xl/worksheets/sheet1.xml", "w") as out:
            for chunk in [sheet.encode()] if isinstance(sheet, str) else sheet:
                out.write(chunk)
        for member, data in (members or {}).items():
            archive.writestr(member, data)
    return path


def sheet_xml(body: str, prolog: str = "") -> str:
    """A worksheet with these rows, and a DOCTYPE or anything else before its root."""
    return SHEET_HEAD.replace("\n", f"\n{prolog}") + body + SHEET_TAIL


def million_rows(count: int = 1_000_000, block: int = 20_000) -> Iterator[bytes]:
    """A worksheet of `count` rows of two cells, in chunks."""
    yield SHEET_HEAD.encode()
    row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c><c r="B%d"><v>1</v></c></row>'
    for start in range(1, count + 1, block):
        yield b"".join(row % (r, r, r) for r in range(start, min(start + block, count + 1)))
    yield SHEET_TAIL.encode()


def zeros(size: int, block: int = 4 * MIB) -> Iterator[bytes]:
    """`size` zero bytes in chunks: a sheet member that inflates about a thousand-fold."""
    for start in range(0, size, block):
        yield b"\0" * min(block, size - start)


def declare_smaller(path: Path, member: str, size: int) -> Path:
    """Make the zip claim that `member` unpacks to `size` bytes, in both of its headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    local = data[info.header_offset + 4 : info.header_offset + 26]  # as in its directory entry
    entry = data.index(local, data.index(b"PK\x01\x02")) - 6
    for at in (info.header_offset + 22, entry + 24):  # local header, central directory entry
        data[at : at + 4] = struct.pack("<I", size)
    path.write_bytes(bytes(data))
    return path


MANIFEST = (
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods(path: Path, table: str, name: str = SELF_SHEET) -> Path:
    """A minimal .ods whose one sheet holds this table XML (rows of table:table-row)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        f'<office:spreadsheet><table:table table:name="{name}">{table}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED)
    return path


def ods_cell(value: int = 1, repeat: int = 1) -> str:
    """A numeric .ods cell, repeated across `repeat` columns."""
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}" '
        f'table:number-columns-repeated="{repeat}"><text:p>{value}</text:p></table:table-cell>'
    )


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    """A zip with these members and nothing else."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def written(path: Path, data: bytes) -> Path:
    """A file with these bytes."""
    path.write_bytes(data)
    return path
