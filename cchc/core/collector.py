"""Python's cyclic garbage collector paused for a run that builds many small objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off for the block, back as it was after.

    A national run holds millions of small objects (leaves, cells, issues) that never form
    cycles; every full collection scans them all for nothing. Measured on the 3,321-commune
    bench: about 15 % of a check, and scoring a year in 2.2 s instead of 5.0 s. Memory is still
    freed by reference counting; only cycles wait until the block ends.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
