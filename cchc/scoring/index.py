"""From final leaf points to node points, sub-indices, the index, the band and the rank."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core.numbers import round_points
from cchc.criteria.model import CriteriaSet, Item, ItemType

ZERO = Decimal(0)
HUNDRED = Decimal(100)
LAYERS = ("self", "appraisal_1", "appraisal_2", "survey")
"""Score layers, in the order they are given; `final` is derived from them."""
APPRAISALS = ("appraisal_2", "appraisal_1")
"""The appraisal rounds, last first: the last one given is final."""
LAYER_LABELS = {
    "self": "Tự chấm",
    "appraisal_1": "Thẩm định lần 1",
    "appraisal_2": "Thẩm định lần 2",
    "survey": "Điều tra XHH",
    "": "Chưa có điểm",
}


_FINAL_ORDER = (*APPRAISALS, "survey", "self")
"""Where the final points come from, first found: the last appraisal, the survey, self."""


@dataclass(slots=True)
class LeafScore:
    """One leaf of one unit: its maximum for the unit's group and its points per layer."""

    code: str
    max: Decimal
    layers: dict[str, Decimal] = field(default_factory=dict)
    excluded: bool = False
    """Out of the denominator: N/A 'không áp dụng', or a survey item with no survey."""
    trace: dict[str, str] = field(default_factory=dict)
    """Why: rule, figures, file and cell, comment; shown by `cchc explain`."""

    @property
    def by(self) -> str:
        """The layer the final points come from ('' when none was given)."""
        layers = self.layers
        for layer in _FINAL_ORDER:
            if layer in layers:
                return layer
        return ""

    @property
    def final(self) -> Decimal:
        """The last appraisal given, else the survey, else self; 0 when nothing was given."""
        layers = self.layers
        for layer in _FINAL_ORDER:
            points = layers.get(layer)
            if points is not None:
                return points
        return ZERO


@dataclass(frozen=True, slots=True)
class NodeScore:
    """Points and maximum of an item (leaf or inner node) over what applies to the unit."""

    code: str
    points: Decimal
    max: Decimal
    kind: ItemType
    places: int = 2
    """Decimals of the sub-index: the set's precision.index."""

    @property
    def index(self) -> Decimal | None:
        """points / max × 100, half-up to `places`; None for bonus, penalty or no maximum."""
        if self.kind != "score" or self.max == 0:
            return None
        return round_points(self.points / self.max * HUNDRED, self.places)


@dataclass
class Totals:
    """A unit's index and how it is made up."""

    points: Decimal
    """Final points of the scored items (bonus and penalty excluded)."""
    max: Decimal
    """Sum of the applicable maxima."""
    bonus: Decimal
    penalty: Decimal
    index: Decimal | None
    nodes: dict[str, NodeScore]
    band: str | None = None
    rank: int | None = None

    @property
    def total(self) -> Decimal:
        """Points after bonus and penalty."""
        return self.points + self.bonus - self.penalty


def applicable_max(leaf: Item, group: str | None) -> Decimal | None:
    """The leaf's maximum for the unit's group; None if the leaf does not apply to it."""
    if leaf.applies_to is None or group is None:
        return leaf.max if leaf.max is not None else ZERO
    return leaf.applies_to.get(group)


def totals(criteria: CriteriaSet, leaves: Mapping[str, LeafScore]) -> Totals:
    """Node points and maxima bottom-up, then the index.

    A node's points are the sum of its children's; a bonus or penalty node with a cap never
    exceeds it. Leaves missing from `leaves` do not apply to the unit. The index is
    (points + bonus − penalty) / max × 100, clamped to 0–100, half-up once to the set's
    precision.index (default 2 decimals); sub-indices the same way.
    """
    nodes: dict[str, NodeScore] = {}
    places = criteria.precision.index

    def visit(item: Item, inherited: ItemType) -> NodeScore | None:
        kind = item.type or inherited  # as effective_type, without rescanning the ancestors
        if item.is_leaf:
            leaf = leaves.get(item.code)
            if leaf is None:
                return None
            points, top = (ZERO, ZERO) if leaf.excluded else (leaf.final, leaf.max)
        else:
            children = [visit(c, kind) for c in item.items]
            scored = [c for c in children if c is not None]
            if not scored:
                return None
            points = sum((c.points for c in scored), ZERO)
            top = sum((c.max for c in scored), ZERO)
        if kind != "score" and item.cap is not None:
            points = min(points, item.cap)
        node = nodes[item.code] = NodeScore(item.code, points, top, kind, places)
        return node

    sums: dict[ItemType, Decimal] = defaultdict(lambda: ZERO)
    top = ZERO
    for domain in criteria.items:
        node = visit(domain, "score")
        if node is not None:
            sums[node.kind] += node.points
            if node.kind == "score":
                top += node.max
    result = Totals(sums["score"], top, sums["bonus"], sums["penalty"], None, nodes)
    if top > 0:
        ratio = result.total / top * HUNDRED
        result.index = round_points(min(HUNDRED, max(ZERO, ratio)), places)
    return result


def band_of(criteria: CriteriaSet, index: Decimal | None) -> str | None:
    """The first band (best first) whose minimum the index reaches."""
    if index is None:
        return None
    return next((b.label for b in criteria.bands if index >= b.min), None)


def competition_ranks(indices: Iterable[tuple[str, Decimal]]) -> dict[str, int]:
    """Rank keys by index, highest first; equal indices share a rank (1, 2, 2, 4)."""
    ordered = sorted(indices, key=lambda pair: pair[1], reverse=True)
    ranks: dict[str, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, index) in enumerate(ordered, start=1):
        if index != previous:
            rank, previous = position, index
        ranks[key] = rank
    return ranks
