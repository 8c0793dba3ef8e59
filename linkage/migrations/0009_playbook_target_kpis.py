from django.db import migrations, models

# What the shipped playbooks should move (insights compares drilled and not-yet-drilled teams on these).
SHIPPED_TARGETS = {
    "customer-marketing": ["fcr", "csat"],
    "incident-handling": ["escalation_rate", "fcr"],
}


def set_targets(apps, schema_editor):
    Playbook, Kpi = apps.get_model("linkage", "Playbook"), apps.get_model("kpis", "Kpi")
    for playbook in Playbook.objects.filter(code__in=SHIPPED_TARGETS):
        if not playbook.target_kpis.exists():
            playbook.target_kpis.add(*Kpi.objects.filter(code__in=SHIPPED_TARGETS[playbook.code]))


def remove(apps, schema_editor):
    """The reverse: the playbooks' target KPIs go (so the shipped playbooks can be removed by 0002's reverse)."""
    apps.get_model("linkage", "Playbook").target_kpis.through.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0004_agent_day_from_platform"),
        ("linkage", "0008_authority_defaults"),
    ]

    operations = [
        migrations.AddField(
            model_name="playbook",
            name="target_kpis",
            field=models.ManyToManyField(
                blank=True,
                help_text="The KPIs this playbook should move: insights compares drilled and not-yet-drilled teams "
                "on them.",
                related_name="+",
                to="kpis.kpi",
                verbose_name="KPIs it targets",
            ),
        ),
        migrations.RunPython(set_targets, remove),
    ]
