"""Reads of the welcome and farewell cards (issue 15 §1)."""

import datetime

from django.db.models import Count
from django.utils import timezone

from .. import permissions

SHOWN_DAYS = 14


def wall_cards(user, team, *, today=None):
    """The cards of ``team`` still worth signing (a welcome in its first two weeks, a farewell until the day), with
    their signature count; one query."""
    if team is None:
        return []
    today = today or timezone.localdate()
    return list(
        permissions.visible_cards(user)
        .filter(team=team, on__gte=today - datetime.timedelta(days=SHOWN_DAYS))
        .select_related("employee")
        .annotate(n_signatures=Count("signatures"))
        .order_by("-on", "-pk")[:6]
    )


def card_detail(user, pk):
    return permissions.visible_cards(user).select_related("employee", "team").get(pk=pk)


def signatures(card):
    return card.signatures.select_related("signer").order_by("created_at", "pk")
