"""Regional weight sets, months that close, monthly scorecards and the pay coefficients they lead to (seed 004:
KPI weights per region, pay linked to assessment)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from staff.models import Employee, Site, Team

from .measures import Ingest, Kpi


class Band(models.TextChoices):
    """Performance bands, best first; their colours are in kpis.bands."""

    EXCELLENT = "excellent", _("Excellent")
    MEETS = "meets", _("Meets")
    BELOW = "below", _("Below")
    FAR_BELOW = "far_below", _("Far below")


class WeightSet(models.Model):
    """A site's KPI weights from a month on (the latest set at or before a month applies). Once a scorecard has
    used it, it is never edited in place: HR starts a new set for a later month."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="weight_sets", verbose_name=_("site"))
    month = models.DateField(_("from month"), help_text=_("The first day of the month."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_used = models.BooleanField(_("used by scorecards"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regional weight set")
        verbose_name_plural = _("regional weight sets")
        ordering = ["site", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["site", "month"], name="weight_set_one_per_site_and_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="weight_set_month_is_first_day"),
        ]

    def __str__(self):
        return f"{self.site} {self.month:%Y-%m}"


class Weight(models.Model):
    """One quantitative KPI's weight in a set (the set's weights sum to 100) and the worst and best values
    that normalise it to 0–100."""

    weight_set = models.ForeignKey(WeightSet, on_delete=models.CASCADE, related_name="weights", verbose_name=_("set"))
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="+", verbose_name=_("KPI"))
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    worst = models.DecimalField(_("worst value (scores 0)"), max_digits=12, decimal_places=4)
    best = models.DecimalField(_("best value (scores 100)"), max_digits=12, decimal_places=4)

    class Meta:
        verbose_name = _("weight")
        verbose_name_plural = _("weights")
        ordering = ["weight_set", "kpi__order"]
        constraints = [
            models.UniqueConstraint(fields=["weight_set", "kpi"], name="weight_one_per_kpi"),
            models.CheckConstraint(condition=~Q(worst=models.F("best")), name="weight_worst_differs_from_best"),
        ]

    def __str__(self):
        return f"{self.kpi}: {self.weight}"


class ScoreBand(models.Model):
    """HR's table: a composite score from ``min_score`` up is in ``band``."""

    band = models.CharField(_("band"), max_length=10, choices=Band.choices, unique=True)
    min_score = models.DecimalField(
        _("from score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["-min_score"]

    def __str__(self):
        return f"{self.get_band_display()} ≥ {self.min_score}"


class PayCoefficient(models.Model):
    """HR's table: the pay coefficient for a band and a pay grade (the position's; blank: any grade)."""

    band = models.CharField(_("band"), max_length=10, choices=Band.choices)
    pay_grade = models.CharField(_("pay grade"), max_length=32, blank=True)
    coefficient = models.DecimalField(_("coefficient"), max_digits=4, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pay coefficient")
        verbose_name_plural = _("pay coefficients")
        ordering = ["pay_grade", "band"]
        constraints = [models.UniqueConstraint(fields=["band", "pay_grade"], name="pay_coefficient_one_per_band_grade")]

    def __str__(self):
        return f"{self.get_band_display()} {self.pay_grade}: {self.coefficient}"


class MonthStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Month(models.Model):
    """A scorecard month. Open: recomputed nightly. Closed: its scorecards are frozen for payroll."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=10, choices=MonthStatus.choices, default=MonthStatus.OPEN)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard month")
        verbose_name_plural = _("scorecard months")
        ordering = ["-month"]
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="scorecard_month_is_first_day")]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class MonthEvent(models.Model):
    """Audit of closing and reopening a month (who, when, why)."""

    month = models.ForeignKey(Month, on_delete=models.CASCADE, related_name="events", verbose_name=_("month"))
    from_status = models.CharField(_("from"), max_length=10, choices=MonthStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=MonthStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("month event")
        verbose_name_plural = _("month events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.month}: {self.from_status} → {self.to_status}"


class Scorecard(models.Model):
    """One agent's month: each weighted KPI normalised to 0–100 (``components``), the composite, its band and
    the pay coefficient for that band and the agent's pay grade. Frozen while its month is closed."""

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="scorecards", verbose_name=_("employee")
    )
    month = models.DateField(_("month"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    weight_set = models.ForeignKey(
        WeightSet, on_delete=models.PROTECT, related_name="scorecards", verbose_name=_("weight set")
    )
    components = models.JSONField(_("components"), default=list)
    composite = models.DecimalField(_("composite score"), max_digits=5, decimal_places=2)
    band = models.CharField(_("band"), max_length=10, choices=Band.choices)
    pay_grade = models.CharField(_("pay grade"), max_length=32, blank=True)
    pay_coefficient = models.DecimalField(_("pay coefficient"), max_digits=4, decimal_places=2, null=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["-month", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "month"], name="scorecard_one_per_employee_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="scorecard_month_is_first_day_of_month"),
        ]
        indexes = [models.Index(fields=["month", "team"]), models.Index(fields=["month", "site"])]

    def __str__(self):
        return f"{self.employee} {self.month:%Y-%m}"


class LateRevision(models.Model):
    """A revision that arrived for a day of a closed month: recorded and flagged for HR; the frozen scorecard
    does not change."""

    month = models.ForeignKey(Month, on_delete=models.CASCADE, related_name="late_revisions", verbose_name=_("month"))
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee"))
    on = models.DateField(_("date"))
    revision = models.PositiveIntegerField(_("revision"))
    ingest = models.ForeignKey(
        Ingest, on_delete=models.PROTECT, related_name="late_revisions", verbose_name=_("ingest")
    )
    is_reviewed = models.BooleanField(_("reviewed"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        verbose_name = _("late revision")
        verbose_name_plural = _("late revisions")
        ordering = ["is_reviewed", "-on"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "on", "revision"], name="late_revision_once_per_revision")
        ]

    def __str__(self):
        return f"{self.employee_id} {self.on} r{self.revision}"
