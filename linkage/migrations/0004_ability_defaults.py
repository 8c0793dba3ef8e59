"""Ship the four abilities' mapping to the default KASH indicators and drill kinds, and the targets of the shipped
linkage roles (issue 12 §8); linkage.apps restores them after a flush."""

from django.db import migrations

from linkage.ability_defaults import apply_ability_defaults, remove_ability_defaults


def apply(apps, schema_editor):
    apply_ability_defaults(apps)


def remove(apps, schema_editor):
    remove_ability_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0003_drills_levels_abilities"),
        ("training", "0002_default_framework"),
    ]

    operations = [migrations.RunPython(apply, remove)]
