"""The units registry (danh sách đơn vị): who is scored, in which group, with which set."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from cchc.core.text import vn_sort_key

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_text(text: str) -> str:
    """NFC, control characters dropped (no file format can hold them), spaces collapsed."""
    return " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", text)).split())


def code_key(code: str) -> str:
    """A unit code as compared: NFC, spaces collapsed, case ignored."""
    return clean_text(code).casefold()


class Unit(BaseModel):
    """One assessed unit (sở, xã, phường …) and how it is scored."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(min_length=1, description="Unit code, unique in the registry.")
    name: str = Field(min_length=1, description="Unit name as published.")
    group: str | None = Field(default=None, description="Ranking group, e.g. 'xa'.")
    set: str | None = Field(default=None, description="Criteria set id the unit is scored with.")
    ranked: bool = Field(default=True, description="False for units kept out of the ranking.")

    @field_validator("code", "name", "group", "set")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else clean_text(value)


class UnitRegistry(BaseModel):
    """The units of a workspace, looked up by code (case and Unicode form ignored)."""

    model_config = ConfigDict(frozen=True)

    units: list[Unit] = Field(default_factory=list)
    _by_code: dict[str, Unit] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique_codes(self) -> UnitRegistry:
        counts = Counter(code_key(u.code) for u in self.units)
        repeated = sorted(k for k, n in counts.items() if n > 1)
        if repeated:
            raise ValueError(f"mã đơn vị bị trùng: {', '.join(repeated)}")
        return self

    def model_post_init(self, context: Any, /) -> None:
        """Index the units by code."""
        self._by_code = {code_key(u.code): u for u in self.units}

    def __len__(self) -> int:
        return len(self.units)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code_key(code) in self._by_code

    def get(self, code: str) -> Unit | None:
        """The unit with this code, or None."""
        return self._by_code.get(code_key(code))

    def codes(self) -> list[str]:
        """Unit codes in registry order."""
        return [u.code for u in self.units]

    def in_group(self, group: str) -> list[Unit]:
        """The units of one group, in registry order."""
        return [u for u in self.units if u.group == group]

    def sorted(self) -> list[Unit]:
        """The units in Vietnamese alphabetical order of name, then code."""
        return sorted(self.units, key=lambda u: (vn_sort_key(u.name), vn_sort_key(u.code)))
