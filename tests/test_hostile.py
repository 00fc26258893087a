"""Hostile inputs: each reader refuses them with a stable code and a Vietnamese message, quickly.

Each case is one file built by tests/hostile.py. "Quickly" is loose (under 10 s, not a speed
test): the point is that nothing hangs, crashes the process, or exhausts memory.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from python_calamine import CalamineWorkbook

from cchc.core.issues import Issue
from cchc.criteria.loader import MAX_FILE_BYTES, load_file, load_text
from cchc.criteria.model import CriteriaSet
from cchc.criteria.table_import import import_table
from cchc.inputs.official import read_official
from cchc.inputs.owners import read_owners
from cchc.inputs.survey import read_survey
from cchc.readers import table as table_read
from cchc.readers import yamlio
from cchc.readers.csv_table import split_csv
from cchc.readers.guard import TABLE, WORKBOOK, Refused, check_file, sheet_rows
from cchc.scoring.submission import Submission
from cchc.templates import collect
from cchc.templates.appraisal import read_appraisal
from cchc.templates.collect import OneSet, check_folder
from cchc.templates.layout import SELF_SHEET
from cchc.templates.reader import open_rows
from cchc.units.read import load_units
from tests import hostile, hostile_xls
from tests.hostile import MIB, cells, ods, ods_cell, sheet_xml, workbook
from tests.jobs import aborting, busy
from tests.workbooks import MINI_X01, XA, filled

LOOSE = 10.0
"""Seconds: a reader that takes longer is taken to hang."""


@contextmanager
def returns_quickly() -> Iterator[None]:
    start = time.monotonic()
    yield
    assert time.monotonic() - start < LOOSE


def refused(path: Path) -> Issue:
    """The one issue the unit-workbook reader gives for a file it refuses."""
    sub = Submission(str(path))
    with returns_quickly():
        assert open_rows(path, sub) is None
    assert len(sub.issues) == 1, sub.issues
    assert sub.issues[0].file == str(path)
    return sub.issues[0]


def test_a_real_workbook_passes_every_guard(mini: CriteriaSet, tmp_path: Path) -> None:
    path = filled(mini, XA, MINI_X01, tmp_path / "x01.xlsx")
    assert check_file(path, WORKBOOK) is None
    rows = open_rows(path, Submission(str(path)))
    assert rows is not None and rows[1]["unit_code"] == "X01"


# --- zip bombs and sizes ---------------------------------------------------------------------


def test_zip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "bom.xlsx", sheet_xml(cells("A1")), {"xl/media/a.bin": bytes(MIB * 8)}
    )
    issue = refused(path)
    assert issue.code == "workbook_too_large"
    assert "xl/media/a.bin nén" in issue.message and "bom nén" in issue.message


def test_zip_bomb_is_refused_by_its_unpacked_size(tmp_path: Path) -> None:
    path = workbook(tmp_path / "bom.xlsx", hostile.zeros(101 * MIB))
    issue = refused(path)
    assert issue.code == "workbook_too_large"
    assert "giải nén ra 101,0 MiB, vượt giới hạn 100,0 MiB" in issue.message


def test_a_member_larger_than_declared_is_refused(tmp_path: Path) -> None:
    strings = b"<sst>" + b"x" * (3 * MIB) + b"</sst>"
    path = workbook(
        tmp_path / "gia.xlsx", sheet_xml(cells("A1")), {"xl/sharedStrings.xml": strings}
    )
    issue = refused(hostile.declare_smaller(path, "xl/sharedStrings.xml", 1000))
    assert issue.code == "workbook_corrupt"
    assert "không đúng kích thước khai báo" in issue.message


def test_a_zip_of_countless_members_is_refused(tmp_path: Path) -> None:
    members = {f"xl/media/{n}.bin": b"" for n in range(10_001)}
    issue = refused(workbook(tmp_path / "nhieu.xlsx", sheet_xml(cells("A1")), members))
    assert issue.code == "workbook_too_large"
    assert "10.005 thành phần, vượt giới hạn 10.000" in issue.message  # and 4 of the workbook


@pytest.mark.parametrize("name", ["lon.xlsx", "lon.xls", "lon.ods"])
def test_a_file_above_the_size_limit_is_not_opened(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.write(b"\xd0\xcf\x11\xe0" if name.endswith(".xls") else b"PK\x03\x04")
        handle.truncate(21 * MIB)  # sparse: nothing written
    issue = refused(path)
    assert (issue.code, issue.message) == (
        "workbook_too_large",
        "tệp nặng 21,0 MiB, vượt giới hạn 20,0 MiB",
    )


SST = "xl/sharedStrings.xml"

# --- sheets too large for their bytes ----------------------------------------------------------


def test_a_value_in_the_last_cell_does_not_abort_the_process(tmp_path: Path) -> None:
    # calamine would allocate 17 billion cells (550 GB) for this 1 KB file and abort.
    issue = refused(workbook(tmp_path / "goc.xlsx", sheet_xml(cells("A1", "XFD1048576"))))
    assert issue.code == "workbook_too_large"
    assert issue.sheet == SELF_SHEET
    assert "dữ liệu tới dòng 1.048.576, vượt giới hạn 5.000 dòng" in issue.message


@pytest.mark.parametrize(
    "root",
    [
        'sst xmlns="{main}" uniqueCount="4000000000"',
        'x:sst xmlns:x="{main}" count="1" uniqueCount="+4000000000"',
        # the root tag far from the start, behind a long comment
        'sst xmlns="{main}" uniqueCount="4000000000" a="' + "x" * 10_000 + '"',
    ],
)
def test_a_shared_strings_count_beyond_its_bytes_is_refused(tmp_path: Path, root: str) -> None:
    # calamine reserves room for uniqueCount strings first: 4 billion ask for 96 GB and abort.
    tag = root.format(main=hostile.MAIN)
    name = tag.split()[0]
    strings = f"<{tag}><{name.replace('sst', 'si')}><t>a</t></si></{name}>"
    path = workbook(tmp_path / "chuoi.xlsx", sheet_xml(cells("A1")), {SST: strings})
    issue = refused(path)
    assert issue.code == "workbook_corrupt"
    assert f"thành phần {SST} khai báo số chuỗi ký tự nhiều hơn" in issue.message


def test_a_shared_strings_count_within_its_bytes_passes(tmp_path: Path) -> None:
    strings = f'<sst xmlns="{hostile.MAIN}" count="2" uniqueCount="2"><si><t>a</t></si></sst>'
    path = workbook(tmp_path / "chuoi.xlsx", sheet_xml(cells("A1")), {SST: strings})
    assert check_file(path, WORKBOOK) is None


def test_a_far_column_is_refused_by_cells(tmp_path: Path) -> None:
    issue = refused(workbook(tmp_path / "cot.xlsx", sheet_xml(cells("A1", "XFD100"))))
    assert issue.code == "workbook_too_large"
    assert "100 dòng × 16.384 cột, vượt giới hạn 500.000 ô" in issue.message


@pytest.mark.parametrize(
    ("refs", "says"),
    [
        (("A1", "C384615"), None),  # 384,615 × 3 cells: within 10,000,000
        (("A1", "Z384615"), None),  # × 26 = 9,999,990: within
        (("A1", "Z384616"), "384.616 dòng × 26 cột"),  # 10,000,016: one row too many
        (("B1000000",), None),
        (("A1000001",), "dữ liệu tới dòng 1.000.001"),
    ],
)
def test_a_long_table_is_measured_by_its_last_column(
    tmp_path: Path, refs: tuple[str, ...], says: str | None
) -> None:
    # Cells written the usual way are bounded by a few searches: the last column any cell uses
    # leaves cells // columns rows; only a sheet beyond that is read tag by tag.
    refusal = check_file(workbook(tmp_path / "bang.xlsx", sheet_xml(cells(*refs))), TABLE)
    if says is None:
        assert refusal is None
    else:
        assert refusal is not None and refusal.code == "workbook_too_large"
        assert says in refusal.message


def test_a_million_rows_are_refused_fast(tmp_path: Path) -> None:
    path = workbook(tmp_path / "trieu-dong.xlsx", hostile.million_rows())
    issue = refused(path)
    assert issue.code == "workbook_too_large"
    assert "dữ liệu tới dòng 5.001, vượt giới hạn 5.000 dòng" in issue.message


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ("<row><c><v>1</v></c></row>" * 5001, "workbook_too_large", "dòng 5.001"),  # no r
        ("""<row r='1'><c s="1" r = 'A6000'><v>1</v></c></row>""", "workbook_too_large", "6.000"),
        ('<row r="1"><c a=">" r="A6000"><v>1</v></c></row>', "workbook_too_large", "6.000"),
        (
            '<row r="1"><c a="<!--"/></row>' + cells("A6000") + '<row b="-->"/>',
            "workbook_too_large",
            "6.000",
        ),
        ('<x:row r="1"><x:c r="A6000"><x:v>1</x:v></x:c></x:row>', "workbook_too_large", "6.000"),
        ('<row r="6000"/><row><c><v>1</v></c></row>', "workbook_too_large", "6.001"),
        ('<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>', "workbook_corrupt", "bị lặp"),
        ('<row r="9" r="1"><c><v>1</v></c></row>', "workbook_corrupt", "bị lặp"),
        ('<row r="1"><c r="A0"><v>1</v></c></row>', "workbook_corrupt", "không hợp lệ: 'A0'"),
    ],
)
def test_unusual_xml_is_read_as_calamine_reads_it(
    tmp_path: Path, body: str, code: str, words: str
) -> None:
    issue = refused(workbook(tmp_path / "la.xlsx", sheet_xml(body)))
    assert issue.code == code and words in issue.message


def test_columns_reset_by_a_row_end_hidden_in_a_comment_still_count(tmp_path: Path) -> None:
    body = '<row r="1">' + "<c><v>1</v></c><!-- </row> -->" * 600 + "</row>" + cells("A1000")
    issue = refused(workbook(tmp_path / "an.xlsx", sheet_xml(body)))
    assert "1.000 dòng × 600 cột" in issue.message


def test_unusual_xml_within_the_limits_is_read(tmp_path: Path) -> None:
    body = "<x:row><x:c><x:v>7</x:v></x:c></x:row><row r='3'><c s='1' r = 'C3'><v>8</v></c></row>"
    path = workbook(tmp_path / "la.xlsx", sheet_xml(body))
    assert check_file(path, WORKBOOK) is None
    book = CalamineWorkbook.from_path(str(path))
    assert sheet_rows(book, SELF_SHEET, WORKBOOK) == [[7.0, "", ""], ["", "", ""], ["", "", 8.0]]


@pytest.mark.parametrize(
    ("table", "says"),
    [
        (
            f'<table:table-row table:number-rows-repeated="1000000">{ods_cell()}</table:table-row>',
            "dữ liệu tới dòng 1.000.000",
        ),
        (
            f'<table:table-row table:number-rows-repeated="100">{ods_cell(repeat=16384)}'
            "</table:table-row>",
            "100 dòng × 16.384 cột",
        ),
        (
            f'<table:table-row><table:table-cell table:number-columns-repeated="99999999"/>'
            f"{ods_cell()}</table:table-row>",
            "1 dòng × 100.000.000 cột",
        ),
    ],
)
def test_ods_repeats_are_counted_before_calamine_expands_them(
    tmp_path: Path, table: str, says: str
) -> None:
    issue = refused(ods(tmp_path / "lap.ods", table))
    assert issue.code == "workbook_too_large" and says in issue.message
    assert issue.sheet == SELF_SHEET


def test_ods_empty_rows_after_the_data_cost_nothing(tmp_path: Path) -> None:
    # LibreOffice writes the empty rest of the sheet as one repeated row.
    table = (
        f"<table:table-row>{ods_cell(5)}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    path = ods(tmp_path / "lo.ods", table)
    assert check_file(path, WORKBOOK) is None
    book = CalamineWorkbook.from_path(str(path))
    assert sheet_rows(book, SELF_SHEET, WORKBOOK) == [[5.0]]


def test_xls_grids_are_checked_once_loaded(tmp_path: Path) -> None:
    # .xls gets no byte scan: its loaded grid is checked before it becomes Python objects.
    path = workbook(tmp_path / "dai.xlsx", sheet_xml(cells("A1", "A5001")))
    book = CalamineWorkbook.from_path(str(path))
    with pytest.raises(Refused) as raised:
        sheet_rows(book, SELF_SHEET, WORKBOOK)
    assert raised.value.refusal.code == "workbook_too_large"


# --- XML entities ----------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_billion_laughs_are_refused(tmp_path: Path, member: str) -> None:
    xml = sheet_xml(cells("A1"), hostile.LAUGHS) if "sheet" in member else None
    strings = f'<?xml version="1.0"?>{hostile.LAUGHS}<sst><si><t>&lol9;</t></si></sst>'
    path = workbook(
        tmp_path / "cuoi.xlsx", xml or sheet_xml(cells("A1")), {} if xml else {member: strings}
    )
    issue = refused(path)
    assert issue.code == "workbook_corrupt"
    assert f"thành phần {member} khai báo DOCTYPE" in issue.message


def test_an_external_entity_is_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("MẬT-KHẨU-123", encoding="utf-8")
    entity = hostile.external_entity(secret)
    direct = workbook(tmp_path / "a.xlsx", sheet_xml(cells("A1"), entity))
    assert "khai báo DOCTYPE" in refused(direct).message
    # Past the first 4 KB the guard does not look; calamine then refuses the entity itself.
    hidden = f'<?xml version="1.0"?><!--{"x" * 5000}-->{entity}<sst><si><t>&xxe;</t></si></sst>'
    late = workbook(tmp_path / "b.xlsx", sheet_xml(cells("A1")), {"xl/sharedStrings.xml": hidden})
    issue = refused(late)
    assert issue.code == "workbook_corrupt"
    assert "MẬT-KHẨU" not in str(issue)


# --- files that are not what their extension says ------------------------------------------


OLE_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "Workbook".encode("utf-16-le")


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("csv.xlsx", "Mã,Điểm\n1.1,2\n".encode(), "workbook_corrupt", "văn bản thuần (CSV/TXT)"),
        ("pdf.xlsx", b"%PDF-1.7\n%\xe2\xe3", "workbook_corrupt", "một tệp PDF"),
        ("trang.xls", b"<!DOCTYPE html><html><table>", "workbook_corrupt", "một trang HTML"),
        ("rac.xlsx", bytes(range(256)) * 4, "workbook_corrupt", "dữ liệu không rõ định dạng"),
        ("moi.xls", b"PK\x03\x04" + bytes(100), "workbook_corrupt", "một tệp nén ZIP"),
        ("cu.xlsx", OLE_XLS, "workbook_corrupt", "sổ tính Excel 97–2003 (.xls)"),
        ("rong.xlsx", b"", "workbook_empty", "tệp rỗng (0 byte)"),
    ],
)
def test_a_file_that_is_not_what_its_extension_says(
    tmp_path: Path, name: str, content: bytes, code: str, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    issue = refused(path)
    assert issue.code == code and words in issue.message


@pytest.mark.parametrize(
    ("make", "code", "says"),
    [
        # each made calamine abort (N bytes asked) before the guard: see tests/test_hostile_xls.py
        (hostile_xls.difat_loop, "workbook_corrupt", "cấu trúc tệp .xls không hợp lệ"),
        (hostile_xls.dimensions_far, "workbook_corrupt", "cấu trúc tệp .xls không hợp lệ"),
        (hostile_xls.far_cells, "workbook_too_large", "3.001 dòng × 65.536 cột"),
        (hostile_xls.many_sheets, "workbook_too_large", "các trang tính trước trang"),
    ],
)
def test_crafted_xls_files_are_refused_before_calamine(
    tmp_path: Path, make: Callable[[], bytes], code: str, says: str
) -> None:
    issue = refused(hostile.written(tmp_path / "cu.xls", make()))
    assert issue.code == code and says in issue.message


def test_a_password_protected_xls_is_refused_as_such(tmp_path: Path) -> None:
    path = hostile.written(tmp_path / "mat-khau.xls", hostile_xls.encrypted())
    issue = refused(path)
    assert issue.code == "workbook_encrypted" and "gỡ mật khẩu" in issue.message


class PanicException(BaseException):  # the name pyo3 gives its panics
    """What python-calamine raises when the Rust code panics: not an Exception."""


def test_a_reader_panic_is_a_refusal_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hostile.written(tmp_path / "hoang.xls", hostile_xls.small())

    def panicking(handle: object) -> None:
        raise PanicException("index out of bounds")

    monkeypatch.setattr(CalamineWorkbook, "from_filelike", panicking)
    issue = refused(path)
    assert issue.code == "workbook_corrupt" and "lỗi nội bộ" in issue.message


def test_other_base_exceptions_pass_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hostile.written(tmp_path / "ngat.xls", hostile_xls.small())

    def interrupted(handle: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(CalamineWorkbook, "from_filelike", interrupted)
    with pytest.raises(KeyboardInterrupt):
        open_rows(path, Submission(str(path)))


def test_an_ods_or_a_word_file_named_xlsx(tmp_path: Path) -> None:
    path = ods(tmp_path / "bang.ods", f"<table:table-row>{ods_cell()}</table:table-row>")
    assert "sổ tính OpenDocument (.ods)" in refused(path.rename(tmp_path / "bang.xlsx")).message
    word = tmp_path / "van-ban.xlsx"
    hostile.zipped(word, {"word/document.xml": b"<w:document/>"})
    assert "nội dung là văn bản Word (.docx)" in refused(word).message


# --- YAML ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "".join(
                f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 12)
            ).replace("*l0", '"x"'),
            "yaml_too_large",
        ),
        ("items: " + "[" * 100_000 + "]" * 100_000, "yaml_too_deep"),
        ("items:\n" + "".join("  " * n + "- \n" for n in range(1, 2000)), "yaml_too_deep"),
        ("items: " + "{a: " * 100_000 + "1" + "}" * 100_000, "yaml_too_deep"),
    ],
)
def test_exploding_or_deep_yaml_is_refused(text: str, code: str) -> None:
    with returns_quickly():
        loaded = load_text(text, "bo.yaml")
    assert [i.code for i in loaded.issues] == [code]
    assert loaded.issues[0].file == "bo.yaml"


@pytest.mark.parametrize("base", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_flow_nesting_is_too_deep_for_either_loader(
    base: type[yaml.SafeLoader], opening: str
) -> None:
    # libyaml refuses deep flow nesting itself ("exceeded maximum nesting depth"); the pure-Python
    # parser leaves it to our count. Either way the refusal is ours, in Vietnamese.
    closing = "]" if opening == "[" else "}"
    with pytest.raises(yamlio.YamlProblem) as raised:
        yamlio._check_depth("items: " + opening * 5_000 + "1" + closing * 5_000, base)
    assert raised.value.code == "yaml_too_deep"
    assert raised.value.message == "tệp lồng nhau quá sâu (trên 64 cấp)"


def test_a_huge_criteria_file_is_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / "lon.yaml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES)
    with returns_quickly():
        loaded = load_file(path)
    assert [(i.code, i.message) for i in loaded.issues] == [("file_too_large", "tệp lớn hơn 5 MiB")]


def test_a_deep_units_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "don-vi.yaml"
    path.write_text("units: " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with returns_quickly():
        _, issues = load_units(path)
    assert [i.code for i in issues] == ["yaml_too_deep"]


# --- links in the submissions folder -----------------------------------------------------------


def test_links_never_lead_outside_the_folder(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    filled(mini, XA, MINI_X01, outside / "X01.xlsx")  # read, it would make X01 submitted
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "file.xlsx").symlink_to(outside / "X01.xlsx")
    (inbox / "folder").symlink_to(outside, target_is_directory=True)
    (inbox / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (inbox / "loop-a.xlsx").symlink_to(inbox / "loop-b.xlsx")
    (inbox / "loop-b.xlsx").symlink_to(inbox / "loop-a.xlsx")
    (inbox / "dead.xlsx").symlink_to(tmp_path / "nothing.xlsx")
    (inbox / "sub" / "here").symlink_to(inbox / "sub", target_is_directory=True)
    opened: list[Path] = []

    def recording(path: Path, sub: Submission) -> object:
        opened.append(path)
        return open_rows(path, sub)

    monkeypatch.setattr(collect, "open_rows", recording)
    with returns_quickly():
        report = check_folder(inbox, 2024, [XA], OneSet(mini))
    skipped = {Path(i.file or "").name: i.code for i in report.issues if i.file}
    assert skipped == {
        "file.xlsx": "link_outside",
        "folder": "link_outside",
        "up": "link_outside",
        "loop-a.xlsx": "link_broken",
        "loop-b.xlsx": "link_broken",
        "dead.xlsx": "link_broken",
    }
    assert opened == [] and report.submissions == []
    assert [u.code for u in report.missing] == ["X01"]


# --- the table readers share the guards --------------------------------------------------------


def table_readers(mini: CriteriaSet) -> dict[str, Callable[[Path], list[Issue]]]:
    """Each reader of a table, as path → its issues."""
    return {
        "survey_unreadable": lambda p: read_survey(p, lambda u, i: Decimal(1)).issues,
        "appraisal_unreadable": lambda p: read_appraisal(p, 2024, lambda u, i: None)[1],
        "official_unreadable": lambda p: read_official(p)[1],
        "owners_unreadable": lambda p: read_owners(p, mini).issues,
        "units_file_unreadable": lambda p: load_units(p)[1],
        "criteria_file_unreadable": lambda p: import_table(p).issues,
    }


HOSTILE_TABLES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "corner": (
        lambda d: workbook(d / "goc.xlsx", sheet_xml(cells("A1", "XFD1048576"))),
        "dữ liệu tới dòng 1.048.576, vượt giới hạn 1.000.000 dòng",
    ),
    "bomb": (
        lambda d: workbook(d / "bom.xlsx", sheet_xml(cells("A1")), {"a.bin": bytes(8 * MIB)}),
        "bom nén",
    ),
    "laughs": (
        lambda d: workbook(d / "cuoi.xlsx", sheet_xml(cells("A1"), hostile.LAUGHS)),
        "khai báo DOCTYPE",
    ),
    "csv lines": (
        lambda d: hostile.written(d / "dai.csv", b"\n" * 1_000_001),
        "hơn 1.000.000 dòng",
    ),
    "html": (lambda d: hostile.written(d / "web.xls", b"<html><table>"), "một trang HTML"),
    "strings": (
        lambda d: workbook(
            d / "chuoi.xlsx",
            sheet_xml(cells("A1")),
            {SST: f'<sst xmlns="{hostile.MAIN}" uniqueCount="4000000000"/>'},
        ),
        "khai báo số chuỗi ký tự nhiều hơn",
    ),
}


@pytest.mark.parametrize(
    ("reader", "case"),
    [
        (reader, case)
        for reader in ("survey", "appraisal", "official", "owners", "units", "criteria")
        for case in HOSTILE_TABLES
        if case != "csv lines" or reader in ("survey", "owners")  # the others take no CSV
    ],
)
def test_table_readers_refuse_hostile_files(
    mini: CriteriaSet, tmp_path: Path, reader: str, case: str
) -> None:
    code, read = next((c, r) for c, r in table_readers(mini).items() if c.startswith(reader))
    code = code.removeprefix(f"{reader}_") if reader in ("units", "criteria") else code
    make, words = HOSTILE_TABLES[case]
    path = make(tmp_path)
    with returns_quickly():
        issues = read(path)
    assert [i.code for i in issues] == [code]
    assert words in issues[0].message and issues[0].file == str(path)


# The table reader's own job is replaced by one of tests/jobs.py: a spawned worker (Windows)
# is given it by name, where a patch of what the job calls would not reach it.


@pytest.mark.parametrize(
    "reader", ["survey", "appraisal", "official", "owners", "units", "criteria"]
)
def test_a_table_that_aborts_its_reader_ends_only_that_process(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    monkeypatch.setattr(table_read, "_sheets", aborting)
    code, read = next((c, r) for c, r in table_readers(mini).items() if c.startswith(reader))
    code = code.removeprefix(f"{reader}_") if reader in ("units", "criteria") else code
    path = workbook(tmp_path / "bang.xlsx", sheet_xml(cells("A1")))
    with returns_quickly():
        issues = read(path)
    assert [i.code for i in issues] == [code]
    assert "dừng đột ngột" in issues[0].message and issues[0].file == str(path)


@pytest.mark.parametrize(
    "reader", ["survey", "appraisal", "official", "owners", "units", "criteria"]
)
def test_a_table_without_sheets_is_unreadable(
    mini: CriteriaSet, tmp_path: Path, reader: str
) -> None:
    book = f'<workbook xmlns="{hostile.MAIN}"><sheets/></workbook>'.encode()
    path = hostile.zipped(tmp_path / "rong.xlsx", {"xl/workbook.xml": book})
    code, read = next((c, r) for c, r in table_readers(mini).items() if c.startswith(reader))
    code = code.removeprefix(f"{reader}_") if reader in ("units", "criteria") else code
    issues = read(path)
    assert [i.code for i in issues] == [code]
    assert "tệp hỏng hoặc không đúng định dạng" in issues[0].message
    assert issues[0].file == str(path)


def test_a_table_that_keeps_its_reader_busy_is_given_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table_read, "_sheets", busy)
    monkeypatch.setattr(table_read, "TABLE_SECONDS", 1)
    path = workbook(tmp_path / "bang.xlsx", sheet_xml(cells("A1")))
    with returns_quickly(), pytest.raises(Refused) as raised:
        table_read.read_table(path)
    assert raised.value.refusal.code == "workbook_crash"


def test_one_hostile_file_never_stops_the_others(mini: CriteriaSet, tmp_path: Path) -> None:
    filled(mini, XA, MINI_X01, tmp_path / "X01.xlsx")
    workbook(tmp_path / "goc.xlsx", sheet_xml(cells("A1", "XFD1048576")))
    workbook(tmp_path / "bom.xlsx", sheet_xml(cells("A1")), {"a.bin": bytes(8 * MIB)})
    (tmp_path / "vong.xlsx").symlink_to(tmp_path / "vong.xlsx")
    with returns_quickly():
        report = check_folder(tmp_path, 2024, [XA], OneSet(mini))
    by_file = {Path(s.file).name: [i.code for i in s.issues] for s in report.submissions}
    assert by_file == {
        "X01.xlsx": [],
        "bom.xlsx": ["workbook_too_large"],
        "goc.xlsx": ["workbook_too_large"],
    }
    assert [i.code for i in report.issues] == ["link_broken"]
    assert report.missing == []


def test_a_yaml_integer_of_thousands_of_digits_is_a_located_problem() -> None:
    # Python refuses to convert more than 4,300 digits (ValueError): the loader must not crash.
    loaded = load_text("id: x\nyear: " + "9" * 5_000 + "\n", "bo.yaml")
    assert [(i.code, i.line) for i in loaded.issues] == [("yaml_syntax", 2)]
    assert "số nguyên quá dài" in loaded.issues[0].message


def test_csv_tables_are_held_to_the_cell_limit() -> None:
    text = "a,b,c\n1,2,3\n4,5,6\n"
    assert split_csv(text, ",", max_cells=9) == [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]]
    with pytest.raises(Refused) as refused:
        split_csv(text, ",", max_cells=8)
    assert refused.value.refusal.code == "workbook_too_large"
    assert refused.value.refusal.message == "bảng có hơn 8 ô, vượt giới hạn"


def test_a_file_name_that_is_not_utf8_loses_only_itself(mini: CriteriaSet, tmp_path: Path) -> None:
    """A zip unpacked from an old Windows: 'Xã' in cp1258 bytes. The others are read."""
    filled(mini, XA, MINI_X01, tmp_path / "x01.xlsx")
    bad = os.fsencode(tmp_path) + b"/X02 - X\xe3.xlsx"
    with open(bad, "wb") as out:
        out.write((tmp_path / "x01.xlsx").read_bytes())
    report = check_folder(tmp_path, 2024, [XA], OneSet(mini))
    assert [Path(s.file).name for s in report.submissions] == ["x01.xlsx"]
    (issue,) = report.issues
    assert (issue.code, Path(issue.file or "").name) == ("file_name_invalid", "X02 - X\ufffd.xlsx")
    str(issue.file).encode("utf-8")  # every output can hold it


def test_nesting_deeper_than_the_stack_is_not_followed(mini: CriteriaSet, tmp_path: Path) -> None:
    """1,100 nested folders: no RecursionError; what lies within reach is read."""
    filled(mini, XA, MINI_X01, tmp_path / "x01.xlsx")
    deep = tmp_path
    for _ in range(1100):
        deep = deep / "a"
        os.mkdir(os.fsencode(deep))
    try:
        report = check_folder(tmp_path, 2024, [XA], OneSet(mini))
    finally:  # shutil.rmtree recurses too: pytest could not remove the tree
        while deep != tmp_path:
            os.rmdir(deep)
            deep = deep.parent
    assert [Path(s.file).name for s in report.submissions] == ["x01.xlsx"]
    assert [i.code for i in report.issues] == ["folder_too_deep"]
    assert (
        len(Path(report.issues[0].file or "").relative_to(tmp_path).parts) == collect.MAX_DEPTH + 1
    )


def test_an_evidence_name_the_disk_cannot_hold(mini: CriteriaSet, tmp_path: Path) -> None:
    """A 160-character Vietnamese name is over 255 bytes: the file is missing, nothing stops."""
    from cchc.evidence.files import locate

    (tmp_path / "X01").mkdir()
    assert (
        locate((tmp_path / "X01").resolve(), "minh-chung/" + "Kế hoạch cải cách " * 10 + ".pdf")
        is None
    )


def test_a_missing_table_is_said_missing(tmp_path: Path) -> None:
    with pytest.raises(table_read.Unreadable) as caught:
        table_read.read_table(tmp_path / "khong-co.xlsx")
    assert str(caught.value) == f"không đọc/ghi được '{tmp_path / 'khong-co.xlsx'}': không tìm thấy"


def test_tables_read_in_one_pool_lose_only_the_file_that_aborts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The council's workbooks are read together: one file crashing its reader loses only
    itself, the others come back in order, and an empty file is said unreadable."""
    from tests.jobs import aborting_on_bomb

    monkeypatch.setattr(table_read, "_sheets", aborting_on_bomb)
    good = [workbook(tmp_path / f"bang-{n}.xlsx", sheet_xml(cells(f"A{n}"))) for n in (1, 2)]
    bomb = workbook(tmp_path / "bom.xlsx", sheet_xml(cells("A1")))
    empty = hostile.zipped(
        tmp_path / "rong.xlsx",
        {"xl/workbook.xml": f'<workbook xmlns="{hostile.MAIN}"><sheets/></workbook>'.encode()},
    )
    with returns_quickly():
        found = table_read.read_tables([good[0], bomb, empty, good[1]])
    assert isinstance(found[0], dict) and isinstance(found[3], dict)
    assert isinstance(found[1], Refused) and found[1].refusal.code == "workbook_crash"
    assert isinstance(found[2], table_read.Unreadable)
    assert found[0] != found[3]  # each file's own sheets, in input order
