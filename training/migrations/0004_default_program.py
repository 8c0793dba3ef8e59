"""Ship the default four-cycle onboarding program (DOMAIN.md §3): pre-job modules, four cycles with
their goals, KASH focus indicators, gate criteria and activities."""

from django.db import migrations

from training.programs import apply_program, load_program


def apply_default_program(apps, schema_editor):
    apply_program(
        apps.get_model("training", "Program"),
        apps.get_model("training", "PreJobModule"),
        apps.get_model("training", "CycleTemplate"),
        apps.get_model("training", "ActivityTemplate"),
        apps.get_model("training", "Indicator"),
    )


def remove_default_program(apps, schema_editor):
    """Delete the shipped program (its modules, cycles and activities cascade), unless a batch
    already follows it: then it stays, with everything HR changed."""
    Program = apps.get_model("training", "Program")
    Program.objects.filter(code=load_program()["code"], batches__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_default_framework"),
        ("training", "0003_onboarding"),
    ]

    operations = [
        migrations.RunPython(apply_default_program, remove_default_program),
    ]
