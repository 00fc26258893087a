"""docs/criteria-format.md: its complete example is a valid set, and it names every field."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel

from cchc.criteria import model
from cchc.criteria.loader import load_text
from cchc.scoring.rules import Entry, evaluate

DOC = Path(__file__).parent.parent.parent / "docs" / "criteria-format.md"


def _blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_complete_example_loads_and_scores_as_the_page_says() -> None:
    [full] = [b for b in _blocks() if b.startswith("id:")]
    loaded = load_text(full, "criteria-format.md")
    assert loaded.ok, loaded.issues
    criteria = loaded.set
    assert criteria is not None and criteria.scale == 10
    tiers, proportional = criteria.find("1.2"), criteria.find("1.4")
    assert tiers is not None and proportional is not None
    # 45 of 50 tasks: 90%, not above 90, within 70–90 → 1 point.
    assert evaluate(tiers, Entry(Decimal(45), Decimal(50))).points == Decimal(1)
    # max 2 (the page's example) × 87% = 1.74; below the floor of 50% → 0.
    assert evaluate(proportional, Entry(Decimal(87), Decimal(100)), Decimal(2)).points == Decimal(
        "1.74"
    )
    assert evaluate(proportional, Entry(Decimal(45), Decimal(100))).points == 0


def test_every_field_of_the_model_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    models: list[type[BaseModel]] = [model.CriteriaSet, model.Item, model.Evidence, model.Tier]
    models += [model.ChoiceRule, model.TiersRule, model.ProportionalRule, model.PerItemRule]
    models += [model.ManualRule, model.Measure, model.Band, model.Option, model.Precision]
    missing = [
        f"{m.__name__}.{info.alias or name}"
        for m in models
        for name, info in m.model_fields.items()
        if f"`{info.alias or name}`" not in text and f"{info.alias or name}:" not in text
    ]
    assert missing == []
