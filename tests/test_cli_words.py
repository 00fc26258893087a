"""The command line starts light and speaks Vietnamese, click's own words included."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cchc.cli import evidence, report
from cchc.cli.main import main
from cchc.reports.chart_data import KINDS
from cchc.templates.layout import EVIDENCE_DIR

HEAVY = ("matplotlib", "openpyxl", "docx", "docxtpl", "pydantic", "yaml", "python_calamine")
"""Libraries a command loads only when it runs."""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), prog_name="cchc")
    return result.exit_code, result.output


def _loaded_after(code: str) -> list[str]:
    probe = (
        "import json, sys\n"
        f"{code}\n"
        f"loaded = {{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})\n"
        "print(json.dumps(sorted(loaded)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return list(json.loads(done.stderr.splitlines()[-1]))


def test_help_loads_no_heavy_library() -> None:
    code = (
        "from cchc.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "try:\n    main(['score', '--help'])\nexcept SystemExit:\n    pass"
    )
    assert _loaded_after(code) == []


def test_a_command_loads_what_it_needs() -> None:
    # The probe itself can fail: running a real command does load the libraries.
    code = "from cchc.commands.session import Session"
    assert "pydantic" in _loaded_after(code)


def test_help_placeholders_are_vietnamese() -> None:
    code, out = run("score", "--help")
    assert code == 0
    assert "Cách dùng: cchc score [TÙY CHỌN] THƯ_MỤC" in out
    assert "--year SỐ" in out
    assert "--appraisal ĐƯỜNG_DẪN" in out  # a file or a folder
    assert "--answers CHUỖI" in out
    assert "--out THƯ_MỤC" in out
    assert "[bắt buộc]" in out
    assert "[mặc định: .]" in out
    for english in ("Usage", "INTEGER", "TEXT", "FILE", "DIRECTORY", "required", "default"):
        assert english not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score"], "Lỗi: Thiếu tham số 'THƯ_MỤC'."),
        (["score", "."], "Lỗi: Thiếu tùy chọn '--year'."),
        (["score", ".", "--year", "abc"], "'abc' không phải là số hợp lệ."),
        (["score", "khong-co", "--year", "2024"], "Không tìm thấy 'khong-co'."),
        (["scor"], "Lỗi: Không có lệnh 'scor'. Có phải ý bạn là 'score'?"),
        (["plan", "--year", "2024", "--out", ".", "--jobs", "0"], "0 nằm ngoài khoảng"),
        (["score", ".", "--year", "2024", "--nope"], "Lỗi: Không có tùy chọn '--nope'."),
    ],
)
def test_click_errors_are_vietnamese(args: list[str], message: str) -> None:
    code, out = run(*args)
    assert code == 2
    assert message in out
    assert "Chạy 'cchc" in out and "--help' để xem hướng dẫn." in out
    assert "Try " not in out and "Error" not in out


def test_copied_constants_match_their_source() -> None:
    # The CLI keeps these two to stay light; they must not drift from the library's.
    assert report.KINDS == KINDS
    assert evidence.EVIDENCE_DIR == EVIDENCE_DIR
