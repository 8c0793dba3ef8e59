"""Ship the default KASH framework: 15 indicators with 1-5 rubrics and the default source weights."""

from django.db import migrations

from training.framework import apply_framework, load_data


def apply_default_framework(apps, schema_editor):
    apply_framework(
        apps.get_model("training", "Indicator"),
        apps.get_model("training", "RubricLevel"),
        apps.get_model("training", "SourceWeight"),
    )


def remove_default_framework(apps, schema_editor):
    """Delete the shipped indicators (their rubric levels cascade) and the default source weights.
    An indicator something already refers to (a score, or a position target HR set) is kept, and so
    is a source weight HR has changed from the default."""
    Indicator = apps.get_model("training", "Indicator")
    SourceWeight = apps.get_model("training", "SourceWeight")
    data = load_data()
    codes = [item["code"] for item in data["indicators"]]
    Indicator.objects.filter(code__in=codes, scores__isnull=True, targets__isnull=True).delete()
    for source, weight in data["source_weights"].items():
        SourceWeight.objects.filter(source=source, weight=weight).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("training", "0001_kash_competencies"),
    ]

    operations = [
        migrations.RunPython(apply_default_framework, remove_default_framework),
    ]
