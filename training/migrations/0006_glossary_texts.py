"""Restore the shipped Chinese texts of the KASH framework and the onboarding program after the glossary
(locale/GLOSSARY.md): 班长 for supervisor, 带教老师 for mentor, 通关 for the gate. Applying a shipped data set
only rewrites the shipped texts that differ, so a database already up to date writes nothing."""

from django.db import migrations

from training.framework import apply_framework
from training.programs import apply_program


def restore_shipped_texts(apps, schema_editor):
    Indicator = apps.get_model("training", "Indicator")
    apply_framework(Indicator, apps.get_model("training", "RubricLevel"), apps.get_model("training", "SourceWeight"))
    apply_program(
        apps.get_model("training", "Program"),
        apps.get_model("training", "PreJobModule"),
        apps.get_model("training", "CycleTemplate"),
        apps.get_model("training", "ActivityTemplate"),
        Indicator,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0005_idempotency_keys"),
    ]

    operations = [
        migrations.RunPython(restore_shipped_texts, migrations.RunPython.noop),
    ]
