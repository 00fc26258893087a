"""The workspace and its workbooks: `cchc init`, `cchc template`, `cchc check`."""

from __future__ import annotations

from pathlib import Path

import click

from cchc.cli.context import AS_JSON, EXTRA_SETS, JOBS, UNITS_FILE, notices, out_folder, session
from cchc.cli.kit import VnCommand, echo_json, fail, print_some, progress_bar

MAX_PRINTED = 30
MAX_FILES = 20
"""Files listed in the terminal's per-file summary (all of them are in the issues workbook)."""


@click.command("init", cls=VnCommand)
@click.argument("folder", type=click.Path(file_okay=False), metavar="THƯ_MỤC")
@click.option("--province", required=True, help="Tên tỉnh/thành phố (vd. 'Tỉnh Bắc Kạn').")
@click.option(
    "--set",
    "sets",
    multiple=True,
    default=["cchc-xa"],
    show_default=True,
    help="Mã bộ tiêu chí kèm theo, hoặc tệp YAML bộ tiêu chí của tỉnh (lặp lại để thêm).",
)
def init(folder: str, province: str, sets: tuple[str, ...]) -> None:
    """Tạo không gian làm việc: cchc.toml, bộ tiêu chí, danh sách đơn vị, kho dữ liệu."""
    from cchc.store.workspace import WorkspaceError, init_workspace

    try:
        workspace = init_workspace(folder, province, list(sets))
    except WorkspaceError as exc:
        fail(str(exc))
    click.echo(f"Đã tạo không gian làm việc {workspace.root}")
    for path in (
        workspace.config_path,
        workspace.units_path,
        workspace.sets_dir,
        workspace.db_path,
    ):
        click.echo(f"   → {path}")


@click.command("template", cls=VnCommand)
@click.option("--set", "set_ref", required=True, help="Mã bộ tiêu chí hoặc đường dẫn tệp YAML.")
@click.option("--year", type=int, help="Năm đánh giá (mặc định: năm của bộ tiêu chí).")
@UNITS_FILE
@click.option("--deadline", help="Hạn nộp, ghi vào trang Hướng dẫn (vd. 15/11/2024).")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Thư mục ghi ra.")
def template(
    set_ref: str, year: int | None, units: str | None, deadline: str | None, out: str
) -> None:
    """Tạo sổ tự đánh giá (Excel) cho từng đơn vị."""
    from cchc.commands.template import make_templates

    current = session(units)
    with progress_bar("Tạo sổ") as progress:
        written = make_templates(current, set_ref, Path(out), year, deadline, progress)
    notices(current)
    click.echo(f"Đã tạo {len(written)} sổ tự đánh giá trong {out}")


@click.command("check", cls=VnCommand)
@click.argument("folder", type=click.Path(exists=True, file_okay=False), metavar="THƯ_MỤC")
@click.option("--year", type=int, help="Năm đánh giá; sổ của năm khác bị báo lỗi.")
@UNITS_FILE
@EXTRA_SETS
@out_folder("tệp kiem-tra-<năm>.xlsx")
@JOBS
@AS_JSON
def check(
    folder: str,
    year: int | None,
    units: str | None,
    sets: tuple[str, ...],
    out: str,
    jobs: int | None,
    as_json: bool,
) -> None:
    """Đọc và kiểm tra mọi sổ tự đánh giá trong THƯ_MỤC; thoát mã 1 nếu có lỗi."""
    from cchc.commands.check import check as check_folder
    from cchc.reports.issues_xlsx import summarise

    current = session(units, sets)
    with progress_bar("Đọc sổ") as progress:
        result = check_folder(current, Path(folder), year, Path(out), jobs, progress)
    notices(current)
    if as_json:
        echo_json(result.to_json())
    else:
        summary = result.to_json()
        issues = result.report.all_issues()
        click.echo(
            f"Đã đọc {summary['files']} tệp: {len(summary['submitted'])} đơn vị đã nộp, "
            f"{len(summary['blank'])} nộp sổ trống, "
            f"{len(summary['missing'])} chưa nộp; {summary['errors']} lỗi, "
            f"{summary['warnings']} cảnh báo."
        )
        by_file = summarise(issues, Path(folder))
        if by_file:
            click.echo("Theo tệp (tệp có lỗi trước):")
        for name, errors, warnings, _, first in by_file[:MAX_FILES]:
            click.echo(f"  {name}: {errors} lỗi, {warnings} cảnh báo – {first}")
        if len(by_file) > MAX_FILES:
            click.echo(f"  … và {len(by_file) - MAX_FILES} tệp khác")
        print_some(issues, MAX_PRINTED, result.workbook)
        click.echo(f"Danh sách vấn đề: {result.workbook}")
    if not result.ok:
        raise SystemExit(1)


COMMANDS = [init, template, check]
