"""The reward catalogue and redemptions (issue 15 §2, seed 001: 团建及培训学习激励): team-building and training
seats are rewards too. A redemption holds its points at once (a ``redemption`` entry on the ledger) and one unit of
stock; HR approves it, or rejects it and both come back (a reversal entry)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Employee


class RewardKind(models.TextChoices):
    TEAM_BUILDING = "team_building", _("Team-building")
    TRAINING_SEAT = "training_seat", _("Training seat")
    GIFT = "gift", _("Gift")


class Reward(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=RewardKind.choices, default=RewardKind.GIFT)
    description = models.TextField(_("description"), blank=True)
    cost = models.PositiveIntegerField(_("cost in points"))
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["cost", "name", "pk"]
        constraints = [models.CheckConstraint(condition=Q(cost__gt=0), name="reward_costs_points")]

    def __str__(self):
        return self.name


class RedemptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Redemption(models.Model):
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("employee")
    )
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("reward"))
    points = models.PositiveIntegerField(_("points"))
    status = models.CharField(
        _("status"), max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.PENDING
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="redemption_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="redemption_idempotency_key_once",
            )
        ]

    def __str__(self):
        return f"{self.employee_id} · {self.reward_id} · {self.status}"
