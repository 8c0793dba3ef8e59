"""The shipped authority grades, scenarios (seed 003) and matrix of limits (issue 13 §3); HR changes them in the
admin. apply_authority_defaults() takes an app registry, so data migration 0008 passes its historical ``apps`` and
the post_migrate restore after a flush passes the running one. Rows that exist are kept as HR left them."""

from contextlib import suppress
from decimal import Decimal

from django.db.models import ProtectedError

# code, English, Chinese, rank, QA sampling rate (lower grades are sampled more: seed 003's spot checks)
GRADES = [
    ("g1", "G1 agent", "G1 坐席", 1, "0.100"),
    ("g2", "G2 senior agent", "G2 资深坐席", 2, "0.080"),
    ("g3", "G3 supervisor", "G3 班长", 3, "0.050"),
    ("g4", "G4 manager", "G4 经理", 4, "0.050"),
]

# code, English name, Chinese name, English standard, Chinese standard, from, up to
SCENARIOS = [
    (
        "fee-charged-in-error",
        "Fee charged in error",
        "误收费用",
        "Refund up to ¥50, or a coupon of ¥10–30.",
        "退款不超过50元，或发放10–30元补偿券。",
        "0",
        "50",
    ),
    (
        "cleaning-complaint",
        "Cleaning not done properly",
        "保洁不到位投诉",
        "A coupon of ¥10–30 after the complaint is confirmed.",
        "投诉核实后发放10–30元补偿券。",
        "10",
        "30",
    ),
    (
        "service-delay",
        "Service delayed past the promised time",
        "服务超时未履约",
        "A coupon of ¥10–20.",
        "发放10–20元补偿券。",
        "10",
        "20",
    ),
    (
        "system-fault",
        "A system fault hindered the customer",
        "系统故障影响客户",
        "A coupon of ¥10–50, by the impact on the customer.",
        "按影响程度发放10–50元补偿券。",
        "10",
        "50",
    ),
]

# grade → risk → (share of the scenario's standard maximum per use, uses per day, days per month); no entry: the
# grade may not issue alone at that risk level.
SHARES = {
    "g1": {"low": ("0.6", 3, 10), "medium": ("0.4", 2, 10)},
    "g2": {"low": ("1", 4, 12), "medium": ("0.8", 3, 12), "high": ("0.5", 2, 10)},
    "g3": {"low": ("1", 10, 15), "medium": ("1", 8, 15), "high": ("1", 5, 15)},
    "g4": {"low": ("1", 30, 20), "medium": ("1", 30, 20), "high": ("1", 20, 20)},
}


def apply_authority_defaults(apps):
    """Create the shipped grades, scenarios and limits that are missing; returns the number of rows created."""
    Grade = apps.get_model("linkage", "Grade")
    Scenario = apps.get_model("linkage", "Scenario")
    AuthorityLimit = apps.get_model("linkage", "AuthorityLimit")
    created = 0
    grades = {}
    for code, name_en, name_zh, rank, rate in GRADES:
        grades[code], made = Grade.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_zh": name_zh, "rank": rank, "qa_rate": Decimal(rate)}
        )
        created += made
    for code, name_en, name_zh, standard_en, standard_zh, low, high in SCENARIOS:
        scenario, made = Scenario.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_zh": name_zh,
                "standard_en": standard_en,
                "standard_zh": standard_zh,
                "standard_min": Decimal(low),
                "standard_max": Decimal(high),
            },
        )
        created += made
        for grade_code, risks in SHARES.items():
            for risk, (share, uses, days) in risks.items():
                per_use = (scenario.standard_max * Decimal(share)).quantize(Decimal("1"))
                created += AuthorityLimit.objects.get_or_create(
                    grade=grades[grade_code],
                    scenario=scenario,
                    risk=risk,
                    defaults={"per_use": per_use, "per_day": per_use * uses, "per_month": per_use * uses * days},
                )[1]
    return created


def remove_authority_defaults(apps):
    """Reverse of the data migration: the shipped rows nobody has used (a used grade or scenario is kept)."""
    apps.get_model("linkage", "AuthorityLimit").objects.filter(
        grade__code__in=[g[0] for g in GRADES], scenario__code__in=[s[0] for s in SCENARIOS]
    ).delete()
    for model, codes in (("Scenario", [s[0] for s in SCENARIOS]), ("Grade", [g[0] for g in GRADES])):
        for row in apps.get_model("linkage", model).objects.filter(code__in=codes):
            with suppress(ProtectedError):  # named by a ledger row or a holding: kept
                row.delete()
