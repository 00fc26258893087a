"""What each chart shows: small frozen records of exact numbers, drawn by `charts`, JSON-ready.

One function per chart kind. Shares and indices are percentages of the maximum (half-up, 2
decimals), as the scores were computed; nothing here is a float.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from cchc.core.numbers import round_points
from cchc.criteria.model import CriteriaSet, effective_method, effective_type
from cchc.scoring.compare import Comparison
from cchc.scoring.index import HUNDRED, ZERO
from cchc.scoring.run import UnitScore, YearRun
from cchc.scoring.whatif import NotScored
from cchc.store import db as store

KINDS = ("domains", "ranking", "heatmap", "pareto", "appraisal", "history")
"""Chart kinds, as named on the command line."""


@dataclass(frozen=True)
class Group:
    """Units ranked together: one criteria set and one unit group."""

    set_id: str
    set_year: int
    group: str | None
    label: str
    """The group's name in the set (e.g. 'Xã'), else its code."""

    def holds(self, score: UnitScore) -> bool:
        """True if the unit belongs to this group."""
        return (score.set_id, score.set_year, score.unit.group) == (
            self.set_id,
            self.set_year,
            self.group,
        )


def _group(run: YearRun, score: UnitScore) -> Group:
    criteria = run.criteria(score)
    code = score.unit.group
    label = criteria.groups.get(code, code) if code else "Không phân nhóm"
    return Group(score.set_id, score.set_year, code, label)


def groups(run: YearRun) -> list[Group]:
    """The groups of a year, in ranking order."""
    found: dict[Group, None] = {}
    for score in run.ranking():
        found.setdefault(_group(run, score))
    return list(found)


def group_of(run: YearRun, unit: str) -> Group:
    """The group of a unit; NotScored if the unit is not in the run."""
    score = _unit(run, unit)
    return _group(run, score)


def members(run: YearRun, group: Group) -> list[UnitScore]:
    """The units of a group in ranking order (unranked last)."""
    return [score for score in run.ranking() if group.holds(score)]


def _unit(run: YearRun, unit: str) -> UnitScore:
    score = run.unit(unit)
    if score is None:
        raise NotScored(f"đơn vị {unit} không có trong kết quả năm {run.year}")
    return score


def _score_domains(criteria: CriteriaSet) -> list[tuple[str, str]]:
    """(code, title) of the domains that count towards the index (not bonus or penalty)."""
    return [(d.code, d.title) for d in criteria.items if (d.type or "score") == "score"]


# --- domains: one unit's domains this year beside last year -----------------------------------


@dataclass(frozen=True)
class DomainBar:
    """A domain's sub-index (points as a share of the maximum) in both years."""

    code: str
    title: str
    share: Decimal | None
    share_before: Decimal | None
    """Through the crosswalk; None when the domain is new or the unit was not scored."""


@dataclass(frozen=True)
class DomainsChart:
    """One unit's domains, this year beside the year compared with."""

    kind: ClassVar[str] = "domains"
    year: int
    year_before: int | None
    unit: str
    name: str
    domains: tuple[DomainBar, ...]
    places: int = 2
    """Decimals of the labels: the set's precision.index."""


def domains(run: YearRun, unit: str, comparison: Comparison | None = None) -> DomainsChart:
    """The unit's domain sub-indices, with last year's from the comparison when given."""
    score = _unit(run, unit)
    change = next((u for u in comparison.units if u.code == unit), None) if comparison else None
    before = {d.code: d.index_before for d in change.domains} if change is not None else {}
    bars = []
    for code, title in _score_domains(run.criteria(score)):
        node = score.totals.nodes.get(code)
        if node is not None and node.index is not None:
            bars.append(DomainBar(code, title, node.index, before.get(code)))
    year_before = comparison.year_from if comparison and change and change.before else None
    places = run.criteria(score).precision.index
    return DomainsChart(run.year, year_before, unit, score.unit.name, tuple(bars), places)


# --- ranking: every unit of a group with its index and band -----------------------------------


@dataclass(frozen=True)
class BandLine:
    """A band's lowest index (inclusive)."""

    label: str
    min: Decimal


