"""Click in Vietnamese: headings, help option text and error prefix."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import click

HELP_TEXT = "Hiện hướng dẫn này và thoát."


class VnCommand(click.Command):
    """A command whose help reads in Vietnamese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Cách dùng: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [r for p in self.get_params(ctx) if (r := p.get_help_record(ctx)) is not None]
        if records:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(records)


class VnGroup(VnCommand, click.Group):
    """A group whose help reads in Vietnamese, and whose subcommands do too."""

    command_class = VnCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM SỐ]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        VnCommand.format_options(self, ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=70)))
        if rows:
            with formatter.section("Lệnh"):
                formatter.write_dl(rows)


VnGroup.group_class = VnGroup


class CchcError(click.ClickException):
    """An expected failure: shown as 'Lỗi: …', no traceback, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


def fail(message: str) -> NoReturn:
    """Stop the command with a Vietnamese error message."""
    raise CchcError(message)


def echo_json(data: Any) -> None:
    """Print a result as JSON (UTF-8, not escaped)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
