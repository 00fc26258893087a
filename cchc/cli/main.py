"""`cchc`: the command group. Each command lives in the file of its group and is one call into
cchc.commands; heavy libraries load only when a command runs."""

from __future__ import annotations

import click

from cchc import __version__
from cchc.cli import (
    council,
    criteria,
    demo,
    evidence,
    history,
    plan,
    report,
    scoring,
    workbooks,
)
from cchc.cli.kit import VnGroup


@click.group(cls=VnGroup)
@click.version_option(
    __version__, "--version", message="cchc, phiên bản %(version)s", help="Hiện phiên bản và thoát."
)
def main() -> None:
    """cchc: chấm điểm Chỉ số CCHC, SIPAS và lập kế hoạch khắc phục."""


for _command in (
    criteria.criteria,
    *workbooks.COMMANDS,
    *scoring.COMMANDS,
    *council.COMMANDS,
    *history.COMMANDS,
    *plan.COMMANDS,
    *evidence.COMMANDS,
    *report.COMMANDS,
    *demo.COMMANDS,
):
    main.add_command(_command)


if __name__ == "__main__":
    main()
