"""Follow-up for every agent (seed 002: 事前 / 事中 / 事后). The log itself is training's coaching log, open to
every employee (training.models.CoachingSession: in-flight corrections and after-action reviews); here are the
risk flags raised before anything goes wrong: a KPI band drop, an expired certification, overdue tasks. The daily
check raises a flag once per key and warns the agent and her lead; it clears when the cause is gone."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from staff.models import Employee


class FlagKind(models.TextChoices):
    KPI_DROP = "kpi_drop", _("KPI band dropped")
    CERTIFICATION = "certification", _("Certification expired")
    TASKS_OVERDUE = "tasks_overdue", _("Tasks overdue")


class RiskFlag(models.Model):
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="risk_flags", verbose_name=_("employee")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FlagKind.choices)
    key = models.CharField(_("key"), max_length=60, help_text=_("What the flag is about, e.g. the KPI and month."))
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    raised_on = models.DateField(_("raised on"), db_index=True)
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")
        ordering = ["-raised_on", "pk"]
        indexes = [models.Index(fields=["employee", "cleared_on"], name="riskflag_open_idx")]
        constraints = [models.UniqueConstraint(fields=["employee", "kind", "key"], name="risk_flag_once")]

    def __str__(self):
        return f"{self.employee} · {self.get_kind_display()}"

    @property
    def is_open(self):
        return self.cleared_on is None
