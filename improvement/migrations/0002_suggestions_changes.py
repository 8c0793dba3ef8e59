# Placeholder for changes to improvement/models/suggestions.py during development (hand-written operations).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("improvement", "0001_initial")]

    operations = []
