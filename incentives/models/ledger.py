"""The points ledger (issue 15 §2): append-only entries; a balance is their sum, never a stored number that can
drift. ``source_ref`` is unique, so a retried grant finds the entry it wrote instead of crediting twice; a
correction is a reversal entry pointing at the original (one per entry)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Employee


class EntryKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    AWARD = "award", _("Award")
    REDEMPTION = "redemption", _("Redemption")
    EXPIRY = "expiry", _("Expiry")
    REVERSAL = "reversal", _("Reversal")
    PENALTY = "penalty", _("Penalty")


class LedgerIsAppendOnly(Exception):
    """An entry is never changed nor deleted: write a reversal instead."""


class PointsEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="points_entries", verbose_name=_("employee")
    )
    points = models.IntegerField(_("points"))
    source_ref = models.CharField(_("source reference"), max_length=120, unique=True)
    recognition = models.ForeignKey(
        "incentives.Recognition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("recognition"),
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal", verbose_name=_("reverses")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    rule = models.ForeignKey(
        "incentives.IncentiveRule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("rule cited"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["employee", "-created_at"], name="points_employee_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="points_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False) | (~Q(kind="reversal") & Q(reverses=None)),
                name="points_reversal_names_original",
            ),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.points:+d} {self.kind}"

    def save(self, *args, **kwargs):
        # Append-only: an existing row is never written again (a correction is a reversal entry).
        if not self._state.adding:
            raise LedgerIsAppendOnly(self.pk)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly(self.pk)
