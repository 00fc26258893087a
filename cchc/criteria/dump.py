"""Write a criteria set back to YAML, numbers as plain decimals, in field order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from cchc.criteria.model import CriteriaSet, Item, subtree_max


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes Decimal as a plain number and tuples as lists."""


def _decimal(dumper: _Dumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(tuple, lambda d, v: d.represent_list(list(v)))


def to_data(criteria: CriteriaSet) -> dict[str, Any]:
    """The set as plain data, without defaults, with YAML key names."""
    return criteria.model_dump(mode="python", by_alias=True, exclude_defaults=True)


def dump_yaml(criteria: CriteriaSet) -> str:
    """The set as YAML text that loads back to an equal set."""
    return dump_data(to_data(criteria))


def dump_data(data: dict[str, Any]) -> str:
    """Plain set data (decimals, lists, mappings) as YAML text, keys in the order given."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def with_inner_max(criteria: CriteriaSet) -> CriteriaSet:
    """A copy where every inner node declares its max (the sum of its children)."""

    def fill(item: Item) -> Item:
        children = [fill(child) for child in item.items]
        update: dict[str, Any] = {"items": children}
        if children:
            update["max"] = subtree_max(item)
        return item.model_copy(update=update)

    return criteria.model_copy(update={"items": [fill(i) for i in criteria.items]})
