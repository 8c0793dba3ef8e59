"""KASH competencies and assessments (DOMAIN §2)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from staff.bilingual import Bilingual
from staff.models import Employee, Position, Stage

from .. import idempotency

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Dimension(models.TextChoices):
    """The four fixed KASH dimensions."""

    KNOWLEDGE = "K", _("Knowledge")
    ATTITUDE = "A", _("Attitude")
    SKILL = "S", _("Skill")
    HABIT = "H", _("Habit")


class Indicator(Bilingual, models.Model):
    dimension = models.CharField(_("dimension"), max_length=1, choices=Dimension.choices)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    weight = models.DecimalField(_("weight in its dimension"), max_digits=4, decimal_places=2, default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]
        constraints = [models.CheckConstraint(condition=models.Q(weight__gte=0), name="indicator_weight_not_negative")]

    def __str__(self):
        return f"{self.dimension} · {self.name}"

    @property
    def name(self):
        return self._pick("name")

    @property
    def description(self):
        return self._pick("description")


class RubricLevel(Bilingual, models.Model):
    """The behaviour that shows one level (1–5) of an indicator."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="levels", verbose_name=_("indicator")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    description_en = models.TextField(_("behaviour (English)"))
    description_zh = models.TextField(_("behaviour (Chinese)"))

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["indicator", "level"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level"], name="rubric_level_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="rubric_level_1_to_5"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.level}"

    @property
    def description(self):
        return self._pick("description")


class Source(models.TextChoices):
    SELF = "self", _("Self")
    SUPERVISOR = "supervisor", _("Supervisor")
    MENTOR = "mentor", _("Mentor")
    PEER = "peer", _("Peer")
    QA = "qa", _("QA review")
    EXAM = "exam", _("Exam or drill")
    IMPORTED = "imported", _("Imported")


class SourceWeight(models.Model):
    """How much each source counts in a person's current level (HR configures)."""

    source = models.CharField(_("source"), max_length=20, choices=Source.choices, unique=True)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source weight")
        verbose_name_plural = _("source weights")
        ordering = ["source"]
        constraints = [models.CheckConstraint(condition=models.Q(weight__gte=0), name="source_weight_not_negative")]

    def __str__(self):
        return f"{self.get_source_display()}: {self.weight}"


class PositionTarget(models.Model):
    """The level a position expects on an indicator, optionally for one life-cycle stage only."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="kash_targets", verbose_name=_("position")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    stage = models.CharField(
        _("life-cycle stage"),
        max_length=20,
        choices=Stage.choices,
        blank=True,
        help_text=_("Leave empty for every stage; a stage-specific target overrides it."),
    )
    level = models.PositiveSmallIntegerField(_("required level"), validators=LEVEL_VALIDATORS)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position target")
        verbose_name_plural = _("position targets")
        ordering = ["position", "indicator__order", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["position", "indicator", "stage"], name="position_target_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="position_target_1_to_5"),
        ]

    def __str__(self):
        return f"{self.position} · {self.indicator.code} ≥ {self.level}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Assessment(models.Model):
    """One assessor's scores of one person. Submitted assessments never change: a correction is a
    new assessment that supersedes the old one, and both stay in the trail."""

    subject = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("person")
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_made",
        verbose_name=_("assessor"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    assessed_on = models.DateField(_("date"))
    context = models.CharField(_("context"), max_length=200, blank=True)
    private_note = models.TextField(
        _("private note"), blank=True, help_text=_("Seen only by supervisors and HR, never by the person.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    idempotency_key = idempotency.key_field()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["subject", "status", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft", submitted_at__isnull=True)
                | models.Q(status="submitted", submitted_at__isnull=False),
                name="assessment_submitted_has_time",
            ),
            idempotency.key_constraint("assessor", "assessment_idempotency_key_unique"),
        ]

    def __str__(self):
        return f"{self.subject} · {self.get_source_display()} · {self.assessed_on}"

    @property
    def is_submitted(self):
        return self.status == AssessmentStatus.SUBMITTED


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="scores", verbose_name=_("indicator")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="score_unique_per_indicator"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="score_level_1_to_5"),
        ]

    def __str__(self):
        return f"{self.indicator.code}={self.level}"
