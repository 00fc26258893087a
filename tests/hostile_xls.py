"""Legacy .xls files (a CFB container holding a BIFF8 Workbook stream) built byte by byte.

`xls()` writes a well-formed file as Excel lays it out; the hostile variants below change the one
field python-calamine trusts for an allocation or a loop. Every builder runs in milliseconds.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE = 0xFFFFFFFF
END = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Header fields, by byte offset.
FAT_COUNT = 44
DIR_START = 48
MINIFAT_START = 60
MINIFAT_COUNT = 64
DIFAT_START = 68
DIFAT_COUNT = 72
DIFAT = 76

# --- BIFF8 records -------------------------------------------------------------------------------


def record(typ: int, payload: bytes = b"") -> bytes:
    """One BIFF record: type, length, payload."""
    return struct.pack("<HH", typ, len(payload)) + payload


def bof(kind: int) -> bytes:
    """BOF of a BIFF8 substream: 0x0005 workbook globals, 0x0010 worksheet."""
    return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


EOF = record(0x000A)


def boundsheet(position: int, name: str) -> bytes:
    """BOUNDSHEET8: where a sheet's substream starts, and its name (UTF-16)."""
    encoded = name.encode("utf-16-le")
    return record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(name), 1) + encoded)


def number(row: int, column: int, value: float = 1.0) -> bytes:
    """NUMBER: a float at (row, column), both from 0."""
    return record(0x0203, struct.pack("<HHHd", row, column, 0, value))


def rk(row: int, column: int, value: int = 1) -> bytes:
    """RK: a small integer at (row, column)."""
    return record(0x027E, struct.pack("<HHHI", row, column, 0, (value << 2) | 2))


def mulrk(row: int, first: int, count: int) -> bytes:
    """MULRK: `count` integers from column `first` on (the last column stored as a u16)."""
    body = b"".join(struct.pack("<HI", 0, (n << 2) | 2) for n in range(count))
    return record(
        0x00BD,
        struct.pack("<HH", row, first) + body + struct.pack("<H", (first + count - 1) & 0xFFFF),
    )


def label_sst(row: int, column: int, index: int) -> bytes:
    """LABELSST: the shared string `index` at (row, column)."""
    return record(0x00FD, struct.pack("<HHHI", row, column, 0, index))


def label(row: int, column: int, text: str) -> bytes:
    """LABEL: an inline string (BIFF8 XLUnicodeString)."""
    return record(
        0x0204, struct.pack("<HHHHB", row, column, 0, len(text), 1) + text.encode("utf-16-le")
    )


def boolerr(row: int, column: int) -> bytes:
    """BOOLERR: TRUE at (row, column)."""
    return record(0x0205, struct.pack("<HHHBB", row, column, 0, 1, 0))


def blank(row: int, column: int) -> bytes:
    """BLANK: a formatted empty cell."""
    return record(0x0201, struct.pack("<HHH", row, column, 0))


def mulblank(row: int, first: int, count: int) -> bytes:
    """MULBLANK: `count` formatted empty cells from column `first` on."""
    body = struct.pack("<HH", row, first) + b"\x00\x00" * count
    return record(0x00BE, body + struct.pack("<H", first + count - 1))


def formula(row: int, column: int, value: float = 1.0, rgce: bytes = b"\x1e\x01\x00") -> bytes:
    """FORMULA with a cached number; the default token list is the constant 1."""
    head = struct.pack("<HHHdHI", row, column, 0, value, 0, 0)
    return record(0x0006, head + struct.pack("<H", len(rgce)) + rgce)


def string(text: str) -> bytes:
    """STRING: the text result of the FORMULA before it."""
    return record(0x0207, struct.pack("<HB", len(text), 1) + text.encode("utf-16-le"))


def dimensions(first_row: int, last_row: int, first_col: int, last_col: int) -> bytes:
    """DIMENSIONS: rows [first_row, last_row) and columns [first_col, last_col), BIFF8."""
    return record(0x0200, struct.pack("<IIHHH", first_row, last_row, first_col, last_col, 0))


def sst(strings: Sequence[str], count: int | None = None) -> bytes:
    """SST with these strings (UTF-16, no CONTINUE); `count` overrides the unique count."""
    body = b"".join(struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings)
    unique = len(strings) if count is None else count
    return record(0x00FC, struct.pack("<Ii", len(strings), unique) + body)


def workbook(sheets: Sequence[tuple[str, bytes]], globals_body: bytes = b"") -> bytes:
    """A BIFF8 Workbook stream: globals (with `globals_body`), then one substream per sheet."""
    head = bof(0x0005) + record(0x0042, struct.pack("<H", 1200)) + globals_body
    size = len(head) + sum(len(boundsheet(0, name)) for name, _ in sheets) + len(EOF)
    bodies = [bof(0x0010) + body + EOF for _, body in sheets]
    positions = []
    for body in bodies:
        positions.append(size)
        size += len(body)
    bound = b"".join(
        boundsheet(pos, name) for pos, (name, _) in zip(positions, sheets, strict=True)
    )
    return head + bound + EOF + b"".join(bodies)


