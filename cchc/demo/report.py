"""The demo's charts and HTML report: 2025 drawn and reported beside 2024."""

from __future__ import annotations

from pathlib import Path

from cchc.core.numbers import fmt, pct
from cchc.reports import chart_data
from cchc.reports.charts import write_charts
from cchc.reports.html_report import write_report
from cchc.scoring.compare import compare_years
from cchc.scoring.run import YearRun
from cchc.store import db as store
from cchc.store.workspace import Workspace

YEAR = 2025
BEFORE = 2024
UNIT = "X001"
"""The unit whose own charts are drawn (appraised in 2024)."""
GROUP = "xa"
Step = tuple[str, list[str], list[Path]]
Drawn = tuple[str, chart_data.Chart, str]
"""(what the chart shows, the chart, file stem)."""


def _run(workspace: Workspace, year: int) -> YearRun:
    run = store.load_run(workspace.db_path, year)
    if run is None:
        raise store.StoreError(f"kho dữ liệu chưa có kết quả năm {year}")
    return run


def _group(run: YearRun) -> chart_data.Group:
    return next(g for g in chart_data.groups(run) if g.group == GROUP)


def _unit_charts(now: YearRun, before: YearRun, db: Path) -> list[Drawn]:
    """The demo unit's domains beside last year, and its index over the stored years."""
    bars = chart_data.domains(now, UNIT, compare_years(before, now, UNIT))
    both = [b for b in bars.domains if b.share is not None and b.share_before is not None]
    worst = min(both, key=lambda b: (b.share or 0) - (b.share_before or 0))
    history = chart_data.history(chart_data.stored_indices(db), UNIT, bars.name)
    return [
        (
            f"Lĩnh vực của {bars.name}, {YEAR} so với {BEFORE}: giảm nhiều nhất lĩnh vực "
            f"{worst.code} ({pct(worst.share_before, '%')} → {pct(worst.share, '%')})",
            bars,
            f"linh-vuc-{UNIT}-{YEAR}",
        ),
        (
            f"Chỉ số của {bars.name} qua các năm: "
            + "; ".join(f"{p.year}: {pct(p.index, '%')}" for p in history.years),
            history,
            f"chi-so-qua-cac-nam-{UNIT}",
        ),
    ]


def _group_charts(now: YearRun, before: YearRun) -> list[Drawn]:
    """Ranking, heatmap and lost points of the group this year; self against appraisal last year."""
    group = _group(now)
    ranking = chart_data.ranking(now, group)
    counts = ", ".join(f"{label} {n}" for label, n in ranking.band_counts())
    heat = chart_data.heatmap(now, group)
    low = min(
        (share, row.name, head.code)
        for row in heat.units
        for head, share in zip(heat.domains, row.shares, strict=True)
        if share is not None
    )
    lost = chart_data.pareto(now, group)
    head = lost.items[:5]
    appraised = chart_data.appraisal(before, _group(before))
    moved = "; ".join(
        f"{u.name} {fmt(u.self_points)} → {fmt(u.final_points)} điểm ({u.changed} mục)"
        for u in appraised.units
        if u.changed
    )
    return [
        (
            f"Xếp hạng nhóm {group.label} {YEAR} với các ngưỡng xếp loại ({counts}); "
            f"đứng đầu {ranking.units[0].name} {pct(ranking.units[0].index, '%')}",
            ranking,
            f"xep-hang-{GROUP}-{YEAR}",
        ),
        (
            f"Đơn vị × lĩnh vực nhóm {group.label}: ô thấp nhất là {low[1]} ở lĩnh vực {low[2]} "
            f"({pct(low[0], '%')})",
            heat,
            f"ban-do-nhiet-{GROUP}-{YEAR}",
        ),
        (
            f"Điểm bị mất nhóm {group.label}: {fmt(lost.total)} điểm ở {len(lost.items)} mục; "
            f"{len(head)} mục đầu ({', '.join(i.code for i in head)}) chiếm "
            f"{pct(head[-1].cumulative, '%')}",
            lost,
            f"diem-bi-mat-{GROUP}-{YEAR}",
        ),
        (
            f"Tự chấm – thẩm định năm {BEFORE} (năm có thẩm định), nhóm {group.label}: {moved}",
            appraised,
            f"tu-cham-tham-dinh-{GROUP}-{BEFORE}",
        ),
    ]


def report_steps(out: Path, workspace: Workspace) -> list[Step]:
    """Every chart kind as PNG and SVG, then the 2025 report against 2024; (title, lines, files)."""
    now, before = _run(workspace, YEAR), _run(workspace, BEFORE)
    lines: list[str] = []
    files: list[Path] = []
    drawn = _unit_charts(now, before, workspace.db_path) + _group_charts(now, before)
    for line, chart, stem in drawn:
        lines.append(line)
        files += write_charts(chart, out / "bieu-do" / stem)
    target = out / "bao-cao" / f"bao-cao-{YEAR}.html"
    summary = write_report(now, target, before, province=workspace.province)
    report_lines = [
        f"{summary.units} đơn vị, {summary.charts} biểu đồ SVG nhúng sẵn trong một tệp: "
        "mở bằng trình duyệt, không tải gì từ mạng, không cần JavaScript",
        "Xếp hạng và xếp loại từng nhóm, lĩnh vực từng đơn vị so với năm trước, mục giảm điểm, "
        "mục gỡ được nhiều điểm nhất, vấn đề khi đọc sổ",
        "In ra khổ A4: mỗi phần lớn sang trang mới, bảng không cắt ngang dòng, lặp dòng tiêu đề",
    ]
    return [
        (f"Vẽ biểu đồ (PNG và SVG) năm {YEAR}", lines, files),
        (f"Báo cáo HTML năm {YEAR} so với năm {BEFORE}", report_lines, [target]),
    ]
