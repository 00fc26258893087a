"""Shared fixtures: paths to the small real files in tests/data."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own cchc cache folder: never the user's, and no test sees another's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CCHC_CACHE_DIR", str(folder))
    return folder


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In CI (CCHC_REQUIRE_SOFFICE=1) a missing LibreOffice fails the run instead of skipping;
    a Windows simulation asked for (CCHC_SIMULATE_WINDOWS=1) must be in force."""
    if os.environ.get("CCHC_SIMULATE_WINDOWS") == "1" and hasattr(os, "fork"):
        raise pytest.UsageError("CCHC_SIMULATE_WINDOWS=1 cần PYTHONPATH=tests/windows")
    if os.environ.get("CCHC_REQUIRE_SOFFICE") == "1" and shutil.which("soffice") is None:
        raise pytest.UsageError("LibreOffice (soffice) là bắt buộc trong CI nhưng chưa cài")
