"""cchc as users install it: the wheel, built from the sources alone, installed into a new virtual
environment outside the repository, runs the demo (every set, template and HTML/Word template
must be inside the wheel: nothing of the checkout is on the path).

Kept fast and offline: the wheel goes in without its dependencies, which come from this
environment's site-packages through a path entry (a plain path: this environment's own `.pth`
files, the editable cchc among them, are not read). What the wheel declares it needs is checked
against them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

CHECK = """
import json, cchc
from importlib.metadata import distribution, version
from packaging.requirements import Requirement
needs = [Requirement(r) for r in distribution("cchc").requires or []]
unmet = [str(r) for r in needs if not r.marker and not r.specifier.contains(version(r.name))]
print(json.dumps({"cchc": cchc.__file__, "unmet": unmet}))
"""


def _run(*args: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout


@pytest.mark.installed
def test_the_wheel_installed_outside_the_repository_runs_the_demo(tmp_path: Path) -> None:
    source = tmp_path / "nguon"  # the sources only: no build/, egg-info or caches of the checkout
    shutil.copytree(ROOT / "cchc", source / "cchc", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    pip = (sys.executable, "-m", "pip")
    _run(*pip, "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", source, cwd=tmp_path)
    [wheel] = (tmp_path / "dist").glob("cchc-*.whl")

    venv = tmp_path / "moi"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    _run(*pip, "--python", python, "install", "-q", "--no-deps", wheel, cwd=tmp_path)
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=venv
        ).strip()
    )
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "phu-thuoc.pth").write_text("\n".join(sorted(dependencies)) + "\n", encoding="utf-8")

    found = json.loads(_run(python, "-c", CHECK, cwd=tmp_path))
    assert Path(found["cchc"]).is_relative_to(venv) and found["unmet"] == []
    out = _run(scripts / "cchc", "demo", tmp_path / "demo", cwd=tmp_path)
    assert "Báo cáo HTML" in out and "KHÁC" not in out and "CÓ LỖI" not in out
    demo = tmp_path / "demo"
    for pattern in ("bo-tieu-chi/*.docx", "**/ke-hoach-*.docx", "**/phu-luc-2-*.docx", "**/*.html"):
        assert list(demo.glob(pattern)), pattern
