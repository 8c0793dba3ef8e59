"""PK competitions (issue 15 §4, DOMAIN §5, seed 001: 区部PK激励、外部项目PK激励): teams or sites compete on a KPI, a
linkage outcome or (external project PK) results entered by hand, over a period. Standings are refreshed by Celery;
at the period's end the competition closes once: final ranks, the winner's honour and the reward pool split by
workload share (seed 000: 付出主要工作量的岗位的不同). The rules are in incentives/pk_rules.py."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kpis.models import Kpi
from staff.models import Employee, Site, Team

from ..pk_rules import NotRanked, Status


class PkKind(models.TextChoices):
    TEAM = "team", _("Team vs team")
    SITE = "site", _("Site vs site")
    EXTERNAL = "external", _("External project PK")


class MetricSource(models.TextChoices):
    KPI = "kpi", _("A KPI")
    FIRST_CONTACT = "first_contact", _("Cases resolved at first contact")
    CONVERSIONS = "converted", _("Conversions")
    STABILISED = "stabilised", _("Incidents stabilised")
    MANUAL = "manual", _("Results entered by hand")


class Normalisation(models.TextChoices):
    NONE = "none", _("None (the count itself)")
    PER_AGENT = "agent", _("Per agent")
    PER_100_CONTACTS = "contacts", _("Per 100 contacts")


class PoolUnit(models.TextChoices):
    CNY = "cny", _("Yuan (CNY)")
    POINTS = "points", _("Points")


class PkCompetition(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=PkKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    metric = models.CharField(_("metric"), max_length=16, choices=MetricSource.choices)
    kpi = models.ForeignKey(
        Kpi, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("KPI")
    )
    is_lower_better = models.BooleanField(
        _("lower is better"), default=False, help_text=_("For a KPI its own direction applies.")
    )
    normalisation = models.CharField(
        _("normalisation"), max_length=10, choices=Normalisation.choices, default=Normalisation.PER_AGENT
    )
    minimum_volume = models.DecimalField(
        _("minimum volume to rank"),
        max_digits=14,
        decimal_places=2,
        default=0,
        help_text=_("Below it (calls, responses, head count …) a participant is not ranked."),
    )
    pool_unit = models.CharField(_("reward pool in"), max_length=8, choices=PoolUnit.choices, default=PoolUnit.CNY)
    pool = models.DecimalField(_("reward pool"), max_digits=12, decimal_places=2, default=0)
    cap_per_person = models.DecimalField(_("cap per person"), max_digits=12, decimal_places=2, null=True, blank=True)
    weight_cases = models.PositiveSmallIntegerField(_("weight of cases owned"), default=1)
    weight_handoffs = models.PositiveSmallIntegerField(_("weight of hand-off steps carried"), default=1)
    weight_calls = models.PositiveSmallIntegerField(_("weight of calls handled"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("organiser")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    idempotency_key = models.CharField(max_length=80, blank=True, editable=False)
    refreshed_at = models.DateTimeField(_("standings refreshed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("PK competition")
        verbose_name_plural = _("PK competitions")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["status", "ends_on"], name="pk_status_ends_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="pk_period_in_order"),
            models.CheckConstraint(condition=~Q(metric="kpi") | Q(kpi__isnull=False), name="pk_kpi_named"),
            models.CheckConstraint(condition=Q(pool__gte=0), name="pk_pool_not_negative"),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_at__isnull=False)) | (Q(status="open") & Q(closed_at=None)),
                name="pk_closed_has_time",
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="pk_idempotency_key_once",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_cny(self):
        return self.pool_unit == PoolUnit.CNY

    @property
    def lower_is_better(self):
        if self.metric == MetricSource.KPI and self.kpi is not None:
            return self.kpi.direction == "lower"
        return self.is_lower_better


class PkParticipant(models.Model):
    """A team or a site in the competition; in an external project PK its result is entered here by hand."""

    competition = models.ForeignKey(
        PkCompetition, on_delete=models.CASCADE, related_name="participants", verbose_name=_("competition")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    manual_value = models.DecimalField(_("result"), max_digits=14, decimal_places=4, null=True, blank=True)
    manual_volume = models.DecimalField(_("volume"), max_digits=14, decimal_places=2, null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PK participant")
        verbose_name_plural = _("PK participants")
        ordering = ["competition", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(team__isnull=False) & Q(site=None)) | (Q(team=None) & Q(site__isnull=False)),
                name="pk_participant_team_or_site",
            ),
            models.UniqueConstraint(fields=["competition", "team"], name="pk_participant_team_once"),
            models.UniqueConstraint(fields=["competition", "site"], name="pk_participant_site_once"),
        ]

    def __str__(self):
        return str(self.team or self.site)

    @property
    def name(self):
        return (self.team or self.site).name


class Standing(models.Model):
    """A participant's place, refreshed every 30 minutes while the competition runs, final once it is closed."""

    competition = models.ForeignKey(
        PkCompetition, on_delete=models.CASCADE, related_name="standings", verbose_name=_("competition")
    )
    participant = models.OneToOneField(
        PkParticipant, on_delete=models.CASCADE, related_name="standing", verbose_name=_("participant")
    )
    rank = models.PositiveIntegerField(pgettext_lazy("PK", "rank"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    volume = models.DecimalField(_("volume"), max_digits=20, decimal_places=2, default=0)
    not_ranked = models.CharField(_("not ranked because"), max_length=12, choices=NotRanked.choices, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        ordering = ["competition", "position"]
        indexes = [models.Index(fields=["competition", "position"], name="pk_standing_position_idx")]

    def __str__(self):
        return f"{self.competition_id} #{self.rank or '-'} {self.participant_id}"


class PkHonour(models.Model):
    """The winner's honour, written when the competition closes (one per winner)."""

    competition = models.ForeignKey(
        PkCompetition, on_delete=models.CASCADE, related_name="honours", verbose_name=_("competition")
    )
    participant = models.ForeignKey(PkParticipant, on_delete=models.CASCADE, related_name="+", verbose_name=_("winner"))
    title = models.CharField(_("honour title"), max_length=200)
    awarded_at = models.DateTimeField(_("awarded at"))

    class Meta:
        verbose_name = _("PK honour")
        verbose_name_plural = _("PK honours")
        ordering = ["-awarded_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["competition", "participant"], name="pk_honour_once")]

    def __str__(self):
        return self.title


class PkAward(models.Model):
    """A person's part of the reward pool: her workload in the winner's period, her share and amount (fen or
    points). Written once, when the competition closes."""

    competition = models.ForeignKey(
        PkCompetition, on_delete=models.CASCADE, related_name="awards", verbose_name=_("competition")
    )
    participant = models.ForeignKey(
        PkParticipant, on_delete=models.CASCADE, related_name="awards", verbose_name=_("winner")
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee"))
    role = models.CharField(_("role"), max_length=120, blank=True)
    cases_owned = models.PositiveIntegerField(_("cases owned"), default=0)
    handoffs_carried = models.PositiveIntegerField(_("hand-off steps carried"), default=0)
    calls_handled = models.PositiveIntegerField(_("calls handled"), default=0)
    share = models.DecimalField(_("workload share"), max_digits=9, decimal_places=6)
    amount_units = models.PositiveBigIntegerField(_("amount (fen or points)"))
    is_capped = models.BooleanField(_("at the cap"), default=False)

    class Meta:
        verbose_name = _("PK award")
        verbose_name_plural = _("PK awards")
        ordering = ["competition", "-amount_units", "pk"]
        constraints = [models.UniqueConstraint(fields=["participant", "employee"], name="pk_award_once")]

    def __str__(self):
        return f"{self.competition_id} · {self.employee_id} · {self.amount_units}"
