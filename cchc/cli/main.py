"""Command line: thin commands over the library; all printing happens here."""

from __future__ import annotations

from pathlib import Path

import click

from cchc import __version__
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
from cchc.core.fileio import write_text
from cchc.core.numbers import fmt
from cchc.criteria.dump import dump_yaml
from cchc.criteria.export import export_docx, export_xlsx
from cchc.criteria.loader import load_file
from cchc.criteria.registry import require, scan
from cchc.criteria.summary import check_report, listing, outline, set_info
from cchc.criteria.table_import import import_table
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


@main.group()
def criteria() -> None:
    """Bộ tiêu chí: liệt kê, xem, kiểm tra, nhập, xuất."""


@criteria.command("list")
@AS_JSON
def criteria_list(as_json: bool) -> None:
    """Liệt kê các bộ tiêu chí có sẵn."""
    rows = listing(scan())
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        mark = "" if row["ok"] else "  (CÓ LỖI)"
        click.echo(f"{row['id']:<10} {row['year']}  {row['leaves']:>3} mục  {row['title']}{mark}")


@criteria.command("show")
@click.argument("ref")
@click.option("--year", type=int, help="Năm của bộ tiêu chí (mặc định: năm mới nhất).")
@AS_JSON
def criteria_show(ref: str, year: int | None, as_json: bool) -> None:
    """Xem cây tiêu chí REF (mã bộ hoặc đường dẫn YAML) với điểm tối đa và cách chấm."""
    chosen = require(load_set(ref, year))
    rows = outline(chosen)
    if as_json:
        echo_json({"set": set_info(chosen), "items": [r.to_json() for r in rows]})
        return
    click.echo(f"{chosen.title} ({chosen.id} {chosen.year}, thang {fmt(chosen.scale)} điểm)")
    if chosen.status == "sample":
        click.echo("BỘ TIÊU CHÍ MẪU – không phải văn bản chính thức")
    for row in rows:
        indent = "  " * row.depth
        rule = f"  — {row.rule}" if row.rule else ""
        click.echo(f"{indent}{row.code} {row.title} [{fmt(row.max)}]{rule}")


@criteria.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@AS_JSON
def criteria_check(files: tuple[str, ...], as_json: bool) -> None:
    """Kiểm tra các tệp YAML bộ tiêu chí; thoát với mã 1 nếu có lỗi."""
    results = [load_file(f) for f in files]
    if as_json:
        echo_json([check_report(loaded) for loaded in results])
    else:
        for loaded in results:
            click.echo(f"{loaded.path}: {'hợp lệ' if loaded.ok else 'có lỗi'}")
            print_issues(loaded.issues)
    if not all(loaded.ok for loaded in results):
        raise SystemExit(1)


@criteria.command("import")
@click.argument("table", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), help="Tệp YAML ghi ra.")
@click.option("--id", "set_id", help="Mã bộ tiêu chí (nếu bảng không có trang Thông tin).")
@click.option("--year", type=int, help="Năm (nếu bảng không có trang Thông tin).")
def criteria_import(table: str, out: str | None, set_id: str | None, year: int | None) -> None:
    """Nhập bảng tiêu chí Excel (Mã, Nội dung, Điểm tối đa, Cách chấm) thành YAML."""
    overrides = {k: v for k, v in (("id", set_id), ("year", year)) if v is not None}
    loaded = import_table(table, overrides)
    print_issues(loaded.issues)
    if loaded.set is None:
        fail("không tạo được bộ tiêu chí từ bảng; sửa các lỗi trên")
    target = Path(out or Path(table).with_suffix(".yaml"))
    write_text(target, dump_yaml(loaded.set))
    click.echo(f"Đã ghi {target}")


@criteria.command("export")
@click.argument("ref")
@click.option("--year", type=int, help="Năm của bộ tiêu chí.")
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(["xlsx", "docx"]),
    default="xlsx",
    show_default=True,
    help="Định dạng tệp.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Tệp ghi ra.")
def criteria_export(ref: str, year: int | None, fmt_: str, out: str | None) -> None:
    """Xuất bộ tiêu chí REF thành bảng để công bố (Excel hoặc Word)."""
    chosen = require(load_set(ref, year))
    target = Path(out or f"{chosen.id}-{chosen.year}.{fmt_}")
    (export_xlsx if fmt_ == "xlsx" else export_docx)(chosen, target)
    click.echo(f"Đã ghi {target}")


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
    cli_scoring.COMMANDS + cli_plan.COMMANDS + cli_evidence.COMMANDS + cli_report.COMMANDS
):
    main.add_command(_command)


if __name__ == "__main__":
    main()
