"""Ship a few case categories (bilingual, with their targets) and two escalation levels: the team's supervisor at the
breach, the floor manager two hours later (issue 13 §2). linkage.apps restores them after a flush when no case
category exists; HR changes them in the admin."""

from django.db import migrations

CATEGORIES = [
    # code, English, Chinese, first response (min), resolved within (h), remind before (min), complaint
    ("fee-dispute", "Fee dispute", "费用争议", 30, 48, 120, False),
    ("card", "Card problem", "卡片问题", 30, 24, 60, False),
    ("complaint", "Complaint", "投诉", 15, 24, 120, True),
    ("product-enquiry", "Product enquiry", "产品咨询", 60, 72, 240, False),
]
LEVELS = [(1, "supervisor", 0), (2, "floor-manager", 120)]  # number, linkage role, minutes after the breach


def apply_case_defaults(apps):
    """Write the shipped categories and levels (a level whose role is missing is skipped); idempotent."""
    category = apps.get_model("linkage", "CaseCategory")
    level = apps.get_model("linkage", "EscalationLevel")
    role = apps.get_model("linkage", "LinkageRole")
    for order, (code, name_en, name_zh, first, hours, before, complaint) in enumerate(CATEGORIES, start=1):
        category.objects.update_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_zh": name_zh,
                "first_response_minutes": first,
                "resolution_hours": hours,
                "remind_before_minutes": before,
                "is_complaint": complaint,
                "order": order,
            },
        )
    for number, role_code, after in LEVELS:
        found = role.objects.filter(code=role_code).first()
        if found is not None and not level.objects.filter(number=number).exists():
            level.objects.create(number=number, role=found, after_minutes=after)


def apply(apps, schema_editor):
    apply_case_defaults(apps)


def remove(apps, schema_editor):
    apps.get_model("linkage", "EscalationLevel").objects.filter(number__in=[n for n, _r, _a in LEVELS]).delete()
    apps.get_model("linkage", "CaseCategory").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("linkage", "0006_cases_authority_qa")]

    operations = [migrations.RunPython(apply, remove)]
