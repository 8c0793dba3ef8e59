"""Joining and leaving rituals (issue 15 §1, seed 001: 入职、离职激励文化): a welcome card goes up for the team on a
newcomer's first day and a farewell card in the week before a colleague's last day; the team signs them. Cards are
posted by the daily task (incentives.services.rituals), once per person, kind and date."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from staff.models import Employee, Team


class CardKind(models.TextChoices):
    WELCOME = "welcome", _("Welcome")
    FAREWELL = "farewell", _("Farewell")


class TeamCard(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=CardKind.choices)
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("for"))
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+", verbose_name=_("team"))
    on = models.DateField(_("day"), help_text=_("The first day (welcome) or the last working day (farewell)."))
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team card")
        verbose_name_plural = _("team cards")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["team", "-on"], name="team_card_team_idx")]
        constraints = [models.UniqueConstraint(fields=["kind", "employee", "on"], name="team_card_once")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.employee_id} · {self.on}"


class CardSignature(models.Model):
    card = models.ForeignKey(TeamCard, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("card"))
    signer = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("signed by"))
    message = models.CharField(_("message"), max_length=200)
    created_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("card signature")
        verbose_name_plural = _("card signatures")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["card", "signer"], name="card_signed_once")]

    def __str__(self):
        return f"{self.card_id} · {self.signer_id}"
