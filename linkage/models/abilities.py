"""The four abilities each role needs (DOMAIN §4: business, service, incident handling, collaboration), from a
mapping HR keeps between KASH indicators / drill results and each ability, with a target per role; and role
models (树标杆) to learn from."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Employee
from training.models import Indicator

from .drills import Drill
from .playbooks import LinkageRole, Playbook, PlaybookKind

LEVEL_RANGE = [MinValueValidator(1), MaxValueValidator(5)]


class Ability(models.TextChoices):
    BUSINESS = "business", _("Business")
    SERVICE = "service", _("Service")
    INCIDENT = "incident", _("Incident handling")
    COLLABORATION = "collaboration", _("Collaboration")


class AbilitySource(models.Model):
    """One input of an ability: a KASH indicator (its current level, 1–5), or the drill results of playbooks of
    a kind (the share of scripted steps passed, as 1–5), with a weight."""

    ability = models.CharField(_("ability"), max_length=20, choices=Ability.choices)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("KASH indicator")
    )
    drill_kind = models.CharField(
        _("drills of playbooks of kind"), max_length=10, choices=PlaybookKind.choices, blank=True
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("ability source")
        verbose_name_plural = _("ability sources")
        ordering = ["ability", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator__isnull=False) & Q(drill_kind=""))
                | (Q(indicator__isnull=True) & ~Q(drill_kind="")),
                name="ability_source_indicator_xor_drills",
            ),
            models.UniqueConstraint(fields=["ability", "indicator"], name="ability_indicator_once"),
            models.UniqueConstraint(
                fields=["ability", "drill_kind"], condition=~Q(drill_kind=""), name="ability_drill_kind_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_ability_display()} ← {self.indicator or self.get_drill_kind_display()}"


class AbilityTarget(models.Model):
    """The level (1–5) a role should reach in an ability; the team matrix marks who is below."""

    role = models.ForeignKey(
        LinkageRole, on_delete=models.CASCADE, related_name="ability_targets", verbose_name=_("role")
    )
    ability = models.CharField(_("ability"), max_length=20, choices=Ability.choices)
    target = models.DecimalField(_("target"), max_digits=2, decimal_places=1, validators=LEVEL_RANGE)

    class Meta:
        verbose_name = _("ability target")
        verbose_name_plural = _("ability targets")
        ordering = ["role", "ability"]
        constraints = [models.UniqueConstraint(fields=["role", "ability"], name="ability_target_once_per_role")]

    def __str__(self):
        return f"{self.role} · {self.get_ability_display()} ≥ {self.target}"


class RoleModel(models.Model):
    """A person (or her part in a drill) marked as a model for a playbook, with what she did (树标杆)."""

    playbook = models.ForeignKey(
        Playbook, on_delete=models.CASCADE, related_name="role_models", verbose_name=_("playbook")
    )
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    drill = models.ForeignKey(
        Drill, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("drill")
    )
    what_they_did = models.TextField(_("what they did"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("marked by")
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)
    is_active = models.BooleanField(_("shown in the gallery"), default=True)

    class Meta:
        verbose_name = _("role model")
        verbose_name_plural = _("role models")
        ordering = ["-marked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["playbook", "employee"], condition=Q(is_active=True), name="role_model_once_per_playbook"
            ),
        ]

    def __str__(self):
        return f"{self.employee} · {self.playbook}"
