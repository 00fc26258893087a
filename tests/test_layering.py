"""The rooms of the package and the one direction data flows through them.

Each room imports only itself and the rooms listed before it (`cchc/__init__.py`, the version, is
open to all), so no two rooms import each other. Run `pytest tests/test_layering.py -q` to see
the rule hold; docs/architecture.md describes the rooms.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cchc"

ROOMS = [
    "core",  # numbers, issues, atomic files and locks, text, process pool: imports nothing of cchc
    "readers",  # an untrusted file → rows: guard, contained table reads, cells, headers, YAML
    "criteria",  # the criteria set: model, loading, checking, wording, crosswalk, table import
    "units",  # the units of a workspace: model and the units file
    "scoring",  # pure: rules, submissions, layers, index, ranking, compare, what-if
    "templates",  # the workbooks cchc hands out and reads back: unit and appraisal workbooks
    "evidence",  # the evidence units cite: references, files, web addresses
    "inputs",  # tables others supply: survey results, official results, owners
    "store",  # the SQLite store of every year and the workspace around it
    "reports",  # writers only: results, plans, charts, HTML report
    "commands",  # one library call per CLI command, returning a result with to_json()
    "demo",  # the bundled sample season, run through commands
    "cli",  # click and printing only
]

LOOSE = {"__init__"}
"""Modules allowed at the package root."""

FILE_ROOMS = {"readers", "core.fileio", "store"}
"""What reads or writes files: `scoring` may import none of it."""


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every cchc module or package a file imports, at any depth of its code."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.update(f"{base}.{a.name}" for a in node.names)
            found.add(base)
    return {name for name in found if name.split(".")[0] == "cchc"}


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else None


def _edges() -> list[tuple[str, str]]:
    return [
        (_module(path), target)
        for path in sorted(PACKAGE.rglob("*.py"))
        for target in sorted(_imports(path))
    ]


def test_every_module_lives_in_a_room() -> None:
    loose = {p.stem for p in PACKAGE.glob("*.py")} - LOOSE
    assert loose == set()
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(ROOMS)


def test_no_room_imports_a_room_above_it() -> None:
    upward = [
        f"{source} → {target}"
        for source, target in _edges()
        if (here := _room(source)) is not None
        and (there := _room(target)) is not None
        and ROOMS.index(there) > ROOMS.index(here)
    ]
    assert upward == []


def test_core_imports_nothing_of_cchc_but_core() -> None:
    outside = [
        f"{s} → {t}" for s, t in _edges() if _room(s) == "core" and _room(t) not in ("core", None)
    ]
    assert outside == []


def test_scoring_reads_and_writes_no_file() -> None:
    touching = [
        f"{s} → {t}"
        for s, t in _edges()
        if _room(s) == "scoring"
        and any(t == f"cchc.{r}" or t.startswith(f"cchc.{r}.") for r in FILE_ROOMS)
    ]
    assert touching == []


def test_the_rule_sees_an_upward_import(tmp_path: Path) -> None:
    # The checker itself: a scoring module importing the store is found.
    source = tmp_path / "cchc" / "scoring" / "x.py"
    source.parent.mkdir(parents=True)
    source.write_text("from cchc.store import db\nfrom ..reports import plan\n", encoding="utf-8")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "cchc"
    try:
        assert _imports(source) == {
            "cchc.store",
            "cchc.store.db",
            "cchc.reports",
            "cchc.reports.plan",
        }
    finally:
        PACKAGE = saved
