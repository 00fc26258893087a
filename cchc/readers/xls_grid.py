"""Where the cells of a legacy .xls lie, read from its bytes before python-calamine opens it.

An .xls is a CFB (OLE2) container holding a BIFF8 "Workbook" stream. calamine reads it whole on
opening: the container's FAT and directory, the stream, then every sheet into a dense grid from
its first to its last value. On the way it trusts numbers from the file: header counts that size
vectors (the DIFAT count taken from the wrong bytes, 62..66), sector chains followed until
ENDOFCHAIN however they loop, the FAT sectors the DIFAT lists however often, the SST's string
count, a DIMENSIONS record's rows × columns (reserved at once), and cell positions up to row
65,536 and column 65,536 and past it. Each of these makes a few-KB file abort the process
(`memory allocation of N bytes failed`) or take gigabytes.

So the container is walked here the way calamine walks it, each such number checked against what
the file can hold, and olefile, reading the container on its own, must find the same stream. Then
the BIFF records of every sheet are walked for the cells calamine keeps (NUMBER, RK, MULRK,
LABELSST, LABEL, RSTRING, BOOLERR, FORMULA and the STRING after it; not BLANK or MULBLANK),
counted from A1 to the last value as `Grid` counts them (a LABELSST counts even where calamine
drops it, its string index past the SST); all sheets load at once, so the cells of earlier sheets
count too. Record types and behaviour as in calamine 0.37 (python-calamine 0.9).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

import olefile  # type: ignore[import-untyped]

from cchc.core.numbers import fmt
from cchc.core.text import fold
from cchc.readers.sheet_grid import BadSheet, Grid

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE = 0xFFFFFFFF
_END = 0xFFFFFFFE
_UNUSED = (_FREE, _END)
_MINI = 64
_CUTOFF = 4096
"""Streams shorter than this lie in the mini stream (calamine's constant; the spec's value)."""
_DIFAT_HINT = 1 << 24
"""Most entries calamine may reserve for the DIFAT from header bytes 62..66 (64 MiB); real files
hold 65,536 × the MiniFAT sector count there (1 to a few), plus up to 65,535."""
_MAX_ENTRIES = 4096
"""Directory entries: a workbook has 5 to 50; olefile checks each against all the others."""
_MAX_SHEETS = 10_000
"""Sheets of a workbook (LibreOffice's own limit); each costs calamine a few hundred bytes."""
_BIFF_ROWS = 65_536
_BIFF_COLUMNS = 256

_BOF, _EOF, _CONTINUE = 0x0809, 0x000A, 0x003C
_FILEPASS, _CODEPAGE, _BOUNDSHEET, _SST = 0x002F, 0x0042, 0x0085, 0x00FC
_DIMENSIONS, _MULRK, _STRING, _FORMULA, _MERGECELLS = 0x0200, 0x00BD, 0x0207, 0x0006, 0x00E5
_CELLS = frozenset({_FORMULA, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E})
"""Records calamine turns into a cell at the (row, column) of their first four bytes: FORMULA,
RSTRING, LABELSST, NUMBER, LABEL, BOOLERR, RK."""
_OLD_BIFF = frozenset({0x0002, 0x0007, 0x0200, 0x0300, 0x0400, 0x0500})
"""BOF versions before BIFF8, whose strings have no flags byte."""

_HEAD = struct.Struct("<HH")
_U32 = struct.Struct("<I")


def xls_grid(data: bytes, rows: int, cells: int) -> Grid | None:
    """The grid of the first sheet of an .xls that passes a limit, else None; raises BadSheet.

    `data` is the whole file. BadSheet, with a message in Vietnamese, for whatever calamine would
    over-allocate on or that no spreadsheet program writes; Encrypted for a password-protected
    workbook, which calamine cannot read.
    """
    stream = _workbook_stream(data)
    sheets, start = _sheet_list(stream)
    positions = sorted(position for position, _ in sheets)
    stops = dict(zip(positions, [*positions[1:], len(stream)], strict=True))
    if len(stops) < len(positions):
        raise BadSheet(_bad("hai trang trỏ tới cùng một vị trí dữ liệu"))
    before = 0
    for position, name in sheets:
        if not start <= position < len(stream):
            raise BadSheet(_bad(f"trang '{name}' trỏ ra ngoài luồng dữ liệu"))
        grid = Grid(before=before, name=name)
        if _sheet_over(stream, position, stops[position], grid, rows, cells):
            return grid
        before += grid.rows * grid.columns
    return None


class Encrypted(BadSheet):
    """A password-protected workbook (a FILEPASS record): its cells are ciphertext."""


def _bad(detail: str) -> str:
    return f"cấu trúc tệp .xls không hợp lệ: {detail}"


# --- the CFB container ---------------------------------------------------------------------------


class _Sectors:
    """The file's sectors as calamine numbers them: sector 0 right after the header."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data = data
        self.size = size
        self.base = 512 if size == 512 else size
        self.count = -(-max(len(data) - self.base, 0) // size)

    def read(self, sector: int) -> bytes:
        """One sector (shorter if it is the last, cut one)."""
        start = self.base + sector * self.size
        return self.data[start : start + self.size]

    def words(self, sector: int) -> tuple[int, ...]:
        """A whole sector as u32 entries."""
        raw = self.read(sector)
        if len(raw) < self.size:
            raise BadSheet(_bad("một sector của bảng cấp phát bị cắt cụt"))
        return struct.unpack(f"<{self.size // 4}I", raw)

    def chain(self, fat: tuple[int, ...], start: int, what: str) -> list[int]:
        """The sectors of a chain, which must end (ENDOFCHAIN) inside the file and the FAT."""
        limit = min(self.count, len(fat))
        chain: list[int] = []
        sector = start
        while sector != _END:
            if sector >= limit:
                raise BadSheet(_bad(f"chuỗi sector của {what} trỏ ra ngoài tệp"))
            if len(chain) == limit:
                raise BadSheet(_bad(f"chuỗi sector của {what} lặp vòng"))
            chain.append(sector)
            sector = fat[sector]
        return chain

    def join(self, fat: tuple[int, ...], start: int, what: str) -> bytes:
        """The bytes of a chain."""
        return b"".join(self.read(sector) for sector in self.chain(fat, start, what))


def _workbook_stream(data: bytes) -> bytes:
    """The Workbook (or BIFF5 Book) stream, as calamine would read it; raises BadSheet."""
    if len(data) < 512 or not data.startswith(_MAGIC):
        raise BadSheet(_bad("thiếu phần đầu OLE2"))
    shift, mini_shift = _HEAD.unpack_from(data, 30)
    if shift not in (9, 12) or mini_shift != 6 or _U32.unpack_from(data, 56)[0] != _CUTOFF:
        raise BadSheet(_bad("kích thước sector trong phần đầu không hợp lệ"))
    sectors = _Sectors(data, 1 << shift)
    dir_count, fat_count, dir_start = struct.unpack_from("<III", data, 40)
    minifat_start, minifat_count = struct.unpack_from("<II", data, 60)
    most_fat = -(-sectors.count // (sectors.size // 4)) + 1
    if fat_count > most_fat or dir_count > sectors.count or minifat_count > sectors.count:
        raise BadSheet(_bad("phần đầu khai báo nhiều sector hơn tệp có"))
    if _U32.unpack_from(data, 62)[0] > _DIFAT_HINT:
        raise BadSheet(_bad("số sector MiniFAT trong phần đầu quá lớn"))
    fat = _fat(sectors, fat_count, most_fat)
    directory = sectors.join(fat, dir_start, "thư mục")  # olefile reads it whole
    if len(directory) > 128 * _MAX_ENTRIES:
        raise BadSheet(_bad(f"thư mục có hơn {fmt(_MAX_ENTRIES)} mục"))
    if dir_count:
        directory = directory[: dir_count * sectors.size]
    if not directory or len(directory) % 128:
        raise BadSheet(_bad(f"thư mục dài {len(directory)} byte"))
    entries = [_entry(directory[n : n + 128], sectors.size) for n in range(0, len(directory), 128)]
    mini = b""
    minifat: tuple[int, ...] = ()
    if minifat_count:  # calamine loads the mini stream and MiniFAT only then
        root_start, root_size = entries[0][1:]
        if root_size > len(data):
            raise BadSheet(_bad("mini stream khai báo lớn hơn tệp"))
        mini = sectors.join(fat, root_start, "mini stream")[: root_size or None]
        table = sectors.join(fat, minifat_start, "MiniFAT")[: minifat_count * sectors.size]
        minifat = struct.unpack(f"<{len(table) // 4}I", table[: len(table) // 4 * 4])
    names = [name for name, _, _ in entries]
    name = "Workbook" if "Workbook" in names else "Book"
    if name not in names:
        raise BadSheet(_bad("không có luồng Workbook"))
    _, start, size = entries[names.index(name)]
    if size >= _CUTOFF:
        if size > len(data):
            raise BadSheet(_bad("luồng Workbook khai báo lớn hơn tệp"))
        stream = sectors.join(fat, start, "luồng Workbook")[:size]
    else:
        stream = _mini_stream(mini, minifat, start)[: size or None]
    if not stream:
        raise BadSheet(_bad("luồng Workbook rỗng"))
    if _olefile_stream(data, name) != stream:
        raise BadSheet(_bad("olefile và calamine đọc ra hai luồng Workbook khác nhau"))
    return stream


def _fat(sectors: _Sectors, fat_count: int, most: int) -> tuple[int, ...]:
    """The FAT, from the sectors the header and the DIFAT chain list.

    calamine reads that list in its own way (every entry below 0xFFFFFFFC, the chain until an
    entry of 0xFFFFFFFA or more) and olefile in the spec's way (entries up to the first free one,
    as many DIFAT sectors as the FAT count implies); only the layout every writer uses reads the
    same both ways: listed sectors first, then free entries, and the declared counts.
    """
    data = sectors.data
    listed = _listed(struct.unpack_from("<109I", data, 76), sectors.count)
    per = sectors.size // 4 - 1
    expected = max(0, -(-(fat_count - 109) // per))
    difat_start, difat_count = struct.unpack_from("<II", data, 68)
    sector = difat_start
    walked = 0
    while sector not in _UNUSED:
        if sector >= sectors.count or walked == expected:
            raise BadSheet(_bad("chuỗi DIFAT dài hơn khai báo hoặc trỏ ra ngoài tệp"))
        words = sectors.words(sector)
        listed += _listed(words[:per], sectors.count)
        sector = words[per]
        walked += 1
    if walked != expected or difat_count != expected or len(listed) > most:
        raise BadSheet(_bad("bảng DIFAT không khớp với số sector FAT khai báo"))
    table = b"".join(sectors.read(sector) for sector in listed)
    return struct.unpack(f"<{len(table) // 4}I", table[: len(table) // 4 * 4])


def _listed(entries: tuple[int, ...], count: int) -> list[int]:
    """The FAT sectors of one DIFAT block: sectors of the file, then only free entries."""
    used = 0
    while used < len(entries) and entries[used] not in _UNUSED:
        used += 1
    if any(entry >= count for entry in entries[:used]) or any(
        entry not in _UNUSED for entry in entries[used:]
    ):
        raise BadSheet(_bad("bảng DIFAT liệt kê sector không tồn tại"))
    return list(entries[:used])


def _entry(raw: bytes, sector_size: int) -> tuple[str, int, int]:
    """(name, first sector, size) of a directory entry, the name decoded as calamine does.

    calamine ignores the name length and decodes all 64 bytes (encoding_rs sniffs a byte-order
    mark), then cuts at the first NUL.
    """
    name = raw[:64]
    if name.startswith(b"\xef\xbb\xbf"):
        text = name[3:].decode("utf-8", "replace")
    elif name.startswith(b"\xfe\xff"):
        text = name[2:].decode("utf-16-be", "replace")
    else:
        text = name[2 if name.startswith(b"\xff\xfe") else 0 :].decode("utf-16-le", "replace")
    start, low, high = struct.unpack_from("<III", raw, 116)
    size = low if sector_size == 512 else low | high << 32
    return text.split("\0", 1)[0], start, size


def _mini_stream(mini: bytes, minifat: tuple[int, ...], start: int) -> bytes:
    """A stream from the mini stream, its 64-byte sectors chained through the MiniFAT."""
    limit = min(len(minifat), len(mini) // _MINI)
    parts: list[bytes] = []
    sector = start
    while sector != _END:
        if sector >= limit:
            raise BadSheet(_bad("chuỗi mini sector của luồng Workbook trỏ ra ngoài mini stream"))
        if len(parts) == limit:
            raise BadSheet(_bad("chuỗi mini sector của luồng Workbook lặp vòng"))
        parts.append(mini[sector * _MINI : (sector + 1) * _MINI])
        sector = minifat[sector]
    return b"".join(parts)


def _olefile_stream(data: bytes, name: str) -> bytes:
    """The stream as olefile reads it, once the checks above have bounded its work."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            stream: bytes = ole.openstream(name).read()
    except Exception as exc:  # olefile raises OSError, ValueError, struct.error, RecursionError…
        raise BadSheet(_bad(f"olefile không đọc được luồng {name}")) from exc
    return stream


