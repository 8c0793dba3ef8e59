"""Joining and leaving rituals (issue 15 §1, seed 001: 入职、离职激励文化). The daily task posts a welcome card for
each newcomer (first day within the last WELCOME_DAYS days, so a missed run catches up) and a farewell card for each
colleague whose last working day falls within the next FAREWELL_DAYS days; the team (and its lead) is asked to sign,
once per card and person. Level-triggered and keyed: a second run posts and sends nothing."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import Message, queue
from staff.models import Employee, Stage

from .. import permissions
from ..models import CardKind, CardSignature, TeamCard

WELCOME_DAYS = 3
FAREWELL_DAYS = 7
SIGN_ASKED = "incentives_card_sign"


def _due(today):
    """(kind, employee, day) of the cards that should be up on ``today``."""
    welcome = Employee.objects.filter(
        team__isnull=False, hire_date__gt=today - datetime.timedelta(days=WELCOME_DAYS), hire_date__lte=today
    ).exclude(stage=Stage.LEFT)
    farewell = Employee.objects.filter(
        team__isnull=False, left_on__gte=today, left_on__lte=today + datetime.timedelta(days=FAREWELL_DAYS)
    )
    return [(CardKind.WELCOME, e, e.hire_date) for e in welcome] + [(CardKind.FAREWELL, e, e.left_on) for e in farewell]


@transaction.atomic
def post_cards(*, today=None):
    """Post the cards due ``today`` and ask the team to sign; returns {"posted": n, "asked": n}."""
    today = today or timezone.localdate()
    due = _due(today)
    if not due:
        return {"posted": 0, "asked": 0}
    existing = set(
        TeamCard.objects.filter(employee__in=[e for _k, e, _d in due]).values_list("kind", "employee_id", "on")
    )
    fresh = [
        TeamCard(kind=kind, employee=e, team_id=e.team_id, on=day)
        for kind, e, day in due
        if (kind, e.pk, day) not in existing
    ]
    TeamCard.objects.bulk_create(fresh, ignore_conflicts=True)
    cards = list(
        TeamCard.objects.filter(
            Q(kind=CardKind.WELCOME, on__gt=today - datetime.timedelta(days=WELCOME_DAYS))
            | Q(kind=CardKind.FAREWELL, on__gte=today)
        )
        .filter(employee__in=[e for _k, e, _d in due])
        .select_related("employee", "team__supervisor__user")
    )
    team_ids = {card.team_id for card in cards}
    members = {}
    for person in (
        Employee.objects.filter(team_id__in=team_ids, user__is_active=True)
        .exclude(stage=Stage.LEFT)
        .select_related("user")
    ):
        members.setdefault(person.team_id, []).append(person)
    messages = []
    for card in cards:
        people = list(members.get(card.team_id, []))
        lead = card.team.supervisor
        if lead is not None and lead.user_id and lead.user.is_active and all(p.pk != lead.pk for p in people):
            people.append(lead)
        url = reverse("incentives:card", args=[card.pk])
        for person in people:
            if person.pk == card.employee_id:
                continue
            name = card.employee.name
            if card.kind == CardKind.WELCOME:
                title = lambda name=name: _("Welcome %(name)s to the team: sign the card") % {"name": name}  # noqa: E731
            else:
                title = lambda name=name: _("%(name)s is leaving soon: sign the farewell card") % {"name": name}  # noqa: E731
            messages.append(
                Message(person.user, SIGN_ASKED, f"{SIGN_ASKED}:{card.pk}:{person.user_id}", title, url=url)
            )
    return {"posted": len(fresh), "asked": queue(messages)}


@transaction.atomic
def sign(*, user, card_id, message):
    """Sign a card with a few words; signing again changes the words. Returns the signature."""
    card = TeamCard.objects.select_related("team").get(pk=card_id)
    if not permissions.can_sign_card(user, card):
        raise PermissionDenied(_("The team and its lead sign the card; the person it is for reads it."))
    message = message.strip()
    if not message:
        raise ValidationError({"message": [_("Write a few words.")]})
    signer = permissions.staff_permissions.employee_of(user)
    signature, _created = CardSignature.objects.update_or_create(
        card=card, signer=signer, defaults={"message": message[:200]}
    )
    return signature
