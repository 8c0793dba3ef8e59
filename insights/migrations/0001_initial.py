from django.db import migrations


class Migration(migrations.Migration):
    """The insights app: its tables follow in 0002 (cohort aggregates) and 0003 (reports)."""

    initial = True

    dependencies = []

    operations = []
