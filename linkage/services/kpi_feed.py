"""The cases feed the KPI measures (issue 13 §5): for a day, each agent's resolved-at-first-contact cases, hand-offs
to the second line, complaints and coupons, as the platform's daily rows (kpis.rows.AGENT_COLUMNS), stored by
kpis.services.ingestion like any platform row.

- The platform wins: an agent the platform already sent a row for that day is left out, and the rows are stored
  as derived (AgentDay.from_platform off), so a platform row sent later replaces them whatever its revision and
  one sent meanwhile is never overwritten (kpis.services.ingestion).
- The rows carry one revision for the day that rises when they are sent again: the seconds since the day's start
  at send time (above the stored one, whatever the clock). Only the rows whose values changed since the feed last
  sent them are sent, so a rerun sends nothing and changes nothing.
- A row's parts never exceed their whole (kpis.models.measures.AGENT_PARTS): the cases give no call counts, so
  ``inbound_handled`` is the cases she opened that day, raised to her first-contact resolutions or transfers when
  those count a case opened on an earlier day; ``complaints_received`` likewise for the complaints escalated or
  closed. The platform's other measures (seconds, calls, satisfaction) are 0.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from kpis.models import AgentDay, Channel
from kpis.models.measures import AGENT_AMOUNTS, AGENT_COUNTS
from kpis.services.ingestion import ingest_agent_rows
from staff.models import Employee

from ..models import Case, CaseEvent, CaseOutcome, EventKind, Handoff, Issuance

FEED_NAME = "linkage:cases"  # Ingest.file_name of the feed's ingests (actor None), for HR reading the ingest log
SECOND_LINE_ROLE = "second-line-specialist"  # the shipped linkage role a transfer to the second line goes to
FED = ("fcr_resolved", "transfers_l2", "complaints_received", "complaints_escalated", "complaints_closed")
COMPARED = ("team_code", "site_code", "inbound_handled", *FED, "coupon_count", "coupon_amount_cny")


def _day(on):
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(on, datetime.time.min, tzinfo=zone)
    return start, start + datetime.timedelta(days=1)


def _counts(on):
    """{employee id: {measure: value}} from the cases of the day; four queries."""
    start, end = _day(on)
    opened, closed = Q(opened_at__gte=start, opened_at__lt=end), Q(closed_at__gte=start, closed_at__lt=end)
    complaint = Q(category__is_complaint=True)
    found = {}

    def add(owner, **values):
        found.setdefault(owner, {}).update({k: v for k, v in values.items() if v})

    cases = (
        Case.objects.filter(opened | closed)
        .order_by()
        .values("owner_id")
        .annotate(
            opened=Count("pk", filter=opened),
            fcr_resolved=Count("pk", filter=closed & Q(outcome=CaseOutcome.FIRST_CONTACT)),
            complaints_received=Count("pk", filter=opened & complaint),
            complaints_closed=Count("pk", filter=closed & complaint),
        )
    )
    for row in cases:
        add(row.pop("owner_id"), **row)
    # A complaint counts as escalated on the day of its first escalation (the sweep's or closed as escalated).
    escalations = CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.ESCALATED)
    escalated = (
        Case.objects.filter(complaint)
        .filter(Exists(escalations.filter(at__gte=start, at__lt=end)) | (closed & Q(outcome=CaseOutcome.ESCALATED)))
        .exclude(Exists(escalations.filter(at__lt=start)))
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
    )
    for row in escalated:
        add(row["owner_id"], complaints_escalated=row["n"])
    transfers = (
        Handoff.objects.filter(handed_at__gte=start, handed_at__lt=end, to_role__code=SECOND_LINE_ROLE)
        .order_by()
        .values("case__owner_id")
        .annotate(n=Count("pk"))
    )
    for row in transfers:
        add(row["case__owner_id"], transfers_l2=row["n"])
    # Reversals sit on the original's day: the day's count and amount are net of them.
    coupons = (
        Issuance.objects.filter(on=on)
        .order_by()
        .values("issued_by_id")
        .annotate(
            given=Count("pk", filter=Q(amount__gt=0)),
            reversed=Count("pk", filter=Q(amount__lt=0)),
            amount=Sum("amount"),
        )
    )
    for row in coupons:
        add(row["issued_by_id"], coupon_count=row["given"] - row["reversed"], coupon_amount_cny=row["amount"])
    return {owner: values for owner, values in found.items() if values}


def _row(on, person, values, revision):
    row = {"date": on, "employee_number": person["employee_number"], "team_code": person["team__code"]}
    row["site_code"], row["revision"] = person["team__department__site__code"], revision
    row.update(dict.fromkeys(AGENT_COUNTS, 0))
    row.update(dict.fromkeys(AGENT_AMOUNTS, "0.00"))
    row.update({name: values.get(name, 0) for name in FED})
    row["inbound_handled"] = max(values.get("opened", 0), row["fcr_resolved"], row["transfers_l2"])
    row["complaints_received"] = max(row["complaints_received"], row["complaints_escalated"], row["complaints_closed"])
    row["coupon_count"] = max(values.get("coupon_count", 0), 0)
    row["coupon_amount_cny"] = str(
        max(values.get("coupon_amount_cny") or Decimal("0"), Decimal("0")).quantize(Decimal("0.01"))
    )
    return row


def _stored(on, ids):
    """{employee id: stored row as {column: value}, with ``ours``}: which rows the feed sent, which the platform."""
    stored = {}
    fields = ["employee_id", "revision", "from_platform", "team__code", "site__code", *FED]
    for row in AgentDay.objects.filter(on=on, employee_id__in=ids).values(
        *fields, "inbound_handled", "coupon_count", "coupon_amount_cny"
    ):
        row["ours"] = not row.pop("from_platform")
        row["team_code"], row["site_code"] = row.pop("team__code"), row.pop("site__code")
        row["coupon_amount_cny"] = str(row["coupon_amount_cny"])
        stored[row.pop("employee_id")] = row
    return stored


def agent_day_rows(*, on, now=None):
    """The day's rows the cases can give, for the agents with cases or issuances that day whom the platform sent no
    row for, and only where they differ from what the feed sent before. A fixed number of queries."""
    now = now or timezone.now()
    counts = _counts(on)
    if not counts:
        return []
    people = {
        person["pk"]: person
        for person in Employee.objects.filter(pk__in=list(counts), team__isnull=False, hire_date__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=on))
        .values("pk", "employee_number", "team__code", "team__department__site__code")
    }
    stored = _stored(on, list(people))
    revision = max(int((now - _day(on)[0]).total_seconds()), 1)
    revision = max([revision, *(row["revision"] + 1 for row in stored.values() if row["ours"])])
    rows = []
    for pk in sorted(people):
        row = _row(on, people[pk], counts[pk], revision)
        old = stored.get(pk)
        if old is not None and (not old["ours"] or all(row[name] == old[name] for name in COMPARED)):
            continue  # the platform's row wins; or the feed already sent these values
        rows.append(row)
    return rows


def feed_day(*, on, now=None):
    """Send the day's rows (agent_day_rows) to the KPI ingestion; the Ingest, or None when nothing changed."""
    rows = agent_day_rows(on=on, now=now)
    if not rows:
        return None
    return ingest_agent_rows(actor=None, channel=Channel.API, rows=rows, file_name=FEED_NAME, from_platform=False)
