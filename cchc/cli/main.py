"""Command line: thin commands over the library; all printing happens here."""

from __future__ import annotations

from pathlib import Path

import click

from cchc import __version__
from cchc.cli import criteria as cli_criteria
from cchc.cli import evidence as cli_evidence
from cchc.cli import plan as cli_plan
from cchc.cli import report as cli_report
from cchc.cli import scoring as cli_scoring
from cchc.cli.context import (
    AS_JSON,
    EXTRA_SETS,
    JOBS,
    UNITS_FILE,
    load_set,
    out_folder,
    print_issues,
    set_finder,
    units_of,
)
from cchc.cli.kit import VnGroup, echo_json, fail
from cchc.criteria.registry import require
from cchc.demo.run import run_demo
from cchc.evidence.check import EvidenceOptions, check_evidence
from cchc.evidence.files import evidence_root
from cchc.reports.issues_xlsx import write_issues
from cchc.store.workspace import (
    WorkspaceError,
    init_workspace,
)
from cchc.templates.builder import generate
from cchc.templates.collect import check_folder
from cchc.units.model import Unit

MAX_PRINTED = 30


@click.group(cls=VnGroup)
@click.version_option(
    __version__, "--version", message="cchc, phiên bản %(version)s", help="Hiện phiên bản và thoát."
)
def main() -> None:
    """cchc: chấm điểm Chỉ số CCHC, SIPAS và lập kế hoạch khắc phục."""


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--province", required=True, help="Tên tỉnh/thành phố (vd. 'Tỉnh Bắc Kạn').")
@click.option(
    "--set",
    "sets",
    multiple=True,
    default=["cchc-xa"],
    show_default=True,
    help="Mã bộ tiêu chí dùng mặc định (lặp lại để thêm).",
)
def init(folder: str, province: str, sets: tuple[str, ...]) -> None:
    """Tạo không gian làm việc: cchc.toml, bộ tiêu chí, danh sách đơn vị, kho dữ liệu."""
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


@main.command("template")
@click.option("--set", "set_ref", required=True, help="Mã bộ tiêu chí hoặc đường dẫn tệp YAML.")
@click.option("--year", type=int, help="Năm đánh giá (mặc định: năm của bộ tiêu chí).")
@UNITS_FILE
@click.option("--deadline", help="Hạn nộp, ghi vào trang Hướng dẫn (vd. 15/11/2024).")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Thư mục ghi ra.")
def template(
    set_ref: str, year: int | None, units: str | None, deadline: str | None, out: str
) -> None:
    """Tạo sổ tự đánh giá (Excel) cho từng đơn vị."""
    chosen = require(load_set(set_ref, year))
    targets = units_of(units) or [Unit(code="DV", name="Đơn vị")]
    written = generate(chosen, targets, year or chosen.year, Path(out), deadline)
    click.echo(f"Đã tạo {len(written)} sổ tự đánh giá trong {out}")


@main.command("check")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
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
    """Đọc và kiểm tra mọi sổ tự đánh giá trong FOLDER; thoát mã 1 nếu có lỗi."""
    find = set_finder(sets)
    report = check_folder(Path(folder), year, units_of(units), find, workers=jobs)
    evidence = EvidenceOptions(year, evidence_root(Path(folder)))
    report.issues += check_evidence(report, find, evidence).all_issues()
    target = write_issues(report.all_issues(), Path(out) / f"kiem-tra-{year or 'tat-ca'}.xlsx")
    if as_json:
        echo_json(report.to_json())
    else:
        summary = report.to_json()
        click.echo(
            f"Đã đọc {summary['files']} tệp: {len(summary['submitted'])} đơn vị đã nộp, "
            f"{len(summary['missing'])} chưa nộp; {summary['errors']} lỗi, "
            f"{summary['warnings']} cảnh báo."
        )
        for issue in report.all_issues()[:MAX_PRINTED]:
            print_issues([issue])
        if len(report.all_issues()) > MAX_PRINTED:
            click.echo(f"  … xem đầy đủ trong {target}")
        click.echo(f"Danh sách vấn đề: {target}")
    if not report.ok:
        raise SystemExit(1)


@main.command("demo")
@click.argument("out", type=click.Path(file_okay=False), default="cchc-demo")
def demo(out: str) -> None:
    """Chạy thử toàn bộ quy trình trên dữ liệu mẫu, ghi kết quả vào OUT."""
    steps = run_demo(Path(out))
    for number, step in enumerate(steps, start=1):
        click.echo(f"{number}. {step.title}: {'xong' if step.ok else 'CÓ LỖI'}")
        for line in step.lines:
            click.echo(f"   {line}")
        for path in step.outputs:
            click.echo(f"   → {path}")
    if not all(step.ok for step in steps):
        raise SystemExit(1)


for _command in (
    cli_criteria.criteria,
    *cli_scoring.COMMANDS,
    *cli_plan.COMMANDS,
    *cli_evidence.COMMANDS,
    *cli_report.COMMANDS,
):
    main.add_command(_command)


if __name__ == "__main__":
    main()
