"""The default onboarding program shipped with the product (DOMAIN.md §3).

program.json holds the four-cycle program in English and Simplified Chinese: the pre-job modules
(culture, promotion system, product knowledge, basic operations) and the four cycles, each with its
goals, KASH focus indicators (codes of training/framework.json), gate criteria and activities.
apply_program() upserts it. Like training.framework, it takes the model classes as arguments, so
the data migration passes historical models from apps.get_model() and the load_onboarding_program
command passes the real ones.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .framework import Counts

DATA_PATH = Path(__file__).resolve().with_name("program.json")
CYCLE_NUMBERS = (1, 2, 3, 4)
GATE_KIND = "gate"

# Texts are ours: re-applying restores the shipped wording. Settings are written only when a row is
# created, because HR adjusts the program to its center (DOMAIN §3): lengths, levels, pass marks,
# hours, due days, which activities are required, and which indicators a cycle focuses on.
PROGRAM_TEXTS = ("name_en", "name_zh", "description_en", "description_zh")
PROGRAM_CREATE_ONLY = ("pre_job_days",)
MODULE_TEXTS = ("title_en", "title_zh")
MODULE_CREATE_ONLY = ("topic", "hours")
CYCLE_TEXTS = ("name_en", "name_zh", "goals_en", "goals_zh")
CYCLE_CREATE_ONLY = ("length_days", "focus_min_level", "check_required", "pass_mark")
ACTIVITY_TEXTS = ("title_en", "title_zh")
ACTIVITY_CREATE_ONLY = ("kind", "owner", "due_offset_days", "is_required")


def load_program(path=DATA_PATH):
    """The shipped program as a dict; numbers with a decimal point become Decimals."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f, parse_float=Decimal)
    _check(data)
    return data


def _check(data):
    if not data.get("code"):
        raise ValueError("program.json: the program needs a code.")
    orders = [module["order"] for module in data["modules"]]
    if len(orders) != len(set(orders)):
        raise ValueError("program.json: module orders must be unique.")
    if tuple(cycle["number"] for cycle in data["cycles"]) != CYCLE_NUMBERS:
        raise ValueError("program.json: the program must have cycles 1 to 4 in order.")
    for cycle in data["cycles"]:
        number = cycle["number"]
        if not cycle["focus_indicators"]:
            raise ValueError(f"program.json: cycle {number} needs focus indicators.")
        orders = [activity["order"] for activity in cycle["activities"]]
        if len(orders) != len(set(orders)):
            raise ValueError(f"program.json: activity orders of cycle {number} must be unique.")
        late = [a["order"] for a in cycle["activities"] if a["due_offset_days"] > cycle["length_days"]]
        if late:
            raise ValueError(f"program.json: cycle {number} has activities due after its end: {late}.")
        has_gate = any(activity["kind"] == GATE_KIND for activity in cycle["activities"])
        if cycle["check_required"] and not has_gate:
            raise ValueError(f"program.json: cycle {number} requires a check but has no gate activity.")


def _upsert(model, lookup, texts, create_only):
    """Create the row, or bring its texts up to date; saves only when something differs, so
    re-applying writes nothing (and adds no history rows). The lookups of modules and activities
    are not unique in the database (HR may add a row at the same order), so the first row wins."""
    obj = model.objects.filter(**lookup).order_by("pk").first()
    if obj is None:
        return model.objects.create(**lookup, **create_only, **texts), True, False
    changed = [field for field, value in texts.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, texts[field])
    if changed:
        obj.save(update_fields=changed)
    return obj, False, bool(changed)


def _pick(item, fields):
    return {field: item[field] for field in fields}


def _focus_indicators(Indicator, codes):
    found = list(Indicator.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {indicator.code for indicator in found})
    if missing:
        raise ValueError(f"The onboarding program needs the KASH indicators {missing}; run load_kash_framework first.")
    return found


@transaction.atomic
def apply_program(Program, PreJobModule, CycleTemplate, ActivityTemplate, Indicator, data=None):
    """Upsert the shipped program, its pre-job modules, cycles and activities; return how many rows
    were created and updated. Rows HR added are left alone, and so is every batch's own activity."""
    data = load_program() if data is None else data
    created = updated = 0

    def count(is_new, is_changed):
        nonlocal created, updated
        created, updated = created + is_new, updated + is_changed

    program, *flags = _upsert(
        Program, {"code": data["code"]}, _pick(data, PROGRAM_TEXTS), _pick(data, PROGRAM_CREATE_ONLY)
    )
    count(*flags)
    for module in data["modules"]:
        _, *flags = _upsert(
            PreJobModule,
            {"program": program, "order": module["order"]},
            _pick(module, MODULE_TEXTS),
            _pick(module, MODULE_CREATE_ONLY),
        )
        count(*flags)
    for item in data["cycles"]:
        cycle, is_new, is_changed = _upsert(
            CycleTemplate,
            {"program": program, "number": item["number"]},
            _pick(item, CYCLE_TEXTS),
            _pick(item, CYCLE_CREATE_ONLY),
        )
        count(is_new, is_changed)
        if is_new:
            cycle.focus_indicators.set(_focus_indicators(Indicator, item["focus_indicators"]))
        for activity in item["activities"]:
            _, *flags = _upsert(
                ActivityTemplate,
                {"cycle": cycle, "batch": None, "order": activity["order"]},
                _pick(activity, ACTIVITY_TEXTS),
                _pick(activity, ACTIVITY_CREATE_ONLY),
            )
            count(*flags)
    return Counts(created, updated)
