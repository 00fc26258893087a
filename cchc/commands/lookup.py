"""A unit's set and a leaf's maximum for that unit: what appraisal, survey and results check."""

from __future__ import annotations

from decimal import Decimal

from cchc.criteria.model import CriteriaSet, effective_method
from cchc.criteria.registry import SetNotFound
from cchc.scoring.index import applicable_max
from cchc.scoring.run import SetFinder
from cchc.units.model import Unit


class Lookup:
    """A unit's set and a leaf's maximum for that unit (for appraisal and survey checks)."""

    def __init__(self, units: list[Unit], find: SetFinder, default_set: str | None, year: int):
        self._units = {u.code: u for u in units}
        self._find = find
        self._default = default_set
        self._year = year
        self._cache: dict[
            tuple[int, str | None],
            tuple[CriteriaSet, dict[str, tuple[Decimal, Decimal | None, bool]]],
        ] = {}

    def criteria(self, unit_code: str) -> CriteriaSet | None:
        """The set the unit is scored on, if it can be found."""
        unit = self._units.get(unit_code)
        ref = (unit.set if unit else None) or self._default
        if unit is None or ref is None:
            return None
        try:
            return self._find(ref, self._year)
        except SetNotFound:
            return None

    def leaf(
        self, unit_code: str, code: str, survey: bool, criteria: CriteriaSet | None = None
    ) -> tuple[Decimal, Decimal | None] | None:
        """(maximum, manual step) of a leaf that applies to the unit and is (not) a survey item.

        `criteria` overrides the unit's own set (a SIPAS survey scored on the SIPAS set).
        """
        unit = self._units.get(unit_code)
        criteria = criteria or self.criteria(unit_code)
        if unit is None or criteria is None:
            return None
        found = self._leaves(criteria, unit.group).get(code)
        return found[:2] if found and found[2] == survey else None

    def leaf_max(self, unit_code: str, code: str) -> Decimal | None:
        """The maximum of any leaf (self-assessed or survey) for the unit; None if unknown."""
        criteria = self.criteria(unit_code)
        unit = self._units.get(unit_code)
        if unit is None or criteria is None:
            return None
        found = self._leaves(criteria, unit.group).get(code)
        return found[0] if found else None

    def _leaves(
        self, criteria: CriteriaSet, group: str | None
    ) -> dict[str, tuple[Decimal, Decimal | None, bool]]:
        """code → (maximum for the group, manual step, is a survey item), for applicable leaves."""
        key = (id(criteria), group)
        if key in self._cache:
            return self._cache[key][1]
        leaves = {}
        for item, ancestors in criteria.walk():
            top = applicable_max(item, group) if item.is_leaf else None
            if top is not None:
                step = item.manual_step
                leaves[item.code] = (top, step, effective_method(item, ancestors) == "survey")
        self._cache[key] = (criteria, leaves)  # the set is kept alive, so its id stays its own
        return leaves
