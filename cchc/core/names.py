"""File and folder names made from unit names and codes, valid on Windows as on Linux.

Windows refuses the characters <>:"/\\|?* and control characters, drops trailing dots and
spaces (so 'X01.' and 'X01' would be one file), keeps device names (CON, PRN, AUX, NUL, COM1-9,
LPT1-9, with any extension: 'con.xlsx' is the console) and, unless long paths are enabled,
refuses paths of 260 characters or more.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 120
"""Characters a name may have, suffix included: with the temporary name a writer uses first
(about 20 more), a folder path of up to about 110 characters stays under Windows' 260."""
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{port}{n}" for port in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)


def safe_name(text: str, suffix: str = "", fallback: str = "don-vi") -> str:
    """`text` + `suffix` as a file name valid on Windows, Vietnamese kept (NFC)."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text)
    text = _FORBIDDEN.sub("_", text).strip(" .")
    text = text[: MAX_NAME - len(suffix)].rstrip(" .") or fallback
    if text.split(".")[0].rstrip(" ").upper() in _DEVICES:
        text = f"_{text}"
    return text + suffix
