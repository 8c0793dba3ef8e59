"""Issue 15 §3: the honour system — award programmes and their nominations."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incentives", "0001_initial"),
        ("staff", "0004_import_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AwardProgramme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("daily_team_star", "Daily team star"),
                            ("monthly_award", "Monthly award"),
                            ("annual_award", "Annual award"),
                            ("role_model", "Role model of the quarter"),
                            ("project_pk", "External project PK honour"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name (English)")),
                ("name_zh", models.CharField(blank=True, max_length=120, verbose_name="name (Chinese)")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("criteria", models.TextField(blank=True, verbose_name="criteria")),
                ("starts_on", models.DateField(verbose_name="period starts")),
                ("ends_on", models.DateField(verbose_name="period ends")),
                ("opens_on", models.DateField(verbose_name="nominations open")),
                ("closes_on", models.DateField(verbose_name="nominations close")),
                (
                    "nominators",
                    models.CharField(
                        choices=[("everyone", "Everyone"), ("supervisors", "Supervisors"), ("hr", "HR only")],
                        default="everyone",
                        max_length=12,
                        verbose_name="who may nominate",
                    ),
                ),
                (
                    "decided_by",
                    models.CharField(
                        choices=[("hr", "HR"), ("named", "A named decider")],
                        default="hr",
                        max_length=8,
                        verbose_name="who decides",
                    ),
                ),
                ("winners", models.PositiveSmallIntegerField(default=1, verbose_name="number of winners")),
                (
                    "points",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Credited on the points ledger when a winner is decided.",
                        verbose_name="points for each winner",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="shown")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "decider",
                    models.ForeignKey(
                        blank=True,
                        help_text="Only when a named decider decides.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="award_programmes_decided",
                        to="staff.employee",
                        verbose_name="decider",
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave site and team empty for the whole centre.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="award_programmes",
                        to="staff.site",
                        verbose_name="site",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="award_programmes",
                        to="staff.team",
                        verbose_name="team",
                    ),
                ),
            ],
            options={
                "verbose_name": "award programme",
                "verbose_name_plural": "award programmes",
                "ordering": ["-closes_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Nomination",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.TextField(verbose_name="reason")),
                ("evidence", models.TextField(blank=True, verbose_name="evidence")),
                (
                    "status",
                    models.CharField(
                        choices=[("nominated", "Nominated"), ("won", "Winner"), ("not_chosen", "Not chosen")],
                        default="nominated",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                ("decision_note", models.CharField(blank=True, max_length=500, verbose_name="decision note")),
                (
                    "idempotency_key",
                    models.CharField(blank=True, editable=False, max_length=80, verbose_name="idempotency key"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="nominated at")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "nominator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="nominated by",
                    ),
                ),
                (
                    "nominee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="nominations",
                        to="staff.employee",
                        verbose_name="nominee",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="nominations",
                        to="incentives.awardprogramme",
                        verbose_name="award programme",
                    ),
                ),
                (
                    "recognition",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="nominations",
                        to="incentives.recognition",
                        verbose_name="recognition cited",
                    ),
                ),
            ],
            options={
                "verbose_name": "nomination",
                "verbose_name_plural": "nominations",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddIndex(
            model_name="awardprogramme",
            index=models.Index(fields=["opens_on", "closes_on"], name="award_programme_window_idx"),
        ),
        migrations.AddConstraint(
            model_name="awardprogramme",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="award_programme_period"
            ),
        ),
        migrations.AddConstraint(
            model_name="awardprogramme",
            constraint=models.CheckConstraint(
                condition=models.Q(("closes_on__gte", models.F("opens_on"))), name="award_programme_window"
            ),
        ),
        migrations.AddConstraint(
            model_name="awardprogramme",
            constraint=models.CheckConstraint(
                condition=models.Q(("winners__gte", 1)), name="award_programme_has_winners"
            ),
        ),
        migrations.AddConstraint(
            model_name="awardprogramme",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decided_by", "named"), ("decider__isnull", False)),
                    models.Q(("decided_by", "hr"), ("decider", None)),
                    _connector="OR",
                ),
                name="award_programme_named_decider",
            ),
        ),
        migrations.AddConstraint(
            model_name="awardprogramme",
            constraint=models.CheckConstraint(
                condition=models.Q(("site", None), ("team", None), _connector="OR"), name="award_programme_one_scope"
            ),
        ),
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(fields=["programme", "status"], name="nomination_programme_idx"),
        ),
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(fields=["nominee", "status", "-decided_at"], name="nomination_nominee_idx"),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.UniqueConstraint(fields=("programme", "nominator", "nominee"), name="nomination_once"),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decided_at", None), ("status", "nominated")),
                    models.Q(models.Q(("status", "nominated"), _negated=True), ("decided_at__isnull", False)),
                    _connector="OR",
                ),
                name="nomination_decided_has_time",
            ),
        ),
    ]
