# Placeholder for changes to improvement/models/initiatives.py during development (hand-written operations).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("improvement", "0002_suggestions_changes")]

    operations = []
