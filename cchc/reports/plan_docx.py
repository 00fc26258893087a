"""A unit's remediation plan as Word files: the plan, Phụ lục I and Phụ lục II.

The bundled templates (cchc/templates/docx, made by tools/make_plan_templates.py) are .docx files
with jinja2 tags that a user may edit in Word; a file of the same name in a user's template folder
replaces the bundled one. The templates hold the layout and the fixed prose; `plan_context` turns
the `Plan` into strings, so the templates need almost no logic.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator, MutableMapping
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, Template, TemplateSyntaxError, nodes

from cchc.core.errors import CommandError
from cchc.core.fileio import atomic_path, write_bytes
from cchc.core.numbers import fmt, pct
from cchc.criteria.export import SAMPLE_NOTE
from cchc.reports.docx_fast import Prepared, prepare
from cchc.reports.plan_body import (
    assignment_line,
    declined_by_domain,
    declined_intro,
    follow_up,
    head_of,
    recipients,
    result_notes,
)
from cchc.reports.plan_model import Appendix, Declined, Plan, PlanRow

TEMPLATES = ("ke-hoach", "phu-luc-1", "phu-luc-2")
"""Template stems; the outputs are named '<stem>-<year>.docx'."""
Value = int | Decimal | str
"""A cell of an appendix row."""
Column = tuple[str, str, float]
"""(row key, title with a '{year}' placeholder, width in cm on landscape A4)."""
COLUMNS: dict[int, list[Column]] = {
    1: [
        ("number", "STT", 1.2),
        ("item", "Lĩnh vực / tiêu chí / tiêu chí thành phần", 7.0),
        ("max", "Điểm tối đa", 1.7),
        ("points", "Điểm đạt năm {year}", 1.9),
        ("task", "Nhiệm vụ, giải pháp duy trì", 6.2),
        ("owner", "Cơ quan chủ trì", 2.8),
        ("support", "Cơ quan phối hợp", 2.6),
        ("deadline", "Thời gian thực hiện", 2.8),
    ],
    2: [
        ("number", "STT", 1.2),
        ("item", "Lĩnh vực / tiêu chí / tiêu chí thành phần", 4.6),
        ("max", "Điểm tối đa", 1.5),
        ("points", "Điểm đạt năm {year}", 1.6),
        ("lost", "Điểm bị trừ", 1.5),
        ("cause", "Nguyên nhân", 3.9),
        ("task", "Nhiệm vụ, giải pháp khắc phục", 4.6),
        ("owner", "Cơ quan chủ trì", 2.4),
        ("support", "Cơ quan phối hợp", 2.2),
        ("deadline", "Thời gian hoàn thành", 2.7),
    ],
}
_ROMAN = (
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)

_ROMAN_PREFIX = re.compile(r"^[IVXLC]+\.\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Characters XML cannot hold, or that docxtpl would turn into breaks (\\a, \\f)."""


def write_plan_docx(plan: Plan, out_dir: Path, template_dir: Path | None = None) -> list[Path]:
    """Write the plan and its two appendices as .docx, each whole or not at all."""
    context = plan_context(plan)
    written = []
    for stem in TEMPLATES:
        data = _template_bytes(stem, template_dir)
        fast = _prepared(data) if FAST else None
        target = Path(out_dir) / f"{stem}-{plan.year}.docx"
        if fast is not None:
            write_bytes(target, fast.render(context))
        else:
            with atomic_path(target) as tmp:
                document = DocxTemplate(io.BytesIO(data))
                document.render(context, _environment(), autoescape=True)
                document.save(str(tmp))
        written.append(target)
    return written


FAST = True
"""Render through cchc.reports.docx_fast where the template allows (False: docxtpl always)."""


@cache
def _prepared(data: bytes) -> Prepared | None:
    """A template's bytes prepared once per process (the bundled ones and a user's alike)."""
    return prepare(data, _environment())


_OPENING = re.compile(r"\{[{%]")
_XML_TAG = re.compile(r"<[^>]+>")


def check_templates(template_dir: Path | None) -> None:
    """Refuse, before any plan is written, an edited template that is not a Word document or
    whose tags no longer parse: CommandError naming the file and the broken tag."""
    if template_dir is None:
        return
    for stem in TEMPLATES:
        path = template_dir / f"{stem}.docx"
        if not path.is_file():
            continue
        try:
            document = DocxTemplate(io.BytesIO(path.read_bytes()))
            document.init_docx()
            source = document.patch_xml(document.get_xml())
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            message = f"mẫu Word '{path}' không phải tệp .docx đọc được ({type(exc).__name__})"
            raise CommandError(message) from None
        try:
            _environment().parse(source)
        except TemplateSyntaxError as exc:
            raise CommandError(
                f"mẫu Word '{path}' có thẻ bị hỏng khi sửa{_broken_tag(source)}; "
                f"trình đọc mẫu báo: {exc.message}"
            ) from None


