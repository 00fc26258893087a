"""An official result as a year of its own: index, band and rank from the published points.

A unit's points may be given for leaves or for inner nodes (a province publishes domain points).
Each branch is taken at the finest level where every leaf below is given; a node above given
points as well is checked against its items' sum. The index, band and rank then come from the
same functions as a scored run (`scoring.index.totals`, `band_of`, `scoring.run.rank_units`),
on the set with the nodes given as leaves, so the one half-up rounding is the set's. Where the
province published its own total, index, band or rank, what it published is kept and a
difference with what its points give is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from cchc.core.issues import Issue, Severity
from cchc.core.numbers import fmt, pct
from cchc.core.text import fold
from cchc.criteria.model import CriteriaSet, Item, effective_method, effective_type
from cchc.criteria.registry import SetNotFound
from cchc.scoring.index import ZERO, LeafScore, applicable_max, band_of, totals
from cchc.scoring.run import NOT_SUBMITTED, SetFinder, UnitScore, YearRun, rank_units
from cchc.units.model import Unit, code_key
from cchc.units.read import name_key

_DOMAIN = re.compile(r"^(?:lĩnh vực|lv)\s*\.?\s*(\S+)$")
_NUMBERED = re.compile(r"^([0-9]+(?:\.[0-9]+)*)\.?(?:\s|$)")
NOT_SCORED = frozenset({"không áp dụng", "kad", "không chấm", "—", "–", "-", "x"})
"""A cell that says the item was not scored for the unit: out of its maximum (N/A)."""
UNRANKED = frozenset({"không xếp hạng", "—", "–", "-", ""})
EXCLUDED = Decimal(-1)
"""Marks an item given as not scored."""


@dataclass(frozen=True)
class Value:
    """One published cell: its value as read (a decimal, or the text that is not one), where."""

    value: Decimal | str
    sheet: str
    cell: str


@dataclass
class UnitRow:
    """What the file says of one unit: its points by item, and what was published of it."""

    unit: str
    """The unit as written: its code, or its name (`by_name`)."""
    by_name: bool
    sheet: str
    cell: str
    points: dict[str, list[Value]] = field(default_factory=dict)
    """Item as written (a code, or a wide table's column title) → every cell giving it."""
    published: dict[str, Value] = field(default_factory=dict)
    """'total', 'index', 'band', 'rank' → the cell, where the table has the column."""
    wide: bool = False
    """From a wide table: the items are column titles."""


@dataclass
class OfficialBuild:
    """The official run built, and every problem found (errors: nothing should be stored)."""

    run: YearRun
    issues: list[Issue] = field(default_factory=list)
    points: int = 0
    """Published points used."""
    values: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    """unit → item → the published points the index was computed from."""


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[Issue] = []
        self._said: set[tuple[str, str]] = set()

    def add(
        self,
        code: str,
        message: str,
        at: Value | None = None,
        item: str | None = None,
        warning: bool = False,
        sheet: str | None = None,
        cell: str | None = None,
    ) -> None:
        severity = Severity.WARNING if warning else Severity.ERROR
        self.issues.append(
            Issue(
                code=code,
                severity=severity,
                message=message,
                file=self.file,
                sheet=at.sheet if at else sheet,
                cell=(at.cell if at else cell) or None,
                item=item,
            )
        )

    def once(self, key: tuple[str, str]) -> bool:
        """True the first time a key is seen (a wide table's column is said once)."""
        if key in self._said:
            return False
        self._said.add(key)
        return True


class _Items:
    """A set's items found by code, by 'Lĩnh vực N', '1. Tên' or by title, with group maxima."""

    def __init__(self, criteria: CriteriaSet) -> None:
        self.criteria = criteria
        self.by_code: dict[str, Item] = {}
        self.by_title: dict[str, Item | None] = {}
        self.kind: dict[str, str] = {}
        self.survey: set[str] = set()
        for item, ancestors in criteria.walk():
            self.by_code[item.code] = item
            title = fold(item.title)
            self.by_title[title] = None if title in self.by_title else item  # None: ambiguous
            self.kind[item.code] = effective_type(item, ancestors)
            if item.is_leaf and effective_method(item, ancestors) == "survey":
                self.survey.add(item.code)
        self._max: dict[tuple[str, str | None], Decimal | None] = {}

    def find(self, written: str) -> Item | None:
        text = fold(written)
        if written in self.by_code:
            return self.by_code[written]
        for pattern in (_DOMAIN, _NUMBERED):
            match = pattern.match(text)
            if match and match.group(1).rstrip(".") in self.by_code:
                return self.by_code[match.group(1).rstrip(".")]
        return self.by_title.get(text)

    def max_of(self, item: Item, group: str | None) -> Decimal | None:
        """The item's maximum for the group: a leaf's, or the sum over its applicable leaves;
        None where nothing of it applies."""
        key = (item.code, group)
        if key not in self._max:
            if item.is_leaf:
                self._max[key] = applicable_max(item, group)
            else:
                tops = [t for c in item.items if (t := self.max_of(c, group)) is not None]
                self._max[key] = sum(tops, ZERO) if tops else None
        return self._max[key]


def _units(units: list[Unit]) -> tuple[dict[str, Unit], dict[str, list[Unit]]]:
    by_code = {code_key(u.code): u for u in units}
    by_name: dict[str, list[Unit]] = {}
    for u in units:
        by_name.setdefault(name_key(u.name), []).append(u)
    return by_code, by_name


def build_official(
    year: int,
    rows: list[UnitRow],
    units: list[Unit],
    find: SetFinder,
    default_set: str | None,
    file: Path,
) -> OfficialBuild:
    """The official result of the year from the rows read, and what could not be used."""
    problems = _Problems(str(file))
    run = YearRun(year, {}, result="official", source=file.name)
    build = OfficialBuild(run)
    by_code, by_name = _units(units)
    merged: dict[str, list[UnitRow]] = {}
    for row in rows:
        unit = _unit(row, by_code, by_name, problems)
        if unit is not None:
            merged.setdefault(unit.code, []).append(row)
    sets: dict[str, _Items] = {}
    published: dict[str, dict[str, Value]] = {}
    for unit in units:
        if unit.code not in merged:
            continue
        ref = unit.set or default_set
        try:
            if not ref:
                raise SetNotFound(f"đơn vị {unit.code} chưa được gán bộ tiêu chí")
            criteria = find(ref, year)
        except SetNotFound as exc:
            problems.add("official_set_unknown", str(exc))
            continue
        items = sets.setdefault(f"{criteria.id}-{criteria.year}", _Items(criteria))
        score, used, given = _unit_score(unit, merged[unit.code], items, problems)
        if score is None or used is None:
            continue
        build.values[unit.code] = {c: p for c, p in used.items() if p != EXCLUDED}
        run.sets[(criteria.id, criteria.year)] = criteria
        run.units.append(score)
        build.points += len(used)
        published[unit.code] = given
    _rank(run, published, problems)
    for unit in units:
        if unit.code not in merged:
            problems.add(
                "official_unit_absent",
                f"đơn vị {unit.code} – {unit.name} không có trong bảng kết quả chính thức",
                warning=True,
            )
    if not run.units and not any(i.severity == Severity.ERROR for i in problems.issues):
        problems.add("official_empty", "bảng không có đơn vị nào của danh sách đơn vị")
    build.issues = problems.issues
    return build


def _unit(
    row: UnitRow,
    by_code: dict[str, Unit],
    by_name: dict[str, list[Unit]],
    problems: _Problems,
) -> Unit | None:
    here = Value("", row.sheet, row.cell) if row.cell else None
    if not row.by_name:
        found = by_code.get(code_key(row.unit))
        if found is None and not row.cell:
            return None  # a sheet of the workbook that is not a unit's (a notes sheet)
        if found is None:
            message = f"đơn vị '{row.unit}' không có trong danh sách đơn vị"
            problems.add("official_unit_unknown", message, here)
        return found
    from_name = by_name.get(name_key(row.unit), [])
    if len(from_name) == 1:
        return from_name[0]
    if not from_name:
        message = f"đơn vị '{row.unit}' không có trong danh sách đơn vị (tìm theo tên)"
        problems.add("official_unit_unknown", message, here)
    else:
        codes = ", ".join(u.code for u in from_name)
        message = f"tên đơn vị '{row.unit}' trùng với nhiều đơn vị ({codes}); dùng cột Mã đơn vị"
        problems.add("official_unit_ambiguous", message, here)
    return None


def _number(value: Value, what: str, unit: Unit, item: str | None, problems: _Problems) -> bool:
    if isinstance(value.value, Decimal):
        return True
    message = f"{what} '{value.value}' của đơn vị {unit.code} không phải là số"
    problems.add("official_invalid", message, value, item)
    return False


def _unit_score(
    unit: Unit, rows: list[UnitRow], items: _Items, problems: _Problems
) -> tuple[UnitScore | None, dict[str, Decimal] | None, dict[str, Value]]:
    """The unit's official score from its rows; None when its points cannot make an index."""
    errors = len([i for i in problems.issues if i.severity == Severity.ERROR])
    given: dict[str, tuple[Decimal, Value]] = {}
    published: dict[str, Value] = {}
    for row in rows:
        published |= row.published
        for written, values in row.points.items():
            item = items.find(written)
            if item is None:
                if row.wide:
                    if problems.once((row.sheet, written)):
                        message = f"cột '{written}' không phải mục nào của bộ tiêu chí; bỏ qua"
                        problems.add(
                            "official_column_unknown", message, warning=True, sheet=row.sheet
                        )
                    continue
                message = f"mục '{written}' của đơn vị {unit.code} không có trong bộ tiêu chí"
                problems.add("official_item_unknown", message, values[0], written)
                continue
            for value in values:
                _given(unit, item, value, items, given, problems)
    first = rows[0]
    here = Value("", first.sheet, first.cell)
    chosen = _choose(unit, items, given, problems, here)
    failed = len([i for i in problems.issues if i.severity == Severity.ERROR]) > errors
    if chosen is None or failed:
        return None, None, published
    criteria = items.criteria
    leaves, pruned = _leaves(unit, items, chosen, given)
    result = totals(_pruned(criteria, pruned, items, unit.group), leaves)
    result.band = band_of(criteria, result.index)
    _published(unit, criteria, result, published, problems)
    real = {code: leaf for code, leaf in leaves.items() if code not in pruned}
    score = UnitScore(unit, criteria.id, criteria.year, problems.file, real, result)
    return score, chosen, published


def _given(
    unit: Unit,
    item: Item,
    value: Value,
    items: _Items,
    given: dict[str, tuple[Decimal, Value]],
    problems: _Problems,
) -> None:
    if isinstance(value.value, str) and fold(value.value) in NOT_SCORED:
        given.setdefault(item.code, (EXCLUDED, value))
        return
    if not _number(value, "điểm", unit, item.code, problems):
        return
    assert isinstance(value.value, Decimal)
    points = value.value
    top = items.max_of(item, unit.group)
    if top is None:
        message = f"mục {item.code} không áp dụng cho đơn vị {unit.code} (nhóm {unit.group})"
        problems.add("official_not_applicable", message, value, item.code)
        return
    if not ZERO <= points <= top:
        message = f"điểm {fmt(points)} của đơn vị {unit.code} ngoài khoảng 0 – {fmt(top)}"
        problems.add("official_out_of_range", message, value, item.code)
        return
    before = given.get(item.code)
    if before is not None and before[0] != points:
        message = (
            f"mục {item.code} của đơn vị {unit.code} có hai điểm khác nhau: {fmt(before[0])} "
            f"({before[1].sheet}!{before[1].cell}) và {fmt(points)}"
        )
        problems.add("official_duplicate", message, value, item.code)
        return
    given[item.code] = (points, value)


def _choose(
    unit: Unit,
    items: _Items,
    given: dict[str, tuple[Decimal, Value]],
    problems: _Problems,
    here: Value,
) -> dict[str, Decimal] | None:
    """item → points the index is computed from: in each branch the finest level given.

    A node is taken through its children when each of them is given or made of given items;
    else its own points are used. Bonus and penalty items not given count as not awarded.
    """
    chosen: dict[str, Decimal] = {}

    def applies(item: Item) -> bool:
        return items.max_of(item, unit.group) is not None

    def resolvable(item: Item) -> bool:
        if not applies(item) or item.code in given or items.kind[item.code] != "score":
            return True
        return not item.is_leaf and all(resolvable(c) for c in item.items)

    def descend(item: Item) -> bool:
        if item.is_leaf or not all(resolvable(c) for c in item.items):
            return False
        if items.kind[item.code] == "score" or item.code not in given:
            return True
        return any(code in given for code, _ in _descendants(item))  # bonus given as a whole

    def value(item: Item) -> Decimal:
        if not applies(item):
            return ZERO
        if descend(item):
            total = sum((value(c) for c in item.items), ZERO)
            cap = item.cap if items.kind[item.code] != "score" else None
            return min(total, cap) if cap is not None else total
        return max(given[item.code][0], ZERO) if item.code in given else ZERO

    def take(item: Item) -> None:
        if not applies(item):
            return
        if descend(item):
            for child in item.items:
                take(child)
            if item.code in given:
                _check_sum(unit, item, value(item), given[item.code], problems)
        elif item.code in given:
            chosen[item.code] = given[item.code][0]
            below = [c for c, _ in _descendants(item) if c in given]
            if below:
                message = (
                    f"chỉ có điểm của một số mục con của {item.code} ({', '.join(below)}); "
                    f"dùng điểm của {item.code}"
                )
                at = given[item.code][1]
                problems.add("official_partial", message, at, item.code, warning=True)

    missing = [d.code for d in items.criteria.items if not resolvable(d)]
    if missing:
        message = f"thiếu điểm của đơn vị {unit.code}: cần điểm của lĩnh vực hoặc của mọi mục con"
        problems.add("official_missing", message, here, ", ".join(missing))
        return None
    for domain in items.criteria.items:
        take(domain)
    return chosen


def _descendants(item: Item) -> list[tuple[str, Item]]:
    found: list[tuple[str, Item]] = []
    for child in item.items:
        found.append((child.code, child))
        found += _descendants(child)
    return found


def _check_sum(
    unit: Unit, item: Item, total: Decimal, stated: tuple[Decimal, Value], problems: _Problems
) -> None:
    points, value = stated
    if points != EXCLUDED and total != points:
        message = (
            f"điểm {fmt(points)} của {item.code} (đơn vị {unit.code}) khác tổng điểm các mục "
            f"con {fmt(total)}; dùng điểm các mục con"
        )
        problems.add("official_sum_differs", message, value, item.code, warning=True)


def _leaves(
    unit: Unit, items: _Items, chosen: dict[str, Decimal], given: dict[str, tuple[Decimal, Value]]
) -> tuple[dict[str, LeafScore], set[str]]:
    """The leaves for `totals`: the chosen items, inner nodes among them as leaves."""
    leaves: dict[str, LeafScore] = {}
    pruned: set[str] = set()
    for code, points in chosen.items():
        item = items.by_code[code]
        top = items.max_of(item, unit.group)
        assert top is not None
        layer = "survey" if code in items.survey else "appraisal_2"
        value = given[code][1]
        trace = {"official": f"kết quả chính thức · {value.sheet}!{value.cell}"}
        if points == EXCLUDED:
            leaves[code] = LeafScore(code, top, {}, excluded=True, trace=trace)
        else:
            leaves[code] = LeafScore(code, top, {layer: points}, trace=trace)
        if not item.is_leaf:
            pruned.add(code)
    return leaves, pruned


def _pruned(
    criteria: CriteriaSet, pruned: set[str], items: _Items, group: str | None
) -> CriteriaSet:
    """The set with the nodes given points as leaves of their group's maximum."""
    if not pruned:
        return criteria

    def cut(item: Item) -> Item:
        if item.code in pruned:
            top = items.max_of(item, group)
            return item.model_copy(update={"items": [], "max": top, "applies_to": None})
        if item.is_leaf:
            return item
        return item.model_copy(update={"items": [cut(c) for c in item.items]})

    return criteria.model_copy(update={"items": [cut(d) for d in criteria.items]})


def _published(
    unit: Unit,
    criteria: CriteriaSet,
    result: object,
    published: dict[str, Value],
    problems: _Problems,
) -> None:
    """Keep what the province published of the unit; warn where its points give otherwise."""
    from cchc.scoring.index import Totals

    assert isinstance(result, Totals)
    total = published.get("total")
    if total is not None and _number(total, "tổng điểm", unit, None, problems):
        assert isinstance(total.value, Decimal)
        if total.value not in (result.total, result.points):
            message = (
                f"tổng điểm đã công bố {fmt(total.value)} của đơn vị {unit.code} khác tổng điểm "
                f"tính từ điểm các mục {fmt(result.total)}"
            )
            problems.add("official_total_differs", message, total, warning=True)
    index = published.get("index")
    if index is not None and _number(index, "chỉ số", unit, None, problems):
        assert isinstance(index.value, Decimal)
        stated = index.value
        if result.index is not None and ZERO < stated <= 1 < result.index:
            stated *= 100  # a percent-formatted cell holds 0,8525 for 85,25 %
        if not ZERO <= stated <= 100:
            message = f"chỉ số {fmt(stated)} của đơn vị {unit.code} ngoài khoảng 0 – 100"
            problems.add("official_out_of_range", message, index)
        elif stated != result.index:
            message = (
                f"chỉ số đã công bố {fmt(stated)} của đơn vị {unit.code} khác chỉ số tính từ "
                f"điểm {pct(result.index)}; giữ chỉ số đã công bố"
            )
            problems.add("official_index_differs", message, index, warning=True)
            result.index = stated
            result.band = band_of(criteria, result.index)
    band = published.get("band")
    if band is not None:
        stated_band = str(band.value)
        if fold(stated_band) == NOT_SUBMITTED:  # cchc's own workbook: kept out of the ranking
            stated_band = NOT_SUBMITTED
        elif fold(stated_band) != fold(result.band or ""):
            message = (
                f"xếp loại đã công bố '{stated_band}' của đơn vị {unit.code} khác xếp loại theo "
                f"chỉ số {pct(result.index)}: '{result.band or '—'}'; giữ xếp loại đã công bố"
            )
            problems.add("official_band_differs", message, band, warning=True)
        result.band = stated_band


def _rank(run: YearRun, published: dict[str, dict[str, Value]], problems: _Problems) -> None:
    """Rank within each group; a published rank is kept, a different one flagged."""
    rank_units(run.units)
    for score in run.units:
        stated = published.get(score.unit.code, {}).get("rank")
        if stated is None:
            continue
        if isinstance(stated.value, str) and fold(stated.value) in UNRANKED:
            if score.totals.rank is not None:
                message = (
                    f"đơn vị {score.unit.code} không được xếp hạng trong bảng đã công bố, theo "
                    f"chỉ số thì hạng {score.totals.rank}; giữ như đã công bố"
                )
                problems.add("official_rank_differs", message, stated, warning=True)
            score.totals.rank = None
            continue
        if not isinstance(stated.value, Decimal) or stated.value != stated.value.to_integral():
            message = f"hạng '{stated.value}' của đơn vị {score.unit.code} không phải số nguyên"
            problems.add("official_invalid", message, stated)
            continue
        rank = int(stated.value)
        if rank != score.totals.rank:
            computed = score.totals.rank or "—"
            message = (
                f"hạng đã công bố {rank} của đơn vị {score.unit.code} khác hạng theo chỉ số "
                f"{computed}; giữ hạng đã công bố"
            )
            problems.add("official_rank_differs", message, stated, warning=True)
        score.totals.rank = rank
