"""The README's two commands: one runs the demo, the other is exactly what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_readme_has_two_commands_and_ci_runs_the_test_one() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) == 2
    demo, tests = blocks
    assert demo.endswith("cchc demo")
    assert "pytest" in tests and "mypy" in tests and "ruff format --check" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()
