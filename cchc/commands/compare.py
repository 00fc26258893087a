"""`cchc compare`: two stored years through the criteria crosswalk, and the workbook of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.commands.session import Session
from cchc.core.errors import CommandError
from cchc.reports.compare_xlsx import write_comparison
from cchc.scoring.compare import Comparison, compare_years, comparison_data


@dataclass
class CompareResult:
    """The comparison and the workbook written from it."""

    comparison: Comparison
    workbook: Path

    def to_json(self) -> dict[str, Any]:
        """What `cchc compare --json` prints."""
        return comparison_data(self.comparison) | {"workbook": str(self.workbook)}

    def result_lines(self) -> tuple[str, str]:
        """Which result of each year the comparison used."""
        return self.comparison.result_lines


def compare(
    session: Session,
    year_from: int,
    year_to: int,
    out: Path,
    unit: str | None = None,
    result: str | None = None,
) -> CompareResult:
    """Compare the stored years; write so-sanh-<năm>-<năm>.xlsx into `out`.

    Each year's result is the official one where it has one (unless `result` says 'cchc'),
    else the scored run; `result` 'official' requires it of both years.
    """
    if year_from >= year_to:
        raise CommandError("--from phải là năm trước --to")
    before = session.result_run(year_from, result, traces=False)
    now = session.result_run(year_to, result, traces=False)
    if unit is not None and now.unit(unit) is None:
        raise CommandError(f"đơn vị {unit} không có trong kết quả năm {year_to}")
    comparison = compare_years(before, now, unit)
    target = write_comparison(comparison, out / f"so-sanh-{year_from}-{year_to}.xlsx")
    return CompareResult(comparison, target)
