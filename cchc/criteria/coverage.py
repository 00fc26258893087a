"""Coverage of a value range by first-match tiers: gaps, overlaps and shadowed tiers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from cchc.criteria.model import Tier


@dataclass(frozen=True)
class TierReport:
    """What is wrong with a list of tiers over a domain."""

    gaps: list[Decimal]
    """Sample values no tier matches."""
    overlaps: list[tuple[int, int]]
    """Pairs of tiers (0-based) whose declared ranges overlap, later one second."""
    shadowed: list[int]
    """Tiers that can never match because earlier tiers take all their values."""
    unordered: list[int]
    """Tiers whose lower bound is above an earlier tier's (first match must go downwards)."""


def _probe_points(tiers: list[Tier], lowest: Decimal, highest: Decimal | None) -> list[Decimal]:
    """Values that decide coverage: every bound, midpoints between them, and the ends."""
    bounds = {lowest}
    for tier in tiers:
        for value in (tier.above, tier.from_, tier.below, tier.to):
            if value is not None and value >= lowest and (highest is None or value <= highest):
                bounds.add(value)
    if highest is not None:
        bounds.add(highest)
    ordered = sorted(bounds)
    points = list(ordered)
    points += [(a + b) / 2 for a, b in pairwise(ordered)]
    if highest is None:
        points.append(ordered[-1] + 1)
    return sorted(points)


def analyse(tiers: list[Tier], lowest: Decimal, highest: Decimal | None) -> TierReport:
    """Check tiers (first match wins) over [lowest, highest]; highest None means unbounded."""
    probes = _probe_points(tiers, lowest, highest)
    first_match = [next((i for i, t in enumerate(tiers) if t.matches(v)), None) for v in probes]
    gaps = [v for v, hit in zip(probes, first_match, strict=True) if hit is None]
    winners = {hit for hit in first_match if hit is not None}
    shadowed = [i for i in range(len(tiers)) if i not in winners]
    overlaps = [
        (i, j)
        for j, later in enumerate(tiers)
        for i, earlier in enumerate(tiers[:j])
        if _declared_overlap(earlier, later, probes)
    ]
    unordered = []
    highest_low: Decimal | None = None
    for i, tier in enumerate(tiers):
        low, _ = tier.lower()
        if tier.is_else or low is None:
            continue
        if highest_low is not None and low > highest_low:
            unordered.append(i)
        highest_low = low if highest_low is None else min(highest_low, low)
    return TierReport(gaps, overlaps, [i for i in shadowed if i not in unordered], unordered)


def _declared_overlap(a: Tier, b: Tier, probes: list[Decimal]) -> bool:
    """True if both tiers declare both bounds and some value lies in both ranges."""
    if a.is_else or b.is_else:
        return False
    closed = all(t.lower()[0] is not None and t.upper()[0] is not None for t in (a, b))
    return closed and any(a.matches(v) and b.matches(v) for v in probes)
