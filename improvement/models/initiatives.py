"""PDCA initiatives (seed 003's four steps: goal, risk forecast with counter-measures, method, effect tracking).
Plan: goal and guardrail KPIs, risks, method, scope, pilot teams and pilot start, rollout, before/after windows.
Do: milestones (and tasks, improvement.models.tasks). Check: computed from the KPI data (improvement.effects),
never typed in. Act: standardise or adjust, the decision recorded."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kpis.models import Kpi
from staff.models import Employee, Site, Team


class InitiativeStatus(models.TextChoices):
    PLAN = "plan", _("Plan")
    DO = "do", _("Do")
    CHECK = "check", _("Check")
    ACT = "act", _("Act (decided)")
    CLOSED = "closed", _("Closed")


class ActDecision(models.TextChoices):
    STANDARDISE = "standardise", _("Standardise")
    ADJUST = "adjust", _("Adjust and run again")
    ABANDON = "abandon", _("Abandon")


class Initiative(models.Model):
    title = models.CharField(_("title"), max_length=160)
    goal = models.TextField(_("goal"))
    method = models.TextField(_("method"), blank=True)
    owner = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="owned_initiatives", verbose_name=_("owner")
    )
    status = models.CharField(_("status"), max_length=10, choices=InitiativeStatus.choices, default="plan")
    scope_sites = models.ManyToManyField(Site, blank=True, related_name="+", verbose_name=_("sites in scope"))
    scope_teams = models.ManyToManyField(Team, blank=True, related_name="+", verbose_name=_("teams in scope"))
    pilot_teams = models.ManyToManyField(Team, blank=True, related_name="+", verbose_name=_("pilot teams"))
    baseline_from = models.DateField(_("before: from"))
    baseline_to = models.DateField(_("before: to"))
    pilot_start = models.DateField(_("pilot start"), null=True, blank=True)
    rollout_start = models.DateField(_("rollout start (go-live)"))
    after_to = models.DateField(_("after: to"), null=True, blank=True, help_text=_("Empty: up to yesterday."))
    decision = models.CharField(_("decision"), max_length=12, choices=ActDecision.choices, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    standard_playbook = models.ForeignKey(
        "linkage.PlaybookVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("playbook version published as the standard"),
    )
    standard_note = models.CharField(
        _("other standard changed"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the authority matrix change this initiative led to."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("improvement initiative")
        verbose_name_plural = _("improvement initiatives")
        ordering = ["-rollout_start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(baseline_to__gte=F("baseline_from")), name="initiative_baseline_order"),
            models.CheckConstraint(
                condition=Q(pilot_start__isnull=True) | Q(pilot_start__lte=F("rollout_start")),
                name="initiative_pilot_before_rollout",
            ),
            models.CheckConstraint(
                condition=Q(after_to__isnull=True) | Q(after_to__gte=F("rollout_start")),
                name="initiative_after_window_order",
            ),
            models.CheckConstraint(condition=Q(decision="") | Q(decided_at__isnull=False), name="initiative_decided"),
        ]

    def __str__(self):
        return self.title


class KpiRole(models.TextChoices):
    GOAL = "goal", _("Goal")
    GUARDRAIL = "guardrail", _("Guardrail")


class InitiativeKpi(models.Model):
    """A goal KPI (baseline and target) or a guardrail KPI (a threshold the KPI must not cross, in its bad
    direction: not below for a higher-is-better KPI, not above for a lower-is-better one)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="kpis")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="+", verbose_name=_("KPI"))
    role = models.CharField(_("role"), max_length=10, choices=KpiRole.choices)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=4, null=True, blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("initiative KPI")
        verbose_name_plural = _("initiative KPIs")
        ordering = ["initiative", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "kpi", "role"], name="initiative_kpi_once"),
            models.CheckConstraint(
                condition=~Q(role="guardrail") | Q(threshold__isnull=False), name="guardrail_has_threshold"
            ),
        ]

    def __str__(self):
        return f"{self.kpi} ({self.get_role_display()})"


class InitiativeRisk(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="risks")
    risk = models.TextField(_("risk"))
    counter_measure = models.TextField(_("counter-measure"))
    owner = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["initiative", "pk"]

    def __str__(self):
        return self.risk[:60]


class Milestone(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=160)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["initiative", "due_on", "pk"]

    def __str__(self):
        return self.title


class GuardrailBreach(models.Model):
    """A guardrail KPI on the wrong side of its threshold, found by the daily check: one row (and one alert to the
    owner) per breach, keyed by the day it started; ``cleared_on`` when the KPI came back."""

    guardrail = models.ForeignKey(InitiativeKpi, on_delete=models.CASCADE, related_name="breaches")
    started_on = models.DateField(_("breach from"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("guardrail breach")
        verbose_name_plural = _("guardrail breaches")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["guardrail", "started_on"], name="guardrail_breach_once"),
            models.UniqueConstraint(
                fields=["guardrail"], condition=Q(cleared_on__isnull=True), name="guardrail_one_open_breach"
            ),
        ]

    def __str__(self):
        return f"{self.guardrail} · {self.started_on}"


class InitiativeEvent(models.Model):
    """Audit of status moves and the Act decision."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    from_status = models.CharField(_("from"), max_length=10, choices=InitiativeStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=InitiativeStatus.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("initiative event")
        verbose_name_plural = _("initiative events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.initiative_id} {self.from_status} → {self.to_status}"