# --- the BIFF records ----------------------------------------------------------------------------


def _sheet_list(stream: bytes) -> tuple[list[tuple[int, str]], int]:
    """The sheets (stream offset, name) and where the workbook globals end; raises Encrypted.

    Checks the SST's count, which calamine reserves strings for: each takes 3 bytes at least.
    """
    sheets: list[tuple[int, str]] = []
    old = False
    codepage = 1200
    position = 0
    while position + 4 <= len(stream):
        typ, length = _HEAD.unpack_from(stream, position)
        body, position = position + 4, position + 4 + length
        if position > len(stream):
            raise BadSheet(_bad("một bản ghi vượt quá cuối luồng Workbook"))
        if typ == _EOF:
            break
        if typ in (_FILEPASS, _BOF) and length < 2:
            raise BadSheet(_bad(f"bản ghi 0x{typ:04X} quá ngắn"))  # calamine panics on it
        if typ == _FILEPASS and stream[body : body + 2] != b"\0\0":
            raise Encrypted("sổ tính được đặt mật khẩu")  # calamine stops here too
        if typ == _BOF:
            version, kind = _HEAD.unpack_from(stream[body : body + 4].ljust(4, b"\0"))
            old = version in _OLD_BIFF or (version == 0 and kind == 0x1000)
        elif typ == _CODEPAGE and length >= 2:
            codepage = _HEAD.unpack_from(stream, body)[0]
        elif typ == _BOUNDSHEET:
            if length < 8:
                raise BadSheet(_bad("bản ghi BOUNDSHEET quá ngắn"))
            name = _sheet_name(stream[body + 6 : position], old, codepage)
            sheets.append((_U32.unpack_from(stream, body)[0], name))
            if len(sheets) > _MAX_SHEETS:
                raise BadSheet(_bad(f"sổ tính có hơn {fmt(_MAX_SHEETS)} trang"))
        elif typ == _SST and length >= 8:
            unique = struct.unpack_from("<i", stream, body + 4)[0]
            room = length - 8 + _continued(stream, position)
            if unique < 0 or unique * 3 > room:
                raise BadSheet(
                    _bad(f"bảng chuỗi (SST) khai báo {unique} chuỗi, quá số dữ liệu của nó chứa")
                )
    return sheets, position


