"""Where a table's header is: the first of its first rows that names every needed column, and
the pieces of a header over two rows (merged cells) with a row of column numbers under it."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from typing import Any

from cchc.readers.cells import cell_text

SEARCH_ROWS = 30
"""Rows searched: a title block, notes and a blank row or two may come before the header."""


def find_header(
    rows: list[list[Any]],
    name_of: Callable[[str], str | None],
    required: Collection[str],
    search: int = SEARCH_ROWS,
) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and each named column's first position, or None.

    `name_of` names a cell's text as a column (None: not a column the reader knows).
    """
    for index, row in enumerate(rows[:search]):
        columns: dict[str, int] = {}
        for column, value in enumerate(row):
            name = name_of(cell_text(value))
            if name is not None:
                columns.setdefault(name, column)
        if all(name in columns for name in required):
            return index, columns
    return None


NUMBERING = re.compile(r"^\(?\d{1,2}\)?$|^\(?[a-z]\)?$", re.IGNORECASE)
"""A column number printed under a header: '(1)', '1', '(a)', 'A'."""


def is_numbering(row: list[str]) -> bool:
    """A row of column numbers, '(1) (2) (3)' or '1 2 3' or 'A B C', printed under a header."""
    cells = [cell for cell in row if cell]
    return len(cells) >= 3 and all(NUMBERING.match(c) for c in cells) and len(set(cells)) > 2


def is_sub_header(top: list[str], row: list[str], keys: Iterable[int]) -> bool:
    """A header's second row: some labels, nothing new under the `keys` columns (their cells of
    `top` are merged down over both rows) and no number (a row of data has some).

    Merged cells read as the value in the first cell and empty cells elsewhere.
    """
    if not any(row) or is_numbering(row):
        return False
    for column in keys:
        cell = row[column] if column < len(row) else ""
        if cell and cell != (top[column] if column < len(top) else ""):
            return False
    return all(
        NUMBERING.match(cell) is None and not cell.replace(",", "").replace(".", "").isdigit()
        for cell in row
        if cell
    )


def merged_labels(top: list[str], sub: list[str]) -> list[str]:
    """The labels of a header over two rows, column by column: the second row's text where it
    has one (under a cell merged across), else the first row's (a cell merged down)."""
    width = max(len(top), len(sub))
    return [
        (sub[c] if c < len(sub) else "") or (top[c] if c < len(top) else "") for c in range(width)
    ]