def _broken_tag(source: str) -> str:
    """The first tag of the template's text that is not closed, as ' (…)', or ''."""
    text = _XML_TAG.sub("", source)
    starts = [m.start() for m in _OPENING.finditer(text)] + [len(text)]
    for start, following in itertools.pairwise(starts):
        closing = "}}" if text[start + 1] == "{" else "%}"
        if closing not in text[start:following]:
            return f" ({text[start : min(following, start + 40)].strip()})"
    return ""


def _template_bytes(stem: str, template_dir: Path | None) -> bytes:
    name = f"{stem}.docx"
    if template_dir is not None and (template_dir / name).is_file():
        path = template_dir / name
        return _read(path, path.stat().st_mtime_ns)
    return _bundled(name)


@cache
def _read(path: Path, mtime_ns: int) -> bytes:
    """A user's template, read once per version of the file."""
    return path.read_bytes()


@cache
def _bundled(name: str) -> bytes:
    return files("cchc.templates").joinpath("docx", name).read_bytes()


class _CompiledOnce(Environment):
    """Compiles each template source once: every unit of a run renders the same template XML."""

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self._compiled: dict[str, Template] = {}

    def from_string(
        self,
        source: str | nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[Template] | None = None,
    ) -> Template:
        if not isinstance(source, str) or globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


@cache
def _environment() -> Environment:
    return _CompiledOnce()


def plan_context(plan: Plan) -> dict[str, object]:
    """Everything the templates show, as strings (and lists of dicts of strings)."""
    issuer = clean(plan.issuer)
    header = [clean(line) for line in plan.header] or [issuer.upper()]
    head = head_of(issuer, plan.signer)
    i = plan.precision.index
    return {
        "superior": clean(plan.superior).upper(),
        "issuer": "\n".join(header),
        "header": header,
        "signer": [clean(line) for line in plan.signer],
        "issuer_name": issuer,
        "number": clean(plan.number),
        "date_line": f"{clean(plan.place)}, {long_date(plan.date, plan.plan_year)}",
        "year": str(plan.year),
        "previous_year": str(plan.year - 1),
        "plan_year": str(plan.plan_year),
        "sample_note": SAMPLE_NOTE if plan.sample else "",
        "set_title": clean(plan.set_title),
        "result": result_sentence(plan),
        "domains": [
            {
                "name": clean(name),
                "points": fmt(points),
                "max": fmt(top),
                "index": pct(index, "%", i),
            }
            for name, points, top, index in plan.domains
        ],
        "keep_count": str(len(plan.keep.rows)),
        "fix_count": str(len(plan.fix.rows)),
        "fix_lost": fmt(plan.fix.lost),
        "declined_intro": declined_intro(plan),
        "declined": [_declined(plan.year, d) for d in plan.declined],
        "declined_domains": declined_by_domain(plan.declined),
        "assignments": [
            clean(assignment_line(n, a, plan, head))
            for n, a in enumerate(plan.assignments, start=1)
        ],
        "follow_up": clean(follow_up(plan, issuer, head)),
        "recipients": [clean(line) for line in recipients(plan, issuer)],
        "keep": appendix_context(plan, plan.keep),
        "fix": appendix_context(plan, plan.fix),
    }


def clean(text: str) -> str:
    """Text typed by a unit, without characters a Word file cannot hold."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def long_date(day: date | None, year: int) -> str:
    """'ngày 05 tháng 01 năm 2025' (a zero before days below 10 and months below 3, as Nghị định
    30/2020/NĐ-CP asks), or blanks to fill by hand."""
    if day is None:
        return f"ngày     tháng     năm {year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def roman(number: int) -> str:
    """1 → 'I', 14 → 'XIV' (up to 399)."""
    letters = ""
    for value, symbol in _ROMAN:
        count, number = divmod(number, value)
        letters += symbol * count
    return letters


def item_label(row: PlanRow) -> str:
    """'1.1.4. Ban hành kế hoạch CCHC'."""
    return f"{clean(row.code)}. {clean(row.title)}"


def section_title(title: str) -> str:
    """The section's title without a leading roman numeral (the STT column shows it)."""
    return _ROMAN_PREFIX.sub("", clean(title))


