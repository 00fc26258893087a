"""The criteria model: a set of domains, criteria and sub-criteria with their scoring rules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

Points = Annotated[Decimal, Field(description="Points, as an exact decimal.")]

DEFAULT_DECIMALS = 2
MAX_DECIMALS = 4


class Located(BaseModel):
    """A strict model that remembers the YAML line it was read from."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    _line: int | None = PrivateAttr(default=None)
    _key_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_line(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        obj = handler(data)
        line = getattr(data, "line", None)
        if isinstance(obj, Located) and isinstance(line, int):
            obj._line = line
            obj._key_lines = dict(getattr(data, "key_lines", {}))
        return obj

    @property
    def line(self) -> int | None:
        """The 1-based line in the source file, when read from YAML."""
        return self._line

    def line_of(self, name: str) -> int | None:
        """The line of one of this object's keys, else the object's own line."""
        return self._key_lines.get(name, self._line)

    def __eq__(self, other: object) -> bool:
        # Two sets are equal by content; where they were read from does not matter.
        return type(self) is type(other) and self.__dict__ == other.__dict__


class Measure(Located):
    """What the unit reports for a tiers or proportional rule: exactly one of the three."""

    number: str | None = Field(default=None, description="Label of a plain figure (a count).")
    percent: str | None = Field(default=None, description="Label of a percentage (0–100).")
    ratio: tuple[str, str] | None = Field(
        default=None, description="Labels of numerator and denominator; the value is a percent."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Measure:
        given = [x for x in (self.number, self.percent, self.ratio) if x is not None]
        if len(given) != 1:
            raise ValueError("measure needs exactly one of number, percent, ratio")
        return self

    @property
    def kind(self) -> Literal["number", "percent", "ratio"]:
        """Which of the three the measure is."""
        if self.number is not None:
            return "number"
        return "percent" if self.percent is not None else "ratio"

    @property
    def labels(self) -> list[str]:
        """The labels of the figures the unit enters (one or two)."""
        if self.ratio is not None:
            return list(self.ratio)
        return [self.number or self.percent or ""]

    @property
    def upper(self) -> Decimal | None:
        """Largest meaningful value: 100 for percents and ratios, unbounded for numbers."""
        return None if self.kind == "number" else Decimal(100)


class Tier(Located):
    """One band of a tiers rule; the first tier that matches gives the points."""

    above: Decimal | None = Field(default=None, description="Matches values strictly above this.")
    from_: Decimal | None = Field(default=None, alias="from", description="Matches values ≥ this.")
    below: Decimal | None = Field(default=None, description="Matches values strictly below this.")
    to: Decimal | None = Field(default=None, description="Matches values ≤ this.")
    points: Decimal | None = Field(default=None, description="Points when this tier matches.")
    else_: Decimal | None = Field(
        default=None, alias="else", description="Catch-all tier: the points for any other value."
    )

    @model_validator(mode="after")
    def _shape(self) -> Tier:
        bounds = [self.above, self.from_, self.below, self.to]
        if self.else_ is not None:
            if any(b is not None for b in bounds) or self.points is not None:
                raise ValueError("an 'else' tier takes no bounds and no 'points'")
            return self
        if self.points is None:
            raise ValueError("a tier needs 'points' (or is an 'else' tier)")
        if all(b is None for b in bounds):
            raise ValueError("a tier needs a bound: above, from, below or to")
        if self.above is not None and self.from_ is not None:
            raise ValueError("use either 'above' or 'from', not both")
        if self.below is not None and self.to is not None:
            raise ValueError("use either 'below' or 'to', not both")
        return self

    @property
    def is_else(self) -> bool:
        """True for the catch-all tier."""
        return self.else_ is not None

    @property
    def value(self) -> Decimal:
        """The points this tier gives."""
        value = self.else_ if self.else_ is not None else self.points
        assert value is not None
        return value

    def lower(self) -> tuple[Decimal | None, bool]:
        """Lower bound and whether it is inclusive (None: unbounded)."""
        if self.from_ is not None:
            return self.from_, True
        return self.above, False

    def upper(self) -> tuple[Decimal | None, bool]:
        """Upper bound and whether it is inclusive (None: unbounded)."""
        if self.to is not None:
            return self.to, True
        return self.below, False

    def matches(self, value: Decimal) -> bool:
        """True if the value falls in this tier taken on its own."""
        if self.is_else:
            return True
        low, low_in = self.lower()
        high, high_in = self.upper()
        if low is not None and (value < low or (value == low and not low_in)):
            return False
        return not (high is not None and (value > high or (value == high and not high_in)))


@dataclass(frozen=True)
class Figure:
    """One figure a unit types for its item: in which column, under which label, of what kind."""

    column: Literal["figure1", "figure2"]
    label: str
    kind: Literal["number", "percent", "numerator", "denominator", "count"]


class _Rule(Located):
    """What every rule kind answers the same way (one place instead of a test of its kind in
    every module that lays out, reads, fills or words an item)."""

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The figures the unit types (none: it chooses an answer or types points)."""
        return ()

    @property
    def manual_step(self) -> Decimal | None:
        """The granularity of points the unit types itself; None where a rule computes them."""
        return None

    @property
    def measured(self) -> Measure | None:
        """The figure tiers or a proportion apply to; None for other kinds."""
        return None

    @property
    def answers(self) -> tuple[str, ...]:
        """The answers the unit chooses from, best first (none: it types figures or points)."""
        return ()


YES = "Đạt"
NO = "Không đạt"


class YesNoRule(_Rule):
    """Đạt / Không đạt: the maximum or nothing."""

    kind: Literal["yes_no"] = Field(description="Rule kind.")

    @property
    def answers(self) -> tuple[str, ...]:
        return (YES, NO)


class Option(Located):
    """One answer of a choice rule."""

    label: str = Field(description="The answer as the unit sees it.")
    points: Decimal = Field(description="Points for this answer.")


class ChoiceRule(_Rule):
    """The unit picks one labelled option; the option carries the points."""

    kind: Literal["choice"] = Field(description="Rule kind.")
    options: list[Option] = Field(min_length=2, description="The answers, best first.")

    @property
    def answers(self) -> tuple[str, ...]:
        return tuple(o.label for o in self.options)


class _Measured(_Rule):
    """A rule applied to a figure the unit reports (each kind declares `measure` itself, so the
    fields keep their order: `kind` first, as sets are written and fingerprinted)."""

    if TYPE_CHECKING:
        measure: Measure

    @property
    def measured(self) -> Measure | None:
        return self.measure

    @property
    def figures(self) -> tuple[Figure, ...]:
        measure = self.measure
        if measure.ratio is not None:
            numerator, denominator = measure.ratio
            return (
                Figure("figure1", numerator, "numerator"),
                Figure("figure2", denominator, "denominator"),
            )
        kind: Literal["number", "percent"] = "percent" if measure.percent is not None else "number"
        return (Figure("figure1", measure.labels[0], kind),)


class TiersRule(_Measured):
    """The unit reports a figure; the first tier that matches it gives the points."""

    kind: Literal["tiers"] = Field(description="Rule kind.")
    measure: Measure = Field(description="The figure the tiers are applied to.")
    tiers: list[Tier] = Field(min_length=1, description="The tiers, first match wins.")


class ProportionalRule(_Measured):
    """Points are the maximum times a ratio (or percent)."""

    kind: Literal["proportional"] = Field(description="Rule kind.")
    measure: Measure = Field(description="A percent or a ratio.")
    floor: Decimal | None = Field(
        default=None, ge=0, le=100, description="Below this percent the item earns 0 points."
    )
    cap: Decimal | None = Field(default=None, ge=0, description="Points never exceed this.")
    decimals: int | None = Field(
        default=None,
        ge=0,
        le=MAX_DECIMALS,
        description="Decimals the points are rounded to (default: the set's precision.points).",
    )


class PerItemRule(_Rule):
    """Points per counted case (negative for deductions), clamped to [min, max]."""

    kind: Literal["per_item"] = Field(description="Rule kind.")
    count: str = Field(description="Label of what is counted.")
    points: Decimal = Field(description="Points per counted case; negative for deductions.")
    base: Decimal = Field(default=Decimal(0), description="Points before anything is counted.")
    min: Decimal | None = Field(default=None, description="Lowest points (default 0).")
    max: Decimal | None = Field(default=None, description="Highest points (default the item max).")

    @property
    def figures(self) -> tuple[Figure, ...]:
        return (Figure("figure1", self.count, "count"),)


class ManualRule(_Rule):
    """The scorer enters the points directly, from 0 to the maximum in steps."""

    kind: Literal["manual"] = Field(description="Rule kind.")
    step: Decimal = Field(default=Decimal("0.01"), gt=0, description="Granularity of the points.")
    guide: str | None = Field(default=None, description="How to score, in the set's own words.")

    @property
    def manual_step(self) -> Decimal | None:
        return self.step


Rule = Annotated[
    YesNoRule | ChoiceRule | TiersRule | ProportionalRule | PerItemRule | ManualRule,
    Field(discriminator="kind"),
]
RULE_KINDS = ("yes_no", "choice", "tiers", "proportional", "per_item", "manual")


class Evidence(Located):
    """What counts as evidence for an item."""

    text: str = Field(description="What the unit must supply (tài liệu kiểm chứng).")
    required: bool = Field(default=True, description="Whether points need evidence.")
    doc_types: list[str] = Field(
        default_factory=list, description="Document type codes accepted, e.g. KH, BC, QĐ."
    )


class SetRef(Located):
    """Identity of another criteria set."""

    id: str = Field(description="Set id.")
    year: int = Field(description="Set year.")


class Band(Located):
    """A classification band (xếp loại); min is inclusive, in index points."""

    label: str = Field(description="Band name, e.g. Tốt.")
    min: Decimal = Field(description="Lowest index (inclusive) in this band.")


class Precision(Located):
    """Decimals of the set's points and of its indices: rounded half-up once, shown so."""

    points: int = Field(
        default=DEFAULT_DECIMALS,
        ge=0,
        le=MAX_DECIMALS,
        description="Decimals of points (0–4, default 2): rounding and every output.",
    )
    index: int = Field(
        default=DEFAULT_DECIMALS,
        ge=0,
        le=MAX_DECIMALS,
        description="Decimals of the index and sub-indices in % (0–4, default 2).",
    )


ItemType = Literal["score", "bonus", "penalty"]


class Item(Located):
    """A node of the tree: a domain, criterion or sub-criterion."""

    code: str = Field(description="Item code, e.g. '1.1.4'; a child's code extends its parent's.")
    title: str = Field(description="What the item assesses, in Vietnamese.")
    key: str | None = Field(default=None, description="Identity kept across years (crosswalk).")
    max: Decimal | None = Field(
        default=None, ge=0, description="Maximum points; required on leaves, checked on inner."
    )
    type: ItemType | None = Field(
        default=None, description="score, bonus or penalty; inherited by children."
    )
    cap: Decimal | None = Field(
        default=None, ge=0, description="Cap on the total of a bonus or penalty group."
    )
    method: Literal["self", "survey"] | None = Field(
        default=None, description="self (self-assessed) or survey; inherited by children."
    )
    rule: Rule | None = Field(default=None, description="How a leaf is scored.")
    na: Literal["exclude", "full"] | None = Field(
        default=None,
        description="exclude: not applicable, leaves the denominator; full: nothing arose, full.",
    )
    evidence: Evidence | None = Field(default=None, description="Evidence the unit must supply.")
    owner: str | None = Field(default=None, description="Department in charge (chủ trì).")
    support: str | None = Field(default=None, description="Supporting departments (phối hợp).")
    remedy: str | None = Field(default=None, description="Default remedial task (Phụ lục 2).")
    maintain: str | None = Field(default=None, description="Default keep-up task (Phụ lục 1).")
    deadline: str | None = Field(
        default=None, description="Deadline for the task in the plan, e.g. 'Quý I' or '31/3'."
    )
    applies_to: dict[str, Decimal] | None = Field(
        default=None, description="Per unit group maximum; groups not listed: not applicable."
    )
    was: list[str] = Field(
        default_factory=list, description="Codes or keys in the previous set this item continues."
    )
    comparable: bool = Field(default=True, description="False if not comparable with last year.")
    items: list[Item] = Field(default_factory=list, description="Children.")

    @field_validator("code", mode="before")
    @classmethod
    def _code_text(cls, value: Any) -> Any:
        # `code: 1.10` in YAML is read as the decimal 1.10; keep its digits as written.
        return str(value) if isinstance(value, int | Decimal) else value

    @field_validator("evidence", mode="before")
    @classmethod
    def _evidence_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @property
    def is_leaf(self) -> bool:
        """True if the item has no children."""
        return not self.items

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The figures the unit types for the item (none without a rule)."""
        return self.rule.figures if self.rule is not None else ()

    @property
    def manual_step(self) -> Decimal | None:
        """The step of the points the unit types itself; None where they are computed."""
        return self.rule.manual_step if self.rule is not None else None


class CriteriaSet(Located):
    """A criteria set (bộ tiêu chí) for one year."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable id across years.")
    year: int = Field(ge=2000, le=2100, description="Assessment year.")
    title: str = Field(description="Full title, in Vietnamese.")
    level: str = Field(description="Level of the units assessed: tinh, so, xa, ...")
    issued_by: str | None = Field(default=None, description="The document issuing the set.")
    status: Literal["official", "sample"] = Field(
        description="official, or sample (labelled as such on every output)."
    )
    scale: Decimal = Field(default=Decimal(100), gt=0, description="Total points of the set.")
    precision: Precision = Field(
        default_factory=Precision, description="Decimals of points and of the index (default 2)."
    )
    bands: list[Band] = Field(default_factory=list, description="Classification, best first.")
    previous: SetRef | None = Field(default=None, description="Last year's set (crosswalk).")
    groups: dict[str, str] = Field(
        default_factory=dict, description="Unit groups served (code → name), for applies_to."
    )
    items: list[Item] = Field(min_length=1, description="The domains (lĩnh vực).")

    @model_validator(mode="after")
    def _same_decimals_as_the_set(self) -> CriteriaSet:
        # A proportional rule that rounds at the set's own precision is the default: stored as
        # None, so that `decimals: 2` of a set written before precision existed dumps (and
        # fingerprints its workbooks) as it always did.
        for item in self.leaves():
            rule = item.rule
            if isinstance(rule, ProportionalRule) and rule.decimals == self.precision.points:
                rule.decimals = None
        return self

    def walk(self) -> Iterator[tuple[Item, tuple[Item, ...]]]:
        """Every item in tree order, with its ancestors (outermost first)."""

        def visit(item: Item, path: tuple[Item, ...]) -> Iterator[tuple[Item, tuple[Item, ...]]]:
            yield item, path
            for child in item.items:
                yield from visit(child, (*path, item))

        for top in self.items:
            yield from visit(top, ())

    def leaves(self) -> list[Item]:
        """The leaves in tree order."""
        return [item for item, _ in self.walk() if item.is_leaf]

    def find(self, code: str) -> Item | None:
        """The item with this code, if any."""
        return next((item for item, _ in self.walk() if item.code == code), None)


def effective_type(item: Item, ancestors: tuple[Item, ...]) -> ItemType:
    """The item's type, inherited from the nearest ancestor that declares one."""
    for node in (item, *reversed(ancestors)):
        if node.type is not None:
            return node.type
    return "score"


def effective_method(item: Item, ancestors: tuple[Item, ...]) -> Literal["self", "survey"]:
    """The item's method, inherited from the nearest ancestor that declares one."""
    for node in (item, *reversed(ancestors)):
        if node.method is not None:
            return node.method
    return "self"


def subtree_max(item: Item) -> Decimal:
    """Declared max of a leaf; sum of the children's maxima for an inner node."""
    if item.is_leaf:
        return item.max if item.max is not None else Decimal(0)
    return sum((subtree_max(child) for child in item.items), Decimal(0))
