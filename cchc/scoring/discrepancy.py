"""Self vs appraisal rounds: every item where the appraisal changed the unit's points."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cchc.scoring.index import APPRAISALS
from cchc.scoring.run import YearRun


@dataclass(frozen=True)
class Discrepancy:
    """One item where appraisal and self differ: the draft of the unit's giải trình."""

    unit_code: str
    unit_name: str
    code: str
    title: str
    max: Decimal
    self_points: Decimal | None
    appraised: Decimal
    """The last round's points (the final)."""
    by: str
    comment: str
    evidence: str
    explanation: str
    first: Decimal | None = None
    """Round 1's points."""
    second: Decimal | None = None
    """Round 2's points."""
    body: str = ""
    """Who appraised the item (the council's body; '' for the single workbook)."""

    @property
    def difference(self) -> Decimal:
        """Appraised minus self (negative when the appraisal took points away)."""
        return self.appraised - (self.self_points or Decimal(0))


def discrepancies(run: YearRun, unit_code: str | None = None) -> list[Discrepancy]:
    """Items whose last appraisal differs from self, units in ranking order, items in tree order."""
    found: list[Discrepancy] = []
    titles_of: dict[tuple[str, int], dict[str, str]] = {}  # a set's titles, walked once
    for score in run.ranking():
        if unit_code is not None and score.unit.code != unit_code:
            continue
        titles = titles_of.get((score.set_id, score.set_year))
        if titles is None:
            walked = run.criteria(score).walk()
            titles = titles_of[(score.set_id, score.set_year)] = {
                i.code: i.title for i, _ in walked
            }
        for leaf in score.leaves.values():
            by = next((layer for layer in APPRAISALS if layer in leaf.layers), None)
            own = leaf.layers.get("self")
            if by is None or leaf.layers[by] == own:
                continue
            found.append(
                Discrepancy(
                    unit_code=score.unit.code,
                    unit_name=score.unit.name,
                    code=leaf.code,
                    title=titles.get(leaf.code, ""),
                    max=leaf.max,
                    self_points=own,
                    appraised=leaf.layers[by],
                    by=by,
                    comment="\n".join(
                        t for k in ("comment", "second_comment") if (t := leaf.trace.get(k, ""))
                    ),
                    evidence=leaf.trace.get("evidence", ""),
                    explanation=leaf.trace.get("response") or leaf.trace.get("explanation", ""),
                    first=leaf.layers.get("appraisal_1"),
                    second=leaf.layers.get("appraisal_2"),
                    body=leaf.trace.get("appraised_by", ""),
                )
            )
    return found
