"""Drills (演练): a playbook version rehearsed with people cast into its roles and scored per scripted step
(issue 12 §6). Practice drills are recorded but never count (seed 000: relieve the pressure)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Employee, Team

from .playbooks import LinkageRole, PlaybookVersion, Step


class DrillMode(models.TextChoices):
    SCORED = "scored", _("Scored")
    PRACTICE = "practice", _("Practice")


class DrillStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SCORED = "scored", pgettext_lazy("drill status", "Scored")
    CANCELLED = "cancelled", _("Cancelled")


class Drill(models.Model):
    """One drill of a version, run by an examiner (a supervisor of the team, or a mentor with her mentees)."""

    version = models.ForeignKey(
        PlaybookVersion, on_delete=models.PROTECT, related_name="drills", verbose_name=_("playbook version")
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    mode = models.CharField(_("mode"), max_length=10, choices=DrillMode.choices, default=DrillMode.SCORED)
    status = models.CharField(_("status"), max_length=10, choices=DrillStatus.choices, default=DrillStatus.SCHEDULED)
    scheduled_for = models.DateTimeField(_("scheduled for"), db_index=True)
    examiner = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("examiner"))
    is_refresher = models.BooleanField(_("refresher"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scored by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["-scheduled_for", "-pk"]
        indexes = [models.Index(fields=["team", "status", "scheduled_for"], name="drill_team_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="scored", scored_at__isnull=False) | ~Q(status="scored"),
                name="drill_scored_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="drill_cancelled_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.version} · {self.scheduled_for:%Y-%m-%d}"

    @property
    def counts(self):
        """A practice drill never counts towards levels or KASH."""
        return self.mode == DrillMode.SCORED


class DrillParticipant(models.Model):
    """A person cast into one role of the drill; ``passed`` is filled when the drill is scored (a scored drill
    only): she passed every scripted step her role owns."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="participants", verbose_name=_("drill"))
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    role = models.ForeignKey(LinkageRole, on_delete=models.PROTECT, related_name="+", verbose_name=_("role"))
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("drill participant")
        verbose_name_plural = _("drill participants")
        ordering = ["drill", "role__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["drill", "employee"], name="drill_participant_once"),
            models.UniqueConstraint(fields=["drill", "role"], name="drill_role_cast_once"),
        ]
        indexes = [models.Index(fields=["employee", "passed"], name="drill_participant_emp_idx")]

    def __str__(self):
        return f"{self.employee} · {self.role}"


class StepScore(models.Model):
    """The examiner's score of one scripted step: action right, hand-off made on its criterion, signal used
    (None when the step names no signal), time taken; a guidance step is never scored."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="scores", verbose_name=_("drill"))
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+", verbose_name=_("step"))
    participant = models.ForeignKey(
        DrillParticipant, on_delete=models.CASCADE, related_name="scores", verbose_name=_("owner in the drill")
    )
    action_ok = models.BooleanField(_("action right"))
    handoff_ok = models.BooleanField(_("hand-off on its criterion"))
    signal_ok = models.BooleanField(_("signal used"), null=True, blank=True)
    seconds = models.PositiveIntegerField(_("time taken (seconds)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("step score")
        verbose_name_plural = _("step scores")
        ordering = ["drill", "step__order"]
        constraints = [models.UniqueConstraint(fields=["drill", "step"], name="step_scored_once_per_drill")]

    def __str__(self):
        return f"{self.drill_id} · {self.step}"
