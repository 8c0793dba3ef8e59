"""Recognition (issue 15 §1, DOMAIN §5, seed 001: 小团队班组日常激励): one giver, one or more recipients, a message,
one motivator tag, spiritual or material, optional points from the giver's monthly allowance, an optional link to
what earned it, and reactions on the team's wall. HR's limits live in ``IncentiveSettings``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Employee

from ..recognition_rules import Motivator


class Kind(models.TextChoices):
    SPIRITUAL = "spiritual", _("Spiritual")
    MATERIAL = "material", _("Material")


class EarnedBy(models.TextChoices):
    """What earned the recognition (``earned_by_id`` names the row)."""

    DRILL = "drill", _("A drill")
    CASE = "case", _("A case")
    SUGGESTION = "suggestion", _("A suggestion implemented")
    KPI_BAND = "kpi_band", _("A KPI band reached")
    ONBOARDING_CYCLE = "onboarding_cycle", _("An onboarding cycle completed")


class ReactionLabel(models.TextChoices):
    APPLAUSE = "applause", _("Applause")
    THANKS = "thanks", _("Thanks")
    INSPIRING = "inspiring", _("Inspiring")


class IncentiveSettings(models.Model):
    """HR's allowances and limits: one row (pk 1); the defaults apply while HR has saved none."""

    monthly_allowance = models.PositiveIntegerField(
        _("monthly allowance"), default=50, help_text=_("Points everyone may give away each month.")
    )
    leader_monthly_allowance = models.PositiveIntegerField(
        _("monthly allowance of supervisors and managers"), default=200
    )
    daily_limit_per_recipient = models.PositiveIntegerField(
        _("daily limit per recipient"),
        default=20,
        help_text=_("Points one giver may grant one colleague in a day."),
    )

    class Meta:
        verbose_name = _("incentive settings")
        verbose_name_plural = _("incentive settings")

    def __str__(self):
        return str(_("Incentive settings"))

    @classmethod
    def current(cls):
        """The saved row, or the defaults while HR has saved none (a read never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class Recognition(models.Model):
    giver = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="recognitions_given", verbose_name=_("from")
    )
    recipients = models.ManyToManyField(
        Employee, through="RecognitionRecipient", related_name="recognitions_received", verbose_name=_("to")
    )
    message = models.TextField(_("message"))
    motivator = models.CharField(_("motivator"), max_length=16, choices=Motivator.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SPIRITUAL)
    points = models.PositiveIntegerField(_("points each"), default=0)
    earned_by_kind = models.CharField(_("earned by"), max_length=20, choices=EarnedBy.choices, blank=True)
    earned_by_id = models.PositiveBigIntegerField(_("earned by (id)"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["giver", "-created_at"], name="recognition_giver_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(earned_by_kind="", earned_by_id=None)
                | (~Q(earned_by_kind="") & Q(earned_by_id__isnull=False)),
                name="recognition_earned_by_pair",
            ),
            models.UniqueConstraint(
                fields=["giver", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="recognition_idempotency_key_once",
            ),
        ]

    def __str__(self):
        return f"{self.giver_id} · {self.get_motivator_display()} · {self.created_at:%Y-%m-%d}"


class RecognitionRecipient(models.Model):
    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="recipient_rows")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient"))

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [models.UniqueConstraint(fields=["recognition", "employee"], name="recognition_recipient_once")]
        indexes = [models.Index(fields=["employee", "recognition"], name="recognition_recipient_idx")]

    def __str__(self):
        return f"{self.recognition_id} → {self.employee_id}"


class Reaction(models.Model):
    """One reaction per person and recognition (a second one replaces the first)."""

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="reactions")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("by"))
    label = models.CharField(_("reaction"), max_length=12, choices=ReactionLabel.choices)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [models.UniqueConstraint(fields=["recognition", "employee"], name="reaction_once")]

    def __str__(self):
        return f"{self.recognition_id} {self.label} {self.employee_id}"
