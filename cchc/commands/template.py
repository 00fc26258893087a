"""`cchc template`: a self-assessment workbook for each unit."""

from __future__ import annotations

from pathlib import Path

from cchc.commands.session import Session, load_set
from cchc.core.progress import Progress
from cchc.templates.builder import generate
from cchc.units.model import Unit

PLACEHOLDER = Unit(code="DV", name="Đơn vị")
"""The one workbook made when there is no units file (the office stamps the unit in later)."""


def make_templates(
    session: Session,
    set_ref: str,
    out: Path,
    year: int | None = None,
    deadline: str | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write one workbook per unit of the session (or one placeholder) into `out`."""
    chosen = load_set(set_ref, year, session)
    units = session.units or [PLACEHOLDER]
    return generate(chosen, units, year or chosen.year, out, deadline, progress)
