"""What a unit's remediation plan says: the data the Word and Excel renderers lay out.

The plan (kế hoạch khắc phục) has two appendices: Phụ lục 1 lists the items that reached their
maximum (keep them there), Phụ lục 2 the items that scored nothing or less than the maximum, survey
items excluded (fix them). `cchc.reports.plan` builds a `Plan` from the stored scores; the
renderers never compute anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cchc.criteria.model import Precision


@dataclass(frozen=True)
class PlanRow:
    """One item (a leaf of the criteria tree) in an appendix."""

    code: str
    """Item code, e.g. '1.1.4'."""
    title: str
    domain: str
    """The domain (lĩnh vực) the item belongs to, as 'code. title'."""
    max: Decimal
    points: Decimal
    """Final points this year."""
    task: str
    """Nhiệm vụ, giải pháp: duy trì (Phụ lục 1) or khắc phục (Phụ lục 2)."""
    owner: str
    """Cơ quan / công chức chủ trì."""
    support: str
    """Cơ quan phối hợp."""
    deadline: str
    """Thời gian thực hiện (Phụ lục 1) or thời gian hoàn thành (Phụ lục 2)."""
    cause: str = ""
    """Nguyên nhân (Phụ lục 2 only)."""

    @property
    def lost(self) -> Decimal:
        """Điểm bị trừ: maximum minus points."""
        return self.max - self.points


@dataclass(frozen=True)
class PlanSection:
    """A titled group of rows in an appendix, e.g. 'I. Tiêu chí không đạt điểm'."""

    title: str
    rows: list[PlanRow]

    @property
    def max(self) -> Decimal:
        return sum((r.max for r in self.rows), Decimal(0))

    @property
    def points(self) -> Decimal:
        return sum((r.points for r in self.rows), Decimal(0))

    @property
    def lost(self) -> Decimal:
        return sum((r.lost for r in self.rows), Decimal(0))


@dataclass(frozen=True)
class Appendix:
    """Phụ lục 1 or Phụ lục 2: a title, its sections, and the totals over every row."""

    number: int
    """1 or 2."""
    title: str
    """E.g. 'Danh mục tiêu chí đạt điểm tối đa năm 2024 cần duy trì'."""
    sections: list[PlanSection]

    @property
    def rows(self) -> list[PlanRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def max(self) -> Decimal:
        return sum((s.max for s in self.sections), Decimal(0))

    @property
    def points(self) -> Decimal:
        return sum((s.points for s in self.sections), Decimal(0))

    @property
    def lost(self) -> Decimal:
        return sum((s.lost for s in self.sections), Decimal(0))


@dataclass(frozen=True)
class Declined:
    """An item that scored lower (as a share of its maximum) than last year."""

    code: str
    title: str
    previous_code: str
    previous_points: Decimal
    previous_max: Decimal
    points: Decimal
    max: Decimal
    domain: str = ""
    """The domain ('code. title') the item is in this year."""


@dataclass(frozen=True)
class Assignment:
    """A body and what it leads (organisation of implementation); each body once."""

    department: str
    domains: list[str]
    """Domains ('code. title') where the body leads every item of the plan."""
    keep: int
    """Items of Phụ lục 1 it leads."""
    fix: int
    """Items of Phụ lục 2 it leads."""
    items: list[str] = field(default_factory=list)
    """Codes of the items it leads in domains shared with other bodies."""
    leader: bool = False
    """The unit's own leadership (Chủ tịch, Phó Chủ tịch…): directs, reports to nobody here."""


@dataclass(frozen=True)
class Plan:
    """A unit's remediation plan for the year after the assessed year."""

    unit_code: str
    unit_name: str
    """As registered, e.g. 'Xã Mỹ An'."""
    issuer: str
    """The issuing body, e.g. 'UBND xã Mỹ An' (upper-cased in the document header)."""
    superior: str
    """The body directly above the issuer for the header (a Sở: 'UBND TỈNH BẮC KẠN'); a UBND
    has none (Nghị định 30/2020/NĐ-CP), so this is empty for a commune."""
    place: str
    """Place name for the date line, e.g. 'Mỹ An'."""
    year: int
    """The assessed year (năm đánh giá)."""
    number: str
    """Document number, e.g. '12/KH-UBND'; blank number '   /KH-UBND' when not given."""
    date: date | None
    set_title: str
    sample: bool
    """True when the criteria set is a sample (every output says so)."""
    index: Decimal | None
    band: str | None
    rank: int | None
    rank_of: int
    """Units ranked in the unit's group."""
    group_name: str
    """The unit group, e.g. 'xã, phường' (for 'xếp thứ 3/12 xã, phường')."""
    previous_index: Decimal | None
    previous_band: str | None
    previous_rank: int | None
    domains: list[tuple[str, Decimal, Decimal, Decimal | None]]
    """(domain 'code. title', points, max, sub-index) this year, in set order."""
    keep: Appendix
    """Phụ lục 1."""
    fix: Appendix
    """Phụ lục 2."""
    declined: list[Declined] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    previous_rank_of: int = 0
    """Units ranked in the unit's group last year (0 when unknown)."""
    header: list[str] = field(default_factory=list)
    """The issuing body's lines in the header, upper case: ['ỦY BAN NHÂN DÂN', 'XÃ TÂN LẬP']."""
    signer: list[str] = field(default_factory=lambda: ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"])
    """The signature block's title lines."""
    provisional: str = ""
    """'Kết quả tạm tính: …' when the result still lacks its survey or appraisal (the items
    taken from the scored run for an official result: their appraisal); '' if final."""
    result: str = "cchc"
    """Whose result of the year the plan is built on: 'cchc' or 'official'."""
    result_line: str = ""
    """Which result of the year the plan is built on (`YearRun.result_line`)."""
    scored_items: bool = False
    """The items' points are the year's scored run's, the index, band and rank the official
    result's (it gives domain points only: `scoring.official_items`)."""
    items_line: str = ""
    """Where the items' points come from when not from that result ('' when they do)."""
    previous_result: str = ""
    """Which result of last year it is compared with, '' without a comparison."""
    report_by: dt.date | None = None
    """When the bodies report their results (before the next self-assessment)."""
    report_to: str = ""
    """The body the issuer reports the results to, e.g. 'UBND tỉnh Bắc Kạn (qua Sở Nội vụ)'."""
    coordinator: str = ""
    """The body that follows up, compiles and reports to the issuer's head."""
    precision: Precision = field(default_factory=Precision)
    """Decimals of the set's points and index: every number of the plan is shown so."""

    @property
    def plan_year(self) -> int:
        """The year the plan is carried out in."""
        return self.year + 1
