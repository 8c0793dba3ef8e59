"""The honour system (issue 15 §3, DOMAIN §5, seed 001: 荣誉体系, 年度、月度表彰激励, 标杆效应): HR's award programmes
with a period, criteria, a nomination window, who may nominate and who decides; nominations with a reason and
evidence, decided once (a winner or not chosen, with a note). A winner's nomination is her honour: it is published
on her team's wall and in her honours timeline. The decision fields are the audit (who, when, why): a decided
nomination never changes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from staff.models import Employee, Site, Team

from ..honours_rules import NOMINATED, NOT_CHOSEN, WON


class ProgrammeKind(models.TextChoices):
    DAILY_TEAM_STAR = "daily_team_star", _("Daily team star")
    MONTHLY_AWARD = "monthly_award", _("Monthly award")
    ANNUAL_AWARD = "annual_award", _("Annual award")
    ROLE_MODEL = "role_model", _("Role model of the quarter")
    PROJECT_PK = "project_pk", _("External project PK honour")


class Nominators(models.TextChoices):
    """Who may nominate; HR always may."""

    EVERYONE = "everyone", _("Everyone")
    SUPERVISORS = "supervisors", _("Supervisors")
    HR = "hr", _("HR only")


class Deciders(models.TextChoices):
    HR = "hr", _("HR")
    NAMED = "named", _("A named decider")


class NominationStatus(models.TextChoices):
    NOMINATED = NOMINATED, _("Nominated")
    WON = WON, _("Winner")
    NOT_CHOSEN = NOT_CHOSEN, _("Not chosen")


class AwardProgramme(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    name = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    criteria = models.TextField(_("criteria"), blank=True)
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    opens_on = models.DateField(_("nominations open"))
    closes_on = models.DateField(_("nominations close"))
    nominators = models.CharField(
        _("who may nominate"), max_length=12, choices=Nominators.choices, default=Nominators.EVERYONE
    )
    decided_by = models.CharField(_("who decides"), max_length=8, choices=Deciders.choices, default=Deciders.HR)
    decider = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_programmes_decided",
        verbose_name=_("decider"),
        help_text=_("Only when a named decider decides."),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_programmes",
        verbose_name=_("site"),
        help_text=_("Leave site and team empty for the whole centre."),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="award_programmes", verbose_name=_("team")
    )
    winners = models.PositiveSmallIntegerField(_("number of winners"), default=1)
    points = models.PositiveIntegerField(
        _("points for each winner"), default=0, help_text=_("Credited on the points ledger when a winner is decided.")
    )
    is_active = models.BooleanField(_("shown"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award programme")
        verbose_name_plural = _("award programmes")
        ordering = ["-closes_on", "-pk"]
        indexes = [models.Index(fields=["opens_on", "closes_on"], name="award_programme_window_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="award_programme_period"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="award_programme_window"),
            models.CheckConstraint(condition=Q(winners__gte=1), name="award_programme_has_winners"),
            models.CheckConstraint(
                condition=Q(decided_by="named", decider__isnull=False) | (Q(decided_by="hr") & Q(decider=None)),
                name="award_programme_named_decider",
            ),
            models.CheckConstraint(condition=Q(site=None) | Q(team=None), name="award_programme_one_scope"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The Chinese name in Chinese when HR wrote one, else the English name."""
        if self.name_zh and (get_language() or "").lower().startswith("zh"):
            return self.name_zh
        return self.name


class Nomination(models.Model):
    programme = models.ForeignKey(
        AwardProgramme, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("award programme")
    )
    # A user, not an employee: HR may nominate without an employee record.
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("nominated by")
    )
    nominee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("nominee")
    )
    reason = models.TextField(_("reason"))
    evidence = models.TextField(_("evidence"), blank=True)
    recognition = models.ForeignKey(
        "incentives.Recognition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("recognition cited"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, blank=True, editable=False)
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["programme", "status"], name="nomination_programme_idx"),
            models.Index(fields=["nominee", "status", "-decided_at"], name="nomination_nominee_idx"),
        ]
        constraints = [
            # One nomination per nominator × nominee × programme (a programme is one period).
            models.UniqueConstraint(fields=["programme", "nominator", "nominee"], name="nomination_once"),
            models.CheckConstraint(
                condition=Q(status="nominated", decided_at=None)
                | (~Q(status="nominated") & Q(decided_at__isnull=False)),
                name="nomination_decided_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.programme_id} · {self.nominee_id} · {self.status}"