def _continued(stream: bytes, position: int) -> int:
    """Bytes of the CONTINUE records from `position` on (calamine joins them to the record)."""
    total = 0
    while position + 4 < len(stream):
        typ, length = _HEAD.unpack_from(stream, position)
        if typ != _CONTINUE:
            break
        total += length
        position += 4 + length
    return total


def _sheet_name(raw: bytes, old: bool, codepage: int) -> str:
    """A BOUNDSHEET name (ShortXLUnicodeString), NULs removed as calamine does."""
    count = raw[0]
    if old:
        codec = f"cp{codepage}" if codepage not in (1200, 0) else "latin-1"
        try:
            text = raw[1 : 1 + count].decode(codec, "replace")
        except LookupError:
            text = raw[1 : 1 + count].decode("latin-1")
    elif raw[1] & 1:
        text = raw[2 : 2 + 2 * count].decode("utf-16-le", "replace")
    else:
        text = raw[2 : 2 + count].decode("latin-1")
    return text.replace("\0", "")


def _sheet_over(stream: bytes, position: int, stop: int, grid: Grid, rows: int, cells: int) -> bool:
    """Walk one sheet's records into `grid`; True as soon as it passes a limit.

    The sheet must start with BOF and end with EOF before the next sheet starts: calamine reads
    each sheet up to its EOF, so sheets sharing records would be read again and again.
    """
    if stream[position : position + 2] != b"\x09\x08":
        raise BadSheet(_bad(f"trang '{grid.name}' không bắt đầu bằng bản ghi BOF"))
    unpack = _HEAD.unpack_from
    formula = (0, 0)
    seen = (0, 0)  # rows and columns already in `grid`: most cells fall inside, nothing to do
    while True:
        if position + 4 > stop:
            if position == stop == len(stream):
                return False  # the last sheet runs to the end of the stream: calamine stops too
            raise BadSheet(_bad(f"trang '{grid.name}' không kết thúc trước trang sau"))
        typ, length = unpack(stream, position)
        body, position = position + 4, position + 4 + length
        if position > stop:
            raise BadSheet(_bad(f"trang '{grid.name}' không kết thúc trước trang sau"))
        if typ in _CELLS and length >= 4:
            row, column = unpack(stream, body)
            if typ == _FORMULA:
                formula = (row, column)  # its value, or the STRING after it, lands here
        elif typ == _STRING:
            row, column = formula
        elif typ == _MULRK and length >= 6:
            row, first = unpack(stream, body)
            last = unpack(stream, position - 2)[0]
            count = (length - 6) // 6
            if not count or length != 6 + 6 * ((last - first + 1) & 0xFFFF):
                continue  # calamine refuses the record
            column = first + count - 1  # calamine counts on past column 65,535
        elif typ == _EOF:
            return False
        elif typ == _DIMENSIONS:
            _check_dimensions(stream[body:position], grid.name)
            continue
        elif typ == _MERGECELLS and length >= 2:
            if 2 + 8 * unpack(stream, body)[0] > length:
                raise BadSheet(_bad(f"trang '{grid.name}' có bản ghi MERGECELLS quá ngắn"))
            continue
        else:
            continue
        if row >= seen[0] or column >= seen[1]:
            grid.add(row + 1, column + 1)
            if grid.over(rows, cells):
                return True
            seen = (grid.rows, grid.columns)


