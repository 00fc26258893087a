"""Cited files: nothing outside a unit's evidence folder is ever opened; duplicates across units."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from cchc.criteria.model import CriteriaSet
from tests.evidence.cases import check, codes, leaf, submission

SECRET = b"%PDF-1.4 tai lieu mat ngoai thu muc"


def spy_opens(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """From now on, every file opened (the hash function opens what it reads)."""
    seen: list[Path] = []
    real_open = Path.open

    def spy_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        seen.append(self.resolve())
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy_open)
    return seen


def test_paths_leaving_the_folder_are_refused_unread(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "nop" / "tai-lieu"
    outside = tmp_path / "mat"
    outside.mkdir()
    (outside / "bi-mat.pdf").write_bytes(SECRET)
    # X02 sends the same content honestly: were the outside file read, they would match
    (root / "X02").mkdir(parents=True)
    (root / "X02" / "bc.pdf").write_bytes(SECRET)
    (root / "X01").mkdir()
    (root / "X01" / "rieng.pdf").write_bytes(SECRET)  # X01's own copy: read, and matched
    os.symlink(outside / "bi-mat.pdf", root / "X01" / "lien-ket.pdf")
    os.symlink(outside, root / "X01" / "thu-muc")
    cited = [
        str(outside / "bi-mat.pdf"),  # absolute
        "../../../mat/bi-mat.pdf",  # climbs out
        "minh-chung/../../X02/bc.pdf",  # climbs into another unit's folder
        "lien-ket.pdf",  # a link to a file outside
        "thu-muc/bi-mat.pdf",  # through a link to a folder outside
        "C:\\Users\\VanPhong\\bi-mat.pdf",
        "~/bi-mat.pdf",
    ]
    items = ["1.1.1", "1.1.2", "1.1.4", "1.2.1", "1.2.2", "1.2.3", "2.1"]
    x01 = submission(
        "X01",
        *(leaf(code, path) for code, path in zip(items, cited, strict=True)),
        leaf("2.2", "rieng.pdf"),
    )
    x02 = submission("X02", leaf("1.2.1", "bc.pdf"))
    opened = spy_opens(monkeypatch)
    found = check(mini, root, x01, x02)
    assert codes(found) == ["evidence_path_outside"] * len(cited) + ["evidence_shared_file"] * 2
    assert found.all_issues()[1].message == (
        "đường dẫn '../../../mat/bi-mat.pdf' ra ngoài thư mục tài liệu của đơn vị; "
        "không đọc tệp này"
    )
    assert opened == [(root / "X01" / "rieng.pdf").resolve(), (root / "X02" / "bc.pdf").resolve()]


def test_a_link_inside_the_folder_is_followed(mini: CriteriaSet, tmp_path: Path) -> None:
    folder = tmp_path / "X01"
    (folder / "goc").mkdir(parents=True)
    (folder / "goc" / "kh.pdf").write_bytes(b"%PDF")
    os.symlink(folder / "goc" / "kh.pdf", folder / "kh.pdf")
    assert check(mini, tmp_path, submission("X01", leaf("1.1.2", "kh.pdf"))).all_issues() == []


def test_a_unit_folder_linked_outside_is_refused(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "mat"
    outside.mkdir()
    (outside / "kh.pdf").write_bytes(SECRET)
    (tmp_path / "nop").mkdir()
    os.symlink(outside, tmp_path / "nop" / "X01")
    opened = spy_opens(monkeypatch)
    found = check(mini, tmp_path / "nop", submission("X01", leaf("1.1.2", "kh.pdf")))
    assert codes(found) == ["evidence_folder_unknown"]
    assert opened == []


def test_same_file_sent_by_several_units(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contents = {
        "X01": {"bc.pdf": b"%PDF giong nhau", "kh.pdf": b"%PDF ke hoach X01"},
        "X02": {"bao-cao.pdf": b"%PDF giong nhau", "kh.pdf": b"%PDF ke hoach X02"},
        "X03": {"bc.pdf": b"%PDF giong nhau", "rieng.pdf": b"%PDF co do dai khac han"},
    }
    for unit, named in contents.items():
        (tmp_path / unit).mkdir()
        for name, content in named.items():
            (tmp_path / unit / name).write_bytes(content)
    subs = [
        submission(
            "X01", leaf("1.2.1", "bc.pdf"), leaf("1.2.2", "bc.pdf"), leaf("1.1.1", "kh.pdf")
        ),
        submission("X02", leaf("1.2.1", "bao-cao.pdf"), leaf("1.1.1", "kh.pdf")),
        submission("X03", leaf("1.2.1", "bc.pdf"), leaf("1.1.2", "rieng.pdf")),
    ]
    opened = spy_opens(monkeypatch)
    found = check(mini, tmp_path, *subs)
    shared = [(i.file, i.item, i.message) for i in found.all_issues()]
    assert shared == [
        ("nop/X01.xlsx", "1.2.1", "tệp 'bc.pdf' giống hệt tệp đơn vị X02, X03 nộp"),
        ("nop/X01.xlsx", "1.2.2", "tệp 'bc.pdf' giống hệt tệp đơn vị X02, X03 nộp"),
        ("nop/X02.xlsx", "1.2.1", "tệp 'bao-cao.pdf' giống hệt tệp đơn vị X01, X03 nộp"),
        ("nop/X03.xlsx", "1.2.1", "tệp 'bc.pdf' giống hệt tệp đơn vị X01, X02 nộp"),
    ]
    assert codes(found) == ["evidence_shared_file"] * 4
    # each file of a size another unit's file shares is read once; rieng.pdf never
    names = sorted(str(p.relative_to(tmp_path.resolve())) for p in opened)
    assert names == ["X01/bc.pdf", "X01/kh.pdf", "X02/bao-cao.pdf", "X02/kh.pdf", "X03/bc.pdf"]
