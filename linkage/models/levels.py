"""Levels per person per playbook (issue 12 §7): L1 read (an acknowledgement), L2 drilled (a passed scored
drill), L3 certified (a certification confirmed by her supervisor, until it expires). HR sets the period."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Employee

from .drills import Drill
from .playbooks import Playbook


class LinkageSettings(models.Model):
    """HR's settings for role linkage (one row, pk 1)."""

    certification_months = models.PositiveSmallIntegerField(
        _("certification valid for (months)"), default=12, help_text=_("After this a certification expires.")
    )
    refresher_notice_days = models.PositiveSmallIntegerField(
        _("refresher notice (days)"),
        default=30,
        help_text=_("How long before a certification expires its holder is reminded and a refresher drill is set."),
    )
    min_certified_owners = models.PositiveSmallIntegerField(
        _("minimum certified owners per step"),
        default=1,
        help_text=_("A team with fewer certified owners of a step than this has a weak link there."),
    )

    class Meta:
        verbose_name = _("linkage settings")
        verbose_name_plural = _("linkage settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="linkage_settings_single_row")]

    def __str__(self):
        return str(_("Linkage settings"))

    @classmethod
    def current(cls):
        """The saved row, or the defaults while HR has saved none (a read never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class Certification(models.Model):
    """L3: ``employee`` passed as owner of each step she may own in a scored drill of ``playbook``, and her
    supervisor confirmed it. Valid until ``expires_on``; a renewal is a new row (the history stays)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    playbook = models.ForeignKey(
        Playbook, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("playbook")
    )
    drill = models.ForeignKey(
        Drill, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("drill")
    )
    certified_on = models.DateField(_("certified on"))
    expires_on = models.DateField(_("expires on"), db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("confirmed by")
    )
    refresher = models.OneToOneField(
        Drill,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="refreshes",
        verbose_name=_("refresher drill"),
    )
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-certified_on", "-pk"]
        indexes = [models.Index(fields=["playbook", "expires_on"], name="certification_pb_exp_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("certified_on")), name="certification_expires_after"
            ),
            models.UniqueConstraint(fields=["employee", "playbook", "certified_on"], name="certification_once_a_day"),
        ]

    def __str__(self):
        return f"{self.employee} · {self.playbook} · {self.expires_on}"
