"""Readings kept between check and score: an unchanged workbook is not read again; a changed
one, another set, another registry or no cache reads it again, with the same result."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.criteria.model import CriteriaSet
from cchc.templates import collect
from cchc.templates.collect import OneSet, check_folder
from tests.workbooks import MINI_X01, XA, filled


class _Reads:
    """The workbooks read, as the (forked) readers note them in a file."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def __eq__(self, other: object) -> bool:
        names = self.log.read_text().split() if self.log.exists() else []
        return names == other


def _reads(monkeypatch: pytest.MonkeyPatch, log: Path) -> _Reads:
    real = collect.check_workbook

    def counting(path: Path, *args: object) -> object:
        with log.open("a") as out:
            out.write(path.name + "\n")
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(collect, "check_workbook", counting)
    return _Reads(log)


def _points(folder: Path, mini: CriteriaSet, keep: bool = True) -> dict[str, str]:
    report = check_folder(folder, 2024, [XA], OneSet(mini), workers=1, keep=keep)
    [sub] = report.submissions
    return {code: str(leaf.outcome.points) for code, leaf in sub.leaves.items()}


def test_an_unchanged_workbook_is_taken_from_the_cache(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "so"
    filled(mini, XA, MINI_X01, folder / "X01.xlsx")
    seen = _reads(monkeypatch, tmp_path / "reads.log")
    first = _points(folder, mini)
    second = _points(folder, mini)
    assert seen == ["X01.xlsx"]  # read once, then kept
    assert second == first and first  # the same points, not an empty reading
    assert _points(folder, mini, keep=False) == first
    assert seen == ["X01.xlsx", "X01.xlsx"]  # without keep: always read


def test_a_changed_workbook_or_registry_is_read_again(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "so"
    filled(mini, XA, MINI_X01, folder / "X01.xlsx")
    seen = _reads(monkeypatch, tmp_path / "reads.log")
    _points(folder, mini)
    filled(mini, XA, {}, folder / "X01.xlsx")  # the unit emptied its workbook
    assert all(p == "0" for p in _points(folder, mini).values())
    other = XA.model_copy(update={"group": "phuong"})
    check_folder(folder, 2024, [other], OneSet(mini), workers=1, keep=True)
    assert seen == ["X01.xlsx"] * 3


def test_a_damaged_cache_is_ignored(
    mini: CriteriaSet, tmp_path: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "so"
    filled(mini, XA, MINI_X01, folder / "X01.xlsx")
    first = _points(folder, mini)
    [kept] = (own_cache / "readings").iterdir()
    kept.write_bytes(b"not a pickle")
    seen = _reads(monkeypatch, tmp_path / "reads.log")
    assert _points(folder, mini) == first
    assert seen == ["X01.xlsx"]


def test_a_check_s_readings_serve_a_score_with_a_default_set(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cchc check` reads without a default set, `cchc score` with the workspace's: a workbook
    naming its set is read once for both."""
    folder = tmp_path / "so"
    filled(mini, XA, MINI_X01, folder / "X01.xlsx")
    seen = _reads(monkeypatch, tmp_path / "reads.log")
    check_folder(folder, 2024, [XA], OneSet(mini), workers=1, keep=True)
    default = (mini.id, mini.year)
    check_folder(folder, 2024, [XA], OneSet(mini), default, workers=1, keep=True)
    assert seen == ["X01.xlsx"]