@dataclass(frozen=True)
class RankedUnit:
    """A unit's place in its group."""

    code: str
    name: str
    index: Decimal | None
    band: str | None
    rank: int | None


@dataclass(frozen=True)
class RankingChart:
    """The units of a group by rank, and the set's band thresholds."""

    kind: ClassVar[str] = "ranking"
    year: int
    group: Group
    bands: tuple[BandLine, ...]
    units: tuple[RankedUnit, ...]
    places: int = 2
    """Decimals of the labels: the set's precision.index."""

    def band_counts(self) -> list[tuple[str, int]]:
        """How many units fall in each band, best band first."""
        return [(b.label, sum(1 for u in self.units if u.band == b.label)) for b in self.bands]


def ranking(run: YearRun, group: Group) -> RankingChart:
    """The group's units by rank with index and band."""
    criteria = run.sets[(group.set_id, group.set_year)]
    units = tuple(
        RankedUnit(s.unit.code, s.unit.name, s.totals.index, s.totals.band, s.totals.rank)
        for s in members(run, group)
    )
    bands = tuple(BandLine(b.label, b.min) for b in criteria.bands)
    return RankingChart(run.year, group, bands, units, criteria.precision.index)


# --- heatmap: units × domains -----------------------------------------------------------------


@dataclass(frozen=True)
class DomainHead:
    """A column of the heatmap."""

    code: str
    title: str


@dataclass(frozen=True)
class HeatRow:
    """A unit's domain sub-indices, in the order of the columns (None: does not apply)."""

    code: str
    name: str
    shares: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class HeatmapChart:
    """Every unit of a group against every domain, as shares of the maximum."""

    kind: ClassVar[str] = "heatmap"
    year: int
    group: Group
    domains: tuple[DomainHead, ...]
    units: tuple[HeatRow, ...]


def heatmap(run: YearRun, group: Group) -> HeatmapChart:
    """Domain sub-indices of the group's units, in ranking order."""
    heads = tuple(
        DomainHead(c, t) for c, t in _score_domains(run.sets[(group.set_id, group.set_year)])
    )
    rows = []
    for score in members(run, group):
        nodes = score.totals.nodes
        shares = tuple(nodes[h.code].index if h.code in nodes else None for h in heads)
        rows.append(HeatRow(score.unit.code, score.unit.name, shares))
    return HeatmapChart(run.year, group, heads, tuple(rows))


# --- pareto: points lost by item --------------------------------------------------------------


@dataclass(frozen=True)
class LostItem:
    """Points an item lost over the units, and the running share of all points lost."""

    code: str
    title: str
    lost: Decimal
    units: int
    """Units that lost points on it."""
    cumulative: Decimal
    """Share (%) of all points lost taken by this item and the ones before it."""


@dataclass(frozen=True)
class ParetoChart:
    """Items by points lost, biggest first, for a group or one unit."""

    kind: ClassVar[str] = "pareto"
    year: int
    group: Group
    unit: str | None
    name: str | None
    total: Decimal
    items: tuple[LostItem, ...]


def _lost_points(criteria: CriteriaSet, score: UnitScore) -> Iterator[tuple[str, Decimal]]:
    """(code, points lost) of the unit's self-assessed leaves: max − final, or the deduction.

    Survey items are left out (a unit cannot fix them by itself), as are excluded items and
    bonus items (not earning a bonus loses nothing).
    """
    for item, ancestors in criteria.walk():
        leaf = score.leaves.get(item.code)
        if leaf is None or leaf.excluded or effective_method(item, ancestors) == "survey":
            continue
        kind = effective_type(item, ancestors)
        if kind == "bonus":
            continue
        lost = leaf.final if kind == "penalty" else leaf.max - leaf.final
        if lost > 0:
            yield item.code, lost


