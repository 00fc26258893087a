"""A Word document's body as text: its paragraphs and its tables, merged cells spread out.

The document passes the guards of cchc.readers.guard first (size, zip, every member inflated and
searched; a DOCTYPE is refused, so the XML parsed here declares no entity), then is read in a
process of its own with a time limit, like every table. Only `word/document.xml` is parsed,
incrementally: a body element is dropped once it is read.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, iterparse

from cchc.core.numbers import fmt
from cchc.readers.guard import DOCUMENT, Limits, Refusal, Refused, read_checked
from cchc.readers.table import TABLE_SECONDS, contained

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAIN = "word/document.xml"


@dataclass
class DocTable:
    """One table of the document: its rows as text, and the paragraphs just before it."""

    number: int
    """1-based, in document order (nested tables are part of their cell's text)."""
    rows: list[list[str]]
    """Every row spread over the table's grid: a cell merged across columns repeats its text in
    each; a cell merged down holds its text in its first row only (as a sheet's merged cells)."""
    before: list[str] = field(default_factory=list)
    """The non-empty paragraphs between the previous table (or the start) and this one."""


@dataclass
class DocBody:
    """What a .docx says: its tables, and the paragraphs after the last one."""

    tables: list[DocTable]
    after: list[str]


def read_docx(path: Path, limits: Limits = DOCUMENT) -> DocBody:
    """The tables of a .docx, guarded and contained; raises Refused or Unreadable."""
    return contained(partial(_body, limits=limits), path, _crashed)


def _body(path: Path, limits: Limits) -> DocBody | Refusal | str:
    """In the worker: the body, or why not."""
    try:
        data = read_checked(path, limits)
    except OSError as exc:
        return f"không đọc được tệp: {exc.strerror}"
    except Refused as exc:
        return exc.refusal
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(_MAIN) as member:
            return parse_body(member, limits)
    except Refused as exc:
        return exc.refusal
    except Exception as exc:  # a damaged XML part: ParseError, zlib, KeyError ...
        return f"văn bản hỏng hoặc không đúng định dạng (trình đọc báo: {exc})"


def parse_body(source: Any, limits: Limits = DOCUMENT) -> DocBody:
    """The tables and loose paragraphs of a document.xml stream; raises Refused past the limits."""
    tables: list[DocTable] = []
    pending: list[str] = []
    depth = 0
    cells = 0
    for event, element in iterparse(source, events=("start", "end")):
        if element.tag == f"{_W}tbl":
            depth += 1 if event == "start" else -1
        if event != "end" or depth != 0:
            continue
        if element.tag == f"{_W}p":
            text = paragraph_text(element)
            if text:
                pending.append(text)
            element.clear()
        elif element.tag == f"{_W}tbl":
            rows = table_rows(element)
            cells += sum(len(r) for r in rows)
            if sum(len(t.rows) for t in tables) + len(rows) > limits.rows or cells > limits.cells:
                message = f"văn bản có bảng vượt giới hạn {fmt(limits.rows)} dòng"
                raise Refused(Refusal("workbook_too_large", message))
            tables.append(DocTable(len(tables) + 1, rows, pending))
            pending = []
            element.clear()
    return DocBody(tables, pending)


def paragraph_text(paragraph: Element) -> str:
    """A paragraph's text: runs joined, line breaks as new lines, tabs as spaces."""
    parts: list[str] = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif node.tag == f"{_W}tab":
            parts.append(" ")
    return "\n".join(line.strip() for line in "".join(parts).split("\n")).strip()


def _cell_text(cell: Element) -> str:
    lines = [paragraph_text(p) for p in cell.iter(f"{_W}p")]
    return "\n".join(line for line in lines if line)


def _prop(cell: Element, name: str) -> Element | None:
    props = cell.find(f"{_W}tcPr")
    return None if props is None else props.find(f"{_W}{name}")


def table_rows(table: Element) -> list[list[str]]:
    """A table's rows on its grid; merged cells repeat their text (see DocTable.rows)."""
    rows: list[list[str]] = []
    for row in table.findall(f"{_W}tr"):
        texts: list[str] = []
        for cell in row.findall(f"{_W}tc"):
            span_el = _prop(cell, "gridSpan")
            span_text = span_el.get(f"{_W}val", "1") if span_el is not None else "1"
            span = max(1, min(int(span_text) if span_text.isdigit() else 1, 64))
            merge = _prop(cell, "vMerge")
            continued = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
            texts += [""] * span if continued else [_cell_text(cell)] * span
        rows.append(texts)
    return rows


def _crashed(path: Path) -> Refusal:
    return Refusal(
        "workbook_crash",
        f"trình đọc văn bản dừng đột ngột hoặc chạy quá {TABLE_SECONDS} giây khi đọc tệp này "
        "(tệp hỏng hoặc được tạo để phá chương trình)",
    )
