from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incentives", "0005_rules_and_rituals")]

    operations = []