def pareto(run: YearRun, group: Group, unit: str | None = None) -> ParetoChart:
    """Points lost per item summed over the group's units (or one unit's), biggest first."""
    criteria = run.sets[(group.set_id, group.set_year)]
    scores = [_unit(run, unit)] if unit is not None else members(run, group)
    order = {item.code: n for n, (item, _) in enumerate(criteria.walk())}
    titles = {item.code: item.title for item, _ in criteria.walk()}
    lost: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for score in scores:
        for code, points in _lost_points(criteria, score):
            lost[code] = lost.get(code, ZERO) + points
            counts[code] = counts.get(code, 0) + 1
    total = sum(lost.values(), ZERO)
    running = ZERO
    items = []
    for code in sorted(lost, key=lambda c: (-lost[c], order[c])):
        running += lost[code]
        share = round_points(running / total * HUNDRED, criteria.precision.index)
        items.append(LostItem(code, titles[code], lost[code], counts[code], share))
    name = scores[0].unit.name if unit is not None else None
    return ParetoChart(run.year, group, unit, name, total, tuple(items))


# --- appraisal: self-assessed total against the final total -----------------------------------


@dataclass(frozen=True)
class AppraisedUnit:
    """A unit's self-assessed items: the points it gave itself and the final points."""

    code: str
    name: str
    self_points: Decimal
    final_points: Decimal
    max: Decimal
    changed: int
    """Items whose final points differ from the unit's own."""

    @property
    def difference(self) -> Decimal:
        """Final minus self: negative when the appraisal lowered the unit's score."""
        return self.final_points - self.self_points


@dataclass(frozen=True)
class AppraisalChart:
    """Self-assessment against the final (appraised) points, unit by unit."""

    kind: ClassVar[str] = "appraisal"
    year: int
    group: Group
    units: tuple[AppraisedUnit, ...]


def _appraised(criteria: CriteriaSet, score: UnitScore) -> AppraisedUnit:
    own = final = top = ZERO
    changed = 0
    for item, ancestors in criteria.walk():
        leaf = score.leaves.get(item.code)
        if leaf is None or leaf.excluded or effective_method(item, ancestors) == "survey":
            continue
        if effective_type(item, ancestors) != "score":
            continue
        mine = leaf.layers.get("self", ZERO)
        own, final, top = own + mine, final + leaf.final, top + leaf.max
        changed += leaf.final != mine
    return AppraisedUnit(score.unit.code, score.unit.name, own, final, top, changed)


def appraisal(run: YearRun, group: Group) -> AppraisalChart:
    """Per unit of the group, self-assessed points against final points (scored items only)."""
    criteria = run.sets[(group.set_id, group.set_year)]
    units = tuple(_appraised(criteria, score) for score in members(run, group))
    return AppraisalChart(run.year, group, units)


# --- history: a unit's index over the stored years --------------------------------------------


@dataclass(frozen=True)
class YearIndex:
    """A unit's index in one stored year."""

    year: int
    index: Decimal | None


@dataclass(frozen=True)
class HistoryChart:
    """A unit's index in every stored year it was scored."""

    kind: ClassVar[str] = "history"
    unit: str
    name: str
    years: tuple[YearIndex, ...]
    places: int = 2
    """Decimals of the labels: the finest precision.index of the years' sets."""


def stored_indices(db: Path) -> dict[int, dict[str, Decimal | None]]:
    """Every stored year's unit indices: year → unit code → index."""
    return {year: store.indices(db, year) for year in store.years(db)}


def history(
    indices: Mapping[int, Mapping[str, Decimal | None]], unit: str, name: str, places: int = 2
) -> HistoryChart:
    """The unit's index in each year it was scored, oldest first; labels with `places`."""
    points = tuple(
        YearIndex(year, indices[year][unit]) for year in sorted(indices) if unit in indices[year]
    )
    return HistoryChart(unit, name, points, places)


# --- JSON ---------------------------------------------------------------------------------------

Chart = DomainsChart | RankingChart | HeatmapChart | ParetoChart | AppraisalChart | HistoryChart


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_json(chart: Chart) -> dict[str, Any]:
    """The chart's data as JSON-ready values (decimals as text), with its kind."""
    data: dict[str, Any] = {"kind": chart.kind, **_plain(asdict(chart))}
    if isinstance(chart, RankingChart):
        data["band_counts"] = [{"band": b, "units": n} for b, n in chart.band_counts()]
    if isinstance(chart, AppraisalChart):
        for row, unit in zip(data["units"], chart.units, strict=True):
            row["difference"] = str(unit.difference)
    return data
