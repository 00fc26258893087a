"""Text typed by units reaches every output as text: never an Excel formula, escaped in HTML,
literal in Word. One workspace whose unit names, set titles, evidence, explanations, appraisal
comments and owners are formula-like or markup, through every command that writes a file."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from docx import Document
from markupsafe import escape
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell

from cchc.criteria.loader import load_file
from cchc.criteria.model import CriteriaSet, ManualRule, effective_method
from cchc.criteria.registry import require
from cchc.scoring.rules import choice_labels
from cchc.templates.builder import build_workbook, write_workbook
from cchc.templates.layout import HEADER_ROW, LETTER, SELF_SHEET
from cchc.units.model import Unit
from tests.office import SOFFICE, convert
from tests.pair import PAIR
from tests.test_cli import run

HOSTILE = (
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "-2+3",
    "=1+1",
    "<script>alert(1)</script>",
)
UNITS = {f"H{n}": text for n, text in enumerate(HOSTILE, start=1)}
TITLE = HOSTILE[0]
"""The title of item 1.1 (both years): the set itself carries formula-like text too."""
OWNER = HOSTILE[4]
"""The owner of domain 1 in the 2024 set."""
SET_TITLE = HOSTILE[4]


def _hostile_set(year: int, folder: Path) -> Path:
    text = (PAIR / f"cw-{year}.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Ban hành kế hoạch CCHC,", f"title: '{TITLE}',")
    text = text.replace("owner: Văn phòng", f"owner: '{OWNER}'")
    text = text.replace(f"title: Bộ tiêu chí thử đối chiếu năm {year}", f"title: '{SET_TITLE}'")
    target = folder / f"cw-{year}.yaml"
    target.write_text(text, encoding="utf-8")
    return target


def _text(cell: Cell | MergedCell, value: str) -> None:
    """What a unit types as text (Excel keeps a leading '=' typed after an apostrophe as text)."""
    cell.value = value
    cell.data_type = "s"


def _fill(path: Path, criteria: CriteriaSet, n: int) -> None:
    """Figures for every self-assessed leaf, some at maximum and some not; hostile text."""
    wb = load_workbook(path)
    ws = wb[SELF_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    leaves = [i for i, a in criteria.walk() if i.is_leaf and effective_method(i, a) == "self"]
    for k, item in enumerate(leaves):
        row, full = rows[item.code], (n + k) % 2 == 0
        labels = choice_labels(item)
        if labels:
            ws[f"{LETTER['choice']}{row}"] = labels[0] if full else labels[1]
        elif isinstance(item.rule, ManualRule):
            ws[f"{LETTER['points']}{row}"] = float(item.max or 0) if full else 0.5
        elif item.rule is not None and item.rule.kind == "per_item":
            ws[f"{LETTER['figure1']}{row}"] = 0 if full else 1
        else:
            ws[f"{LETTER['figure1']}{row}"] = 10 if full else 6
            ws[f"{LETTER['figure2']}{row}"] = 10
        _text(ws[f"{LETTER['evidence']}{row}"], HOSTILE[(n + k) % len(HOSTILE)])
        _text(ws[f"{LETTER['explanation']}{row}"], HOSTILE[(n + k + 1) % len(HOSTILE)])
    wb.save(path)


def _appraise(path: Path) -> None:
    """The appraiser lowers every unit's first row and comments in hostile text."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Mã đơn vị")
    column = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    seen: set[str] = set()
    for r in range(header + 1, ws.max_row + 1):
        unit = str(ws.cell(r, 1).value)
        k = r % len(HOSTILE)
        _text(ws.cell(r, column["Nhận xét thẩm định"]), HOSTILE[k])
        _text(ws.cell(r, column["Giải trình bổ sung"]), HOSTILE[(k + 1) % len(HOSTILE)])
        if unit not in seen:
            ws.cell(r, column["Thẩm định lần 1"]).value = 0
            seen.add(unit)
    wb.save(path)


