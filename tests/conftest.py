"""Shared fixtures: paths to the small real files in tests/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.criteria.loader import load_file
from cchc.criteria.model import CriteriaSet

DATA = Path(__file__).parent / "data"


@pytest.fixture
def mini() -> CriteriaSet:
    """The small set that uses every rule kind."""
    loaded = load_file(DATA / "sets" / "mini-2024.yaml")
    assert loaded.set is not None, loaded.issues
    return loaded.set