def attachment_line(plan: Plan) -> str:
    """'(Kèm theo Kế hoạch số 12/KH-UBND ngày 15 tháng 01 năm 2025 của UBND xã Mỹ An)'."""
    when = long_date(plan.date, plan.plan_year)
    return f"(Kèm theo Kế hoạch số {clean(plan.number)} {when} của {clean(plan.issuer)})"


def appendix_heading(appendix: Appendix) -> str:
    return f"Phụ lục {roman(appendix.number)}"


def appendix_context(plan: Plan, appendix: Appendix) -> dict[str, object]:
    """One appendix: its heading lines, numbered section and item rows, and the totals."""
    sections = [
        {
            "number": number,
            "title": title,
            "rows": [{k: _text(v) for k, v in r.items()} for r in rows],
        }
        for number, title, rows in numbered(appendix)
    ]
    return {
        "title": clean(appendix.title).upper(),
        "attachment": attachment_line(plan),
        "sections": sections,
        "max": fmt(appendix.max),
        "points": fmt(appendix.points),
        "lost": fmt(appendix.lost),
    }


def numbered(appendix: Appendix) -> Iterator[tuple[str, str, list[dict[str, Value]]]]:
    """Each section as (roman numeral, title, rows); items are numbered 1, 2, … across sections."""
    number = 0
    for index, section in enumerate(appendix.sections, start=1):
        rows = [row_values(number + n, row) for n, row in enumerate(section.rows, start=1)]
        number += len(rows)
        yield roman(index), section_title(section.title), rows


def row_values(number: int, row: PlanRow) -> dict[str, Value]:
    """An item row by column key (see COLUMNS); numbers stay numbers."""
    return {
        "number": number,
        "item": item_label(row),
        "max": row.max,
        "points": row.points,
        "lost": row.lost,
        "cause": clean(row.cause),
        "task": clean(row.task),
        "owner": clean(row.owner),
        "support": clean(row.support),
        "deadline": clean(row.deadline),
    }


def _text(value: Value) -> str:
    return fmt(value) if isinstance(value, Decimal) else str(value)


def result_sentence(plan: Plan) -> str:
    """The year's result in words, compared with last year when there is one."""
    who = clean(plan.issuer)
    if plan.index is None:
        return f"Chưa xác định được Chỉ số CCHC năm {plan.year} của {who}."
    places = plan.precision.index
    parts = [f"Chỉ số CCHC năm {plan.year} của {who} đạt {pct(plan.index, '%', places)}"]
    if plan.band:
        parts.append(f"xếp loại {plan.band}")
    if plan.rank is not None:
        parts.append(f"xếp thứ {plan.rank}/{plan.rank_of} {plan.group_name}".rstrip())
    else:
        parts.append("không xếp hạng")
    text = ", ".join(parts)
    said = f" ({clean('; '.join(result_notes(plan)))})"
    if plan.previous_index is None:
        return f"{text}{said}."
    last = [pct(plan.previous_index, "%", places)]
    if plan.previous_band:
        last.append(f"xếp loại {plan.previous_band}")
    if plan.previous_rank is not None:
        of = f"/{plan.previous_rank_of}" if plan.previous_rank_of else ""
        last.append(f"xếp thứ {plan.previous_rank}{of}")
    change = plan.index - plan.previous_index
    moves = [_change(change, f"{fmt(abs(change), places)} điểm phần trăm", "không thay đổi")]
    if plan.rank is not None and plan.previous_rank is not None:
        steps = plan.previous_rank - plan.rank
        moves.append(_change(steps, f"{abs(steps)} bậc", "giữ nguyên thứ hạng"))
    if "chính thức" in plan.previous_result:
        last.append("kết quả chính thức do cấp trên công bố")
    return f"{text}{said}; so với năm {plan.year - 1} ({', '.join(last)}) {', '.join(moves)}."


def _change(amount: Decimal | int, size: str, same: str) -> str:
    if amount == 0:
        return same
    return f"tăng {size}" if amount > 0 else f"giảm {size}"


def _declined(year: int, item: Declined) -> str:
    before = f"năm {year - 1} đạt {fmt(item.previous_points)}/{fmt(item.previous_max)} điểm"
    if item.previous_code != item.code:
        before += f" (tiêu chí {clean(item.previous_code)})"
    now = f"năm {year} đạt {fmt(item.points)}/{fmt(item.max)} điểm"
    return f"{clean(item.code)}. {clean(item.title)}: {before}, {now}."
