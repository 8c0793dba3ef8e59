"""Ship the role-linkage defaults (issue 12, seed 000): the linkage roles (mapped to the positions that exist), the
signal glossary, and the two default playbooks — marketing 发掘 → 引导 → 精讲 and incident 预警 → 调解 → 稳控 — as
published version 1, bilingual. Rerun load_linkage_defaults once positions exist to map the roles to them."""

from django.db import migrations

from linkage.defaults import apply_defaults, remove_defaults


def apply_default_playbooks(apps, schema_editor):
    apply_defaults(apps)


def remove_default_playbooks(apps, schema_editor):
    remove_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0001_playbooks"),
        ("staff", "0004_import_jobs"),
        ("training", "0006_glossary_texts"),
    ]

    operations = [migrations.RunPython(apply_default_playbooks, remove_default_playbooks)]
