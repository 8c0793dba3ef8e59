from django.db import migrations, models

FEED_NAME = "linkage:cases"  # linkage.services.kpi_feed.FEED_NAME as it stood: the feed's ingests, actor None


def mark_derived_rows(apps, schema_editor):
    """The rows the cases feed stored before the flag existed were told apart by their ingest."""
    AgentDay = apps.get_model("kpis", "AgentDay")
    AgentDay.objects.filter(ingest__file_name=FEED_NAME, ingest__actor__isnull=True).update(from_platform=False)


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0003_ingest_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="agentday",
            name="from_platform",
            field=models.BooleanField(
                default=True,
                db_default=True,
                help_text="Off for a row the product derived from its cases; the platform's row for the day replaces it.",
                verbose_name="sent by the platform",
            ),
        ),
        migrations.RunPython(mark_derived_rows, migrations.RunPython.noop),
    ]
