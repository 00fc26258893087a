"""The HTML report of a year: one self-contained file (charts inline) that prints well on A4.

The page is rendered by jinja2 with autoescape on from `report.html` and `report.css`; a file of
the same name in a user's template folder replaces the bundled one. `report_context` turns the
year's scores into strings once, so the templates carry layout, not logic. Charts are SVG in
`data:` URIs: nothing is fetched, no script runs. Per-unit sections (domains, declines, gains)
are written for at most MAX_DETAILED units, the first by rank; the tables list every unit.
"""

from __future__ import annotations

import base64
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from jinja2 import TemplateError as JinjaError

from cchc.core.fileio import write_text
from cchc.core.issues import Issue, Severity
from cchc.core.numbers import fmt, pct, signed
from cchc.core.parallel import fork_map
from cchc.criteria.export import SAMPLE_NOTE
from cchc.reports import chart_data
from cchc.reports.chart_data import Chart, Group
from cchc.reports.charts import render
from cchc.scoring.compare import DECLINES, Comparison, UnitChange, compare_years, group_sizes
from cchc.scoring.index import APPRAISALS
from cchc.scoring.provisional import provisional_summary
from cchc.scoring.run import UnitScore, YearRun
from cchc.scoring.whatif import gains

TEMPLATE = "report.html"
MAX_DETAILED = 20
"""Units given a section of their own (with a chart); a report of thousands stays readable."""
MAX_ISSUES = 50
"""Issues listed one by one; the rest are counted by code."""
GAINS = 5
TOP_LOST = 10


class ReportError(Exception):
    """The report cannot be written (a user's template is broken); the message is in Vietnamese."""


@dataclass(frozen=True)
class ReportSummary:
    """What `write_report` wrote."""

    file: Path
    year: int
    compare: int | None
    units: int
    detailed: int
    charts: int
    results: list[str] = field(default_factory=list)
    """Which result of each year the report used (`YearRun.result_line`), the year's first."""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready, as `cchc report --json` prints it."""
        return {
            "file": str(self.file),
            "year": self.year,
            "compare": self.compare,
            "units": self.units,
            "detailed": self.detailed,
            "charts": self.charts,
            "results": self.results,
        }


class InlineCharts:
    """The report's charts as SVG `data:` URIs: each asked for is given a mark to put in the
    page, and all are drawn together (by worker processes where there are many) and put in
    place of their marks once the page is made."""

    def __init__(self) -> None:
        self.charts: list[Chart] = []

    @property
    def count(self) -> int:
        """How many charts the page has."""
        return len(self.charts)

    def uri(self, chart: Chart) -> str:
        """The chart's mark, replaced by its URI in `fill`."""
        self.charts.append(chart)
        return f"@@cchc-chart-{len(self.charts) - 1}@@"

    def drawn(self) -> Iterator[str]:
        """Every chart's URI, in order, drawn in worker processes from the call (see `fill`)."""
        return fork_map(_svg_uri, self.charts, None, CHARTS_PARALLEL_FROM)

    @staticmethod
    def fill(html: str, uris: Iterator[str]) -> str:
        """The page with each chart's mark replaced by its URI."""
        drawn = list(uris)
        return _CHART_MARK.sub(lambda m: drawn[int(m.group(1))], html)


_CHART_MARK = re.compile(r"@@cchc-chart-([0-9]+)@@")
CHARTS_PARALLEL_FROM = 4
"""Fewer charts are drawn in this process."""


def _svg_uri(chart: Chart) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(render(chart, "svg")).decode()


def _rank(rank: int | None, of: int | None = None) -> str:
    if rank is None:
        return "—"
    return f"{rank}/{of}" if of else str(rank)


def _set_ref(group: Group) -> str:
    return f"{group.set_id} {group.set_year}"


def _environment(template_dir: Path | None) -> Environment:
    loaders: list[Any] = [FileSystemLoader(template_dir)] if template_dir is not None else []
    loaders.append(PackageLoader("cchc.reports", "html"))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def write_report(
    run: YearRun,
    target: Path,
    before: YearRun | None = None,
    unit: str | None = None,
    template_dir: Path | None = None,
    province: str = "",
) -> ReportSummary:
    """Write the year's report (compared with `before` when given), whole or not at all."""
    charts = InlineCharts()
    context = report_context(run, charts, before, unit, province)
    uris = charts.drawn()  # while the page is made
    try:
        html = _environment(template_dir).get_template(TEMPLATE).render(context)
    except JinjaError as exc:
        list(uris)  # the workers end before the error is told
        where = getattr(exc, "filename", None) or TEMPLATE
        line = getattr(exc, "lineno", None)
        place = f"{where}:{line}" if line else where
        raise ReportError(f"mẫu báo cáo {place} có lỗi: {exc.message or exc}") from exc
    write_text(target, charts.fill(html, uris))
    units = 1 if unit else len(run.units)
    compare = before.year if before is not None else None
    detailed = len(context["details"])
    results = context["result_lines"]
    return ReportSummary(target, run.year, compare, units, detailed, charts.count, results)


