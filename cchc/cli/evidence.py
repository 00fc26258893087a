"""The evidence command: read the references units cite, check them, write the workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cchc.cli.context import AS_JSON, EXTRA_SETS, JOBS, UNITS_FILE, YEAR, notices, session
from cchc.cli.kit import VnCommand, echo_json, print_some

EVIDENCE_DIR = "tai-lieu"
"""cchc.templates.layout.EVIDENCE_DIR, for the help text (a test keeps the two equal)."""

MAX_PRINTED = 30


def _deadline(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from cchc.core.dates import parse_day

    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("evidence", cls=VnCommand)
@click.argument("folder", type=click.Path(exists=True, file_okay=False), metavar="THƯ_MỤC")
@YEAR
@click.option("--online", is_flag=True, help="Mở thử các địa chỉ web được dẫn (cần mạng).")
@click.option(
    "--deadline",
    metavar="DD/MM/YYYY",
    callback=_deadline,
    help="Hạn nộp (DD/MM/YYYY): văn bản đề ngày sau hạn bị cảnh báo.",
)
@click.option(
    "--evidence-dir",
    type=click.Path(file_okay=False),
    help=f"Thư mục chứa thư mục tài liệu của từng đơn vị (mặc định: FOLDER/{EVIDENCE_DIR}).",
)
@UNITS_FILE
@EXTRA_SETS
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Tệp ghi ra (mặc định: tai-lieu-kiem-chung-<năm>.xlsx).",
)
@JOBS
@AS_JSON
def evidence(
    folder: str,
    year: int,
    online: bool,
    deadline: date | None,
    evidence_dir: str | None,
    units: str | None,
    sets: tuple[str, ...],
    out: str | None,
    jobs: int | None,
    as_json: bool,
) -> None:
    """Kiểm tra tài liệu kiểm chứng các đơn vị dẫn trong sổ tự đánh giá ở THƯ_MỤC."""
    from cchc.commands.evidence import check_evidence_folder
    from cchc.evidence.parse import KIND_LABELS

    current = session(units, sets)
    result = check_evidence_folder(
        current,
        Path(folder),
        year,
        deadline,
        online,
        Path(evidence_dir) if evidence_dir else None,
        Path(out) if out else None,
        jobs,
    )
    notices(current)
    report, target = result.report, result.workbook
    if as_json:
        echo_json(report.to_json())
    else:
        issues = report.all_issues()
        errors = sum(i.severity == "error" for i in issues)
        counts = report.counts()
        kinds = ", ".join(f"{n} {KIND_LABELS[kind].lower()}" for kind, n in counts.items() if n)
        click.echo(
            f"Đã xét {report.workbooks} sổ: {sum(counts.values())} tài liệu được dẫn"
            f"{f' ({kinds})' if kinds else ''}; {errors} lỗi, {len(issues) - errors} cảnh báo."
        )
        print_some(issues, MAX_PRINTED, target)
        click.echo(f"Bảng tài liệu kiểm chứng: {target}")
    if not report.ok:
        raise SystemExit(1)


COMMANDS = [evidence]
