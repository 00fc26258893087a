"""Satisfaction from answers: the answer map (A=100 …), who is satisfied, an item's percent."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal

from cchc.core.numbers import fmt, round_points

ZERO = Decimal(0)
HUNDRED = Decimal(100)

DEFAULT_ANSWERS: dict[str, Decimal] = {
    "A": Decimal(100),
    "B": Decimal(60),
    "C": Decimal(20),
    "D": Decimal(0),
}
"""Leader-survey answers as a percent of the question (one provincial system, DOMAIN.md)."""

_NUMBER = r"[+-]?\d+(?:[.,]\d+)?"
_PAIR = rf"\s*([^=,;]+?)\s*=\s*({_NUMBER})\s*"
_MAP = re.compile(rf"^{_PAIR}(?:[,;]{_PAIR})*$")
_PAIRS = re.compile(rf"(?:^|[,;]){_PAIR}")
MAP_EXAMPLE = "A=100,B=60,C=20,D=0"


def answer_key(text: str) -> str:
    """An answer as compared: NFC, no spaces, case ignored ('  a ' and 'A' are the same)."""
    return "".join(unicodedata.normalize("NFC", text).split()).casefold()


def parse_answer_map(text: str) -> dict[str, Decimal]:
    """Read 'A=100,B=60,C=20,D=0' (or with ';', decimal comma allowed) into answer → percent.

    Raises ValueError, with a Vietnamese message, on text that is not such a list, on a percent
    outside 0–100 and on an answer given twice.
    """
    if not _MAP.match(text):
        raise ValueError(
            f"bảng quy đổi câu trả lời không hợp lệ: '{text}' (ví dụ đúng: {MAP_EXAMPLE})"
        )
    answers: dict[str, Decimal] = {}
    seen: set[str] = set()
    for label, number in _PAIRS.findall(text):
        value = Decimal(number.replace(",", "."))
        if not ZERO <= value <= HUNDRED:
            raise ValueError(f"câu trả lời '{label}' quy đổi thành {fmt(value)}%: cần từ 0 đến 100")
        if answer_key(label) in seen:
            raise ValueError(f"câu trả lời '{label}' được khai báo hai lần trong bảng quy đổi")
        seen.add(answer_key(label))
        answers[label] = value
    return answers


def satisfied_from(answers: Mapping[str, Decimal]) -> Decimal:
    """The lowest value that counts as satisfied: the second best of the map.

    The two best answers are 'rất hài lòng' and 'hài lòng'. A map with fewer than three levels
    (e.g. Đạt/Không đạt) counts only its best answer.
    """
    levels = sorted(set(answers.values()), reverse=True)
    return levels[1] if len(levels) >= 3 else levels[0]


def percent_of(answers: list[Decimal], satisfied: Decimal | None) -> Decimal:
    """Mean of the answers, or the share at least `satisfied`; in %, half-up to 2 decimals."""
    if satisfied is None:
        return round_points(sum(answers, ZERO) / len(answers))
    return round_points(Decimal(sum(a >= satisfied for a in answers)) * HUNDRED / len(answers))
