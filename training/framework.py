"""The default KASH competency framework shipped with the product (DOMAIN.md §2–§4).

framework.json holds 20 indicators under the four dimensions, each with a 1–5 behavioural rubric in
English and Simplified Chinese, and the default weight of each assessment source. apply_framework()
upserts it through the shipped-data loader (training.shipped), so the data migration passes historical
models from apps.get_model() and the load_kash_framework command passes the real ones.
"""

from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .shipped import Loader, pick, read_json

DATA_PATH = Path(__file__).resolve().with_name("framework.json")
DIMENSIONS = ("K", "A", "S", "H")
LEVELS = (1, 2, 3, 4, 5)

# Texts are ours: re-applying restores the shipped wording. Weight, order and dimension are set only
# when an indicator is created, because HR may tune them; is_active is never touched.
INDICATOR_TEXTS = ("name_en", "name_zh", "description_en", "description_zh")
INDICATOR_CREATE_ONLY = ("dimension", "weight", "order")
LEVEL_TEXTS = ("description_en", "description_zh")


def load_data(path=DATA_PATH):
    """The shipped framework as a dict, checked."""
    data = read_json(path)
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


@transaction.atomic
def apply_framework(Indicator, RubricLevel, SourceWeight, data=None):
    """Upsert the shipped indicators, rubric levels and source weights; return the Counts of rows
    created, updated and unchanged. Indicators HR added are left alone, and an existing source weight
    is never changed (HR may have tuned it)."""
    data = load_data() if data is None else data
    loader = Loader()
    for item in data["indicators"]:
        indicator, _ = loader.upsert(
            Indicator, {"code": item["code"]}, pick(item, INDICATOR_TEXTS), pick(item, INDICATOR_CREATE_ONLY)
        )
        for level in item["levels"]:
            loader.upsert(RubricLevel, {"indicator": indicator, "level": level["level"]}, pick(level, LEVEL_TEXTS))
    for source, weight in data["source_weights"].items():
        loader.upsert(SourceWeight, {"source": source}, create_only={"weight": Decimal(str(weight))})
    return loader.counts
