"""Reads of the honour system (issue 15 §3): programmes with their windows open first, a programme's nominations,
a person's honours timeline and the honours a team's wall shows — each in a fixed number of queries."""

import datetime

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone

from .. import permissions
from ..models import Nomination, NominationStatus

PER_PAGE = 20
WALL_DAYS = 45  # how long a won honour stays at the top of the team's wall
WALL_MAX = 5


def programmes(user, *, today=None, kind="", open_only=False):
    """The programmes ``user`` sees, windows open today first (closing soonest first), then the latest."""
    today = today or timezone.localdate()
    is_open = Case(
        When(opens_on__lte=today, closes_on__gte=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    rows = permissions.visible_programmes(user).select_related("site", "team").annotate(is_open=is_open)
    if kind:
        rows = rows.filter(kind=kind)
    if open_only:
        rows = rows.filter(is_open=True)
    rows = rows.annotate(
        n_nominations=Count("nominations"),
        n_winners=Count("nominations", filter=Q(nominations__status=NominationStatus.WON)),
    )
    return rows.order_by("-is_open", Case(When(is_open=True, then="closes_on")), "-closes_on", "-pk")


def nominations(user, programme):
    """The nominations of ``programme`` the caller sees: undecided first, then winners, newest first."""
    first = Case(
        When(status=NominationStatus.NOMINATED, then=Value(0)),
        When(status=NominationStatus.WON, then=Value(1)),
        default=Value(2),
    )
    return (
        permissions.visible_nominations(user)
        .filter(programme=programme)
        .select_related("nominee__team", "nominator__employee", "recognition", "decided_by__employee")
        .order_by(first, "-created_at", "-pk")
    )


def winners_count(programme):
    return Nomination.objects.filter(programme=programme, status=NominationStatus.WON).count()


def honours_of(employee):
    """Her honours timeline: the nominations she won, newest first."""
    return (
        Nomination.objects.filter(nominee=employee, status=NominationStatus.WON)
        .select_related("programme")
        .order_by("-decided_at", "-pk")
    )


def wall_honours(team, *, now=None):
    """The honours won lately by the people of ``team``, for the top of its wall (seed 001: 标杆效应)."""
    if team is None:
        return []
    since = (now or timezone.now()) - datetime.timedelta(days=WALL_DAYS)
    rows = (
        Nomination.objects.filter(status=NominationStatus.WON, nominee__team=team, decided_at__gte=since)
        .select_related("programme", "nominee")
        .order_by("-decided_at", "-pk")
    )
    return list(rows[:WALL_MAX])
