"""QA spot checks (seed 003: they did find abuse): a weekly deterministic sample of issuances and closed cases per
agent, at her grade's base rate, higher after recent findings and for new authority holders, with the anomalies
always in; reviews (several reviewers calibrate on the same item); findings the agent may dispute within a window;
a confirmed finding can lower her grade and opens a coaching session."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Employee

from .authority import GradeHolding, Issuance
from .cases import Case

RATE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class QASettings(models.Model):
    """HR's sampling settings (one row, pk 1); each grade has its base rate."""

    finding_rate = models.DecimalField(
        _("rate after a recent finding"), max_digits=4, decimal_places=3, default=Decimal("0.25"), validators=RATE
    )
    finding_days = models.PositiveSmallIntegerField(_("a finding is recent for (days)"), default=90)
    new_holder_rate = models.DecimalField(
        _("rate for a new authority holder"), max_digits=4, decimal_places=3, default=Decimal("0.20"), validators=RATE
    )
    new_holder_days = models.PositiveSmallIntegerField(_("authority is new for (days)"), default=30)
    repeat_customer_days = models.PositiveSmallIntegerField(_("same customer window (days)"), default=30)
    repeat_customer_times = models.PositiveSmallIntegerField(_("same customer more than (times)"), default=2)
    after_raise_days = models.PositiveSmallIntegerField(_("right after a limit was raised (days)"), default=7)
    dispute_days = models.PositiveSmallIntegerField(_("dispute window (days)"), default=5)

    class Meta:
        verbose_name = _("QA settings")
        verbose_name_plural = _("QA settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="qa_settings_single_row")]

    def __str__(self):
        return str(_("QA settings"))

    @classmethod
    def current(cls):
        """The saved row, or the defaults while HR has saved none (a read never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class SampleReason(models.TextChoices):
    BASE = "base", _("Base rate")
    RECENT_FINDING = "recent_finding", _("Recent finding")
    NEW_HOLDER = "new_holder", _("New authority holder")
    REPEAT_CUSTOMER = "repeat_customer", _("Same customer again")
    AT_LIMIT = "at_limit", _("Amount at the limit")
    AFTER_RAISE = "after_raise", _("Right after a limit was raised")


class QASample(models.Model):
    """One item in the QA queue for the week starting ``week``: an issuance or a closed case."""

    week = models.DateField(_("week of"))
    agent = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("agent"))
    issuance = models.ForeignKey(
        Issuance, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issuance")
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    reason = models.CharField(_("why sampled"), max_length=20, choices=SampleReason.choices)
    created_at = models.DateTimeField(_("sampled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("QA sample")
        verbose_name_plural = _("QA samples")
        ordering = ["-week", "agent", "pk"]
        indexes = [models.Index(fields=["week", "agent"], name="qa_sample_week_agent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(issuance__isnull=False, case__isnull=True) | Q(issuance__isnull=True, case__isnull=False),
                name="qa_sample_issuance_xor_case",
            ),
            models.UniqueConstraint(
                fields=["issuance"], condition=Q(issuance__isnull=False), name="qa_sample_issuance_once"
            ),
            models.UniqueConstraint(fields=["case"], condition=Q(case__isnull=False), name="qa_sample_case_once"),
        ]

    def __str__(self):
        return f"{self.week} · {self.issuance_id or self.case_id}"


class ReviewResult(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    FINDING = "finding", _("Finding")


class FindingKind(models.TextChoices):
    OUTSIDE_SCENARIO = "outside_scenario", _("Outside the scenario")
    OVER_STANDARD = "over_standard", _("Above the standard amount")
    NO_EVIDENCE = "no_evidence", _("No evidence in the case")
    REPEAT_CUSTOMER = "repeat_customer", _("Same customer favoured")
    OWNERSHIP = "ownership", _("Ownership not kept")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class QAReview(models.Model):
    """A reviewer's verdict on a sample; several reviewers may review the same one (calibration)."""

    sample = models.ForeignKey(QASample, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("sample"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    result = models.CharField(_("result"), max_length=10, choices=ReviewResult.choices)
    kind = models.CharField(_("finding"), max_length=20, choices=FindingKind.choices, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        verbose_name = _("QA review")
        verbose_name_plural = _("QA reviews")
        ordering = ["sample", "reviewed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "reviewer"], name="qa_review_once_per_reviewer"),
            models.CheckConstraint(
                condition=Q(result="compliant", kind="", severity="")
                | (Q(result="finding") & ~Q(kind="") & ~Q(severity="") & ~Q(evidence="")),
                name="qa_review_finding_has_kind_severity_evidence",
            ),
        ]

    def __str__(self):
        return f"{self.sample_id} · {self.result}"


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open to dispute")
    DISPUTED = "disputed", _("Disputed")
    CONFIRMED = "confirmed", _("Confirmed")
    OVERTURNED = "overturned", _("Overturned")


class Finding(models.Model):
    """A finding on the agent, from the first review that found one: she sees it and may dispute it until
    ``dispute_until``; confirmed (by a supervisor or HR, or when the window passes undisputed) it may lower her
    grade and opens a coaching session."""

    review = models.OneToOneField(QAReview, on_delete=models.PROTECT, related_name="finding", verbose_name=_("review"))
    agent = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("agent"))
    status = models.CharField(_("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    dispute_until = models.DateTimeField(_("dispute until"))
    dispute = models.TextField(_("the agent's dispute"), blank=True)
    disputed_at = models.DateTimeField(_("disputed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    lowered_to = models.OneToOneField(
        GradeHolding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grade lowered to"),
    )

    class Meta:
        verbose_name = _("QA finding")
        verbose_name_plural = _("QA findings")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["agent", "status"], name="finding_agent_status_idx")]

    def __str__(self):
        return f"{self.agent} · {self.get_status_display()}"
