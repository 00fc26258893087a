"""Text as Vietnamese users compare and sort it: folded for matching, ordered by the alphabet."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Compare headers and labels ignoring case, spacing and Unicode form."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


# --- Vietnamese alphabetical order -------------------------------------------------------------

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_TONE_RANK = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
"""huyền, sắc, hỏi, ngã, nặng; no mark ranks 0, first."""
_TOKEN = re.compile(r"\d+|[^\W\d_]+")

TokenKey = tuple[int, int, tuple[int, ...], tuple[int, ...]]
SortKey = tuple[tuple[TokenKey, ...], str]


def split_tones(word: str) -> tuple[list[str], list[int]]:
    """The letters of a word (NFC, tone marks removed) and its tone ranks, in order."""
    letters: list[str] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", word):
        if char in _TONE_RANK:
            tones.append(_TONE_RANK[char])
        elif unicodedata.combining(char) and letters:
            letters[-1] += char
        else:
            letters.append(char)
    return [unicodedata.normalize("NFC", letter) for letter in letters], tones


def _token_key(token: str) -> TokenKey:
    if token.isdigit():
        return (0, int(token), (), ())
    letters, tones = split_tones(token)
    ranks = tuple(_LETTER_RANK.get(c, 1000 + ord(c[0])) for c in letters)
    return (1, 0, ranks, tuple(tones))


def vn_sort_key(text: str) -> SortKey:
    """Sort key for Vietnamese text: letters a ă â … d đ …, then tones, syllable by syllable."""
    nfc = unicodedata.normalize("NFC", text)
    return tuple(_token_key(t) for t in _TOKEN.findall(nfc.casefold())), nfc


def tones_last(word: str) -> str:
    """A word with its tone marks moved to the end, so 'Hoà' and 'Hòa' compare equal."""
    letters, tones = split_tones(word)
    marks = {rank: mark for mark, rank in _TONE_RANK.items()}
    return "".join(letters) + "".join(marks[t] for t in tones)
