"""The byte scans that bound a sheet's grid before calamine builds it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cchc.readers.sheet_grid import _row_beyond


@given(st.integers(1, 10**7), st.integers(1, 10**9), st.sampled_from(["A", "Q", "Z"]))
def test_a_row_beyond_is_found_exactly(limit: int, row: int, column: str) -> None:
    tag = f'<c r="{column}{row}" t="s">'.encode()
    assert (_row_beyond(limit).search(tag) is not None) == (row > limit)


@given(st.integers(1, 10**7))
def test_the_rows_around_the_limit(limit: int) -> None:
    found = [
        _row_beyond(limit).search(f'<c r="B{row}"/>'.encode()) is not None
        for row in (limit - 1 or 1, limit, limit + 1, 10 * limit)
    ]
    assert found == [False, False, True, True]
