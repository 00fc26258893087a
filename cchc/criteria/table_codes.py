"""Item codes as tables print them (1, 1.1, 1.1.1, I, II, a), b)) and their place in the tree.

A YAML code extends its parent's (1 → 1.1 → 1.1.1). Tables that number domains in Roman
numerals and restart the criteria under each (II, 1, 1.1) get codes that nest (2, 2.1, 2.1.1);
letters under an item become its next level (1.1, a) → 1.1.1), in the Vietnamese order of the
alphabet (a, b, c, d, đ, e …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_DOTTED = re.compile(r"^\d{1,3}(\.\d{1,3})*$")
_LETTER = re.compile(r"^\(?([a-zđ])\s*[).]?$")
_LITERAL = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")
LETTERS = "abcdđeghiklmnopqrstuvxy"
"""Vietnamese enumeration letters, in order (no f, j, w, z)."""


@dataclass(frozen=True)
class Code:
    """A code cell understood: its style and its parts."""

    style: str
    """'roman', 'number', 'letter', or 'literal' (a code kept as it is: T, T.1)."""
    parts: tuple[int, ...]
    text: str
    """As printed."""


def _roman_value(text: str) -> int:
    total = 0
    for char, nxt in zip(text, [*text[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if nxt and _ROMAN_VALUES[nxt] > value else value
    return total


def parse_code(text: str) -> Code | None:
    """A code cell's meaning, or None if the cell holds no code ('Tổng cộng', '')."""
    cleaned = text.strip().replace(" ", "").rstrip(".")
    if not cleaned:
        return None
    if cleaned.isupper() and _ROMAN.match(cleaned):
        return Code("roman", (_roman_value(cleaned),), text.strip())
    if _DOTTED.match(cleaned):
        return Code("number", tuple(int(p) for p in cleaned.split(".")), text.strip())
    letter = _LETTER.match(cleaned.lower()) if cleaned.islower() or "(" in cleaned else None
    if letter is not None and letter[1] in LETTERS:
        return Code("letter", (LETTERS.index(letter[1]) + 1,), text.strip())
    if _LITERAL.match(cleaned) and any(c.isalpha() for c in cleaned):
        return Code("literal", (), cleaned)
    return None


_LEADING = re.compile(
    r"^(?P<code>[IVXLC]+|\d{1,3}(?:\.\d{1,3})*|\(?[a-zđ]\))[.)]?\s+(?P<rest>\S.*)$", re.S
)


def split_leading_code(text: str) -> tuple[Code, str] | None:
    """'I. CÔNG TÁC CHỈ ĐẠO' (a code and its title in one cell) → (Code I, 'CÔNG TÁC CHỈ ĐẠO')."""
    match = _LEADING.match(text.strip())
    if match is None:
        return None
    code = parse_code(match["code"])
    return (code, match["rest"].strip()) if code is not None else None


class NotNested(ValueError):
    """A code whose parent is not above it: the message says which parent is missing."""


@dataclass
class Nesting:
    """Turns the codes of a table, row after row, into YAML codes and parents."""

    domain: str | None = None
    """The current Roman-numbered domain's YAML code."""
    relative: bool = True
    """Under a Roman domain: whether the numbers restart (1, 1.1) or repeat it (2.1, 2.1.1)."""
    seen: dict[tuple[int, ...], str] = field(default_factory=dict)
    """Printed number → YAML code, within the current domain."""
    anchor: str | None = None
    """The last item with a number or a Roman code: the parent of letters."""
    numbered: bool = False
    """Whether the current domain has had a numbered child yet."""
    placed: set[str] = field(default_factory=set)
    """Every YAML code given so far."""

    def place(self, code: Code) -> tuple[str, str | None]:
        """The YAML code of this row's item and its parent's (None: a domain)."""
        own, parent = self._place(code)
        self.placed.add(own)
        return own, parent

    def _place(self, code: Code) -> tuple[str, str | None]:
        if code.style == "literal":
            parent = code.text.rpartition(".")[0] or None
            if parent is not None and parent not in self.placed:
                raise NotNested(
                    f"mã '{code.text}' không nằm dưới mục nào: chưa có mục '{parent}' ở trên"
                )
            self.anchor = code.text
            return code.text, parent
        if code.style == "roman":
            self.domain, self.numbered, self.seen = str(code.parts[0]), False, {}
            self.anchor = self.domain
            return self.domain, None
        if code.style == "letter":
            if self.anchor is None:
                raise NotNested(f"mục '{code.text}' không có mục cha ở trên")
            return f"{self.anchor}.{code.parts[0]}", self.anchor
        parts = code.parts
        if self.domain is not None and not self.numbered:
            self.numbered = True
            self.relative = not (len(parts) > 1 and str(parts[0]) == self.domain)
        if self.domain is not None and self.relative:
            parent = self.seen.get(parts[:-1]) if len(parts) > 1 else self.domain
            own = f"{self.domain}.{'.'.join(map(str, parts))}"
        else:
            own = ".".join(map(str, parts))
            if len(parts) == 1 or (len(parts) == 2 and str(parts[0]) == self.domain):
                parent = self.domain
            else:
                parent = self.seen.get(parts[:-1])
        if parent is None and len(parts) > 1:
            wanted = ".".join(map(str, parts[:-1]))
            raise NotNested(
                f"mã '{code.text}' không nằm dưới mục nào: chưa có mục '{wanted}' ở trên"
            )
        self.seen[parts] = own
        self.anchor = own
        return own, parent