def _check_dimensions(raw: bytes, name: str) -> None:
    """DIMENSIONS: calamine reserves its rows × columns cells at once (u32 arithmetic, no check).

    A range BIFF8 allows reserves at most 65,536 × 256 cells, virtual memory never touched; a
    wrapped or larger one asks for terabytes.
    """
    if len(raw) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", raw)
    elif len(raw) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", raw)
    else:
        return  # calamine refuses the record
    end_row, end_col = first_row, first_col
    if last_row and last_col:
        end_row, end_col = last_row - 1, last_col - 1
    reserved = ((end_row - first_row + 1) & _FREE) * ((end_col - first_col + 1) & _FREE)
    if reserved > _BIFF_ROWS * _BIFF_COLUMNS:
        raise BadSheet(_bad(f"trang '{name}' có bản ghi DIMENSIONS không hợp lệ"))


# --- number formats of cells (which are percentages) --------------------------------------------

_FORMAT, _XF = 0x041E, 0x00E0
_VALUED = frozenset({_FORMULA, 0x0203, 0x027E})
"""Records of one number cell with its XF index after (row, column): FORMULA, NUMBER, RK."""
_PERCENT_BUILT_IN = frozenset({9, 10})
"""Excel's built-in number formats '0%' and '0.00%'."""


