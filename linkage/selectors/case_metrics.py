"""How first-contact ownership works (issue 13 §5), per owner and per team: cases, resolved at first contact,
transfers (hand-offs) per 100 cases, reopen rate and breaches. The seed's centre watched exactly these (FCR
84 → 89–90 %) to see whether ownership helped.

A case counts in the period in which it was opened (local days ``start`` to ``end``, both included), for its owner
and for the team it was opened in. A breach: resolved after its resolution target, or still open past it. Two
queries whatever the number of people, teams or cases.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from ..models import Case, CaseOutcome, Handoff


@dataclass(frozen=True)
class CaseMetrics:
    cases: int = 0
    first_contact: int = 0
    transfers: int = 0
    reopened: int = 0
    breaches: int = 0

    @property
    def fcr_rate(self):
        """Share of the cases resolved at first contact (0–100, one decimal), None without cases."""
        return _percent(self.first_contact * 100, self.cases)

    @property
    def transfers_per_100(self):
        return _percent(self.transfers * 100, self.cases)

    @property
    def reopen_rate(self):
        return _percent(self.reopened * 100, self.cases)


def _percent(numerator, cases):
    if not cases:
        return None
    return (Decimal(numerator) / Decimal(cases)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _bounds(start, end):
    """Aware datetimes of the local days ``start`` … ``end`` (``end`` included)."""
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return first, after


def _metrics(field, ids, start, end, now):
    ids = list(ids)
    first, after = _bounds(start, end)
    now = now or timezone.now()
    cases = Case.objects.filter(**{f"{field}__in": ids}, opened_at__gte=first, opened_at__lt=after)
    breached = Q(closed_at__isnull=False, closed_at__gt=F("resolution_due_at")) | Q(
        closed_at__isnull=True, resolution_due_at__lt=now
    )
    rows = (
        cases.order_by()
        .values(field)
        .annotate(
            cases=Count("pk"),
            first_contact=Count("pk", filter=Q(outcome=CaseOutcome.FIRST_CONTACT)),
            reopened=Count("pk", filter=Q(reopen_count__gt=0)),
            breaches=Count("pk", filter=breached),
        )
    )
    transfers = dict(
        Handoff.objects.filter(case__in=cases)
        .order_by()
        .values(f"case__{field}")
        .annotate(n=Count("pk"))
        .values_list(f"case__{field}", "n")
    )
    found = {
        row[field]: CaseMetrics(
            cases=row["cases"],
            first_contact=row["first_contact"],
            transfers=transfers.get(row[field], 0),
            reopened=row["reopened"],
            breaches=row["breaches"],
        )
        for row in rows
    }
    return {pk: found.get(pk, CaseMetrics()) for pk in ids}


def owner_metrics(employee_ids, *, start, end, now=None):
    """{employee id: CaseMetrics} of the cases each owns, opened from ``start`` to ``end`` (local days)."""
    return _metrics("owner_id", employee_ids, start, end, now)


def team_metrics(team_ids, *, start, end, now=None):
    """{team id: CaseMetrics} of the cases opened in each team from ``start`` to ``end`` (local days)."""
    return _metrics("team_id", team_ids, start, end, now)
