"""Where a table's header row is: the first of its first rows that names every needed column."""

from __future__ import annotations

from collections.abc import Callable, Collection
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
