"""The HTML report's issue list names files as the officer knows them, not the machine's paths."""

from __future__ import annotations

from pathlib import Path

from cchc.core.issues import Issue, Severity
from cchc.reports.html_report import relative


def test_issue_paths_are_relative_to_the_folder_checked(tmp_path: Path) -> None:
    root = tmp_path / "so-da-nop"
    issues = [
        Issue(code="a", severity=Severity.ERROR, message="m", file=str(root / "xa" / "X01.xlsx")),
        Issue(code="b", severity=Severity.WARNING, message="m", file=str(root / "X02.xlsx")),
        Issue(code="c", severity=Severity.WARNING, message="m"),
    ]
    shown = [str(i) for i in relative(issues)]
    assert [i.file for i in relative(issues)] == ["xa/X01.xlsx", "X02.xlsx", None]
    assert str(tmp_path) not in " ".join(shown)


def test_one_units_issues_keep_their_subfolder(tmp_path: Path) -> None:
    """A report of one unit lists only its workbook's issues: the folder checked is still the
    common folder of every workbook read, not that workbook's own folder."""
    root = tmp_path / "so-da-nop"
    mine = str(root / "xa" / "X01.xlsx")
    issues = [Issue(code="a", severity=Severity.ERROR, message="m", file=mine)]
    sources = [mine, str(root / "phuong" / "P01.xlsx")]
    assert [i.file for i in relative(issues, sources)] == ["xa/X01.xlsx"]
    assert [i.file for i in relative(issues)] == ["X01.xlsx"]