def report_context(
    run: YearRun,
    charts: InlineCharts,
    before: YearRun | None = None,
    unit: str | None = None,
    province: str = "",
) -> dict[str, Any]:
    """Everything the template shows, as strings and lists of dicts of strings."""
    comparison = compare_years(before, run, unit) if before is not None else None
    changes = {c.code: c for c in comparison.units} if comparison is not None else {}
    chosen = [chart_data.group_of(run, unit)] if unit else chart_data.groups(run)
    scores = [s for s in run.ranking() if unit is None or s.unit.code == unit]
    subject = scores[0].unit.name if unit else ""
    sizes = group_sizes(run)
    title = f"Báo cáo Chỉ số cải cách hành chính năm {run.year}"
    return {
        "title": title,
        "year": str(run.year),
        "province": province,
        "subject": f"{subject} ({unit})" if unit else "",
        "created": _day(run.created),
        "compare_year": str(before.year) if before is not None else "",
        "sample_note": SAMPLE_NOTE if any(s.status == "sample" for s in run.sets.values()) else "",
        "provisional_note": provisional_summary(run, scores),
        "result_lines": [r.result_line() for r in (run, before) if r is not None],
        "sets": [
            {"ref": f"{s.id} {s.year}", "title": s.title, "issued_by": s.issued_by or ""}
            for s in run.sets.values()
        ],
        "overview": [_overview(run, g) for g in chosen],
        "groups": [_group(run, g, charts, changes, unit) for g in chosen],
        "details": [_detail(run, s, charts, comparison, sizes) for s in scores[:MAX_DETAILED]],
        "details_note": _details_note(len(scores)),
        "comparison": [_change(c, index_places(run)) for c in comparison.units]
        if comparison
        else None,
        "issues": _issues(run, scores[0].file if unit else None, bool(unit)),
    }


def _day(stamp: str) -> str:
    """'2025-01-15T08:00:00+00:00' → '15/01/2025'."""
    try:
        return datetime.fromisoformat(stamp).strftime("%d/%m/%Y")
    except ValueError:
        return stamp


def _details_note(total: int) -> str:
    if total <= MAX_DETAILED:
        return ""
    return (
        f"Chi tiết {MAX_DETAILED} trong {total} đơn vị đứng đầu bảng xếp hạng; "
        "lập báo cáo riêng cho một đơn vị bằng tùy chọn --unit."
    )


def index_places(run: YearRun) -> int:
    """Decimals of the indices shown: the finest precision.index of the year's sets."""
    return max((s.precision.index for s in run.sets.values()), default=2)


def _overview(run: YearRun, group: Group) -> dict[str, Any]:
    ranking = chart_data.ranking(run, group)
    i = index_places(run)
    indices = [u.index for u in ranking.units if u.index is not None]
    average = sum(indices, Decimal(0)) / len(indices) if indices else None
    return {
        "label": group.label,
        "set": _set_ref(group),
        "units": str(len(ranking.units)),
        "average": pct(average, places=i),
        "best": pct(max(indices, default=None), places=i),
        "worst": pct(min(indices, default=None), places=i),
        "bands": [{"label": b, "count": str(n)} for b, n in ranking.band_counts()],
    }


def _group(
    run: YearRun,
    group: Group,
    charts: InlineCharts,
    changes: dict[str, UnitChange],
    unit: str | None,
) -> dict[str, Any]:
    ranking = chart_data.ranking(run, group)
    i = index_places(run)
    heat = chart_data.heatmap(run, group)
    lost = chart_data.pareto(run, group, unit)
    members = chart_data.members(run, group)
    appraised = any(
        layer in leaf.layers for s in members for leaf in s.leaves.values() for layer in APPRAISALS
    )
    return {
        "label": group.label,
        "set": _set_ref(group),
        "ranking_chart": charts.uri(ranking),
        "bands": [f"{b.label} ≥ {fmt(b.min)}" for b in ranking.bands],
        "band_counts": [{"label": b, "count": str(n)} for b, n in ranking.band_counts()],
        "rows": [_ranked(u, changes.get(u.code), u.code == unit, i) for u in ranking.units],
        "heatmap_chart": charts.uri(heat),
        "domains": [{"code": d.code, "title": d.title} for d in heat.domains],
        "matrix": [
            {"code": r.code, "name": r.name, "shares": [pct(s, places=i) for s in r.shares]}
            for r in heat.units
        ],
        "lost_scope": lost.name or group.label,
        "lost_total": fmt(lost.total),
        "lost_chart": charts.uri(lost),
        "lost": [
            {
                "code": item.code,
                "title": item.title,
                "lost": fmt(item.lost),
                "units": str(item.units),
                "cumulative": pct(item.cumulative, places=i),
            }
            for item in lost.items[:TOP_LOST]
        ],
        "appraisal_chart": charts.uri(chart_data.appraisal(run, group)) if appraised else "",
    }


