"""Issue 15 §5: pulse surveys — surveys, questions, waves, who answered (PulseRespondent) and the answers as counts
with no respondent (PulseTally), and the alerts raised once per wave, group and factor."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incentives", "0003_pk"),
        ("staff", "0004_import_jobs"),
    ]

    operations = [
        migrations.CreateModel(
            name="Survey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "intro",
                    models.TextField(blank=True, help_text="Shown above the questions.", verbose_name="introduction"),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True, help_text="New waves open only while active.", verbose_name="active"
                    ),
                ),
                ("starts_on", models.DateField(verbose_name="first wave opens on")),
                (
                    "every_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(7),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="a new wave every (days)",
                    ),
                ),
                (
                    "open_days",
                    models.PositiveSmallIntegerField(
                        default=7,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="each wave open for (days)",
                    ),
                ),
                (
                    "alert_below",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("3.00"),
                        help_text="A factor whose group average falls below this raises an alert.",
                        max_digits=3,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                        verbose_name="alert below",
                    ),
                ),
                (
                    "alert_drop",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.50"),
                        help_text="A factor falling this much since the previous wave raises an alert.",
                        max_digits=3,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.1")),
                            django.core.validators.MaxValueValidator(4),
                        ],
                        verbose_name="alert on a drop of",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "site",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty to ask the whole centre.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="staff.site",
                        verbose_name="site",
                    ),
                ),
            ],
            options={
                "verbose_name": "pulse survey",
                "verbose_name_plural": "pulse surveys",
                "ordering": ["name", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Question",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.CharField(max_length=200, verbose_name="question")),
                (
                    "factor",
                    models.CharField(
                        choices=[
                            ("policy", "Company policy and administration"),
                            ("supervision", "Supervision"),
                            ("pay", "Pay"),
                            ("working_conditions", "Working conditions"),
                            ("relations", "Interpersonal relations"),
                            ("achievement", "Achievement"),
                            ("recognition", "Recognition"),
                            ("work_itself", "Work itself"),
                            ("responsibility", "Responsibility"),
                            ("advancement", "Advancement"),
                            ("growth", "Growth"),
                        ],
                        max_length=20,
                        verbose_name="factor",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="questions",
                        to="incentives.survey",
                        verbose_name="survey",
                    ),
                ),
            ],
            options={
                "verbose_name": "pulse question",
                "verbose_name_plural": "pulse questions",
                "ordering": ["survey", "order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Wave",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField(verbose_name="wave")),
                ("opens_on", models.DateField(verbose_name="opens on")),
                ("closes_on", models.DateField(verbose_name="closes on")),
                ("invited", models.PositiveIntegerField(default=0, verbose_name="invited")),
                ("evaluated_at", models.DateTimeField(blank=True, null=True, verbose_name="alerts checked at")),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="waves",
                        to="incentives.survey",
                        verbose_name="survey",
                    ),
                ),
            ],
            options={
                "verbose_name": "pulse wave",
                "verbose_name_plural": "pulse waves",
                "ordering": ["survey", "-number"],
            },
        ),
        migrations.CreateModel(
            name="PulseTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                        verbose_name="score",
                    ),
                ),
                ("count", models.PositiveIntegerField(default=0, verbose_name="count")),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="staff.site",
                        verbose_name="site",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="staff.team",
                        verbose_name="team",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="incentives.question",
                        verbose_name="question",
                    ),
                ),
                (
                    "wave",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tallies",
                        to="incentives.wave",
                        verbose_name="wave",
                    ),
                ),
            ],
            options={
                "verbose_name": "pulse tally",
                "verbose_name_plural": "pulse tallies",
            },
        ),
        migrations.CreateModel(
            name="PulseRespondent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "employee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="staff.employee",
                        verbose_name="employee",
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="staff.site",
                        verbose_name="site",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="staff.team",
                        verbose_name="team",
                    ),
                ),
                (
                    "wave",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="respondents",
                        to="incentives.wave",
                        verbose_name="wave",
                    ),
                ),
            ],
            options={
                "verbose_name": "pulse respondent",
                "verbose_name_plural": "pulse respondents",
            },
        ),
        migrations.CreateModel(
            name="PulseAlert",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("group_key", models.CharField(max_length=30, verbose_name="group")),
                (
                    "factor",
                    models.CharField(
                        choices=[
                            ("policy", "Company policy and administration"),
                            ("supervision", "Supervision"),
                            ("pay", "Pay"),
                            ("working_conditions", "Working conditions"),
                            ("relations", "Interpersonal relations"),
                            ("achievement", "Achievement"),
                            ("recognition", "Recognition"),
                            ("work_itself", "Work itself"),
                            ("responsibility", "Responsibility"),
                            ("advancement", "Advancement"),
                            ("growth", "Growth"),
                        ],
                        max_length=20,
                        verbose_name="factor",
                    ),
                ),
                ("average", models.DecimalField(decimal_places=2, max_digits=3, verbose_name="average")),
                (
                    "previous",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=3, null=True, verbose_name="previous wave"
                    ),
                ),
                ("is_below", models.BooleanField(default=False, verbose_name="below the threshold")),
                ("has_dropped", models.BooleanField(default=False, verbose_name="dropped sharply")),
                (
                    "owner",
                    models.CharField(
                        choices=[("hr", "HR"), ("supervisor", "The team's supervisor")],
                        max_length=12,
                        verbose_name="owner",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="raised at")),
                (
                    "site",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="staff.site",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="staff.team",
                    ),
                ),
                (
                    "wave",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="alerts",
                        to="incentives.wave",
                        verbose_name="wave",
                    ),
                ),
            ],
            options={
                "verbose_name": "pulse alert",
                "verbose_name_plural": "pulse alerts",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="survey",
            constraint=models.CheckConstraint(
                condition=models.Q(("open_days__lte", models.F("every_days"))), name="pulse_window_fits"
            ),
        ),
        migrations.AddConstraint(
            model_name="wave",
            constraint=models.UniqueConstraint(fields=("survey", "number"), name="pulse_wave_number_once"),
        ),
        migrations.AddConstraint(
            model_name="wave",
            constraint=models.CheckConstraint(
                condition=models.Q(("closes_on__gte", models.F("opens_on"))), name="pulse_wave_dates"
            ),
        ),
        migrations.AddConstraint(
            model_name="pulsetally",
            constraint=models.UniqueConstraint(fields=("wave", "question", "team", "score"), name="pulse_tally_once"),
        ),
        migrations.AddConstraint(
            model_name="pulsetally",
            constraint=models.CheckConstraint(
                condition=models.Q(("score__gte", 1), ("score__lte", 5)), name="pulse_tally_score"
            ),
        ),
        migrations.AddIndex(
            model_name="pulserespondent",
            index=models.Index(fields=["wave", "team"], name="pulse_respondent_group_idx"),
        ),
        migrations.AddConstraint(
            model_name="pulserespondent",
            constraint=models.UniqueConstraint(fields=("wave", "employee"), name="pulse_answer_once"),
        ),
        migrations.AddIndex(
            model_name="pulsealert",
            index=models.Index(fields=["team", "-created_at"], name="pulse_alert_team_idx"),
        ),
        migrations.AddConstraint(
            model_name="pulsealert",
            constraint=models.UniqueConstraint(fields=("wave", "group_key", "factor"), name="pulse_alert_once"),
        ),
    ]
