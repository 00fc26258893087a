"""Charts and the HTML report: `cchc chart` and `cchc report`."""

from __future__ import annotations

from pathlib import Path

import click

from cchc.cli.context import AS_JSON, YEAR, stored_run, workspace_or_fail
from cchc.cli.kit import VnCommand, echo_json, fail
from cchc.reports import chart_data
from cchc.reports.chart_data import KINDS, Chart, Group
from cchc.reports.charts import format_of, write_chart
from cchc.reports.html_report import MAX_DETAILED, ReportError, write_report
from cchc.scoring.compare import compare_years
from cchc.scoring.run import UnitScore, YearRun
from cchc.store import db as store
from cchc.store.workspace import Workspace


def _previous(workspace: Workspace, year: int) -> YearRun | None:
    """The latest stored year before `year`, if any."""
    earlier = [y for y in store.years(workspace.db_path) if y < year]
    return stored_run(workspace, earlier[-1], traces=False) if earlier else None


def _group(run: YearRun, unit: str | None, name: str | None) -> Group:
    """The group asked for by --group, else the unit's, else the year's only group."""
    found = chart_data.groups(run)
    codes = ", ".join(g.group or "—" for g in found)
    if name is not None:
        found = [g for g in found if name in (g.group, g.label)]
        if not found:
            fail(f"năm {run.year} không có nhóm đơn vị '{name}' (các nhóm: {codes})")
    if unit is not None:
        own = chart_data.group_of(run, unit)
        if own not in found:
            fail(f"đơn vị {unit} không thuộc nhóm '{name}'")
        return own
    if len(found) > 1:
        fail(f"năm {run.year} có nhiều nhóm đơn vị ({codes}); chọn một bằng --group")
    return found[0]


def _chart(
    kind: str, workspace: Workspace, run: YearRun, score: UnitScore | None, group: str | None
) -> Chart:
    unit = score.unit.code if score is not None else None
    if kind in ("domains", "history"):
        if score is None:
            fail(f"biểu đồ {kind} cần --unit MÃ_ĐƠN_VỊ")
        if kind == "history":
            indices = chart_data.stored_indices(workspace.db_path)
            return chart_data.history(indices, score.unit.code, score.unit.name)
        before = _previous(workspace, run.year)
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


@click.command("chart", cls=VnCommand)
@click.argument("kind", type=click.Choice(KINDS), metavar="KIND")
@YEAR
@click.option("--unit", help="Mã đơn vị (bắt buộc với domains, history; pareto: chỉ đơn vị này).")
@click.option(
    "--group", help="Nhóm đơn vị, vd. xa (mặc định: nhóm của --unit, hoặc nhóm duy nhất)."
)
@click.option(
    "--out", type=click.Path(dir_okay=False), required=True, help="Tệp ghi ra: .png hoặc .svg."
)
@AS_JSON
def chart_command(
    kind: str, year: int, unit: str | None, group: str | None, out: str, as_json: bool
) -> None:
    """Vẽ biểu đồ (PNG hoặc SVG) từ kết quả đã lưu.

    KIND: domains (lĩnh vực so với năm trước), ranking (xếp hạng), heatmap (đơn vị × lĩnh vực),
    pareto (điểm bị mất theo mục), appraisal (tự chấm – thẩm định), history (chỉ số qua các năm).
    """
    target = Path(out)
    if format_of(target) is None:
        fail("--out phải là tệp .png hoặc .svg")
    workspace = workspace_or_fail()
    run = stored_run(workspace, year, traces=False)
    score = None
    if unit is not None:
        score = run.unit(unit) or fail(f"đơn vị {unit} không có trong kết quả năm {year}")
    chart = _chart(kind, workspace, run, score, group)
    write_chart(chart, target)
    if as_json:
        echo_json(chart_data.to_json(chart) | {"file": str(target)})
        return
    click.echo(f"Đã vẽ biểu đồ {kind} năm {year}")
    click.echo(f"→ {target}")


@click.command("report", cls=VnCommand)
@YEAR
@click.option("--compare", "compare_year", type=int, help="Năm so sánh (năm trước).")
@click.option("--unit", help="Báo cáo riêng cho một đơn vị (mã đơn vị).")
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False),
    help="Thư mục có report.html / report.css thay cho mẫu có sẵn.",
)
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Thư mục ghi.")
@AS_JSON
def report_command(
    year: int,
    compare_year: int | None,
    unit: str | None,
    template_dir: str | None,
    out: str,
    as_json: bool,
) -> None:
    """Lập báo cáo HTML của năm (bao-cao-<năm>.html), in được khổ A4.

    Xếp hạng, xếp loại, lĩnh vực, so sánh với năm trước, mục gỡ được điểm, biểu đồ.
    """
    if compare_year is not None and compare_year >= year:
        fail("--compare phải là năm trước --year")
    workspace = workspace_or_fail()
    run = stored_run(workspace, year, traces=False)
    before = stored_run(workspace, compare_year, traces=False) if compare_year else None
    if unit is not None and run.unit(unit) is None:
        fail(f"đơn vị {unit} không có trong kết quả năm {year}")
    name = f"bao-cao-{year}-{unit}.html" if unit else f"bao-cao-{year}.html"
    templates = Path(template_dir) if template_dir else None
    try:
        summary = write_report(run, Path(out) / name, before, unit, templates, workspace.province)
    except ReportError as exc:
        fail(str(exc))
    if as_json:
        echo_json(summary.to_json())
        return
    compared = f" so với năm {compare_year}" if compare_year is not None else ""
    click.echo(
        f"Báo cáo năm {year}{compared}: {summary.units} đơn vị, {summary.charts} biểu đồ, "
        f"phần chi tiết cho {summary.detailed} đơn vị"
    )
    if summary.detailed < summary.units:
        click.echo(f"  (chi tiết tối đa {MAX_DETAILED} đơn vị đầu bảng; --unit cho từng đơn vị)")
    click.echo(f"→ {summary.file}")


COMMANDS = [chart_command, report_command]
