# Placeholder for changes to improvement/models/followup.py during development (hand-written operations).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("improvement", "0004_tasks_changes")]

    operations = []
