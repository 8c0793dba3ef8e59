"""The SLA sweep of open cases (issue 13 §2, STYLE §3): level-triggered over due rows, so beat firing twice, a
retried task or a second worker changes nothing.

- Once, ``remind_before_minutes`` before the resolution target: a REMINDED event (key "reminded") and a notification
  to the owner.
- After the breach, each escalation level once and in order when the breach plus its ``after_minutes`` has come:
  an ESCALATED event (key "escalated:<n>"), ``Case.escalation_level`` moved by a compare-and-set, and a
  notification to the level's role holders (team role: in the owner's team; centre role: all holders).
- A closed case is not swept, so it stops escalating.
Rows are claimed in chunks (``select_for_update(skip_locked=True)`` on PostgreSQL), each chunk its own transaction."""

import datetime

from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from .. import case_rules, notify
from ..models import Case, CaseCategory, CaseEvent, CaseStatus, EscalationLevel, EventKind
from ..selectors.cases import level_holders

CHUNK = 500
REMINDED = "reminded"


def _escalated_key(number):
    return f"escalated:{number}"


def _candidates(now, levels):
    """Open cases with a reminder or an escalation level possibly due (a cheap superset; rules decide per row)."""
    before = CaseCategory.objects.aggregate(most=Max("remind_before_minutes"))["most"] or 0
    reminded = CaseEvent.objects.filter(case=OuterRef("pk"), key=REMINDED)
    due = Q(~Exists(reminded), resolution_due_at__lte=now + datetime.timedelta(minutes=before))
    if levels:
        first = min(level.after_minutes for level in levels)
        due |= Q(
            escalation_level__lt=max(level.number for level in levels),
            resolution_due_at__lte=now - datetime.timedelta(minutes=first),
        )
    return Case.objects.filter(due, status=CaseStatus.OPEN)


def sweep_cases(*, now=None, chunk_size=CHUNK):
    """Remind and escalate what is due at ``now``; returns {"reminded": n, "escalated": n} (levels reached)."""
    now = now or timezone.now()
    levels = {level.number: level for level in EscalationLevel.objects.select_related("role").order_by("number")}
    rules = [case_rules.Level(level.number, level.after_minutes) for level in levels.values()]
    totals = {"reminded": 0, "escalated": 0}
    holders = {}  # (level, team) → recipients, read once per sweep
    last = 0
    while True:
        with transaction.atomic():
            claimed = _candidates(now, rules).filter(pk__gt=last).order_by("pk")
            if connection.vendor == "postgresql":
                claimed = claimed.select_for_update(skip_locked=True, of=("self",))
            cases = list(claimed.select_related("owner__user", "team", "category")[:chunk_size])
            if not cases:
                return totals
            last = cases[-1].pk
            _sweep_chunk(cases, now=now, levels=levels, rules=rules, holders=holders, totals=totals)


def _sweep_chunk(cases, *, now, levels, rules, holders, totals):
    reminded = set(CaseEvent.objects.filter(case__in=cases, key=REMINDED).order_by().values_list("case_id", flat=True))
    for case in cases:
        due = case_rules.is_reminder_due(
            resolution_due_at=case.resolution_due_at,
            remind_before_minutes=case.category.remind_before_minutes,
            now=now,
        )
        if due and case.pk not in reminded:
            _remind(case, now)
            totals["reminded"] += 1
        numbers = case_rules.due_levels(
            breach_at=case.resolution_due_at, levels=rules, current=case.escalation_level, now=now
        )
        if numbers and _escalate(case, numbers, now=now, levels=levels, holders=holders):
            totals["escalated"] += len(numbers)


def _remind(case, now):
    created = CaseEvent.objects.bulk_create(
        [CaseEvent(case=case, kind=EventKind.REMINDED, at=now, key=REMINDED, data={})], ignore_conflicts=True
    )
    if created:
        notify.case_reminder(case)


def _escalate(case, numbers, *, now, levels, holders):
    """Move the case to the last due level, compare-and-set: another worker that moved it first wins."""
    if not Case.objects.filter(pk=case.pk, escalation_level=case.escalation_level).update(escalation_level=numbers[-1]):
        return False
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(case=case, kind=EventKind.ESCALATED, at=now, key=_escalated_key(n), data={"level": n})
            for n in numbers
        ],
        ignore_conflicts=True,
    )
    for number in numbers:
        level = levels[number]
        scope = None if level.role.scope == "centre" else case.team_id
        if (number, scope) not in holders:
            holders[number, scope] = level_holders(level, case)
        recipients = [row for row in holders[number, scope] if row[0] != case.owner.user_id]
        notify.case_escalated(case, number, recipients)
    case.escalation_level = numbers[-1]
    return True
