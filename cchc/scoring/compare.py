"""Compare two stored years of every unit, item by item through the crosswalk.

An item is compared as a share of its maximum (points ÷ max), so a re-weighted item still
compares; a merged item compares with the old items taken together. For a penalty item a lower
deduction is the better result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from cchc.core.numbers import round_points
from cchc.criteria.crosswalk import Crosswalk, Link, LinkKind, crosswalk
from cchc.criteria.model import CriteriaSet, Precision, effective_type
from cchc.scoring.index import HUNDRED, ZERO, LeafScore
from cchc.scoring.run import UnitScore, YearRun

Status = Literal[
    "held_max",
    "newly_max",
    "improved",
    "unchanged",
    "declined",
    "newly_below",
    "still_zero",
    "not_comparable",
    "new",
    "removed",
]

STATUS_LABELS: dict[Status, str] = {
    "held_max": "Giữ điểm tối đa",
    "newly_max": "Mới đạt điểm tối đa",
    "improved": "Tăng điểm",
    "unchanged": "Không đổi",
    "declined": "Giảm điểm",
    "newly_below": "Mới dưới điểm tối đa",
    "still_zero": "Vẫn 0 điểm",
    "not_comparable": "Không so sánh được",
    "new": "Mục mới",
    "removed": "Đã bỏ",
}
DECLINES: frozenset[Status] = frozenset({"declined", "newly_below"})


@dataclass(frozen=True)
class Side:
    """An item's points and maximum in one year (several old leaves taken together)."""

    points: Decimal
    max: Decimal
    places: int = 2
    """Decimals of the share: the year's set precision.index."""

    @property
    def share(self) -> Decimal | None:
        """Points as a percentage of the maximum, half-up to `places` decimals."""
        return round_points(self.points / self.max * HUNDRED, self.places) if self.max else None


@dataclass(frozen=True)
class ItemChange:
    """One item of one unit across the two years."""

    code: str | None
    """Code this year (None for a removed item)."""
    title: str
    old_codes: tuple[str, ...]
    link: LinkKind
    status: Status
    before: Side | None
    now: Side | None
    note: str

    @property
    def label(self) -> str:
        """The status in Vietnamese."""
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class DomainChange:
    """A domain's points, maximum and sub-index in both years."""

    code: str
    title: str
    old_code: str | None
    before: Side | None
    now: Side
    index_before: Decimal | None
    index_now: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        """Change of the sub-index in percentage points."""
        if self.index_before is None or self.index_now is None:
            return None
        return self.index_now - self.index_before


@dataclass(frozen=True)
class Standing:
    """A unit's index, band and rank in one year."""

    index: Decimal | None
    band: str | None
    rank: int | None
    rank_of: int
    """Units ranked in the unit's group that year."""


@dataclass(frozen=True)
class UnitChange:
    """One unit across the two years."""

    code: str
    name: str
    group: str | None
    before: Standing | None
    """None when the unit was not scored in the earlier year."""
    now: Standing
    items: list[ItemChange]
    domains: list[DomainChange]

    @property
    def delta(self) -> Decimal | None:
        """Change of the index in percentage points."""
        if self.before is None or self.before.index is None or self.now.index is None:
            return None
        return self.now.index - self.before.index

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost (negative)."""
        if self.before is None or self.before.rank is None or self.now.rank is None:
            return None
        return self.before.rank - self.now.rank

    def counts(self) -> Counter[Status]:
        """How many items have each status."""
        return Counter(item.status for item in self.items)


@dataclass(frozen=True)
class Comparison:
    """Two years of every unit (or one), and the crosswalks used."""

    year_from: int
    year_to: int
    units: list[UnitChange]
    crosswalks: list[Crosswalk]
    results: tuple[str, str] = ("cchc", "cchc")
    """Whose result each year is: 'cchc' or 'official' (`YearRun.result`)."""
    result_lines: tuple[str, str] = ("", "")
    """Each year's `YearRun.result_line`, for every output of the comparison."""

    @property
    def precision(self) -> Precision:
        """The finest decimals of the sets compared, for points and for indices (default 2)."""
        sets = [s for w in self.crosswalks for s in (w.old_set, w.new_set)]
        if not sets:
            return Precision()
        points = max(s.precision.points for s in sets)
        return Precision(points=points, index=max(s.precision.index for s in sets))


