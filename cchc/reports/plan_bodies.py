"""Who issues, signs and carries out a plan: the header lines, the signer, each body's share.

Nghị định 30/2020/NĐ-CP: a UBND's documents carry no superior-body line ('ỦY BAN NHÂN DÂN' over
'XÃ TÂN LẬP'); a department's carry the UBND above it ('UBND TỈNH BẮC KẠN' over 'SỞ TƯ PHÁP').
"""

from __future__ import annotations

from collections import Counter

from cchc.core.text import fold
from cchc.reports.plan_model import Appendix, Assignment, PlanRow

PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
UBND_PLACES = (
    *("Xã ", "Phường ", "Thị trấn ", "Đặc khu "),
    *("Huyện ", "Quận ", "Thị xã ", "Thành phố ", "Tỉnh "),
)
LEADERS = ("chủ tịch", "phó chủ tịch", "lãnh đạo")
"""Folded starts of an owner that is the unit's own leadership, not a body that reports."""
FALLBACK_COORDINATOR = "Bộ phận được giao theo dõi công tác cải cách hành chính"


def _place(name: str) -> str | None:
    """'Xã Tân Lập' or 'UBND xã Tân Lập' → 'Xã Tân Lập'; None when the unit is no UBND."""
    bare = name[5:] if name.upper().startswith("UBND ") else name
    bare = bare[:1].upper() + bare[1:]
    if bare.startswith(UBND_PLACES):
        return bare
    return bare if name.upper().startswith("UBND ") else None


def header_of(name: str, province: str) -> tuple[str, list[str]]:
    """(superior line, issuing-body lines) of the header, upper case."""
    place = _place(name)
    if place is not None:
        return "", [PEOPLES_COMMITTEE, place.upper()]
    superior = f"UBND {province}".upper() if province else ""
    return superior, [name.upper()]


def signer_of(name: str) -> list[str]:
    """The signature block's title: a UBND signs collectively, a department by its head."""
    if _place(name) is not None:
        return [f"TM. {PEOPLES_COMMITTEE}", "CHỦ TỊCH"]
    if name.startswith("Sở "):
        return ["GIÁM ĐỐC"]
    if name.startswith("Phòng "):
        return ["TRƯỞNG PHÒNG"]
    return ["THỦ TRƯỞNG CƠ QUAN"]


def is_leader(owner: str) -> bool:
    """True for the unit's own leaders (they direct; nobody in the plan reports to them)."""
    return fold(owner).startswith(LEADERS)


def _rows(keep: Appendix, fix: Appendix) -> list[tuple[int, PlanRow]]:
    return [(0, r) for r in keep.rows] + [(1, r) for r in fix.rows]


def assignments(keep: Appendix, fix: Appendix) -> list[Assignment]:
    """Each body once: the domains it leads whole, the items it leads in shared domains."""
    rows = _rows(keep, fix)
    owners_of: dict[str, set[str]] = {}
    for _, row in rows:
        owners_of.setdefault(row.domain, set()).add(row.owner)
    bodies: dict[str, tuple[list[str], list[str], list[int]]] = {}
    for number, row in rows:
        domains, items, counts = bodies.setdefault(row.owner, ([], [], [0, 0]))
        counts[number] += 1
        if len(owners_of[row.domain]) == 1:
            if row.domain not in domains:
                domains.append(row.domain)
        elif row.code not in items:
            items.append(row.code)
    order = {row.code: n for n, (_, row) in enumerate(sorted(rows, key=lambda r: _code(r[1])))}
    return [
        Assignment(
            name,
            sorted(domains, key=lambda d: _code_key(d.split(".")[0])),
            counts[0],
            counts[1],
            sorted(items, key=order.__getitem__),
            is_leader(name),
        )
        for name, (domains, items, counts) in bodies.items()
    ]


def _code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def _code(row: PlanRow) -> tuple[tuple[int, int, str], ...]:
    return _code_key(row.code)


def coordinator_of(fix: Appendix, keep: Appendix, unassigned: str) -> str:
    """Who follows up: the body leading most items of the first domain (chỉ đạo, điều hành)."""
    rows = [r for _, r in _rows(keep, fix)]
    if not rows:
        return FALLBACK_COORDINATOR
    first = min((r.domain for r in rows), key=lambda d: _code_key(d.split(".")[0]))
    counts = Counter(
        r.owner
        for r in rows
        if r.domain == first and r.owner != unassigned and not is_leader(r.owner)
    )
    return counts.most_common(1)[0][0] if counts else FALLBACK_COORDINATOR
