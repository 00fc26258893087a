"""`cchc report`: the year's self-contained HTML report."""

from __future__ import annotations

from pathlib import Path

from cchc.commands.session import Session
from cchc.core.errors import CommandError
from cchc.core.names import safe_name
from cchc.reports.html_report import ReportError, ReportSummary, write_report


def report(
    session: Session,
    year: int,
    out: Path,
    compare_year: int | None = None,
    unit: str | None = None,
    template_dir: Path | None = None,
    result: str | None = None,
) -> ReportSummary:
    """Write bao-cao-<năm>.html (or bao-cao-<năm>-<đơn vị>.html) into `out`, on each year's
    official result where it has one (unless `result` says which)."""
    if compare_year is not None and compare_year >= year:
        raise CommandError("--compare phải là năm trước --year")
    workspace = session.require_workspace()
    run = session.result_run(year, result, traces=False)
    before = session.result_run(compare_year, result, traces=False) if compare_year else None
    if unit is not None and run.unit(unit) is None:
        raise CommandError(f"đơn vị {unit} không có trong kết quả năm {year}")
    name = safe_name(f"bao-cao-{year}-{unit}" if unit else f"bao-cao-{year}", ".html")
    try:
        return write_report(run, out / name, before, unit, template_dir, workspace.province)
    except ReportError as exc:
        raise CommandError(str(exc)) from exc
