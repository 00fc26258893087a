"""Click's own words in Vietnamese: usage, errors, placeholders.

Click marks what it prints with `gettext` but ships no catalogue, and a catalogue would have to
be compiled and found on disk. Its modules look up `_` and `ngettext` when they print, so
`install()` points those names at this table; a message not in it stays as click wrote it.
"""

from __future__ import annotations

import re
import sys

MESSAGES = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "Hiện hướng dẫn này và thoát.",
    "Show the version and exit.": "Hiện phiên bản và thoát.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Chạy '{command} {option}' để xem hướng dẫn.",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing {param_type}": "Thiếu {param_type}",
    "argument": "tham số",
    "option": "tùy chọn",
    "parameter": "tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Aborted!": "Đã dừng!",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "file": "tệp",
    "directory": "thư_mục",
    "path": "đường_dẫn",
    # Path checks: the kind of path is left out ('{name}' comes title-cased from click).
    "{name} {filename!r} does not exist.": "Không tìm thấy {filename!r}.",
    "{name} {filename!r} is a file.": "{filename!r} là một tệp, cần một thư mục.",
    "{name} {filename!r} is a directory.": "{filename!r} là một thư mục, cần một tệp.",
    "{name} {filename!r} is not readable.": "Không đọc được {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được vào {filename!r}.",
    "{name} {filename!r} is not executable.": "Không chạy được {filename!r}.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là số hợp lệ.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "Value must be an iterable.": "Giá trị phải là một danh sách.",
}

PLURALS = {
    "Got unexpected extra argument ({args})": "Thừa tham số ({args})",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "{value!r} is not {choice}.": "{value!r} không phải là {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không thuộc các giá trị {choices}.",
    "Takes {nargs} values but 1 was given.": "Cần {nargs} giá trị nhưng chỉ có 1.",
}
PLURALS_MANY = {
    "Got unexpected extra arguments ({args})": "Thừa các tham số ({args})",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "Takes {nargs} values but {len} were given.": "Cần {nargs} giá trị nhưng có {len}.",
}

METAVARS = {
    "INTEGER RANGE": "SỐ",
    "INTEGER": "SỐ",
    "TEXT": "CHUỖI",
    "FLOAT": "SỐ",
    "BOOLEAN": "CÓ/KHÔNG",
    "FILENAME": "TỆP",
}
"""Placeholders of click's own types (their names are not marked for translation)."""

_METAVAR = re.compile(r"\b(" + "|".join(re.escape(k) for k in METAVARS) + r")\b")

_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


def translate(message: str) -> str:
    """Click's message in Vietnamese, or as it is."""
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    """Click's singular/plural message in Vietnamese, or as it is."""
    if n == 1:
        return PLURALS.get(singular, singular)
    return PLURALS_MANY.get(plural, PLURALS.get(plural, plural))


def metavars(text: str) -> str:
    """Help text with click's type placeholders (INTEGER, TEXT …) in Vietnamese."""
    return _METAVAR.sub(lambda m: METAVARS[m.group(1)], text)


def install() -> None:
    """Make click speak Vietnamese (call before commands are defined: paths name their kind)."""
    import click  # noqa: F401  (its modules must be loaded to be patched)

    for name in _MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural  # type: ignore[attr-defined]
