"""The weekly mood check-in of a trainee in cycle 4 (DOMAIN §3, seed 001: the low tide after the novelty).

It is not anonymous: it belongs to the trainee, and her mentor, her supervisors and HR see it through the
enrollment's scope (training.permissions.visible_mood_checkins). One answer per enrollment and week; answering
again in the same week changes that answer (training.services.mood.check_in)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .onboarding import Enrollment


class Mood(models.IntegerChoices):
    """The five answers to "How was your week?", worst to best."""

    VERY_HARD = 1, _("Very hard")
    HARD = 2, _("Hard")
    OKAY = 3, _("Okay")
    GOOD = 4, _("Good")
    GREAT = 5, _("Great")


class MoodCheckIn(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="mood_checkins", verbose_name=_("enrollment")
    )
    week = models.DateField(_("week (Monday)"))
    mood = models.PositiveSmallIntegerField(
        _("mood"), choices=Mood.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField(_("note"), max_length=280, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mood check-in")
        verbose_name_plural = _("mood check-ins")
        ordering = ["enrollment", "week"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "week"], name="mood_checkin_once_a_week"),
            models.CheckConstraint(condition=models.Q(mood__gte=1, mood__lte=5), name="mood_checkin_1_to_5"),
        ]

    def __str__(self):
        return f"{self.enrollment} · {self.week:%Y-%m-%d}: {self.mood}"
