"""Pulse surveys on hygiene factors and motivators (issue 15 §5, DOMAIN §5, seed 001).

HR writes a survey of short questions, each tagged with its Herzberg factor, answered on a 1–5 scale, recurring in
waves (a wave is the survey open for a window of days).

Anonymous by design — who answered and what was answered live in two tables that share nothing but the wave:

- ``PulseRespondent`` says who has answered a wave (to refuse a second answer and to remind the others) and the
  group she belonged to then (team and its site). It holds no score.
- ``PulseTally`` holds the answers as counts: one row per (wave, question, team, score) with how many people gave
  that score. An answer adds one to a count; there is no row per answer, so there is no answer id, no timestamp,
  no insertion order and no per-person set of answers that could be joined back to a respondent (the brief's
  alternatives, shuffled rows with random ids, still leave each person's answers next to each other in the
  table's physical order). All five score rows of a question are created together the first time a team answers,
  so even which rows exist says nothing about the first answer; and every answer rewrites all of its team's rows
  (+1 on the chosen scores, +0 on the others), so the database's row versions (PostgreSQL's xmin, which is the
  answering transaction, also the respondent row's) mark the whole team's rows, never the scores chosen. The team
  and its site are fixed at answer time.

Results are read only through incentives.selectors.pulse, which publishes a group of at least five respondents.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Employee, Site, Team

from ..pulse_rules import FACTOR_CHOICES, Owner


class Survey(models.Model):
    name = models.CharField(_("name"), max_length=120)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Shown above the questions."))
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("Leave empty to ask the whole centre."),
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("New waves open only while active."))
    starts_on = models.DateField(_("first wave opens on"))
    every_days = models.PositiveSmallIntegerField(
        _("a new wave every (days)"), default=30, validators=[MinValueValidator(7), MaxValueValidator(365)]
    )
    open_days = models.PositiveSmallIntegerField(
        _("each wave open for (days)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    alert_below = models.DecimalField(
        _("alert below"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("A factor whose group average falls below this raises an alert."),
    )
    alert_drop = models.DecimalField(
        _("alert on a drop of"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(4)],
        help_text=_("A factor falling this much since the previous wave raises an alert."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pulse survey")
        verbose_name_plural = _("pulse surveys")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(open_days__lte=models.F("every_days")), name="pulse_window_fits")
        ]

    def __str__(self):
        return self.name


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    text = models.CharField(_("question"), max_length=200)
    factor = models.CharField(pgettext_lazy("Herzberg", "factor"), max_length=20, choices=FACTOR_CHOICES)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("pulse question")
        verbose_name_plural = _("pulse questions")
        ordering = ["survey", "order", "pk"]

    def __str__(self):
        return self.text


class Wave(models.Model):
    """The survey open from ``opens_on`` to ``closes_on`` (inclusive). Opened by the Celery beat (keyed by number);
    ``evaluated_at`` is set once its alerts were raised after it closed."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="waves", verbose_name=_("survey"))
    number = models.PositiveIntegerField(_("wave"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    invited = models.PositiveIntegerField(_("invited"), default=0)
    evaluated_at = models.DateTimeField(_("alerts checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pulse wave")
        verbose_name_plural = _("pulse waves")
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="pulse_wave_number_once"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="pulse_wave_dates"),
        ]

    def __str__(self):
        return f"{self.survey} #{self.number} ({self.opens_on:%Y-%m-%d})"

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on


class PulseRespondent(models.Model):
    """Who has answered a wave, and her group then; never what she answered (see the module's docstring)."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="respondents", verbose_name=_("wave"))
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("employee"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))

    class Meta:
        verbose_name = _("pulse respondent")
        verbose_name_plural = _("pulse respondents")
        constraints = [models.UniqueConstraint(fields=["wave", "employee"], name="pulse_answer_once")]
        indexes = [models.Index(fields=["wave", "team"], name="pulse_respondent_group_idx")]

    def __str__(self):
        return f"{self.wave_id} · {self.employee_id}"


class PulseTally(models.Model):
    """How many people of ``team`` gave ``score`` to ``question`` in ``wave``: the answers, with no respondent."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("wave"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    score = models.PositiveSmallIntegerField(
        pgettext_lazy("pulse survey", "score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("pulse tally")
        verbose_name_plural = _("pulse tallies")
        constraints = [
            models.UniqueConstraint(fields=["wave", "question", "team", "score"], name="pulse_tally_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="pulse_tally_score"),
        ]

    def __str__(self):
        return f"{self.wave_id} · {self.question_id} · {self.team_id} · {self.score}: {self.count}"


class PulseAlert(models.Model):
    """A factor of one published group that fell below the threshold or dropped sharply: once per wave, group and
    factor (``group_key`` is "team:<id>", "site:<id>" or "centre")."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("wave"))
    group_key = models.CharField(_("group"), max_length=30)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    factor = models.CharField(pgettext_lazy("Herzberg", "factor"), max_length=20, choices=FACTOR_CHOICES)
    average = models.DecimalField(_("average"), max_digits=3, decimal_places=2)
    previous = models.DecimalField(_("previous wave"), max_digits=3, decimal_places=2, null=True, blank=True)
    is_below = models.BooleanField(_("below the threshold"), default=False)
    has_dropped = models.BooleanField(_("dropped sharply"), default=False)
    owner = models.CharField(_("owner"), max_length=12, choices=Owner.choices)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pulse alert")
        verbose_name_plural = _("pulse alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "group_key", "factor"], name="pulse_alert_once"),
        ]
        indexes = [models.Index(fields=["team", "-created_at"], name="pulse_alert_team_idx")]

    def __str__(self):
        return f"{self.wave} · {self.group_key} · {self.factor}"
