from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incentives", "0005_rules_and_rituals"),
        ("staff", "0004_import_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="redemption",
            name="idempotency_key",
            field=models.CharField(blank=True, editable=False, max_length=80, verbose_name="idempotency key"),
        ),
        migrations.AddConstraint(
            model_name="redemption",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("employee", "idempotency_key"),
                name="redemption_idempotency_key_once",
            ),
        ),
    ]
