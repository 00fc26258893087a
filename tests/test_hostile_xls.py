"""xls_grid refuses every legacy .xls that makes python-calamine abort or take gigabytes.

The files come from tests/hostile_xls.py. Those that python-calamine 0.9.1 (calamine 0.37) was
seen to abort on, or to take more than 1 GB for, are marked so below (measured in a subprocess
limited to 4 GB of address space). calamine itself only runs here on files xls_grid passes, or in
a subprocess.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from cchc.readers.guard import TABLE, WORKBOOK
from cchc.readers.sheet_grid import BadSheet, Grid
from cchc.readers.xls_grid import Encrypted, xls_grid
from tests import hostile_xls as h
from tests.office import SOFFICE, convert

BAD = "cấu trúc tệp .xls không hợp lệ: "

REFUSED: list[tuple[str, Callable[[], bytes], str]] = [
    # Aborted: `memory allocation of 7952400384 bytes failed` after 3 s.
    ("difat_loop", h.difat_loop, "chuỗi DIFAT dài hơn khai báo hoặc trỏ ra ngoài tệp"),
    # Aborted: 4294967296 bytes.
    ("directory_loop", h.directory_loop, "chuỗi sector của thư mục lặp vòng"),
    # 1,051 MB: the FAT sector listed 2 million times.
    ("fat_references", h.fat_references, "phần đầu khai báo nhiều sector hơn tệp có"),
    # Aborted: 43980465100800 bytes reserved for 2³² rows × 256 columns.
    ("dimensions_far", h.dimensions_far, "trang 'Sheet1' có bản ghi DIMENSIONS không hợp lệ"),
    # 1,036 MB: calamine read the stream olefile does not see, with a value at IV65536.
    ("decoy", h.decoy, "olefile và calamine đọc ra hai luồng Workbook khác nhau"),
    # Capacities the calamine source takes from the header or a record (0.37 clamps them).
    ("fat_count", h.fat_count, "phần đầu khai báo nhiều sector hơn tệp có"),
    ("difat_misread", h.difat_misread, "phần đầu khai báo nhiều sector hơn tệp có"),
    (
        "difat_misread_within_file",
        lambda: h.difat_misread(rows=9_000, count=300),
        "số sector MiniFAT trong phần đầu quá lớn",
    ),
    ("directory_count", h.directory_count, "phần đầu khai báo nhiều sector hơn tệp có"),
    ("minifat_count", h.minifat_count, "phần đầu khai báo nhiều sector hơn tệp có"),
    ("ministream_size", h.ministream_size, "mini stream khai báo lớn hơn tệp"),
    ("stream_size", h.stream_size, "luồng Workbook khai báo lớn hơn tệp"),
    (
        "sst_count",
        h.sst_count,
        "bảng chuỗi (SST) khai báo 2147483647 chuỗi, quá số dữ liệu của nó chứa",
    ),
    # Chains past the end of the file (0.37: a clean error) or looping (0.37 stops at the size).
    ("difat_far", h.difat_far, "bảng DIFAT liệt kê sector không tồn tại"),
    ("chain_far", h.chain_far, "chuỗi sector của thư mục trỏ ra ngoài tệp"),
    (
        "mini_far",
        h.mini_far,
        "chuỗi mini sector của luồng Workbook trỏ ra ngoài mini stream",
    ),
    ("mini_loop", h.mini_loop, "chuỗi mini sector của luồng Workbook lặp vòng"),
    ("fat_repeated", h.fat_repeated, "bảng DIFAT không khớp với số sector FAT khai báo"),
    # pyo3_runtime.PanicException, which `except Exception` does not catch.
    ("boundsheet_far", h.boundsheet_far, "trang 'S' trỏ ra ngoài luồng dữ liệu"),
    ("merge_short", h.merge_short, "trang 'S' có bản ghi MERGECELLS quá ngắn"),
    # Every sheet read again from one substream: time grows with sheets × records.
    ("shared_substream", h.shared_substream, "hai trang trỏ tới cùng một vị trí dữ liệu"),
]


@pytest.mark.parametrize(
    ("builder", "detail"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_hostile_container_or_record_is_refused(builder: Callable[[], bytes], detail: str) -> None:
    with pytest.raises(BadSheet) as caught:
        xls_grid(builder(), WORKBOOK.rows, WORKBOOK.cells)
    assert str(caught.value) == BAD + detail


GRIDS: list[tuple[str, Callable[[], bytes], Grid]] = [
    # Aborted: 6293553152 bytes for 3,001 rows × 65,536 columns.
    ("far_cells", h.far_cells, Grid(rows=3_001, columns=65_536, name="Sheet1")),
    # Aborted after 1.8 s: 600 sheets of 5,000 × 100 cells each, all held at once.
    ("many_sheets", h.many_sheets, Grid(rows=1, columns=1, before=500_000, name="S1")),
    # 1,036 MB for one value at A1 and one at IV65536 (BIFF8's last cell).
    (
        "far_corner",
        lambda: h.xls([("Sheet1", h.cells([(0, 0), (65_535, 255)]))]),
        Grid(rows=65_536, columns=256, name="Sheet1"),
    ),
    # 1,420 MB: formulas get a dense grid of their own.
    (
        "formula_far",
        lambda: h.xls([("Sheet1", h.formula(0, 0) + h.formula(65_535, 255))]),
        Grid(rows=65_536, columns=256, name="Sheet1"),
    ),
    # MULRK columns run past 65,535 (calamine checks the count with u16 arithmetic).
    (
        "mulrk_wrap",
        lambda: h.xls([("Sheet1", h.number(10, 0) + h.mulrk(0, 65_530, 1_000))]),
        Grid(rows=11, columns=66_530, name="Sheet1"),
    ),
]


@pytest.mark.parametrize(
    ("builder", "grid"), [case[1:] for case in GRIDS], ids=[case[0] for case in GRIDS]
)
def test_far_cells_give_the_grid_over_the_limit(builder: Callable[[], bytes], grid: Grid) -> None:
    assert xls_grid(builder(), WORKBOOK.rows, WORKBOOK.cells) == grid


def test_table_limits_refuse_a_full_biff8_sheet() -> None:
    data = h.xls([("Bảng", h.cells([(0, 0), (65_535, 255)]))])
    assert xls_grid(data, TABLE.rows, TABLE.cells) == Grid(rows=65_536, columns=256, name="Bảng")


def test_value_at_row_5001_names_the_sheet() -> None:
    data = h.xls([("Tự đánh giá", h.number(0, 0) + h.label_sst(5_000, 2, 0))], h.sst(["x"]))
    grid = xls_grid(data, WORKBOOK.rows, WORKBOOK.cells)
    assert grid == Grid(rows=5_001, columns=3, name="Tự đánh giá")


def test_value_at_row_5000_passes() -> None:
    data = h.xls([("Tự đánh giá", h.number(0, 0) + h.number(4_999, 2))])
    assert xls_grid(data, WORKBOOK.rows, WORKBOOK.cells) is None


def test_only_the_second_sheet_too_large_is_named() -> None:
    first = h.cells([(0, 0), (149, 9)])
    data = h.xls([("Tự đánh giá", first), ("Phụ lục 2", h.cells([(0, 0), (5_000, 1)]))])
    grid = xls_grid(data, WORKBOOK.rows, WORKBOOK.cells)
    assert grid == Grid(rows=5_001, columns=2, before=1_500, name="Phụ lục 2")


def test_cells_of_all_sheets_add_up() -> None:
    """calamine holds every sheet of an .xls at once: 3 × 200,000 cells pass 500,000."""
    body = h.cells([(0, 0), (1_999, 99)])
    data = h.xls([("A", body), ("B", body), ("C", body)])
    assert xls_grid(data, WORKBOOK.rows, WORKBOOK.cells) == Grid(
        rows=2_000, columns=100, before=400_000, name="C"
    )


def test_large_dimensions_within_biff8_pass() -> None:
    """DIMENSIONS up to IV65536 reserves ~670 MB that stays virtual: only the cells count."""
    data = h.xls([("S", h.dimensions(0, 65_536, 0, 256) + h.number(0, 0))])
    assert xls_grid(data, WORKBOOK.rows, WORKBOOK.cells) is None


@pytest.mark.parametrize(
    ("body", "end"),
    [
        (h.number(100, 5), (100, 5)),
        (h.rk(100, 5), (100, 5)),
        (h.mulrk(100, 5, 3), (100, 7)),
        (h.label(100, 5, "x"), (100, 5)),
        (h.label_sst(100, 5, 0), (100, 5)),
        (h.boolerr(100, 5), (100, 5)),
        (h.formula(100, 5), (100, 5)),
        (h.formula(100, 5) + h.string("x"), (100, 5)),
        (h.record(0x00D6, b"\x64\x00\x05\x00\x00\x00\x01\x00\x00x\x00\x00"), (100, 5)),
        (h.blank(100, 5), None),
        (h.mulblank(100, 5, 3), None),
    ],
    ids=[
        "NUMBER",
        "RK",
        "MULRK",
        "LABEL",
        "LABELSST",
        "BOOLERR",
        "FORMULA",
        "STRING",
        "RSTRING",
        "BLANK",
        "MULBLANK",
    ],
)
def test_counts_the_cells_calamine_keeps(
    tmp_path: Path, body: bytes, end: tuple[int, int] | None
) -> None:
    data = h.xls([("S", h.number(0, 0) + body)], h.sst(["a"]))
    path = tmp_path / "cell.xls"
    path.write_bytes(data)
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").end == (end or (0, 0))
    expected = None if end is None else Grid(rows=end[0] + 1, columns=end[1] + 1, name="S")
    assert xls_grid(data, 100, 10**9) == expected


@pytest.mark.parametrize("sector", [512, 4096])
@pytest.mark.parametrize("rows", [2, 600], ids=["mini stream", "own chain"])
def test_well_formed_containers_pass(tmp_path: Path, sector: int, rows: int) -> None:
    body = h.cells((row, 1) for row in range(rows))
    streams = [("Workbook", h.workbook([("S", body)])), ("\x05SummaryInformation", bytes(200))]
    data = h.cfb(streams, sector)
    assert xls_grid(data, WORKBOOK.rows, WORKBOOK.cells) is None
    assert xls_grid(data, rows - 1, WORKBOOK.cells) == Grid(rows=rows, columns=2, name="S")
    path = tmp_path / "ok.xls"
    path.write_bytes(data)
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").end == (rows - 1, 1)


def test_biff5_book_stream_names_its_sheet_in_its_code_page() -> None:
    data = h.biff5("Café", h.cells([(0, 0), (5_000, 3)]))
    assert xls_grid(data, WORKBOOK.rows, WORKBOOK.cells) == Grid(rows=5_001, columns=4, name="Café")


def test_encrypted_workbook_is_refused_before_its_cells() -> None:
    """calamine stops at FILEPASS before any sheet; the cells after it are ciphertext."""
    with pytest.raises(Encrypted, match="đặt mật khẩu"):
        xls_grid(h.encrypted(), WORKBOOK.rows, WORKBOOK.cells)


def test_not_an_ole_file() -> None:
    with pytest.raises(BadSheet, match="thiếu phần đầu OLE2"):
        xls_grid(b"PK\x03\x04" + bytes(600), WORKBOOK.rows, WORKBOOK.cells)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_xls_passes_and_calamine_reads_it(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tự đánh giá"
    for row in range(1, 151):
        for column in range(1, 11):
            value = f"Tiêu chí {row}.{column}" if column < 3 else row * column
            sheet.cell(row, column, value)
        sheet.cell(row, 11, f"=C{row}+D{row}")
    sheet.merge_cells("A1:J1")
    book.create_sheet("Sheet2")["C7"] = 3.5
    book.save(tmp_path / "unit.xlsx")
    path = convert(tmp_path / "unit.xlsx", "xls", tmp_path / "out")
    data = path.read_bytes()

    assert xls_grid(data, WORKBOOK.rows, WORKBOOK.cells) is None
    grid = xls_grid(data, 100, WORKBOOK.cells)  # stops at the first value of row 101
    assert grid is not None
    assert (grid.rows, grid.name) == (101, "Tự đánh giá")
    calamine = CalamineWorkbook.from_path(str(path))
    assert calamine.sheet_names == ["Tự đánh giá", "Sheet2"]
    assert calamine.get_sheet_by_name("Tự đánh giá").end == (149, 10)


@pytest.mark.skipif(sys.platform != "linux", reason="needs RLIMIT_AS and SIGABRT")
def test_without_the_guard_calamine_aborts(tmp_path: Path) -> None:
    """What xls_grid prevents: the process killed by SIGABRT, nothing Python can catch."""
    import resource  # POSIX only

    path = tmp_path / "dimensions.xls"
    path.write_bytes(h.dimensions_far())

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    code = "import sys, python_calamine as c; c.CalamineWorkbook.from_path(sys.argv[1])"
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        preexec_fn=limit,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == -signal.SIGABRT
    assert b"memory allocation of" in result.stderr
