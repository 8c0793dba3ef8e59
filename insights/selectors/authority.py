"""Effects of tiered authority (issue 16 §2): when a person's authority grade changes, do her payouts and
escalations follow? For every grade change in the last ``CHANGES_DAYS`` days in the viewer's scope (not a first
grade), her cases opened in the ``WINDOW_DAYS`` days before the change against those opened in the
``WINDOW_DAYS`` days after (only once that window has passed):

- payout per case: the coupons and refunds she issued in the window (reversals included, so a reversed coupon
  counts nothing) over the cases she owned that were opened in it;
- escalation rate: those cases escalated past her (escalation level above 0) over the same cases.

Grouped by raised and lowered grades. Four queries whatever the number of changes."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linkage.models import Case, GradeHolding, Issuance
from staff.models import Employee

from .. import permissions
from ..figures import rate

CHANGES_DAYS = 180
WINDOW_DAYS = 30
DIRECTIONS = {"raised": _("Grade raised"), "lowered": _("Grade lowered")}


@dataclass(frozen=True)
class Side:
    cases: int
    payout: Decimal
    escalated: int

    @property
    def payout_per_case(self):
        if not self.cases:
            return None
        return (self.payout / self.cases).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def escalation(self):
        return rate(self.escalated, self.cases)


@dataclass(frozen=True)
class AuthorityEffect:
    direction: str
    label: str
    changes: int
    before: Side
    after: Side


def _people(user):
    people = Employee.objects.all()
    if not permissions.is_centre_viewer(user):
        people = people.filter(team__in=permissions.insight_teams(user))
    return people


def authority_effects(user, *, now=None):
    now = now or timezone.now()
    window = datetime.timedelta(days=WINDOW_DAYS)
    previous = GradeHolding.objects.filter(employee=OuterRef("employee"), since__lt=OuterRef("since")).order_by(
        "-since", "-pk"
    )
    changes = list(
        GradeHolding.objects.filter(
            employee__in=_people(user).values("pk"),
            since__gte=now - datetime.timedelta(days=CHANGES_DAYS),
            since__lte=now - window,  # the window after the change has passed
        )
        .annotate(previous_rank=Subquery(previous.values("grade__rank")[:1]))
        .filter(previous_rank__isnull=False)
        .values_list("employee_id", "since", "grade__rank", "previous_rank")
    )
    people = {person for person, *_rest in changes}
    first = min((since for _p, since, *_r in changes), default=now) - window
    last = max((since for _p, since, *_r in changes), default=now) + window
    cases = defaultdict(list)
    for owner, opened_at, level in Case.objects.filter(owner__in=people, opened_at__range=(first, last)).values_list(
        "owner_id", "opened_at", "escalation_level"
    ):
        cases[owner].append((opened_at, level))
    paid = defaultdict(list)
    for person, issued_at, amount in Issuance.objects.filter(
        issued_by__in=people, issued_at__range=(first, last)
    ).values_list("issued_by_id", "issued_at", "amount"):
        paid[person].append((issued_at, amount))
    totals = {key: [[0, Decimal(0), 0], [0, Decimal(0), 0], 0] for key in DIRECTIONS}
    for person, since, rank, previous_rank in changes:
        if rank == previous_rank:
            continue
        row = totals["raised" if rank > previous_rank else "lowered"]
        row[2] += 1
        for side, (start, end) in enumerate(((since - window, since), (since, since + window))):
            mine = [level for opened_at, level in cases[person] if start <= opened_at < end]
            row[side][0] += len(mine)
            row[side][2] += sum(1 for level in mine if level > 0)
            row[side][1] += sum((amount for at, amount in paid[person] if start <= at < end), Decimal(0))
    return [
        AuthorityEffect(key, str(label), totals[key][2], Side(*totals[key][0]), Side(*totals[key][1]))
        for key, label in DIRECTIONS.items()
    ]