def xls_number_formats(
    data: bytes, sheet: str, cells: set[tuple[int, int]]
) -> dict[tuple[int, int], str] | None:
    """The number format of each number cell among `cells` (0-based row, column) of `sheet`
    (its name matched as the readers do) in a BIFF8 .xls that passed the guards: '9' and '10'
    for the built-in percent formats, else the format's code; None for an older BIFF or a
    missing sheet."""
    stream = _workbook_stream(data)
    sheets, start = _sheet_list(stream)
    position = next((p for p, name in sheets if fold(name) == fold(sheet)), None)
    if position is None or _HEAD.unpack_from(stream[4:8].ljust(4, b"\0"))[0] != 0x0600:
        return None
    codes, xf_formats = _formats(stream, start)
    found: dict[tuple[int, int], str] = {}
    for (row, column), xf in _cell_styles(stream, position):
        if (row, column) in cells and xf < len(xf_formats):
            ifmt = xf_formats[xf]
            found[(row, column)] = str(ifmt) if ifmt in _PERCENT_BUILT_IN else codes.get(ifmt, "")
    return found


def _formats(stream: bytes, stop: int) -> tuple[dict[int, str], list[int]]:
    """The workbook globals' FORMAT codes by number, and each XF's format number, in order."""
    codes: dict[int, str] = {}
    xf_formats: list[int] = []
    position = 0
    while position + 4 <= stop:
        typ, length = _HEAD.unpack_from(stream, position)
        body, position = position + 4, position + 4 + length
        if typ == _FORMAT and length >= 5:
            ifmt, count = _HEAD.unpack_from(stream, body)
            wide = stream[body + 4] & 1
            raw = stream[body + 5 : body + 5 + count * (2 if wide else 1)]
            codes[ifmt] = raw.decode("utf-16-le" if wide else "latin-1", "replace")
        elif typ == _XF and length >= 4:
            xf_formats.append(_HEAD.unpack_from(stream, body)[1])
    return codes, xf_formats


def _cell_styles(stream: bytes, position: int) -> Iterator[tuple[tuple[int, int], int]]:
    """((row, column), XF index) of every number cell of the sheet starting at `position`."""
    while position + 4 <= len(stream):
        typ, length = _HEAD.unpack_from(stream, position)
        body, position = position + 4, position + 4 + length
        if typ == _EOF:
            return
        if typ in _VALUED and length >= 6:
            row, column = _HEAD.unpack_from(stream, body)
            yield (row, column), _HEAD.unpack_from(stream, body + 4)[0]
        elif typ == _MULRK and length >= 6:
            row, first = _HEAD.unpack_from(stream, body)
            for n in range((length - 6) // 6):
                yield (row, first + n), _HEAD.unpack_from(stream, body + 4 + 6 * n)[0]
