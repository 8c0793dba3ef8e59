"""Rules as written (issue 15 §8, seed 002: 严格执行奖励与处罚措施): HR's catalogue of reward and penalty rules.
Every award, every points grant outside the everyday recognition allowance and every penalty cites its rule
(PointsEntry.rule); the exceptions report lists the entries that do not."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.bilingual import Bilingual


class RuleKind(models.TextChoices):
    REWARD = "reward", pgettext_lazy("rule kind", "Reward")
    PENALTY = "penalty", _("Penalty")


class IncentiveRule(Bilingual, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=RuleKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    text_en = models.TextField(_("the rule as written (English)"))
    text_zh = models.TextField(_("the rule as written (Chinese)"))
    points = models.PositiveIntegerField(
        _("standard points"), help_text=_("Granted (a reward) or deducted (a penalty) when the rule is applied.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reward or penalty rule")
        verbose_name_plural = _("reward and penalty rules")
        ordering = ["kind", "code"]
        constraints = [models.CheckConstraint(condition=models.Q(points__gt=0), name="incentive_rule_points_positive")]

    def __str__(self):
        return f"{self.code} · {self.name}"

    @property
    def name(self):
        return self._pick("name")

    @property
    def text(self):
        return self._pick("text")
