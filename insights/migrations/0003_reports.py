from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("insights", "0002_cohort_aggregates")]

    operations = []