def _owners(path: Path) -> None:
    """An owners file naming hostile owner and support offices for domain 2."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Mã", "Cơ quan chủ trì", "Cơ quan phối hợp"])
    ws["A2"] = "2"
    _text(ws["B2"], HOSTILE[1])
    _text(ws["C2"], HOSTILE[0])
    wb.save(path)


def _ok(*args: str, errors_found: bool = False) -> None:
    """Run a command; check and evidence exit with 1 when they find errors in units' text."""
    code, out = run(*args)
    assert code == (1 if errors_found else 0), out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A workspace after check, score (two years), appraise, plan, compare, evidence, chart,
    report, template and criteria export, all on hostile text."""
    root = tmp_path_factory.mktemp("hostile") / "ws"
    with pytest.MonkeyPatch.context() as patch:
        _ok("init", str(root), "--province", "Tỉnh Thử")
        patch.chdir(root)
        registry = [{"code": c, "name": n, "group": "xa", "set": "cw"} for c, n in UNITS.items()]
        Path("don-vi.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), "utf-8")
        for year in (2023, 2024):
            source = _hostile_set(year, Path("sets"))
            criteria = require(load_file(source))
            _ok("template", "--set", str(source), "--year", str(year), "--out", f"mau-{year}")
            shutil.copytree(f"mau-{year}", f"nop-{year}")
            for n, path in enumerate(sorted(Path(f"nop-{year}").glob("*.xlsx"))):
                _fill(path, criteria, n)
        Path("vao").mkdir()
        with open("vao/dt.csv", "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(
                [["Mã đơn vị", "Mã", "Tỷ lệ hài lòng (%)"], *([c, "3.1", "80"] for c in UNITS)]
            )
        one = Unit(code="H5", name=UNITS["H5"], group="xa")  # built whole, not stamped
        write_workbook(build_workbook(criteria, one, 2024), Path("mau-mot/H5.xlsx"))
        _owners(Path("vao/phan-cong.xlsx"))
        _ok("check", "nop-2024", "--year", "2024", "--out", "ra", errors_found=True)
        _ok("score", "nop-2023", "--year", "2023", "--out", "ra")
        _ok("score", "nop-2024", "--year", "2024", "--survey", "vao/dt.csv", "--out", "ra")
        _ok("appraise", "--year", "2024", "--out", "ra/tham-dinh.xlsx")
        _appraise(Path("ra/tham-dinh.xlsx"))
        appraised = ("--appraisal", "ra/tham-dinh.xlsx", "--replace")
        _ok("score", "nop-2024", "--year", "2024", *appraised, "--out", "ra")
        _ok("appraise", "--year", "2024", "--out", "ra/tham-dinh-lan-2.xlsx")
        _ok("compare", "--from", "2023", "--to", "2024", "--out", "ra")
        _ok("plan", "--all", "--year", "2024", "--owners", "vao/phan-cong.xlsx", "--out", "kh")
        evidence = "ra/tai-lieu-kiem-chung.xlsx"
        _ok("evidence", "nop-2024", "--year", "2024", "--out", evidence, errors_found=True)
        for kind in ("ranking", "heatmap", "pareto", "appraisal"):
            _ok("chart", kind, "--year", "2024", "--out", f"bd/{kind}.svg")
        _ok("chart", "domains", "--year", "2024", "--unit", "H6", "--out", "bd/domains.svg")
        _ok("report", "--year", "2024", "--compare", "2023", "--out", "bc")
        for fmt in ("xlsx", "docx"):
            out = f"ra/bo-tieu-chi.{fmt}"
            _ok("criteria", "export", "sets/cw-2024.yaml", "--format", fmt, "--out", out)
        yield root


def _units_own(path: Path) -> bool:
    """Files typed by the units and the officer: filled workbooks, survey, owners."""
    return path.parts[-2].startswith("nop-") or path.parts[-2] == "vao"


def _outputs(root: Path, suffix: str) -> list[Path]:
    """The files the product wrote."""
    return sorted(p for p in root.rglob(f"*{suffix}") if not _units_own(p))


def _texts(path: Path) -> set[str]:
    """Every text cell's value."""
    wb = load_workbook(path)
    return {str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "s"}


def _formulas(path: Path) -> list[tuple[str, str, str]]:
    """(sheet, cell, formula) of every formula cell."""
    wb = load_workbook(path)
    found = []
    for ws in wb:
        for row in ws.iter_rows():
            found += [(ws.title, c.coordinate, str(c.value)) for c in row if c.data_type == "f"]
    return found


