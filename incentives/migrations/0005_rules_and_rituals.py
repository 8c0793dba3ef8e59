"""Issue 15 §8: rules as written — HR's catalogue of reward and penalty rules (shipped defaults loaded once, by
code), the rule a points entry cites, and penalty entries. Issue 15 §1: the welcome and farewell cards the team
signs."""

import django.db.models.deletion
from django.db import migrations, models

import staff.bilingual


def load_rules(apps, schema_editor):
    from incentives.rules_defaults import DEFAULT_RULES

    rule = apps.get_model("incentives", "IncentiveRule")
    for code, kind, points, name_en, name_zh, text_en, text_zh in DEFAULT_RULES:
        rule.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "points": points,
                "name_en": name_en,
                "name_zh": name_zh,
                "text_en": text_en,
                "text_zh": text_zh,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("incentives", "0004_pulse"),
        ("staff", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pointsentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("grant", "Grant"),
                    ("award", "Award"),
                    ("redemption", "Redemption"),
                    ("expiry", "Expiry"),
                    ("reversal", "Reversal"),
                    ("penalty", "Penalty"),
                ],
                max_length=12,
                verbose_name="kind",
            ),
        ),
        migrations.CreateModel(
            name="IncentiveRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                (
                    "kind",
                    models.CharField(
                        choices=[("reward", "Reward"), ("penalty", "Penalty")], max_length=10, verbose_name="kind"
                    ),
                ),
                ("name_en", models.CharField(max_length=120, verbose_name="name (English)")),
                ("name_zh", models.CharField(max_length=120, verbose_name="name (Chinese)")),
                ("text_en", models.TextField(verbose_name="the rule as written (English)")),
                ("text_zh", models.TextField(verbose_name="the rule as written (Chinese)")),
                (
                    "points",
                    models.PositiveIntegerField(
                        help_text="Granted (a reward) or deducted (a penalty) when the rule is applied.",
                        verbose_name="standard points",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "reward or penalty rule",
                "verbose_name_plural": "reward and penalty rules",
                "ordering": ["kind", "code"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("points__gt", 0)), name="incentive_rule_points_positive")
                ],
            },
            bases=(staff.bilingual.Bilingual, models.Model),
        ),
        migrations.AddField(
            model_name="pointsentry",
            name="rule",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="incentives.incentiverule",
                verbose_name="rule cited",
            ),
        ),
        migrations.CreateModel(
            name="TeamCard",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("welcome", "Welcome"), ("farewell", "Farewell")], max_length=10, verbose_name="kind"
                    ),
                ),
                (
                    "on",
                    models.DateField(
                        help_text="The first day (welcome) or the last working day (farewell).", verbose_name="day"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="posted at")),
                (
                    "employee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="staff.employee",
                        verbose_name="for",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="staff.team",
                        verbose_name="team",
                    ),
                ),
            ],
            options={
                "verbose_name": "team card",
                "verbose_name_plural": "team cards",
                "ordering": ["-on", "-pk"],
                "indexes": [models.Index(fields=["team", "-on"], name="team_card_team_idx")],
                "constraints": [models.UniqueConstraint(fields=("kind", "employee", "on"), name="team_card_once")],
            },
        ),
        migrations.CreateModel(
            name="CardSignature",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("message", models.CharField(max_length=200, verbose_name="message")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="signed at")),
                (
                    "signer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="staff.employee",
                        verbose_name="signed by",
                    ),
                ),
                (
                    "card",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signatures",
                        to="incentives.teamcard",
                        verbose_name="card",
                    ),
                ),
            ],
            options={
                "verbose_name": "card signature",
                "verbose_name_plural": "card signatures",
                "ordering": ["created_at", "pk"],
                "constraints": [models.UniqueConstraint(fields=("card", "signer"), name="card_signed_once")],
            },
        ),
        migrations.RunPython(load_rules, migrations.RunPython.noop),
    ]
