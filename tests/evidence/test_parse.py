"""Evidence cells as officers type them, each parsed to fields worked out by hand."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from cchc.core.dates import parse_date
from cchc.evidence.parse import Reference, parse_cell

D = date
F, T = False, True
# text → (number, year in the number, type, issuer, date, bad number, bad date)
Fields = tuple[str | None, int | None, str, str | None, date | None, bool, bool]
CITATIONS: list[tuple[str, Fields]] = [
    ("Kế hoạch số 12/KH-UBND ngày 15/01/2024", ("12", None, "KH", "UBND", D(2024, 1, 15), F, F)),
    ("Số 141/TB-UBND ngày 10/5/2023", ("141", None, "TB", "UBND", D(2023, 5, 10), F, F)),
    ("QĐ 905/QĐ-UBND 25/5/2020", ("905", None, "QĐ", "UBND", D(2020, 5, 25), F, F)),
    ("Báo cáo 45/BC-VP ngày 10 tháng 5 năm 2023", ("45", None, "BC", "VP", D(2023, 5, 10), F, F)),
    ("Quyết định số 52/2019/QĐ-UBND", ("52", 2019, "QĐ", "UBND", None, F, F)),
    ("CV số 1234/UBND-NC", ("1234", None, "CV", "UBND-NC", None, F, F)),
    ("Kế hoạch số 12/KH-UBND ngày 15.01.2024", ("12", None, "KH", "UBND", D(2024, 1, 15), F, F)),
    ("Báo cáo số 45/BC-UBND ngày 15-12-2024", ("45", None, "BC", "UBND", D(2024, 12, 15), F, F)),
    ("Báo cáo số 45/BC-UBND, ngày 15/12/2024", ("45", None, "BC", "UBND", D(2024, 12, 15), F, F)),
    (
        unicodedata.normalize("NFD", "Kế hoạch số 20/KH-UBND ngày 02/02/2024"),
        ("20", None, "KH", "UBND", D(2024, 2, 2), F, F),
    ),
    (
        "Kế hoạch  số   12 /KH - UBND   ngày  15 / 01 / 2024",
        ("12", None, "KH", "UBND", D(2024, 1, 15), F, F),
    ),
    ("Thông báo số 3/TB-VP ngày 4/3/2024", ("3", None, "TB", "VP", D(2024, 3, 4), F, F)),
    ("Nghị quyết số 15/NQ-HĐND ngày 20/7/2024", ("15", None, "NQ", "HĐND", D(2024, 7, 20), F, F)),
    ("Tờ trình số 05/TTr-UBND ngày 01/4/2024", ("05", None, "TTr", "UBND", D(2024, 4, 1), F, F)),
    ("Biên bản số 02/BB-UBND ngày 9/10/2024", ("02", None, "BB", "UBND", D(2024, 10, 9), F, F)),
    ("Chỉ thị số 08/CT-UBND ngày 12/6/2024", ("08", None, "CT", "UBND", D(2024, 6, 12), F, F)),
    (
        "Công văn số 383/BNV-CCHC ngày 25/01/2021",
        ("383", None, "CV", "BNV-CCHC", D(2021, 1, 25), F, F),
    ),
    (
        "Văn bản số 1.234/UBND-VP ngày 5/6/2024",
        ("1234", None, "CV", "UBND-VP", D(2024, 6, 5), F, F),
    ),
    ("Nghị định 30/2020/NĐ-CP", ("30", 2020, "NĐ", "CP", None, F, F)),
    ("Quyết định 1001/QĐ-BNV ngày 11/12/2023", ("1001", None, "QĐ", "BNV", D(2023, 12, 11), F, F)),
    ("Thông tư số 01/2023/TT-BNV ngày 1/3/2023", ("01", 2023, "TT", "BNV", D(2023, 3, 1), F, F)),
    ("Kế hoạch 307/KH-UBND năm 2025", ("307", None, "KH", "UBND", None, F, F)),
    ("QD so 905/QD-UBND ngay 25/5/2020", ("905", None, "QĐ", "UBND", D(2020, 5, 25), F, F)),
    ("số12/kh-ubnd ngay 1/2/2024", ("12", None, "KH", "UBND", D(2024, 2, 1), F, F)),
    ("KH số 15/KH-UBND ngày 20/12/2023", ("15", None, "KH", "UBND", D(2023, 12, 20), F, F)),
    (
        "Quyết định số 125/QĐ-UBND, ngày 10/10/2024 của UBND xã Tân Lập về việc kiện toàn",
        ("125", None, "QĐ", "UBND", D(2024, 10, 10), F, F),
    ),
    ("Kế hoạch số 01/KH-BCĐ ngày 05/01/2024", ("01", None, "KH", "BCĐ", D(2024, 1, 5), F, F)),
    # A two-digit year is never guessed (1/1/99 is not 2099): the date is malformed.
    ("Kế hoạch số 12/KH-UBND ngày 15/01/24", ("12", None, "KH", "UBND", None, F, True)),
    ("Kế hoạch số 12/KH-UBND ngày 2024-01-15", ("12", None, "KH", "UBND", D(2024, 1, 15), F, F)),
    ("Hướng dẫn số 02/HD-SNV ngày 3/2/2024", ("02", None, "HD", "SNV", D(2024, 2, 3), F, F)),
    ("Đề án số 04/ĐA-UBND ngày 14/8/2024", ("04", None, "ĐA", "UBND", D(2024, 8, 14), F, F)),
    ("Quy chế số 01/QC-UBND", ("01", None, "QC", "UBND", None, F, F)),
    ("Kế hoạch số 1234/UBND-VP", ("1234", None, "KH", "UBND-VP", None, F, F)),
    ("12/UBND-VP ngày 3/4/2024", ("12", None, "CV", "UBND-VP", D(2024, 4, 3), F, F)),
    ("Giấy mời số 45/GM-UBND ngày 1/7/2024", ("45", None, "GM", "UBND", D(2024, 7, 1), F, F)),
    ("Chương trình số 3/CTr-UBND ngày 2/1/2024", ("3", None, "CTr", "UBND", D(2024, 1, 2), F, F)),
    ("Kết luận số 7/KL-UBND ngày 30/9/2024", ("7", None, "KL", "UBND", D(2024, 9, 30), F, F)),
    (
        "Báo cáo số 45 /BC-UBND ngày 10 tháng 12 năm 2024",
        ("45", None, "BC", "UBND", D(2024, 12, 10), F, F),
    ),
    ("Số: 88/BC-UBND ngày 1/11/2024", ("88", None, "BC", "UBND", D(2024, 11, 1), F, F)),
    # malformed numbers and dates
    ("Kế hoạch số /KH-UBND ngày 15/01/2024", (None, None, "KH", "UBND", D(2024, 1, 15), T, F)),
    ("Kế hoạch số .../KH-UBND ngày .../.../2024", (None, None, "KH", "UBND", None, T, T)),
    ("Kế hoạch số …/KH-UBND", (None, None, "KH", "UBND", None, T, F)),
    ("Báo cáo số 45/BC-UBND ngày 31/02/2024", ("45", None, "BC", "UBND", None, F, T)),
    ("Quyết định số 52/19/QĐ-UBND", ("52", None, "QĐ", "UBND", None, T, F)),
    ("Báo cáo số 45/BC-UBND ngày 10/5", ("45", None, "BC", "UBND", None, F, T)),
    ("Báo cáo số 45/BC-UBND ngày 10 tháng 5", ("45", None, "BC", "UBND", None, F, T)),
    ("Kế hoạch số 12/KH-UBND ngày 15/13/2024", ("12", None, "KH", "UBND", None, F, T)),
    ("Báo cáo số xx/BC-UBND ngày 1/1/2024", (None, None, "BC", "UBND", D(2024, T, T), T, F)),
    ("Báo cáo số 0/BC-UBND", (None, None, "BC", "UBND", None, T, F)),
]


def fields(ref: Reference) -> Fields:
    return (
        ref.number,
        ref.year,
        ref.doc_type or "",
        ref.issuer,
        ref.date,
        ref.bad_number,
        ref.bad_date,
    )


def test_corpus_is_large() -> None:
    assert len(CITATIONS) >= 40


@pytest.mark.parametrize(("text", "expected"), CITATIONS, ids=[t for t, _ in CITATIONS])
def test_citation(text: str, expected: Fields) -> None:
    (ref,) = parse_cell(text)
    assert ref.kind == "citation"
    assert fields(ref) == expected
    assert ref.raw == " ".join(unicodedata.normalize("NFC", text).split())


SEVERAL: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Kế hoạch số 12/KH-UBND ngày 15/01/2024, Báo cáo số 45/BC-UBND ngày 20/12/2024",
        [
            ("citation", "Kế hoạch số 12/KH-UBND ngày 15/01/2024"),
            ("citation", "Báo cáo số 45/BC-UBND ngày 20/12/2024"),
        ],
    ),
    (
        "Kế hoạch số 12/KH-UBND và Báo cáo số 45/BC-UBND",
        [("citation", "Kế hoạch số 12/KH-UBND"), ("citation", "Báo cáo số 45/BC-UBND")],
    ),
    (
        "QĐ 905/QĐ-UBND 25/5/2020 QĐ 906/QĐ-UBND 26/5/2020",
        [("citation", "QĐ 905/QĐ-UBND 25/5/2020"), ("citation", "QĐ 906/QĐ-UBND 26/5/2020")],
    ),
    (
        "12/KH-UBND, ngày 15/01/2024, 13/KH-UBND ngày 16/01/2024",
        [("citation", "12/KH-UBND, ngày 15/01/2024"), ("citation", "13/KH-UBND ngày 16/01/2024")],
    ),
    (
        "Kế hoạch số 12/KH-UBND\r\nBáo cáo số 45/BC-UBND; Thông báo 3/TB-UBND",
        [
            ("citation", "Kế hoạch số 12/KH-UBND"),
            ("citation", "Báo cáo số 45/BC-UBND"),
            ("citation", "Thông báo 3/TB-UBND"),
        ],
    ),
    (
        "- Kế hoạch số 12/KH-UBND\n- minh-chung/kh.pdf\n+ https://xa.gov.vn/a\n1. Ảnh hội nghị",
        [
            ("citation", "Kế hoạch số 12/KH-UBND"),
            ("file", "minh-chung/kh.pdf"),
            ("url", "https://xa.gov.vn/a"),
            ("text", "Ảnh hội nghị"),
        ],
    ),
    (
        "Kế hoạch số 12/KH-UBND ngày 15/01/2024 (minh-chung/kh-12.pdf)",
        [("citation", "Kế hoạch số 12/KH-UBND ngày 15/01/2024"), ("file", "minh-chung/kh-12.pdf")],
    ),
    (
        "Tin bài đăng tại https://a.vn/x, và www.b.vn/y.",
        [("url", "https://a.vn/x"), ("url", "www.b.vn/y")],
    ),
    ("Không có", []),
    ("  ", []),
    ("...", []),
    ("x", []),
]


@pytest.mark.parametrize(("text", "expected"), SEVERAL, ids=[t for t, _ in SEVERAL])
def test_several_references_in_a_cell(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.kind, r.raw) for r in parse_cell(text)] == expected


def test_each_citation_keeps_its_own_date() -> None:
    first, second = parse_cell("12/KH-UBND, ngày 15/01/2024, 13/KH-UBND ngày 16/01/2024")
    assert (first.number, first.date) == ("12", date(2024, 1, 15))
    assert (second.number, second.date) == ("13", date(2024, 1, 16))


FILES = [
    ("minh-chung/ke-hoach-2024.pdf", "minh-chung/ke-hoach-2024.pdf"),
    ("tai lieu\\bao cao.docx", "tai lieu/bao cao.docx"),
    ("Báo cáo CCHC 2024.pdf", "Báo cáo CCHC 2024.pdf"),
    ("Tệp đính kèm: bao cao.pdf", "bao cao.pdf"),
    ("tai-lieu/2024/KH-12.PDF", "tai-lieu/2024/KH-12.PDF"),
    ("../../etc/passwd", "../../etc/passwd"),
    ("/etc/passwd", "/etc/passwd"),
    ("C:\\Users\\VanPhong\\Desktop\\KH 12.pdf", "C:/Users/VanPhong/Desktop/KH 12.pdf"),
]


@pytest.mark.parametrize(("text", "target"), FILES)
def test_file(text: str, target: str) -> None:
    (ref,) = parse_cell(text)
    assert (ref.kind, ref.raw, ref.target) == ("file", text, target)


URLS = [
    (
        "https://xatanlap.backan.gov.vn/tin-tuc/cchc-2024",
        "https://xatanlap.backan.gov.vn/tin-tuc/cchc-2024",
        False,
    ),
    ("www.backan.gov.vn", "http://www.backan.gov.vn", False),
    ("http://127.0.0.1:8000/a?b=1", "http://127.0.0.1:8000/a?b=1", False),
    ("http//xa.gov.vn", "http//xa.gov.vn", True),
    ("https://", "https://", True),
    ("htps://xa.gov.vn", "htps://xa.gov.vn", True),
    ("https://xa..gov.vn", "https://xa..gov.vn", True),
    ("http://localhost:abc/", "http://localhost:abc/", True),
    ("ftp://xa.gov.vn/kh.pdf", "ftp://xa.gov.vn/kh.pdf", True),
]


@pytest.mark.parametrize(("text", "target", "bad"), URLS)
def test_url(text: str, target: str, bad: bool) -> None:
    (ref,) = parse_cell(text)
    assert (ref.kind, ref.target, ref.bad_url) == ("url", target, bad)


def test_free_text_and_json() -> None:
    (ref,) = parse_cell("Kế hoạch CCHC năm 2024 (đã ban hành)")
    assert (ref.kind, ref.raw) == ("text", "Kế hoạch CCHC năm 2024 (đã ban hành)")
    (cited,) = parse_cell("Số 141/TB-UBND ngày 10/5/2023")
    assert cited.to_json() == {
        "kind": "citation",
        "raw": "Số 141/TB-UBND ngày 10/5/2023",
        "number": "141",
        "year": None,
        "doc_type": "TB",
        "issuer": "UBND",
        "date": "2023-05-10",
        "target": None,
        "bad_number": False,
        "bad_date": False,
        "bad_url": False,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/12/2024", date(2024, 12, 15)),
        (" 1.2.2025 ", date(2025, 2, 1)),
        ("ngày 15 tháng 12 năm 2024", date(2024, 12, 15)),
        ("31/02/2024", None),
        ("15/12/2024 hoặc sau", None),
        ("hôm nay", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected
