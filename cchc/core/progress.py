"""How far a long job has got, for whoever shows it: library code reports, never prints."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

Progress = Callable[[int, int], None]
"""Called with (done, total) as a job advances: at 0 before the first item, then after each."""


def counted(items: Iterable[T], total: int, progress: Progress | None) -> Iterator[T]:
    """The items, reporting to `progress` how many were taken of `total`."""
    if progress is None:
        yield from items
        return
    progress(0, total)
    for done, item in enumerate(items, start=1):
        yield item
        progress(done, total)
