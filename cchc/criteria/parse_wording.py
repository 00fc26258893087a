"""Read a 'Cách chấm' text back into a rule: the inverse of wording.py, tolerant of real tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.numbers import parse_number
from cchc.criteria import wording as w

_NUM = r"[+-]?\d[\d.,]*"
_POINTS = re.compile(rf"^(?P<label>.+?)\s*:\s*(?P<pts>{_NUM})\s*điểm\.?$", re.IGNORECASE)
_YES_NO = re.compile(rf"^đạt\s*:\s*{_NUM}\s*điểm\s*;\s*không đạt\s*:\s*0\s*điểm\.?$", re.IGNORECASE)
_CAP = re.compile(rf"^tối đa\s+(?P<n>{_NUM})\s*điểm$", re.IGNORECASE)
_CONDITION = re.compile(
    rf"^(?:(?P<lk>từ|trên)\s+(?P<lv>{_NUM})\s*%?)?\s*"
    rf"(?:(?P<hk>đến dưới|đến|dưới|không quá)\s+(?P<hv>{_NUM})\s*%?)?$",
    re.IGNORECASE,
)
_SYMBOLS = [(">=", "từ "), ("≥", "từ "), ("<=", "không quá "), ("≤", "không quá ")]
_SYMBOLS += [(">", "trên "), ("<", "dưới ")]
_FLOOR = re.compile(rf"^dưới\s+(?P<n>{_NUM})\s*%\s*:\s*0\s*điểm$", re.IGNORECASE)
_DECIMALS = re.compile(r"^làm tròn\s+(?P<n>\d)\s+chữ số thập phân$", re.IGNORECASE)
_STEP = re.compile(rf"^chấm trực tiếp(?:,\s*bước\s+(?P<n>{_NUM})\s*điểm)?$", re.IGNORECASE)


@dataclass
class Parsed:
    """What a 'Cách chấm' cell says: item-level fields and a rule as raw data."""

    fields: dict[str, Any] = field(default_factory=dict)
    rule: dict[str, Any] | None = None
    guessed: bool = False
    """True when the text was not understood and became a manual rule."""


def _number(text: str) -> Decimal:
    value = parse_number(text.lstrip("+"))
    if value is None:
        raise ValueError(text)
    return value


def _points_line(line: str) -> tuple[str, Decimal] | None:
    match = _POINTS.match(line.removeprefix("- ").strip())
    if match is None:
        return None
    return match["label"].strip(), _number(match["pts"])


def parse_condition(text: str) -> dict[str, Decimal] | None:
    """'Từ 70% đến dưới 90%' → {'from': 70, 'below': 90}; 'Còn lại' → {} (an else tier)."""
    cleaned = text.strip().rstrip(":")
    if cleaned.lower() == "còn lại":
        return {}
    for symbol, words in _SYMBOLS:
        cleaned = cleaned.replace(symbol, words)
    match = _CONDITION.match(re.sub(r"\s+", " ", cleaned).strip())
    if match is None or not (match["lk"] or match["hk"]):
        return None
    bounds: dict[str, Decimal] = {}
    if match["lk"]:
        bounds["from" if match["lk"].lower() == "từ" else "above"] = _number(match["lv"])
    if match["hk"]:
        inclusive = match["hk"].lower() in ("đến", "không quá")
        bounds["to" if inclusive else "below"] = _number(match["hv"])
    return bounds


def _measure(line: str) -> dict[str, Any] | None:
    for prefix, kind in (("Tỷ lệ (%):", "percent"), ("Tỷ lệ:", "ratio"), ("Số liệu:", "number")):
        if line.lower().startswith(prefix.lower()):
            body = line[len(prefix) :].strip()
            if kind == "ratio":
                parts = body.split(" / ")
                return {"ratio": parts} if len(parts) == 2 else {"percent": body}
            return {kind: body}
    return None


def _tiers(measure: dict[str, Any], lines: list[str]) -> dict[str, Any] | None:
    tiers: list[dict[str, Any]] = []
    for line in lines:
        pair = _points_line(line)
        bounds = parse_condition(pair[0]) if pair else None
        if pair is None or bounds is None:
            return None
        tiers.append({**bounds, "points": pair[1]} if bounds else {"else": pair[1]})
    return {"kind": "tiers", "measure": measure, "tiers": tiers}


def _proportional(measure: dict[str, Any], lines: list[str]) -> dict[str, Any] | None:
    rule: dict[str, Any] = {"kind": "proportional", "measure": measure}
    for line in lines:
        if m := _FLOOR.match(line):
            rule["floor"] = _number(m["n"])
        elif m := _CAP.match(line):
            rule["cap"] = _number(m["n"])
        elif m := _DECIMALS.match(line):
            rule["decimals"] = int(m["n"])
        else:
            return None
    return rule


_PER_ITEM_LINES = {
    "mỗi trường hợp:": "points",
    "điểm ban đầu:": "base",
    "thấp nhất:": "min",
    "cao nhất:": "max",
}


def _per_item(lines: list[str]) -> dict[str, Any] | None:
    rule: dict[str, Any] = {"kind": "per_item", "count": lines[0].split(":", 1)[1].strip()}
    for line in lines[1:]:
        key = next((k for k in _PER_ITEM_LINES if line.lower().startswith(k)), None)
        if key is None:
            return None
        rule[_PER_ITEM_LINES[key]] = _number(line[len(key) :].replace("điểm", "").strip())
    return rule if "points" in rule else None


def _choice(lines: list[str]) -> dict[str, Any] | None:
    pairs = [_points_line(line) for line in lines]
    if len(pairs) < 2 or any(p is None for p in pairs):
        return None
    options = [{"label": p[0], "points": p[1]} for p in pairs if p is not None]
    return {"kind": "choice", "options": options}


def _rule(lines: list[str]) -> dict[str, Any] | None:
    first = lines[0]
    if _YES_NO.match(first) and len(lines) == 1:
        return {"kind": "yes_no"}
    if first.lower() == w.CHOICE_HEAD.lower():
        return _choice(lines[1:])
    if (step := _STEP.match(first)) is not None:
        rule: dict[str, Any] = {"kind": "manual"}
        if step["n"]:
            rule["step"] = _number(step["n"])
        if lines[1:]:
            rule["guide"] = "\n".join(lines[1:])
        return rule
    if first.lower().startswith("đếm:"):
        return _per_item(lines)
    measure = _measure(first)
    if measure is not None and lines[1:2] == [w.PROPORTIONAL]:
        return _proportional(measure, lines[2:])
    if measure is not None:
        return _tiers(measure, lines[1:])
    pieces = [p.strip() for p in first.split(";")] if len(lines) == 1 else lines
    return _choice([p for p in pieces if p])


def parse_rule_text(text: str) -> Parsed:
    """Parse a 'Cách chấm' cell; text it cannot read becomes a manual rule with a guide."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    parsed = Parsed()
    heads = {
        w.BONUS: ("type", "bonus"),
        w.PENALTY: ("type", "penalty"),
        w.SURVEY: ("method", "survey"),
    }
    heads["Tự đánh giá"] = ("method", "self")
    while lines:
        if lines[0] in heads:
            key, value = heads[lines.pop(0)]
            parsed.fields[key] = value
        elif "type" in parsed.fields and (cap := _CAP.match(lines[0])):
            parsed.fields["cap"] = _number(cap["n"])
            lines.pop(0)
        else:
            break
    if lines and lines[-1] in (w.NA_FULL, w.NA_EXCLUDE):
        parsed.fields["na"] = "full" if lines.pop() == w.NA_FULL else "exclude"
    if not lines:
        return parsed
    try:
        parsed.rule = _rule(lines)
    except ValueError:
        parsed.rule = None
    if parsed.rule is None:
        parsed.rule = {"kind": "manual", "guide": "\n".join(lines)}
        parsed.guessed = True
    return parsed
