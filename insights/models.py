"""The reporting system (seed 004, 汇报管理系统; issue 16 §4): each period's report, which fills itself from the
insight figures and carries its author's commentary, and the trail of its moves. Its status moves only through
insights.services.reports, along the table in insights.reporting."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    WEEKLY_TEAM = "weekly_team", _("Weekly team report")
    MONTHLY_CENTRE = "monthly_centre", _("Monthly centre report")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Report(models.Model):
    """One period's report: a team's week (its supervisor writes it) or the centre's month (HR or a floor manager
    writes it); the manager reviews. ``figures`` is empty while the report is open (the pages compute them) and
    frozen at submission, so the archive shows what was submitted."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    team = models.ForeignKey(
        "staff.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("team"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    commentary = models.TextField(_("commentary"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "kind", "pk"]
        constraints = [
            # One report per team and week, one per centre and month: the drafting task may run twice.
            models.UniqueConstraint(
                fields=["kind", "period_start", "team"],
                condition=models.Q(team__isnull=False),
                name="insights_report_one_per_team_period",
            ),
            models.UniqueConstraint(
                fields=["kind", "period_start"],
                condition=models.Q(team__isnull=True),
                name="insights_report_one_per_centre_period",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="weekly_team", team__isnull=False)
                    | models.Q(kind="monthly_centre", team__isnull=True)
                ),
                name="insights_report_team_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="insights_report_period_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["team", "-period_start"])]

    def __str__(self):
        if self.team_id:
            return f"{self.get_kind_display()} · {self.team} · {self.period_start:%Y-%m-%d}"
        return f"{self.get_kind_display()} · {self.period_start:%Y-%m}"

    @property
    def is_open(self):
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportEvent(models.Model):
    """A move of a report's status: who, from, to, why, when."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events", verbose_name=_("report"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.from_status} → {self.to_status}"


# Aggregates kept by the nightly refresh (issue 16 §6) ------------------------------------------------------------


class RampWeek(models.Model):
    """The KPI ramp's aggregate: in one team and calendar week, the summed measures of the new hires who started in
    ``hire_week`` (their tenure week ``tenure_week``, 0 = the week they started), next to the summed measures of the
    team's tenured agents that same week (the baseline). Rewritten week by week by insights.services.aggregates; the
    pages read it with one grouped query whatever the length of the history."""

    team = models.ForeignKey("staff.Team", on_delete=models.CASCADE, related_name="+", verbose_name=_("team"))
    week = models.DateField(_("week"))
    hire_week = models.DateField(_("hire week"))
    tenure_week = models.PositiveSmallIntegerField(_("tenure week"))
    new_inbound_handled = models.BigIntegerField(default=0)
    new_fcr_resolved = models.BigIntegerField(default=0)
    new_handle_seconds = models.BigIntegerField(default=0)
    new_csat_responses = models.BigIntegerField(default=0)
    new_csat_satisfied = models.BigIntegerField(default=0)
    base_inbound_handled = models.BigIntegerField(default=0)
    base_fcr_resolved = models.BigIntegerField(default=0)
    base_handle_seconds = models.BigIntegerField(default=0)
    base_csat_responses = models.BigIntegerField(default=0)
    base_csat_satisfied = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("KPI ramp week")
        verbose_name_plural = _("KPI ramp weeks")
        constraints = [
            models.UniqueConstraint(fields=["team", "week", "hire_week"], name="insights_rampweek_one_per_cohort_week")
        ]
        indexes = [models.Index(fields=["week"]), models.Index(fields=["hire_week", "tenure_week"])]

    def __str__(self):
        return f"{self.team_id} {self.week} {self.hire_week}"


class RefreshMark(models.Model):
    """How far a nightly aggregate has read: the refresh rewrites the weeks of every KPI ingest finished after
    ``ingests_through`` (all weeks when it is empty), then moves it to the refresh's start. Its row is the lock that
    keeps two refreshes from running at once."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    ingests_through = models.DateTimeField(_("ingests read through"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    weeks = models.PositiveIntegerField(_("weeks rewritten"), default=0)

    class Meta:
        verbose_name = _("aggregate refresh")
        verbose_name_plural = _("aggregate refreshes")

    def __str__(self):
        return self.name


class Proficiency(models.Model):
    """When a person reached proficiency (issue 16 §1): the last day of the first month whose scorecard is in the
    tenured band (Meets or better) and at whose end her KASH levels meet her position's targets. Kept by the nightly
    refresh (insights.services.aggregates) for everyone not yet proficient; ``scored``: she has a scorecard."""

    employee = models.OneToOneField(
        "staff.Employee", on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("person")
    )
    scored = models.BooleanField(_("has a scorecard"), default=False)
    proficient_on = models.DateField(_("proficient on"), null=True, blank=True)

    class Meta:
        verbose_name = _("proficiency")
        verbose_name_plural = _("proficiencies")

    def __str__(self):
        return f"{self.employee_id}: {self.proficient_on}"


class PlaybookWindow(models.TextChoices):
    BEFORE = "before", _("Before publication")
    AFTER = "after", _("Since publication")
    PILOT = "pilot", _("Pilot")
    DRILLS = "drills", _("Since the first drill")


class PlaybookSums(models.Model):
    """A playbook's effects aggregate (issue 16 §2, §6): in one of its windows (before and since its first
    publication, its pilot, since its first scored drill), the summed measures of its target KPIs for one team
    (agent days; no team: the days of agents without one) or one site (queue days). Rewritten every night by
    insights.services.aggregates; the effects page adds up the rows of the teams and sites in the viewer's scope,
    so it never sums daily rows."""

    playbook = models.ForeignKey(
        "linkage.Playbook", on_delete=models.CASCADE, related_name="+", verbose_name=_("playbook")
    )
    window = models.CharField(_("window"), max_length=10, choices=PlaybookWindow.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    team = models.ForeignKey(
        "staff.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    site = models.ForeignKey(
        "staff.Site", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    sums = models.JSONField(_("sums"), default=dict)  # {measure code: Σ as text}

    class Meta:
        verbose_name = _("playbook effect sums")
        verbose_name_plural = _("playbook effect sums")
        indexes = [models.Index(fields=["playbook", "window"])]

    def __str__(self):
        return f"{self.playbook_id} {self.window} {self.team_id or ''}{self.site_id or ''}"
