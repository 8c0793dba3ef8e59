"""Each shipped published playbook becomes a cycle-3 activity of the shipped onboarding program (issue 12 §5)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from linkage.defaults import give_playbook_activities

    give_playbook_activities(apps)


def backwards(apps, schema_editor):
    apps.get_model("training", "ActivityTemplate").objects.filter(key__startswith="linkage-playbook:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0004_ability_defaults"),
        ("training", "0007_activities_kept_by_other_apps"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
