"""The default KASH competency framework shipped with the product (DOMAIN.md §2–§4).

framework.json holds 15 indicators under the four dimensions, each with a 1–5 behavioural rubric in
English and Simplified Chinese, and the default weight of each assessment source. apply_framework()
upserts it. It takes the model classes as arguments, so the data migration passes historical models
from apps.get_model() and the load_kash_framework command passes the real ones.
"""

import json
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.db import transaction

DATA_PATH = Path(__file__).resolve().with_name("framework.json")
DIMENSIONS = ("K", "A", "S", "H")
LEVELS = (1, 2, 3, 4, 5)

# Texts are ours: re-applying restores the shipped wording. Weight, order and dimension are set only
# when an indicator is created, because HR may tune them; is_active is never touched.
INDICATOR_TEXTS = ("name_en", "name_zh", "description_en", "description_zh")
INDICATOR_CREATE_ONLY = ("dimension", "weight", "order")
LEVEL_TEXTS = ("description_en", "description_zh")


class Counts(NamedTuple):
    created: int
    updated: int


def load_data(path=DATA_PATH):
    """The shipped framework as a dict; numbers with a decimal point become Decimals."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f, parse_float=Decimal)
    _check(data)
    return data


def _check(data):
    codes = [indicator["code"] for indicator in data["indicators"]]
    if len(codes) != len(set(codes)):
        raise ValueError("framework.json: indicator codes must be unique.")
    for indicator in data["indicators"]:
        if indicator["dimension"] not in DIMENSIONS:
            raise ValueError(f"framework.json: {indicator['code']} has unknown dimension {indicator['dimension']!r}.")
        if tuple(level["level"] for level in indicator["levels"]) != LEVELS:
            raise ValueError(f"framework.json: {indicator['code']} must have levels 1 to 5 in order.")


def _upsert(model, lookup, texts, create_only):
    """Create the row, or bring its texts up to date. Unlike update_or_create it saves only when
    something differs, so re-applying writes nothing (and adds no history rows)."""
    obj, created = model.objects.get_or_create(**lookup, defaults={**create_only, **texts})
    if created:
        return obj, True, False
    changed = [field for field, value in texts.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, texts[field])
    if changed:
        obj.save(update_fields=changed)
    return obj, False, bool(changed)


@transaction.atomic
def apply_framework(Indicator, RubricLevel, SourceWeight, data=None):
    """Upsert the shipped indicators, rubric levels and source weights; return how many rows were
    created and updated. Indicators HR added are left alone, and an existing source weight is never
    changed (HR may have tuned it)."""
    data = load_data() if data is None else data
    created = updated = 0

    for item in data["indicators"]:
        indicator, is_new, is_changed = _upsert(
            Indicator,
            {"code": item["code"]},
            {field: item[field] for field in INDICATOR_TEXTS},
            {field: item[field] for field in INDICATOR_CREATE_ONLY},
        )
        created, updated = created + is_new, updated + is_changed
        for level in item["levels"]:
            _, is_new, is_changed = _upsert(
                RubricLevel,
                {"indicator": indicator, "level": level["level"]},
                {field: level[field] for field in LEVEL_TEXTS},
                {},
            )
            created, updated = created + is_new, updated + is_changed

    for source, weight in data["source_weights"].items():
        _, is_new = SourceWeight.objects.get_or_create(source=source, defaults={"weight": Decimal(str(weight))})
        created += is_new
    return Counts(created, updated)