def _status(before: Side, now: Side, penalty: bool) -> Status:
    share0, share1 = before.points / before.max, now.points / now.max
    if penalty:  # a deduction: less is better
        share0, share1 = 1 - share0, 1 - share1
    if share1 == 1:
        return "held_max" if share0 == 1 else "newly_max"
    if share0 == 1:
        return "newly_below"
    if share1 == 0 and share0 == 0:
        return "still_zero"
    if share1 == share0:
        return "unchanged"
    return "improved" if share1 > share0 else "declined"


def _side(leaves: Iterable[LeafScore | None], places: int = 2) -> Side | None:
    """Points and max of the leaves that apply and are not excluded; None if there are none."""
    scored = [leaf for leaf in leaves if leaf is not None and not leaf.excluded]
    if len(scored) == 1:  # most links: one item continues one item
        (leaf,) = scored
        return Side(leaf.final, leaf.max, places) if leaf.max else None
    if not scored or not any(leaf.max for leaf in scored):
        return None
    points = sum((s.final for s in scored), ZERO)
    return Side(points, sum((s.max for s in scored), ZERO), places)


def _standing(score: UnitScore, sizes: Counter[tuple[str, str | None]]) -> Standing:
    t = score.totals
    return Standing(t.index, t.band, t.rank, sizes[(score.set_id, score.unit.group)])


def group_sizes(run: YearRun) -> Counter[tuple[str, str | None]]:
    """Ranked units per (set id, unit group)."""
    return Counter((u.set_id, u.unit.group) for u in run.units if u.totals.rank is not None)


@dataclass(frozen=True)
class _Pair:
    """A crosswalk with what comparing needs of its two sets."""

    walk: Crosswalk
    old_titles: dict[str, str]
    new_titles: dict[str, str]
    penalties: frozenset[str]
    """New leaves of penalty type (a lower deduction is better)."""

    @classmethod
    def of(cls, old_set: CriteriaSet, new_set: CriteriaSet) -> _Pair:
        return cls(
            crosswalk(old_set, new_set),
            {item.code: item.title for item, _ in old_set.walk()},
            {item.code: item.title for item, _ in new_set.walk()},
            frozenset(
                item.code
                for item, path in new_set.walk()
                if item.is_leaf and effective_type(item, path) == "penalty"
            ),
        )

    def item(self, link: Link, old: UnitScore, now: UnitScore) -> ItemChange | None:
        """The change of one linked item for one unit; None if it applies in neither year."""
        old_places = self.walk.old_set.precision.index
        old_side = _side((old.leaves.get(code) for code in link.old), old_places)
        if link.new is None:
            if old_side is None:
                return None
            title = self.old_titles[link.old[0]]
            return ItemChange(
                None, title, link.old, link.kind, "removed", old_side, None, link.note
            )
        leaf = now.leaves.get(link.new)
        if leaf is None:
            return None  # the item does not apply to the unit's group
        new_side = _side([leaf], self.walk.new_set.precision.index)
        status: Status
        note = link.note
        if link.kind == "new":
            status = "new"
        elif not link.comparable or old_side is None or new_side is None:
            status = "not_comparable"
            if link.comparable:
                why = "không áp dụng ở một trong hai năm"
                if old_side is None and not old.leaves:
                    why = "kết quả năm trước chỉ có điểm lĩnh vực, không có điểm từng mục"
                note = "; ".join(n for n in (note, why) if n)
        else:
            status = _status(old_side, new_side, link.new in self.penalties)
        title = self.new_titles[link.new]
        return ItemChange(link.new, title, link.old, link.kind, status, old_side, new_side, note)

    def domains(self, old: UnitScore | None, now: UnitScore) -> list[DomainChange]:
        """Each domain of this year's set beside the domain it continues."""
        changes = []
        old_places = self.walk.old_set.precision.index
        for domain in self.walk.new_set.items:
            node = now.totals.nodes.get(domain.code)
            if node is None:
                continue
            old_code = self.walk.domains.get(domain.code)
            was = old.totals.nodes.get(old_code) if old is not None and old_code else None
            changes.append(
                DomainChange(
                    domain.code,
                    domain.title,
                    old_code,
                    Side(was.points, was.max, old_places) if was is not None else None,
                    Side(node.points, node.max, self.walk.new_set.precision.index),
                    was.index if was is not None else None,
                    node.index,
                )
            )
        return changes


