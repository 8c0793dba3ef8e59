"""The default onboarding program shipped with the product (DOMAIN.md §3).

program.json holds the four-cycle program in English and Simplified Chinese: the pre-job modules
(culture, promotion system, product knowledge, basic operations) and the four cycles, each with its
goals, KASH focus indicators (codes of training/framework.json), gate criteria and activities.
apply_program() upserts it through the shipped-data loader (training.shipped), so the data migration
passes historical models from apps.get_model() and the load_onboarding_program command passes the real
ones.
"""

from pathlib import Path

from django.db import transaction

from .shipped import Loader, pick, read_json

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
    """The shipped program as a dict, checked."""
    data = read_json(path)
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


def _focus_indicators(Indicator, codes):
    found = list(Indicator.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {indicator.code for indicator in found})
    if missing:
        raise ValueError(f"The onboarding program needs the KASH indicators {missing}; run load_kash_framework first.")
    return found


@transaction.atomic
def apply_program(Program, PreJobModule, CycleTemplate, ActivityTemplate, Indicator, data=None):
    """Upsert the shipped program, its pre-job modules, cycles and activities; return the Counts of
    rows created, updated and unchanged. Rows HR added are left alone, and so is every batch's own
    activity."""
    data = load_program() if data is None else data
    loader = Loader()
    program, _ = loader.upsert(
        Program, {"code": data["code"]}, pick(data, PROGRAM_TEXTS), pick(data, PROGRAM_CREATE_ONLY)
    )
    for module in data["modules"]:
        loader.upsert(
            PreJobModule,
            {"program": program, "order": module["order"]},
            pick(module, MODULE_TEXTS),
            pick(module, MODULE_CREATE_ONLY),
        )
    for item in data["cycles"]:
        cycle, is_new = loader.upsert(
            CycleTemplate,
            {"program": program, "number": item["number"]},
            pick(item, CYCLE_TEXTS),
            pick(item, CYCLE_CREATE_ONLY),
        )
        if is_new:  # the focus is HR's to change once the cycle exists
            cycle.focus_indicators.set(_focus_indicators(Indicator, item["focus_indicators"]))
        for activity in item["activities"]:
            loader.upsert(
                ActivityTemplate,
                {"cycle": cycle, "batch": None, "order": activity["order"]},
                pick(activity, ACTIVITY_TEXTS),
                pick(activity, ACTIVITY_CREATE_ONLY),
            )
    return loader.counts
