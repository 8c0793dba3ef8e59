"""Issue 15 §4: PK competitions — competitions, participants, standings, the winner's honour and the reward split."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incentives", "0002_honours"),
        ("kpis", "0004_agent_day_from_platform"),
        ("staff", "0004_import_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PkCompetition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("team", "Team vs team"),
                            ("site", "Site vs site"),
                            ("external", "External project PK"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("starts_on", models.DateField(verbose_name="starts on")),
                ("ends_on", models.DateField(verbose_name="ends on")),
                (
                    "metric",
                    models.CharField(
                        choices=[
                            ("kpi", "A KPI"),
                            ("first_contact", "Cases resolved at first contact"),
                            ("converted", "Conversions"),
                            ("stabilised", "Incidents stabilised"),
                            ("manual", "Results entered by hand"),
                        ],
                        max_length=16,
                        verbose_name="metric",
                    ),
                ),
                (
                    "is_lower_better",
                    models.BooleanField(
                        default=False, help_text="For a KPI its own direction applies.", verbose_name="lower is better"
                    ),
                ),
                (
                    "normalisation",
                    models.CharField(
                        choices=[
                            ("none", "None (the count itself)"),
                            ("agent", "Per agent"),
                            ("contacts", "Per 100 contacts"),
                        ],
                        default="agent",
                        max_length=10,
                        verbose_name="normalisation",
                    ),
                ),
                (
                    "minimum_volume",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        help_text="Below it (calls, responses, head count …) a participant is not ranked.",
                        max_digits=14,
                        verbose_name="minimum volume to rank",
                    ),
                ),
                (
                    "pool_unit",
                    models.CharField(
                        choices=[("cny", "Yuan (CNY)"), ("points", "Points")],
                        default="cny",
                        max_length=8,
                        verbose_name="reward pool in",
                    ),
                ),
                ("pool", models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="reward pool")),
                (
                    "cap_per_person",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="cap per person"
                    ),
                ),
                ("weight_cases", models.PositiveSmallIntegerField(default=1, verbose_name="weight of cases owned")),
                (
                    "weight_handoffs",
                    models.PositiveSmallIntegerField(default=1, verbose_name="weight of hand-off steps carried"),
                ),
                ("weight_calls", models.PositiveSmallIntegerField(default=1, verbose_name="weight of calls handled")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("closed", "Closed")],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("idempotency_key", models.CharField(blank=True, editable=False, max_length=80)),
                ("refreshed_at", models.DateTimeField(blank=True, null=True, verbose_name="standings refreshed at")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed at")),
                (
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="closed by",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="organiser",
                    ),
                ),
                (
                    "kpi",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="kpis.kpi",
                        verbose_name="KPI",
                    ),
                ),
            ],
            options={
                "verbose_name": "PK competition",
                "verbose_name_plural": "PK competitions",
                "ordering": ["-starts_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="PkParticipant",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "manual_value",
                    models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name="result"),
                ),
                (
                    "manual_volume",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="volume"),
                ),
                ("entered_at", models.DateTimeField(blank=True, null=True, verbose_name="entered at")),
                (
                    "competition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participants",
                        to="incentives.pkcompetition",
                        verbose_name="competition",
                    ),
                ),
                (
                    "entered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="entered by",
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
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
                        related_name="+",
                        to="staff.team",
                        verbose_name="team",
                    ),
                ),
            ],
            options={
                "verbose_name": "PK participant",
                "verbose_name_plural": "PK participants",
                "ordering": ["competition", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PkHonour",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="honour title")),
                ("awarded_at", models.DateTimeField(verbose_name="awarded at")),
                (
                    "competition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="honours",
                        to="incentives.pkcompetition",
                        verbose_name="competition",
                    ),
                ),
                (
                    "participant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="incentives.pkparticipant",
                        verbose_name="winner",
                    ),
                ),
            ],
            options={
                "verbose_name": "PK honour",
                "verbose_name_plural": "PK honours",
                "ordering": ["-awarded_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="PkAward",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(blank=True, max_length=120, verbose_name="role")),
                ("cases_owned", models.PositiveIntegerField(default=0, verbose_name="cases owned")),
                ("handoffs_carried", models.PositiveIntegerField(default=0, verbose_name="hand-off steps carried")),
                ("calls_handled", models.PositiveIntegerField(default=0, verbose_name="calls handled")),
                ("share", models.DecimalField(decimal_places=6, max_digits=9, verbose_name="workload share")),
                ("amount_units", models.PositiveBigIntegerField(verbose_name="amount (fen or points)")),
                ("is_capped", models.BooleanField(default=False, verbose_name="at the cap")),
                (
                    "employee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="staff.employee",
                        verbose_name="employee",
                    ),
                ),
                (
                    "competition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="awards",
                        to="incentives.pkcompetition",
                        verbose_name="competition",
                    ),
                ),
                (
                    "participant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="awards",
                        to="incentives.pkparticipant",
                        verbose_name="winner",
                    ),
                ),
            ],
            options={
                "verbose_name": "PK award",
                "verbose_name_plural": "PK awards",
                "ordering": ["competition", "-amount_units", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Standing",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("rank", models.PositiveIntegerField(blank=True, null=True, verbose_name="rank")),
                (
                    "value",
                    models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, verbose_name="value"),
                ),
                ("volume", models.DecimalField(decimal_places=2, default=0, max_digits=20, verbose_name="volume")),
                (
                    "not_ranked",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("no_data", "No data in the period"),
                            ("low_volume", "Volume below the minimum to rank"),
                        ],
                        max_length=12,
                        verbose_name="not ranked because",
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0, verbose_name="position")),
                ("refreshed_at", models.DateTimeField(verbose_name="refreshed at")),
                (
                    "competition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="standings",
                        to="incentives.pkcompetition",
                        verbose_name="competition",
                    ),
                ),
                (
                    "participant",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="standing",
                        to="incentives.pkparticipant",
                        verbose_name="participant",
                    ),
                ),
            ],
            options={
                "verbose_name": "standing",
                "verbose_name_plural": "standings",
                "ordering": ["competition", "position"],
            },
        ),
        migrations.AddIndex(
            model_name="pkcompetition",
            index=models.Index(fields=["status", "ends_on"], name="pk_status_ends_idx"),
        ),
        migrations.AddConstraint(
            model_name="pkcompetition",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="pk_period_in_order"
            ),
        ),
        migrations.AddConstraint(
            model_name="pkcompetition",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("metric", "kpi"), _negated=True), ("kpi__isnull", False), _connector="OR"),
                name="pk_kpi_named",
            ),
        ),
        migrations.AddConstraint(
            model_name="pkcompetition",
            constraint=models.CheckConstraint(condition=models.Q(("pool__gte", 0)), name="pk_pool_not_negative"),
        ),
        migrations.AddConstraint(
            model_name="pkcompetition",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "closed"), ("closed_at__isnull", False)),
                    models.Q(("status", "open"), ("closed_at", None)),
                    _connector="OR",
                ),
                name="pk_closed_has_time",
            ),
        ),
        migrations.AddConstraint(
            model_name="pkcompetition",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("created_by", "idempotency_key"),
                name="pk_idempotency_key_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="pkparticipant",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("team__isnull", False), ("site", None)),
                    models.Q(("team", None), ("site__isnull", False)),
                    _connector="OR",
                ),
                name="pk_participant_team_or_site",
            ),
        ),
        migrations.AddConstraint(
            model_name="pkparticipant",
            constraint=models.UniqueConstraint(fields=("competition", "team"), name="pk_participant_team_once"),
        ),
        migrations.AddConstraint(
            model_name="pkparticipant",
            constraint=models.UniqueConstraint(fields=("competition", "site"), name="pk_participant_site_once"),
        ),
        migrations.AddConstraint(
            model_name="pkhonour",
            constraint=models.UniqueConstraint(fields=("competition", "participant"), name="pk_honour_once"),
        ),
        migrations.AddConstraint(
            model_name="pkaward",
            constraint=models.UniqueConstraint(fields=("participant", "employee"), name="pk_award_once"),
        ),
        migrations.AddIndex(
            model_name="standing",
            index=models.Index(fields=["competition", "position"], name="pk_standing_position_idx"),
        ),
    ]
