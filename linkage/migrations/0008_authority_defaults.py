"""Ship the authority grades G1–G4, the scenarios of seed 003 and the matrix of limits (issue 13 §3);
linkage.apps restores them after a flush."""

from django.db import migrations

from linkage.authority_defaults import apply_authority_defaults, remove_authority_defaults


def apply(apps, schema_editor):
    apply_authority_defaults(apps)


def remove(apps, schema_editor):
    remove_authority_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("linkage", "0007_case_defaults")]

    operations = [migrations.RunPython(apply, remove)]
