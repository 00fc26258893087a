"""The stored runs of a year: `cchc history`, `cchc restore`, `cchc recompute`."""

from __future__ import annotations

import click

from cchc.cli.context import AS_JSON, session
from cchc.cli.kit import VnCommand, echo_json

YEAR_ARGUMENT = click.argument("year", type=int, metavar="NĂM")


@click.command("history", cls=VnCommand)
@YEAR_ARGUMENT
@AS_JSON
def history_command(year: int, as_json: bool) -> None:
    """Các lần chấm đã lưu của NĂM (lần đang dùng đánh dấu *)."""
    from cchc.commands.history import describe, history

    result = history(session(), year)
    if as_json:
        echo_json(result.to_json())
        return
    click.echo(f"Năm {year}: {len(result.revisions)} lần chấm đã lưu")
    for revision in result.revisions:
        mark = "*" if revision.current else " "
        note = f" – {revision.note}" if revision.note else ""
        click.echo(f" {mark} {describe(revision)}{note}")
    click.echo(f"Dùng lại một lần chấm: cchc restore {year} LẦN")


@click.command("restore", cls=VnCommand)
@YEAR_ARGUMENT
@click.argument("rev", type=int, metavar="LẦN")
@AS_JSON
def restore_command(year: int, rev: int, as_json: bool) -> None:
    """Dùng lại lần chấm LẦN của NĂM làm kết quả hiện hành (không xóa lần nào)."""
    from cchc.commands.history import describe, restore

    result = restore(session(), year, rev)
    if as_json:
        echo_json(result.to_json())
        return
    click.echo(f"Năm {year}: kết quả hiện hành là {describe(result.now)}")
    if result.before is not None and result.before.rev != result.now.rev:
        click.echo(f"  (thay {describe(result.before)}; vẫn được giữ)")


@click.command("recompute", cls=VnCommand)
@YEAR_ARGUMENT
@AS_JSON
def recompute_command(year: int, as_json: bool) -> None:
    """Tính lại tổng điểm, chỉ số, xếp loại, hạng của NĂM từ điểm đã lưu, thành một lần chấm mới."""
    from cchc.commands.history import describe, recompute

    result = recompute(session(), year)
    if as_json:
        echo_json(result.to_json())
        return
    click.echo(f"Năm {year}: đã lưu {describe(result.revision)}, tính lại từ lần {result.source}")
    if not result.changes:
        click.echo("  Không đơn vị nào đổi chỉ số, xếp loại hay hạng.")
    for change in result.changes:
        before, after = change.before, change.after
        click.echo(
            f"  {change.unit}: chỉ số {before[0]} → {after[0]}, xếp loại {before[1]} → "
            f"{after[1]}, hạng {before[2]} → {after[2]}"
        )


COMMANDS = [history_command, restore_command, recompute_command]
