"""Tiered authority (seed 003): compensation coupons and refunds by grade, for clear scenarios with standard
amounts; a limit per use, day and month for each grade × scenario × risk level; requests above it go to a higher
grade; every issuance is in an immutable ledger that names its case and scenario."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.bilingual import Bilingual
from staff.models import Employee, Team

from .cases import Case

MONEY = {"max_digits": 10, "decimal_places": 2}
RATE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class Grade(Bilingual, models.Model):
    """An authority grade (e.g. G1 agent … G4 manager); a higher ``rank`` approves the requests of a lower one.
    ``qa_rate`` is the share of its holders' issuances and closed cases QA samples each week."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    qa_rate = models.DecimalField(
        _("QA sampling rate"), max_digits=4, decimal_places=3, default=Decimal("0.05"), validators=RATE
    )

    class Meta:
        verbose_name = _("authority grade")
        verbose_name_plural = _("authority grades")
        ordering = ["rank"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self._pick("name")


class GradeHolding(models.Model):
    """``employee`` holds ``grade`` from ``since``; the newest row is her grade. A confirmed QA finding may lower
    it (a new row naming the finding); rows are never changed."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+", verbose_name=_("grade"))
    since = models.DateTimeField(_("since"))
    reason = models.TextField(_("reason"), blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("grade holding")
        verbose_name_plural = _("grade holdings")
        ordering = ["employee", "-since", "-pk"]
        indexes = [models.Index(fields=["employee", "-since"], name="grade_holding_current_idx")]

    def __str__(self):
        return f"{self.employee} · {self.grade}"


class Scenario(Bilingual, models.Model):
    """A clear scenario with its standard (e.g. "fee charged in error: refund up to ¥50, coupon ¥10–30")."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    standard_en = models.TextField(_("standard (English)"))
    standard_zh = models.TextField(_("standard (Chinese)"))
    standard_min = models.DecimalField(_("standard amount from"), **MONEY, default=Decimal("0"))
    standard_max = models.DecimalField(_("standard amount up to"), **MONEY)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(standard_min__gte=0) & Q(standard_max__gte=models.F("standard_min")),
                name="scenario_standard_range",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self._pick("name")

    @property
    def standard(self):
        return self._pick("standard")


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class AuthorityLimit(models.Model):
    """What a grade may issue alone in a scenario at a risk level: per use, per day and per month (CNY). A grade
    with no row for a scenario and risk may not issue there alone. ``raised_at`` is when a limit last went up
    (QA looks harder at issuances right after)."""

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="limits", verbose_name=_("grade"))
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="limits", verbose_name=_("scenario"))
    risk = models.CharField(_("risk level"), max_length=10, choices=Risk.choices)
    per_use = models.DecimalField(_("per use"), **MONEY)
    per_day = models.DecimalField(_("per day"), **MONEY)
    per_month = models.DecimalField(_("per month"), **MONEY)
    raised_at = models.DateTimeField(_("last raised"), null=True, blank=True)

    class Meta:
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        ordering = ["grade__rank", "scenario", "risk"]
        constraints = [
            models.UniqueConstraint(fields=["grade", "scenario", "risk"], name="authority_limit_once"),
            models.CheckConstraint(
                condition=Q(per_use__gte=0)
                & Q(per_day__gte=models.F("per_use"))
                & Q(per_month__gte=models.F("per_day")),
                name="authority_limit_use_day_month",
            ),
        ]

    def __str__(self):
        return f"{self.grade} · {self.scenario} · {self.get_risk_display()}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Withdrawn")


class CouponRequest(models.Model):
    """A use above the agent's limit, waiting for someone of ``approver_rank`` or higher."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="coupon_requests", verbose_name=_("case"))
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+", verbose_name=_("scenario"))
    risk = models.CharField(_("risk level"), max_length=10, choices=Risk.choices)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    requested_by = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    reason = models.TextField(_("why"))
    approver_rank = models.PositiveSmallIntegerField(_("approver's grade rank at least"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
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

    class Meta:
        verbose_name = _("coupon request")
        verbose_name_plural = _("coupon requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "approver_rank"], name="coupon_request_inbox_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="coupon_request_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="coupon_request_decided_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.amount}"


class Issuance(models.Model):
    """One coupon or refund given: immutable (never updated or deleted; a mistake is corrected by a reversal row
    with a negative amount naming the one it reverses). ``on`` is the local day for the daily and monthly
    totals."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="issuances", verbose_name=_("case"))
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+", verbose_name=_("scenario"))
    risk = models.CharField(_("risk level"), max_length=10, choices=Risk.choices)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    issued_by = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("team"))
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+", verbose_name=_("grade when issued"))
    customer_ref = models.CharField(_("customer (masked)"), max_length=40, db_index=True)
    issued_at = models.DateTimeField(_("issued at"))
    on = models.DateField(_("day"))
    request = models.OneToOneField(
        CouponRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issuance",
        verbose_name=_("approved request"),
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name=_("reverses")
    )
    at_limit = models.BooleanField(_("at the limit"), default=False)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("issuance")
        verbose_name_plural = _("issuances")
        ordering = ["-issued_at", "-pk"]
        indexes = [
            models.Index(fields=["issued_by", "on"], name="issuance_agent_day_idx"),
            models.Index(fields=["team", "on"], name="issuance_team_day_idx"),
            models.Index(fields=["on"], name="issuance_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, reverses__isnull=True) | Q(amount__lt=0, reverses__isnull=False),
                name="issuance_positive_or_a_reversal",
            ),
            models.UniqueConstraint(
                fields=["issued_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="issuance_idempotency_key_once",
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.amount} · {self.on}"
