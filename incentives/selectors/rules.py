"""Reads of the rules as written (issue 15 §8): the catalogue, and the exceptions report — the awards, the grants
outside recognition (a recognition's points come from the everyday allowance) and the penalties that cite no rule."""

from django.db.models import Q

from ..models import EntryKind, IncentiveRule, PointsEntry

PER_PAGE = 25


def catalogue():
    return IncentiveRule.objects.filter(is_active=True).order_by("kind", "code")


def exceptions(*, kind=""):
    """The entries that should cite a rule and do not, newest first (one query a page)."""
    must_cite = Q(kind__in=[EntryKind.AWARD, EntryKind.PENALTY]) | Q(kind=EntryKind.GRANT, recognition__isnull=True)
    found = PointsEntry.objects.filter(must_cite, rule__isnull=True)
    if kind:
        found = found.filter(kind=kind)
    return found.select_related("employee", "actor").order_by("-created_at", "-pk")


def applied(*, rule=None):
    """The entries that cite a rule, newest first."""
    found = PointsEntry.objects.filter(rule__isnull=False)
    if rule is not None:
        found = found.filter(rule=rule)
    return found.select_related("employee", "rule", "actor").order_by("-created_at", "-pk")
