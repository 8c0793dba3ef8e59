# Placeholder for changes to improvement/models/tasks.py during development (hand-written operations).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("improvement", "0003_initiatives_changes")]

    operations = [
        migrations.AddField(
            model_name="task",
            name="idempotency_key",
            field=models.CharField(blank=True, max_length=80, verbose_name="idempotency key"),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("owner", "idempotency_key"),
                name="task_idempotency_key_once",
            ),
        ),
    ]
