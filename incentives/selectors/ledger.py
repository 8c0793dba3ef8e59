"""Reads of the points ledger (issue 15 §2): a balance is the sum of the entries; what a giver has left of her
monthly allowance is computed from the grants of the current month (no counter, no roll-over)."""

import datetime

from django.db.models import Sum
from django.utils import timezone

from .. import permissions
from .. import recognition_rules as rules
from ..models import EntryKind, IncentiveSettings, PointsEntry

PER_PAGE = 25


def balance(employee):
    return PointsEntry.objects.filter(employee=employee).aggregate(total=Sum("points"))["total"] or 0


def _span(first, following):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(following, datetime.time.min, tzinfo=tz)
    return start, end


def month_span(day):
    """The current month in local time, [start, end): the allowance's period (resets on the 1st)."""
    return _span(*rules.month_of(day))


def day_span(day):
    return _span(day, day + datetime.timedelta(days=1))


def grants_by(giver):
    return PointsEntry.objects.filter(kind=EntryKind.GRANT, recognition__giver=giver)


def spent_in_month(giver, day):
    start, end = month_span(day)
    spent = grants_by(giver).filter(created_at__gte=start, created_at__lt=end).aggregate(total=Sum("points"))
    return spent["total"] or 0


def given_on(giver, day, recipient_ids):
    """{recipient id: points this giver granted her on ``day``}."""
    start, end = day_span(day)
    rows = (
        grants_by(giver)
        .filter(employee_id__in=recipient_ids, created_at__gte=start, created_at__lt=end)
        .values("employee_id")
        .annotate(total=Sum("points"))
    )
    return {row["employee_id"]: row["total"] for row in rows}


def allowance(giver, settings=None):
    settings = settings or IncentiveSettings.current()
    return rules.allowance_for(
        is_leader=permissions.is_leader(giver),
        default=settings.monthly_allowance,
        leader=settings.leader_monthly_allowance,
    )


def allowance_left(giver, day=None, settings=None):
    day = day or timezone.localdate()
    return rules.allowance_left(allowance=allowance(giver, settings), spent=spent_in_month(giver, day))


def entries(user, employee=None):
    """Ledger rows ``user`` may read (newest first), optionally one employee's."""
    rows = permissions.visible_points_entries(user).select_related("employee", "reverses")
    if employee is not None:
        rows = rows.filter(employee=employee)
    return rows.order_by("-created_at", "-pk")
