"""A corpus of broken criteria files: each gives the expected issue codes at the expected lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.criteria.check import MAX_ITEMS
from cchc.criteria.loader import load_file, validate_data
from cchc.scoring.submission import Submission
from cchc.templates.builder import build_workbook, write_workbook
from cchc.templates.reader import open_rows
from cchc.units.model import Unit
from tests.conftest import DATA

CORPUS = sorted((DATA / "broken").glob("*.yaml"))


def expected(path: Path) -> list[tuple[str, int]]:
    """Read '# expect: code@line code@line' from the first line of the file."""
    header = path.read_text(encoding="utf-8").splitlines()[0]
    pairs = header.removeprefix("# expect:").split()
    return [(code, int(line)) for code, line in (p.split("@") for p in pairs)]


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 15


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_broken_file_reports_expected_issues(path: Path) -> None:
    loaded = load_file(path)
    assert not loaded.ok
    assert loaded.set is None
    assert [(i.code, i.line) for i in loaded.issues] == expected(path)
    for issue in loaded.issues:
        assert issue.file == str(path)
        assert issue.message  # Vietnamese text, asserted by code not wording


def test_issue_names_file_line_and_item() -> None:
    path = DATA / "broken" / "12-tier-order.yaml"
    (issue,) = load_file(path).issues
    assert str(issue) == (
        f"{path}:23: mục 1.1: mức 2 có ngưỡng cao hơn mức trước; xếp các mức từ cao xuống thấp"
    )


def test_exploding_anchors_are_refused_quickly() -> None:
    # 10^8 elements if expanded; refusing must not expand them.
    loaded = load_file(DATA / "broken" / "19-billion-laughs.yaml")
    assert [i.code for i in loaded.issues] == ["yaml_too_large"]


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    missing = load_file(tmp_path / "khong-co.yaml")
    assert [i.code for i in missing.issues] == ["file_unreadable"]
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: Bộ".encode("utf-16"))
    assert [i.code for i in load_file(latin).issues] == ["encoding"]
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("chỉ là một dòng\n", encoding="utf-8")
    assert [i.code for i in load_file(scalar).issues] == ["not_a_set"]


def _set_of(leaves: int) -> dict[str, object]:
    """One domain of `leaves` manual items of 1 point: 1 + leaves items in all."""
    children = [
        {"code": f"1.{n}", "title": f"Mục {n}", "max": 1, "rule": {"kind": "manual"}}
        for n in range(1, leaves + 1)
    ]
    return {
        "id": "lon",
        "year": 2024,
        "title": "Bộ tiêu chí rất lớn",
        "level": "xa",
        "status": "sample",
        "scale": leaves,
        "bands": [{"label": "Tốt", "min": 0}],
        "items": [{"code": "1", "title": "Lĩnh vực", "max": leaves, "items": children}],
    }


def test_the_checker_and_the_workbook_reader_share_one_limit(tmp_path: Path) -> None:
    """A set `criteria check` accepts always yields workbooks the reader accepts."""
    too_many = validate_data(_set_of(MAX_ITEMS), "lon.yaml")
    assert [i.code for i in too_many.issues] == ["set_too_large"]
    loaded = validate_data(_set_of(MAX_ITEMS - 1), "lon.yaml")
    assert loaded.set is not None and loaded.issues == []
    unit = Unit(code="X01", name="Xã Một", group=None)
    path = tmp_path / "X01.xlsx"
    write_workbook(build_workbook(loaded.set, unit, 2024), path)
    sub = Submission(str(path))
    assert open_rows(path, sub) is not None and sub.issues == []
