"""A CSV table read through the guard: UTF-8 (BOM allowed), its delimiter found, cells as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cchc.core.numbers import fmt
from cchc.readers.guard import TABLE, Refusal, Refused, read_text_bytes

DELIMITERS = (",", ";", "\t")
"""What offices use: commas, semicolons (Excel in locales with a decimal comma), tabs."""

Rows = list[list[Any]]


def split_csv(text: str, delimiter: str, max_cells: int = TABLE.cells) -> Rows:
    """The rows of CSV text with standard quoting; Refused past `max_cells` cells in all (the
    limit of a sheet, counted while reading)."""
    rows: Rows = []
    cells = 0
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        cells += len(row)
        if cells > max_cells:
            message = f"bảng có hơn {fmt(max_cells)} ô, vượt giới hạn"
            raise Refused(Refusal("workbook_too_large", message))
        rows.append(row)
    return rows


def _sniffed(text: str) -> str:
    """The delimiter the first line suggests; a comma when it suggests none."""
    head = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(head, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return DELIMITERS[0]


def csv_rows(path: Path, has_header: Callable[[Rows], bool] | None = None) -> Rows:
    """The rows of a CSV file: split by the first delimiter under which `has_header` finds the
    table's header, else by the one its first line suggests.

    Raises Refused (guard limits) and UnicodeDecodeError (not UTF-8).
    """
    text = read_text_bytes(path, TABLE).decode("utf-8-sig")
    if has_header is not None:
        for delimiter in DELIMITERS:
            rows = split_csv(text, delimiter)
            if has_header(rows):
                return rows
    return split_csv(text, _sniffed(text))
