"""`cchc chart`: one chart of a stored year, as PNG or SVG."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.commands.session import Session
from cchc.core.errors import CommandError
from cchc.reports import chart_data
from cchc.reports.chart_data import Chart, Group
from cchc.reports.charts import format_of, write_chart
from cchc.scoring.compare import compare_years
from cchc.scoring.run import UnitScore, YearRun
from cchc.store import db as store


@dataclass
class ChartResult:
    """The chart drawn and the file it went to."""

    kind: str
    chart: Chart
    file: Path
    result: str = "cchc"
    """Whose result of the year the chart shows: 'cchc' or 'official'."""
    result_line: str = ""

    def to_json(self) -> dict[str, Any]:
        """What `cchc chart --json` prints."""
        return chart_data.to_json(self.chart) | {"file": str(self.file), "result": self.result}


def previous_run(session: Session, year: int) -> YearRun | None:
    """The latest year before `year` with a result (its official one where it has one)."""
    earlier = [y for y in session.result_years() if y < year]
    return session.result_run(earlier[-1], traces=False) if earlier else None


def official_years(session: Session) -> list[int]:
    """The years with an official result."""
    try:
        return store.official_years(session.require_workspace().db_path)
    except store.StoreError as exc:
        raise CommandError(str(exc)) from exc


def _line(session: Session, kind: str, run: YearRun) -> str:
    """Which result the chart shows: the year's, or for the history each year's."""
    if kind == "domains":
        before = previous_run(session, run.year)
        if before is None:
            return run.result_line()
        return f"{run.result_line()}; năm trước: {before.result_line().removeprefix('Dùng ')}"
    if kind != "history":
        return run.result_line()
    official = official_years(session)
    if not official:
        return "Dùng kết quả cchc chấm của các năm"
    years = ", ".join(map(str, official))
    return (
        f"Dùng kết quả chính thức do cấp trên công bố các năm {years}; kết quả cchc chấm các "
        "năm khác"
    )


def _group(run: YearRun, unit: str | None, name: str | None) -> Group:
    """The group asked for by --group, else the unit's, else the year's only group."""
    found = chart_data.groups(run)
    codes = ", ".join(g.group or "—" for g in found)
    if name is not None:
        found = [g for g in found if name in (g.group, g.label)]
        if not found:
            raise CommandError(f"năm {run.year} không có nhóm đơn vị '{name}' (các nhóm: {codes})")
    if unit is not None:
        own = chart_data.group_of(run, unit)
        if own not in found:
            raise CommandError(f"đơn vị {unit} không thuộc nhóm '{name}'")
        return own
    if len(found) > 1:
        raise CommandError(f"năm {run.year} có nhiều nhóm đơn vị ({codes}); chọn một bằng --group")
    return found[0]


def _chart(
    session: Session, kind: str, run: YearRun, score: UnitScore | None, group: str | None
) -> Chart:
    unit = score.unit.code if score is not None else None
    if kind in ("domains", "history"):
        if score is None:
            raise CommandError(f"biểu đồ {kind} cần --unit MÃ_ĐƠN_VỊ")
        if kind == "history":
            indices = chart_data.stored_indices(session.require_workspace().db_path)
            for year in official_years(session):
                official = session.result_run(year, "official", traces=False)
                indices[year] = {u.unit.code: u.totals.index for u in official.units}
            places = run.criteria(score).precision.index
            return chart_data.history(indices, score.unit.code, score.unit.name, places)
        before = previous_run(session, run.year)
        comparison = compare_years(before, run, unit) if before is not None else None
        return chart_data.domains(run, score.unit.code, comparison)
    chosen = _group(run, unit, group)
    if kind == "ranking":
        return chart_data.ranking(run, chosen)
    if kind == "heatmap":
        return chart_data.heatmap(run, chosen)
    if kind == "pareto":
        return chart_data.pareto(run, chosen, unit)
    return chart_data.appraisal(run, chosen)


def chart(
    session: Session,
    kind: str,
    year: int,
    out: Path,
    unit: str | None = None,
    group: str | None = None,
    result: str | None = None,
) -> ChartResult:
    """Draw the chart of the kind for the stored year into `out` (.png or .svg), from the
    year's official result where it has one (unless `result` is 'cchc')."""
    if format_of(out) is None:
        raise CommandError("--out phải là tệp .png hoặc .svg")
    if kind == "appraisal":  # self-assessment against appraisal: only a scored run has both
        if result == "official":
            raise CommandError("biểu đồ appraisal cần kết quả cchc chấm (tự chấm và thẩm định)")
        result = "cchc"
    run = session.result_run(year, result, traces=False)
    score = None
    if unit is not None:
        score = run.unit(unit)
        if score is None:
            raise CommandError(f"đơn vị {unit} không có trong kết quả năm {year}")
    drawn = _chart(session, kind, run, score, group)
    line = _line(session, kind, run)
    write_chart(drawn, out, line)
    return ChartResult(kind, drawn, out, run.result, line)