class Comparer:
    """Compares units of two years one at a time; each pair of sets is crosswalked once."""

    def __init__(self, before: YearRun, now: YearRun) -> None:
        self.before, self.now = before, now
        self.pairs: dict[tuple[tuple[str, int], tuple[str, int]], _Pair] = {}
        self.sizes_before, self.sizes_now = group_sizes(before), group_sizes(now)

    def unit(self, code: str) -> UnitChange | None:
        """The unit's change between the two years; None if it was not scored this year."""
        score = self.now.unit(code)
        if score is None:
            return None
        old = self.before.unit(code)
        standing = _standing(score, self.sizes_now)
        unit = score.unit
        if old is None:
            return UnitChange(unit.code, unit.name, unit.group, None, standing, [], [])
        key = ((old.set_id, old.set_year), (score.set_id, score.set_year))
        pair = self.pairs.get(key)
        if pair is None:
            pair = self.pairs[key] = _Pair.of(self.before.criteria(old), self.now.criteria(score))
        items = [pair.item(link, old, score) for link in pair.walk.links]
        return UnitChange(
            unit.code,
            unit.name,
            unit.group,
            _standing(old, self.sizes_before),
            standing,
            [i for i in items if i is not None],
            pair.domains(old, score),
        )


def compare_years(before: YearRun, now: YearRun, unit: str | None = None) -> Comparison:
    """Every unit scored in `now` (or just `unit`) beside its result in `before`."""
    comparer = Comparer(before, now)
    codes = [unit] if unit is not None else [u.unit.code for u in now.ranking()]
    changes = [change for code in codes if (change := comparer.unit(code)) is not None]
    walks = [p.walk for p in comparer.pairs.values()]
    results = (before.result, now.result)
    lines = (before.result_line(), now.result_line())
    return Comparison(before.year, now.year, changes, walks, results, lines)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _side_data(side: Side | None) -> dict[str, str | None] | None:
    if side is None:
        return None
    return {"points": str(side.points), "max": str(side.max), "share": _text(side.share)}


def _standing_data(standing: Standing | None) -> dict[str, object] | None:
    if standing is None:
        return None
    return {
        "index": _text(standing.index),
        "band": standing.band,
        "rank": standing.rank,
        "rank_of": standing.rank_of,
    }


def comparison_data(comparison: Comparison) -> dict[str, object]:
    """The comparison as JSON-ready data (decimals as text), as `cchc compare --json` prints it."""
    return {
        "from": comparison.year_from,
        "to": comparison.year_to,
        "results": {"from": comparison.results[0], "to": comparison.results[1]},
        "units": [
            {
                "unit": unit.code,
                "name": unit.name,
                "group": unit.group,
                "before": _standing_data(unit.before),
                "now": _standing_data(unit.now),
                "delta": _text(unit.delta),
                "rank_change": unit.rank_change,
                "counts": dict(sorted(unit.counts().items())),
                "domains": [
                    {
                        "code": d.code,
                        "title": d.title,
                        "old_code": d.old_code,
                        "before": _side_data(d.before),
                        "now": _side_data(d.now),
                        "index_before": _text(d.index_before),
                        "index_now": _text(d.index_now),
                        "delta": _text(d.delta),
                    }
                    for d in unit.domains
                ],
                "items": [
                    {
                        "code": i.code,
                        "title": i.title,
                        "old_codes": list(i.old_codes),
                        "link": i.link,
                        "status": i.status,
                        "label": i.label,
                        "before": _side_data(i.before),
                        "now": _side_data(i.now),
                        "note": i.note,
                    }
                    for i in unit.items
                ],
            }
            for unit in comparison.units
        ],
    }
