"""`cchc survey import`: survey results (aggregated or one row per respondent) into the store."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.commands.lookup import Lookup
from cchc.commands.session import Session, check_year
from cchc.core.errors import CommandError
from cchc.core.issues import Issue
from cchc.criteria.model import CriteriaSet
from cchc.inputs.survey import read_survey
from cchc.inputs.survey_table import SurveyImport
from cchc.scoring.index import LeafScore, totals
from cchc.scoring.layers import Surveyed
from cchc.scoring.satisfaction import parse_answer_map
from cchc.store import db as store


def parse_answers(text: str | None) -> dict[str, Decimal] | None:
    """An --answers option ('A=100,B=60,C=20,D=0'), or None when not given."""
    if text is None:
        return None
    try:
        return parse_answer_map(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


@dataclass
class SurveyResult:
    """What was imported: the kind of table, each unit's summary, the problems found."""

    year: int
    kind: str
    units: list[dict[str, Any]]
    issues: list[Issue]
    respondents: dict[str, int]
    """Per unit, the respondents read (a table of one row per respondent)."""

    def to_json(self) -> dict[str, Any]:
        """What `cchc survey import --json` prints."""
        return {
            "year": self.year,
            "kind": self.kind,
            "units": self.units,
            "issues": [i.model_dump(mode="json") for i in self.issues],
        }


def import_survey_file(
    session: Session,
    file: Path,
    year: int,
    set_ref: str | None = None,
    answers: str | None = None,
    satisfied_only: bool = False,
    replace: bool = False,
) -> SurveyResult:
    """Read a survey file and keep its results for the year (one transaction); results the year
    already has for a unit are replaced only with `replace`."""
    workspace = session.require_workspace()
    units = [] if set_ref else session.units  # --set is checked for the year by set_named
    check_year(year, units, session.find, session.default_set)
    on = session.set_named(set_ref, year)
    lookup = Lookup(session.units, session.find, session.default_set, year)
    mapping = parse_answers(answers)
    try:
        with store.writing(workspace.db_path) as db:
            imported = import_survey(db, file, year, lookup, on, mapping, satisfied_only, replace)
    except store.StoreError as exc:
        raise CommandError(str(exc)) from exc
    summary = survey_summary(imported.values, on)
    return SurveyResult(year, imported.kind, summary, imported.issues, imported.respondents)


def import_survey(
    db: sqlite3.Connection,
    path: Path,
    year: int,
    lookup: Lookup,
    on: CriteriaSet | None = None,
    answers: Mapping[str, Decimal] | None = None,
    satisfied_only: bool = False,
    replace: bool = False,
) -> SurveyImport:
    """Read a survey file and keep its results in the store (inside the caller's transaction).

    Items are checked against each unit's own set, or against `on` for every unit. Without
    `replace`, a unit that already has results for the year on that set refuses the import
    (CommandError; the caller's transaction then writes nothing).
    """

    def max_of(unit_code: str, code: str) -> Decimal | None:
        found = lookup.leaf(unit_code, code, survey=True, criteria=on)
        return found[0] if found else None

    def places_of(unit_code: str) -> int:
        criteria = on or lookup.criteria(unit_code)
        return criteria.precision.points if criteria is not None else 2

    imported = read_survey(path, max_of, answers, satisfied_only, places_of)
    by_set: dict[str, dict[str, dict[str, Surveyed]]] = {}
    for unit_code, items in imported.values.items():
        criteria = on or lookup.criteria(unit_code)
        if criteria is not None:
            by_set.setdefault(criteria.id, {})[unit_code] = dict(items)
    for set_id, values in by_set.items():
        if not replace:
            _refuse_replacing(db, year, set_id, values)
        store.save_survey(db, year, set_id, values)
    return imported


def _refuse_replacing(
    db: sqlite3.Connection, year: int, set_id: str, values: Mapping[str, object]
) -> None:
    """A survey already stored for some of the units is not replaced without being asked."""
    stored = store.survey_values(db, year).get(set_id, {})
    again = sorted(set(stored) & set(values))
    if again:
        shown = ", ".join(again[:10]) + (" …" if len(again) > 10 else "")
        raise CommandError(
            f"năm {year} đã có kết quả điều tra theo bộ {set_id} của {len(again)} đơn vị "
            f"({shown}); thêm --replace để thay (các lần chấm đã lưu vẫn giữ điểm điều tra cũ, "
            f"khôi phục bằng 'cchc restore'); chưa lưu gì"
        )


def survey_summary(
    values: Mapping[str, Mapping[str, Surveyed]], on: CriteriaSet | None
) -> list[dict[str, Any]]:
    """Per unit: items imported, and on a whole-set survey (SIPAS) its index and factors."""
    rows = []
    for unit, items in sorted(values.items()):
        row: dict[str, Any] = {"unit": unit, "items": len(items)}
        if on is not None:
            leaves = {
                code: LeafScore(code, item.max or Decimal(0), {"survey": items[code].points})
                for code in items
                if (item := on.find(code)) is not None
            }
            result = totals(on, leaves)
            row["index"] = None if result.index is None else str(result.index)
            row["factors"] = {
                d.code: str(n.index)
                for d in on.items
                if (n := result.nodes.get(d.code)) is not None and n.index is not None
            }
        rows.append(row)
    return rows
