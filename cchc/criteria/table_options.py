"""Scoring options as tables print them, one a line, and the rule they make.

`Ban hành kịp thời: 1` / `Ban hành không kịp thời: 0,5 điểm` make a choice; `Đạt yêu cầu: 1` /
`Không đạt yêu cầu: 0` a yes/no rule; `Trên 90%: 2` / `Từ 70% - 90%: 1` / `Dưới 70%: 0` tiers on a
percentage. The labels keep the published wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cchc.core.numbers import parse_number
from cchc.core.text import fold

_N = r"[+-]?\d+(?:[.,]\d+)?"
_PT = r"(?:điểm|đ)\.?"
_LINE = [
    re.compile(
        rf"^(?P<label>.+?)\s*[:=]\s*(?:được\s+|đạt\s+)?(?P<pts>{_N})\s*(?:{_PT})?\s*[.;,]?$"
    ),
    re.compile(rf"^(?P<label>.+?)\s*\(\s*(?P<pts>{_N})\s*{_PT}\s*\)\s*[.;,]?$"),
    re.compile(rf"^(?P<label>.+?)\s*[-–—]?\s+(?:được\s+)?(?P<pts>{_N})\s*{_PT}\s*[.;,]?$"),
]
_BULLET = re.compile(r"^\s*(?:[-+•*–]|\(?[a-zđ]\))\s*")
_ONLY_POINTS = re.compile(rf"^\s*(?P<pts>{_N})\s*(?:{_PT})?\s*$")
_P = rf"(?P<{{name}}>{_N})\s*%"
_RANGE = re.compile(
    rf"(?:(?P<lk>từ|trên)\s+)?{_P.format(name='lo')}\s*(?:-|–|—|đến|tới)\s*"
    rf"(?P<hk>dưới\s+)?{_P.format(name='hi')}"
)
_ABOVE = re.compile(rf"(?:trên|hơn|lớn hơn|cao hơn|>)\s*{_P.format(name='v')}")
_FROM = re.compile(rf"(?:(?:từ|≥|>=)\s*{_P.format(name='v')})|(?:{_P.format(name='w')}\s*trở lên)")
_BELOW = re.compile(rf"(?:dưới|thấp hơn|ít hơn|<)\s*{_P.format(name='v')}")
_TO = re.compile(rf"(?:không quá|tối đa|≤|<=)\s*{_P.format(name='v')}")
_BARE = re.compile(_P.format(name="v"))
_NEGATIONS = ("không ", "chưa ")


@dataclass(frozen=True)
class Option:
    """One printed option: its wording and its points."""

    label: str
    points: Decimal


def option_line(text: str) -> Option | None:
    """'- Ban hành kịp thời: 1 điểm' → Option('Ban hành kịp thời', 1); None if no points."""
    line = _BULLET.sub("", " ".join(text.split()))
    for pattern in _LINE:
        match = pattern.match(line)
        if match is not None:
            points = parse_number(match["pts"].lstrip("+"))
            label = match["label"].strip().rstrip(":").strip()
            if points is not None and label:
                return Option(label, points)
    return None


def points_cell(text: str) -> Decimal | None:
    """A points cell: '1', '0,5', '0,5 điểm'."""
    match = _ONLY_POINTS.match(text)
    return parse_number(match["pts"].lstrip("+")) if match else None


def _pct(text: str) -> Decimal:
    value = parse_number(text)
    assert value is not None  # the patterns only match numbers
    return value


def percent_bounds(label: str) -> dict[str, Decimal] | None:
    """The tier a label describes: 'Trên 90%' → above 90, 'Từ 70% - 90%' → from 70 to 90,
    'Dưới 70%' → below 70, 'Từ 100%' or '100%' → from 100; None without a percentage."""
    text = fold(label)
    if (m := _RANGE.search(text)) is not None:
        low = "above" if m["lk"] == "trên" else "from"
        return {low: _pct(m["lo"]), ("below" if m["hk"] else "to"): _pct(m["hi"])}
    if (m := _ABOVE.search(text)) is not None:
        return {"above": _pct(m["v"])}
    if (m := _FROM.search(text)) is not None:
        return {"from": _pct(m["v"] or m["w"])}
    if (m := _BELOW.search(text)) is not None:
        return {"below": _pct(m["v"])}
    if (m := _TO.search(text)) is not None:
        return {"to": _pct(m["v"])}
    if (m := _BARE.search(text)) is not None:
        value = _pct(m["v"])
        return {"from": value} if value >= 100 else {"from": value, "to": value}
    return None


def _negates(first: str, second: str) -> bool:
    yes, no = fold(first), fold(second)
    if (yes, no) in (("có", "không"), ("đạt", "không đạt")):
        return True
    return any(no.replace(word, "", 1) == yes for word in _NEGATIONS if word in no)


def is_yes_no(options: list[Option], top: Decimal | None) -> bool:
    """Two options, the first worth the maximum and the second nothing, the second the first
    negated ('Đạt yêu cầu' / 'Không đạt yêu cầu')."""
    if len(options) != 2:
        return False
    yes, no = options
    return (
        no.points == 0
        and yes.points > 0
        and (top is None or yes.points == top)
        and _negates(yes.label, no.label)
    )


def tiers_rule(options: list[Option], measure: str) -> dict[str, Any] | None:
    """Tiers on a percentage when every option names one (the last may be 'the rest')."""
    bounds = [percent_bounds(o.label) for o in options]
    if not bounds or bounds[0] is None:
        return None
    tiers: list[dict[str, Any]] = []
    for index, (option, found) in enumerate(zip(options, bounds, strict=True)):
        if found is None:
            if index != len(options) - 1:
                return None
            tiers.append({"else": option.points})
        else:
            tiers.append({**found, "points": option.points})
    return {"kind": "tiers", "measure": {"percent": measure}, "tiers": tiers}


def rule_from_options(
    options: list[Option], top: Decimal | None, measure: str
) -> dict[str, Any] | None:
    """The rule printed options make (None for fewer than two, or one only: not a rule)."""
    if not options:
        return None
    tiers = tiers_rule(options, measure)
    if tiers is not None and (len(options) > 1 or "else" not in tiers["tiers"][0]):
        return tiers
    if is_yes_no(options, top):
        return {"kind": "yes_no"}
    if len(options) < 2:
        return None
    return {"kind": "choice", "options": [{"label": o.label, "points": o.points} for o in options]}
