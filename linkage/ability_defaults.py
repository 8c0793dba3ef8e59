"""The shipped mapping of the four abilities (issue 12 §8) and the targets of the shipped linkage roles.

Each ability stands on KASH indicators of the shipped framework (training/framework.json) and on the drill
results of playbooks of a kind, with weights; HR changes them in the admin. apply_ability_defaults() takes an app
registry, so data migration 0004 passes its historical ``apps`` and the post_migrate restore after a flush passes
the running one. Indicators and roles that do not exist are skipped; rows that exist are kept as HR left them."""

from decimal import Decimal

# ability → [(KASH indicator code or "drills:<playbook kind>", weight)]
SOURCES = {
    "business": [("products", 2), ("selling", 2), ("policy-compliance", 1), ("systems", 1), ("drills:marketing", 2)],
    "service": [("service-attitude", 2), ("communication-4c", 2), ("problem-solving", 1), ("after-call-work", 1)],
    "incident": [("incident-handling", 2), ("resilience", 1), ("policy-compliance", 1), ("drills:incident", 2)],
    "collaboration": [
        ("linkage-handoff", 2),
        ("ownership", 1),
        ("communication-4c", 1),
        ("drills:marketing", 1),
        ("drills:incident", 1),
    ],
}

# role code → (business, service, incident, collaboration) on the 1–5 scale
TARGETS = {
    "front-line-agent": ("3.0", "3.5", "3.0", "3.0"),
    "second-line-specialist": ("4.0", "4.0", "3.5", "3.5"),
    "supervisor": ("4.0", "4.0", "4.0", "4.0"),
    "floor-manager": ("3.5", "4.0", "4.0", "4.0"),
    "qa": ("3.5", "4.0", "3.0", "3.0"),
    "lobby-staff": ("3.0", "3.5", "3.0", "3.5"),
}
ABILITIES = ("business", "service", "incident", "collaboration")


def apply_ability_defaults(apps):
    """Create the shipped sources and targets that are missing; returns the number of rows created."""
    Indicator = apps.get_model("training", "Indicator")
    LinkageRole = apps.get_model("linkage", "LinkageRole")
    AbilitySource = apps.get_model("linkage", "AbilitySource")
    AbilityTarget = apps.get_model("linkage", "AbilityTarget")
    indicators = dict(Indicator.objects.values_list("code", "pk"))
    created = 0
    for ability, inputs in SOURCES.items():
        for name, weight in inputs:
            if name.startswith("drills:"):
                lookup = {"ability": ability, "indicator": None, "drill_kind": name.removeprefix("drills:")}
            elif name in indicators:
                lookup = {"ability": ability, "indicator_id": indicators[name], "drill_kind": ""}
            else:
                continue
            created += AbilitySource.objects.get_or_create(**lookup, defaults={"weight": weight})[1]
    roles = dict(LinkageRole.objects.filter(code__in=TARGETS).values_list("code", "pk"))
    for code, targets in TARGETS.items():
        if code not in roles:
            continue
        for ability, target in zip(ABILITIES, targets, strict=True):
            created += AbilityTarget.objects.get_or_create(
                role_id=roles[code], ability=ability, defaults={"target": Decimal(target)}
            )[1]
    return created


def remove_ability_defaults(apps):
    """Undo migration 0004: the shipped sources and targets (HR's own rows stay)."""
    Indicator = apps.get_model("training", "Indicator")
    AbilitySource = apps.get_model("linkage", "AbilitySource")
    AbilityTarget = apps.get_model("linkage", "AbilityTarget")
    for ability, inputs in SOURCES.items():
        for name, _weight in inputs:
            if name.startswith("drills:"):
                AbilitySource.objects.filter(ability=ability, drill_kind=name.removeprefix("drills:")).delete()
            else:
                indicator = Indicator.objects.filter(code=name).first()
                AbilitySource.objects.filter(ability=ability, indicator=indicator).delete()
    for code in TARGETS:
        AbilityTarget.objects.filter(role__code=code).delete()