def _own_formula(sheet: str, cell: str, formula: str) -> bool:
    """The unit workbook's live totals: the points column of the self-assessment sheet."""
    in_points = cell.rstrip("0123456789") == LETTER["points"]
    return sheet == SELF_SHEET and in_points and not any(h in formula for h in HOSTILE)


def test_no_unit_text_becomes_a_formula(outputs: Path) -> None:
    books = _outputs(outputs, ".xlsx")
    names = {p.name for p in books}
    assert {"ket-qua-2023.xlsx", "ket-qua-2024.xlsx", "kiem-tra-2024.xlsx"} <= names
    assert {"tham-dinh.xlsx", "so-sanh-2023-2024.xlsx", "tai-lieu-kiem-chung.xlsx"} <= names
    assert {"phu-luc-1-2024.xlsx", "phu-luc-2-2024.xlsx", "bo-tieu-chi.xlsx"} <= names
    templates = [p for p in books if p.parts[-2].startswith("mau-")]
    assert len(templates) == 2 * len(UNITS) + 1
    for path in [*books, *outputs.glob("nop-*/*.xlsx")]:
        formulas = _formulas(path)
        if path in templates or path.parts[-2].startswith("nop-"):
            assert formulas and all(_own_formula(*f) for f in formulas), path
        else:
            assert formulas == [], path


def test_unit_text_is_kept_literally_in_excel(outputs: Path) -> None:
    results = _texts(outputs / "ra" / "ket-qua-2024.xlsx")
    assert set(HOSTILE) <= results  # unit names, evidence, explanations, comments, titles
    appraisal = _texts(outputs / "ra" / "tham-dinh-lan-2.xlsx")
    assert set(HOSTILE) <= appraisal
    assert set(HOSTILE) <= _texts(outputs / "ra" / "tai-lieu-kiem-chung.xlsx")
    assert set(HOSTILE) <= _texts(outputs / "ra" / "so-sanh-2023-2024.xlsx")
    assert {TITLE, OWNER, SET_TITLE} <= _texts(outputs / "ra" / "bo-tieu-chi.xlsx")
    fix = _texts(outputs / "kh" / "H1" / "phu-luc-2-2024.xlsx")
    assert {HOSTILE[0], HOSTILE[1]} <= fix  # the owners file's owner and support
    for code, name in UNITS.items():
        template = next((outputs / "mau-2024").glob(f"{code} *.xlsx"))
        assert {name, TITLE} <= _texts(template)
    assert {UNITS["H5"], TITLE} <= _texts(outputs / "mau-mot" / "H5.xlsx")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_text_as_text(outputs: Path, tmp_path: Path) -> None:
    for n, path in enumerate(
        (
            outputs / "ra" / "tham-dinh-lan-2.xlsx",  # openpyxl, text forced to a string
            outputs / "ra" / "bo-tieu-chi.xlsx",  # openpyxl, no formula at all
            next((outputs / "mau-2024").glob("H1 *.xlsx")),  # stamped unit names
            outputs / "ra" / "ket-qua-2024.xlsx",  # XlsxWriter
        )
    ):
        saved = convert(path, "xlsx", tmp_path / f"lo-{n}")  # a plain folder name for the profile
        formulas = _formulas(saved)
        assert not any(h in f for _, _, f in formulas for h in HOSTILE), path
        assert {TITLE, SET_TITLE} & _texts(saved), path


def test_html_escapes_unit_text(outputs: Path) -> None:
    pages = _outputs(outputs, ".html") + _outputs(outputs, ".svg")
    assert len(pages) == 6
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text, page
    report = (outputs / "bc" / "bao-cao-2024.html").read_text(encoding="utf-8")
    for name in UNITS.values():
        assert str(escape(name)) in report


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_word_shows_unit_text_literally(outputs: Path) -> None:
    documents = _outputs(outputs, ".docx")
    assert len(documents) == 3 * len(UNITS) + 1
    for code, name in UNITS.items():
        plan = _docx_text(outputs / "kh" / code / "ke-hoach-2024.docx")
        assert name in plan
        fix = _docx_text(outputs / "kh" / code / "phu-luc-2-2024.docx")
        assert HOSTILE[0] in fix and HOSTILE[1] in fix
    table = _docx_text(outputs / "ra" / "bo-tieu-chi.docx")
    assert TITLE in table and OWNER in table