def _ranked(
    unit: chart_data.RankedUnit, change: UnitChange | None, chosen: bool, places: int
) -> dict[str, Any]:
    before = change.before if change is not None else None
    return {
        "rank": _rank(unit.rank),
        "code": unit.code,
        "name": unit.name,
        "index": pct(unit.index, places=places),
        "band": unit.band or "—",
        "before": pct(before.index, places=places) if before is not None else "—",
        "delta": signed(change.delta, places) if change is not None else "—",
        "rank_change": signed(change.rank_change) if change is not None else "—",
        "chosen": chosen,
    }


def _detail(
    run: YearRun,
    score: UnitScore,
    charts: InlineCharts,
    comparison: Comparison | None,
    sizes: Counter[tuple[str, str | None]],
) -> dict[str, Any]:
    code = score.unit.code
    change = next((c for c in comparison.units if c.code == code), None) if comparison else None
    bars = chart_data.domains(run, code, comparison)
    nodes = score.totals.nodes
    t = score.totals
    i = run.criteria(score).precision.index
    return {
        "code": code,
        "name": score.unit.name,
        "group": chart_data.group_of(run, code).label,
        "index": pct(t.index, places=i),
        "band": t.band or "—",
        "rank": _rank(t.rank, sizes[(score.set_id, score.unit.group)]),
        "points": f"{fmt(t.total)}/{fmt(t.max)}",
        "before": pct(change.before.index, places=i) if change and change.before else "",
        "delta": signed(change.delta, i) if change else "",
        "year_before": str(bars.year_before or ""),
        "domains": [
            {
                "code": b.code,
                "title": b.title,
                "points": f"{fmt(nodes[b.code].points)}/{fmt(nodes[b.code].max)}",
                "share": pct(b.share, places=i),
                "before": pct(b.share_before, places=i),
                "delta": signed(b.share - b.share_before, i)
                if b.share is not None and b.share_before is not None
                else "—",
            }
            for b in bars.domains
        ],
        "domains_chart": charts.uri(bars),
        "declines": [
            {
                "code": d.code or "—",
                "title": d.title,
                "before": pct(d.before.share, places=i) if d.before else "—",
                "now": pct(d.now.share, places=i) if d.now else "—",
                "label": d.label,
            }
            for d in (change.items if change else [])
            if d.status in DECLINES
        ],
        "gains": [
            {"code": g.code, "title": g.title, "points": fmt(g.points), "index": signed(g.index, i)}
            for g in gains(run, code, GAINS)
        ],
    }


def _change(change: UnitChange, places: int) -> dict[str, str]:
    counts = change.counts()
    before = change.before
    return {
        "code": change.code,
        "name": change.name,
        "before": pct(before.index, places=places) if before else "chưa chấm",
        "now": pct(change.now.index, places=places),
        "delta": signed(change.delta, places),
        "rank_before": _rank(before.rank, before.rank_of) if before else "—",
        "rank_now": _rank(change.now.rank, change.now.rank_of),
        "rank_change": signed(change.rank_change),
        "newly_max": str(counts["newly_max"]),
        "declined": str(counts["declined"]),
        "newly_below": str(counts["newly_below"]),
    }


def _severity(severity: Severity) -> str:
    return "Lỗi" if severity is Severity.ERROR else "Cảnh báo"


def relative(issues: list[Issue], sources: list[str] | None = None) -> list[Issue]:
    """The issues with their files relative to the folder checked (the common folder of the
    files, and of every workbook read when `sources` are given), not the machine's paths."""
    files = {Path(i.file).parent for i in issues if i.file}
    if not files:
        return issues
    files |= {Path(f).parent for f in sources or []}
    try:
        root = Path(os.path.commonpath([str(f) for f in files]))
    except ValueError:  # relative and absolute mixed, or two Windows drives: leave them
        return issues
    return [
        i.model_copy(update={"file": Path(i.file).relative_to(root).as_posix()}) if i.file else i
        for i in issues
    ]


def _issues(run: YearRun, file: str | None, one_unit: bool) -> dict[str, Any]:
    issues = run.issues
    shown = [i for i in issues if i.file == file] if one_unit else issues
    by_code = Counter((i.code, i.severity) for i in shown)
    return {
        "errors": str(sum(1 for i in shown if i.severity is Severity.ERROR)),
        "warnings": str(sum(1 for i in shown if i.severity is Severity.WARNING)),
        "by_code": [
            {"code": code, "severity": _severity(sev), "count": str(n)}
            for (code, sev), n in sorted(by_code.items(), key=lambda p: (-p[1], p[0][0]))
        ],
        "listed": [
            {"code": i.code, "severity": _severity(i.severity), "text": str(i)}
            for i in relative(shown[:MAX_ISSUES], [source for source, _, _ in run.sources])
        ],
        "more": str(max(0, len(shown) - MAX_ISSUES)),
    }