def cells(refs: Iterable[tuple[int, int]]) -> bytes:
    """NUMBER records at these (row, column) positions, in the order given."""
    return b"".join(number(row, column) for row, column in refs)


# --- CFB container -------------------------------------------------------------------------------


def _direntry(name: str, kind: int, start: int, size: int, child: int, right: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00" if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIII",
        encoded,
        len(encoded),
        kind,
        1,
        NOSTREAM,
        right,
        child,
        b"",
        0,
        0,
        0,
        start,
        size,
        0,
    )


def cfb(streams: Sequence[tuple[str, bytes]], sector: int = SECTOR) -> bytes:
    """A CFB file as Excel writes one: the root entry, then these streams.

    Version 3 (512-byte sectors) or 4 (`sector=4096`). Streams under 4,096 bytes go to the mini
    stream, the others to their own sector chains; the FAT comes last, listed in the header (no
    DIFAT sectors: up to ~7 MB with 512-byte sectors).
    """
    per = sector // 4
    sectors: list[bytes] = []
    fat: list[int] = []

    def chain(data: bytes) -> int:
        if not data:
            return END
        first = len(sectors)
        count = -(-len(data) // sector)
        for n in range(count):
            sectors.append(data[n * sector : (n + 1) * sector].ljust(sector, b"\x00"))
            fat.append(first + n + 1 if n + 1 < count else END)
        return first

    mini_stream = b""
    minifat: list[int] = []
    placed = []
    for name, data in streams:
        if len(data) >= CUTOFF:
            placed.append((name, chain(data), len(data)))
            continue
        first = len(mini_stream) // MINI if data else END
        count = -(-len(data) // MINI)
        minifat += [first + n + 1 if n + 1 < count else END for n in range(count)]
        mini_stream += data.ljust(count * MINI, b"\x00")
        placed.append((name, first, len(data)))
    root_start = chain(mini_stream)
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    minifat_bytes += b"\xff" * (-len(minifat_bytes) % sector)
    minifat_start = chain(minifat_bytes)
    child = 1 if streams else NOSTREAM
    entries = [_direntry("Root Entry", 5, root_start, len(mini_stream), child, NOSTREAM)]
    for sid, (name, start, size) in enumerate(placed, start=1):
        right = sid + 1 if sid < len(placed) else NOSTREAM
        entries.append(_direntry(name, 2, start, size, NOSTREAM, right))
    while len(entries) % (sector // 128):
        entries.append(_direntry("", 0, 0, 0, NOSTREAM, NOSTREAM))
    dir_start = chain(b"".join(entries))
    dir_count = 0 if sector == SECTOR else len(entries) * 128 // sector
    data_sectors = len(sectors)
    fat_count = 1
    while fat_count * per < data_sectors + fat_count:
        fat_count += 1
    if fat_count > 109:
        raise ValueError("too large for a FAT listed in the header alone")
    fat += [FATSECT] * fat_count
    fat += [FREE] * (fat_count * per - len(fat))
    fat_ids = list(range(data_sectors, data_sectors + fat_count))
    for n in range(fat_count):
        sectors.append(struct.pack(f"<{per}I", *fat[n * per : (n + 1) * per]))
    header = MAGIC + bytes(16)
    header += struct.pack(
        "<HHHHHHIIIIIIIIII",
        0x003E,
        3 if sector == SECTOR else 4,
        0xFFFE,
        sector.bit_length() - 1,
        6,
        0,
        0,
        dir_count,
        fat_count,
        dir_start,
        0,
        CUTOFF,
        minifat_start,
        len(minifat_bytes) // sector,
        END,
        0,
    )
    header += struct.pack("<109I", *(fat_ids + [FREE] * (109 - fat_count)))
    return header.ljust(sector, b"\x00") + b"".join(sectors)


def xls(sheets: Sequence[tuple[str, bytes]], globals_body: bytes = b"") -> bytes:
    """A whole .xls: these sheets (name, cell records) in a Workbook stream in a CFB file."""
    return cfb([("Workbook", workbook(sheets, globals_body))])


# --- reading and patching ------------------------------------------------------------------------


def u32(data: bytes, offset: int) -> int:
    """The little-endian u32 at `offset`."""
    value: int = struct.unpack_from("<I", data, offset)[0]
    return value


def patch(data: bytes, offset: int, value: int, fmt: str = "<I") -> bytes:
    """`data` with the field at `offset` replaced."""
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def sector_offset(sector: int) -> int:
    """Where a 512-byte sector starts in the file."""
    return SECTOR * (sector + 1)


def fat_entry_offset(data: bytes, sector: int) -> int:
    """Where the FAT entry of `sector` lies (FAT sectors listed in the header)."""
    fat_sector = u32(data, DIFAT + 4 * (sector // 128))
    return sector_offset(fat_sector) + 4 * (sector % 128)


def direntry_offset(data: bytes, sid: int) -> int:
    """Where directory entry `sid` lies (the directory chain followed through the FAT)."""
    sector = u32(data, DIR_START)
    for _ in range(sid // 4):
        sector = u32(data, fat_entry_offset(data, sector))
    return sector_offset(sector) + 128 * (sid % 4)


# --- hostile files -------------------------------------------------------------------------------


def small() -> bytes:
    """A normal one-sheet .xls whose Workbook stream (< 4,096 bytes) lies in the mini stream."""
    return xls([("Sheet1", cells([(0, 0), (1, 1)]))])


def large() -> bytes:
    """A normal one-sheet .xls whose Workbook stream has its own sector chain (~10 KB)."""
    return xls([("Sheet1", cells((row, 0) for row in range(600)))])


def with_sector(data: bytes, content: bytes) -> tuple[bytes, int]:
    """`data` with one more sector at its end (outside the FAT), and that sector's number."""
    return data + content.ljust(SECTOR, b"\x00"), (len(data) - SECTOR) // SECTOR


def fat_count(count: int = 0xFFFFFFFF) -> bytes:
    """The header's FAT sector count, which sizes calamine's FAT vector before anything is read."""
    return patch(large(), FAT_COUNT, count)


def difat_misread(rows: int = 600, count: int = 0xFFFF) -> bytes:
    """Header bytes 62..66, which calamine takes for the DIFAT count (4 bytes an entry).

    They are the high half of the first MiniFAT sector (ENDOFCHAIN: no mini stream) and the low
    half of the MiniFAT sector count: 0xFFFFFFFF with the default count.
    """
    return patch(xls([("Sheet1", cells((row, 0) for row in range(rows)))]), MINIFAT_COUNT, count)


def difat_loop() -> bytes:
    """A DIFAT sector whose next-sector pointer is itself: calamine extends its list forever."""
    data, sector = with_sector(large(), b"")
    data = patch(data, len(data) - 4, sector)
    data = patch(data, DIFAT_START, sector)
    return patch(data, DIFAT_COUNT, 1)


def difat_far() -> bytes:
    """A FAT sector listed in the header far past the end of the file."""
    data = large()
    used = sum(u32(data, DIFAT + 4 * n) != FREE for n in range(109))
    return patch(data, DIFAT + 4 * used, 0x7FFFFFF0)


def fat_references(difat_sectors: int = 16_500) -> bytes:
    """The first FAT sector listed ~2 million times (header and DIFAT chain): ~1 GB of FAT."""
    data = large()
    fat_sector = u32(data, DIFAT)
    first = (len(data) - SECTOR) // SECTOR
    chain = bytearray()
    for n in range(difat_sectors):
        following = first + n + 1 if n + 1 < difat_sectors else END
        chain += struct.pack("<127II", *([fat_sector] * 127), following)
    data = data[:DIFAT] + struct.pack("<109I", *([fat_sector] * 109)) + data[SECTOR:] + chain
    data = patch(data, DIFAT_START, first)
    data = patch(data, DIFAT_COUNT, difat_sectors)
    return patch(data, FAT_COUNT, 109 + 127 * difat_sectors)


def directory_loop() -> bytes:
    """The directory's sector chain points back to its own first sector."""
    data = large()
    start = u32(data, DIR_START)
    return patch(data, fat_entry_offset(data, start), start)


def chain_far() -> bytes:
    """The directory's sector chain continues to a sector far past the end of the file."""
    data = large()
    return patch(data, fat_entry_offset(data, u32(data, DIR_START)), 0x0FFFFFFF)


def directory_count(count: int = 0xFFFFFFFF) -> bytes:
    """The header's directory sector count (×512 bytes, the directory's capacity)."""
    return patch(large(), 40, count)


def ministream_size(size: int = 0xFFFFFFF0) -> bytes:
    """The root entry's size, the mini stream's capacity."""
    data = small()
    return patch(data, direntry_offset(data, 0) + 120, size)


def minifat_count(count: int = 0x01000000) -> bytes:
    """The header's MiniFAT sector count (×512 bytes, the MiniFAT's capacity)."""
    return patch(small(), MINIFAT_COUNT, count)


def stream_size(size: int = 0xFFFFFFF0) -> bytes:
    """The Workbook entry's size, the stream's capacity."""
    data = large()
    return patch(data, direntry_offset(data, 1) + 120, size)


def _minifat_offset(data: bytes) -> int:
    return sector_offset(u32(data, MINIFAT_START))


def mini_far() -> bytes:
    """The Workbook's mini-sector chain continues far past the end of the mini stream."""
    data = small()
    return patch(data, _minifat_offset(data), 0x0FFFFFFF)


def mini_loop() -> bytes:
    """The Workbook's mini-sector chain loops back to its first mini sector."""
    data = small()
    return patch(data, _minifat_offset(data) + 4, 0)


def sst_count(count: int = 0x7FFFFFFF) -> bytes:
    """An SST declaring `count` unique strings while holding one."""
    return xls([("Sheet1", label_sst(0, 0, 0))], sst(["a"], count))


def dimensions_far(last_row: int = 0xFFFFFFFF, last_col: int = 256) -> bytes:
    """A DIMENSIONS record declaring rows [0, last_row) × columns [0, last_col)."""
    return xls([("Sheet1", dimensions(0, last_row, 0, last_col) + number(0, 0))])


def far_cells(row: int = 3_000, column: int = 65_535) -> bytes:
    """Values at A1, at column `column` of row 1, and at row `row + 1`: calamine fills the box."""
    return xls([("Sheet1", cells([(0, 0), (0, column), (row, 0)]))])


def many_sheets(count: int = 600, rows: int = 5_000, columns: int = 100) -> bytes:
    """`count` sheets each holding A1 and one value at (rows, columns): each within the limits."""
    body = cells([(0, 0), (rows - 1, columns - 1)])
    return xls([(f"S{n}", body) for n in range(count)])


def fat_repeated() -> bytes:
    """The header lists the one FAT sector 109 times (with a FAT count of 1)."""
    data = large()
    fat_sector = u32(data, DIFAT)
    return data[:DIFAT] + struct.pack("<109I", *([fat_sector] * 109)) + data[SECTOR:]


def _boundsheet_at(stream: bytes) -> int:
    """Where the first BOUNDSHEET record of a Workbook stream starts."""
    at = 0
    while struct.unpack_from("<H", stream, at)[0] != 0x0085:
        at += 4 + struct.unpack_from("<H", stream, at + 2)[0]
    return at


def shared_substream(count: int = 3_000, rows: int = 4_000) -> bytes:
    """`count` sheets whose BOUNDSHEETs all point at one substream of `rows` values."""
    stream = workbook([("S", cells((row, 0) for row in range(rows)))])
    at = _boundsheet_at(stream)
    entry = stream[at : at + 4 + struct.unpack_from("<H", stream, at + 2)[0]]
    position = u32(entry, 4) + (count - 1) * len(entry)
    entry = entry[:4] + struct.pack("<I", position) + entry[8:]
    return cfb([("Workbook", stream[:at] + entry * count + stream[at + len(entry) :])])


def boundsheet_far() -> bytes:
    """A BOUNDSHEET pointing a million bytes past the end of the stream."""
    stream = workbook([("S", number(0, 0))])
    at = _boundsheet_at(stream) + 4
    return cfb([("Workbook", stream[:at] + struct.pack("<I", 10**6) + stream[at + 4 :])])


def merge_short() -> bytes:
    """A MERGECELLS record announcing 65,535 ranges and holding one."""
    return xls([("S", number(0, 0) + record(0x00E5, struct.pack("<5H", 65_535, 0, 9, 0, 9)))])


def decoy() -> bytes:
    """Two Workbook streams: calamine takes the first entry whose 64 name bytes read "Workbook"
    (the name length, here 4 bytes: "W", it ignores), olefile the one its tree names so."""
    far = workbook([("Sheet1", cells([(0, 0), (65_535, 255)]))])
    data = cfb([("Workbook", far), ("Workbook", workbook([("Sheet1", number(0, 0))]))])
    return patch(data, direntry_offset(data, 1) + 64, 4, "<H")


def encrypted() -> bytes:
    """A workbook with a FILEPASS record (RC4): calamine stops at it, before any sheet."""
    filepass = record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))
    return xls([("Sheet1", cells([(0, 0), (65_535, 255)]))], filepass)


def biff5(name: str, body: bytes, codepage: int = 1252) -> bytes:
    """An Excel 5/95 file: a "Book" stream in BIFF5, its sheet name in the code page."""

    def bof5(kind: int) -> bytes:
        return record(0x0809, struct.pack("<HHHH", 0x0500, kind, 0x0DBB, 0x07CC))

    encoded = name.encode(f"cp{codepage}")
    head = bof5(0x0005) + record(0x0042, struct.pack("<H", codepage))
    position = len(head) + 4 + 7 + len(encoded) + len(EOF)
    bound = record(0x0085, struct.pack("<IBBB", position, 0, 0, len(encoded)) + encoded)
    return cfb([("Book", head + bound + EOF + bof5(0x0010) + body + EOF)])
