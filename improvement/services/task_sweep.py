"""The sweep of due stages (issue 14 §3, STYLE §3), like the case sweep: level-triggered over due rows, so beat
firing twice, a retried task or a second worker changes nothing.

- Once, a day before the stage is late: a REMINDED event (key "reminded:<stage>") and a notification to the stage
  owner and the delegator (who stays accountable).
- After the due day, each escalation level once and in order (task_rules.LEVELS): an ESCALATED event (key
  "escalated:<stage>:<n>"), ``Stage.escalation_level`` moved by a compare-and-set, and a notification: level 1 to
  the leads of the stage owner and of the delegator (and the delegator), level 2 to who stands above them.
- A done stage, or a stage of a draft, done or cancelled task, is not swept: it stops escalating."""

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .. import task_rules
from ..models import Stage, TaskEvent, TaskEventKind, TaskStatus
from ..selectors import tasks as selectors
from . import task_notify as notify

CHUNK = 500
SWEPT_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


def _candidates(now, tz):
    reminded = TaskEvent.objects.filter(stage=OuterRef("pk"), kind=TaskEventKind.REMINDED)
    top = max(level.number for level in task_rules.LEVELS)
    return Stage.objects.filter(
        Q(escalation_level__lt=top) | ~Exists(reminded),
        done_at__isnull=True,
        task__status__in=SWEPT_STATUSES,
        due_on__lte=task_rules.sweep_due_on_until(now, tz),
    )


def sweep_stages(*, now=None, chunk_size=CHUNK):
    """Remind and escalate what is due at ``now``; returns {"reminded": n, "escalated": n} (levels reached)."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    totals = {"reminded": 0, "escalated": 0}
    last = 0
    while True:
        with transaction.atomic():
            claimed = _candidates(now, tz).filter(pk__gt=last).order_by("pk")
            if connection.vendor == "postgresql":
                claimed = claimed.select_for_update(skip_locked=True, of=("self",))
            related = ("task", "owner__user", "owner__team", "delegated_by__user", "delegated_by__team")
            stages = list(claimed.select_related(*related)[:chunk_size])
            if not stages:
                return totals
            last = stages[-1].pk
            _sweep_chunk(stages, now=now, tz=tz, totals=totals)


def _sweep_chunk(stages, *, now, tz, totals):
    reminded = set(
        TaskEvent.objects.filter(stage__in=stages, kind=TaskEventKind.REMINDED)
        .order_by()
        .values_list("stage_id", flat=True)
    )
    for stage in stages:
        events = task_rules.due_events(
            due_on=stage.due_on,
            now=now,
            tz=tz,
            is_done=stage.done_at is not None,
            is_reminded=stage.pk in reminded,
            current_level=stage.escalation_level,
        )
        if any(event.kind == task_rules.REMINDED for event in events):
            _remind(stage, now)
            totals["reminded"] += 1
        levels = [event.level for event in events if event.kind == task_rules.ESCALATED]
        if levels and _escalate(stage, levels, now):
            totals["escalated"] += len(levels)


def _accountable(stage):
    """The stage owner and the delegator: both answer for the stage."""
    return [person for person in (stage.owner, stage.delegated_by) if person is not None]


def _remind(stage, now):
    key = task_rules.StageEvent(task_rules.REMINDED).key(stage.pk)
    TaskEvent.objects.bulk_create(
        [TaskEvent(task=stage.task, stage=stage, kind=TaskEventKind.REMINDED, at=now, key=key)], ignore_conflicts=True
    )
    notify.stage_reminder(stage, [row for person in _accountable(stage) for row in notify.person(person)])


def _level_recipients(stage, level):
    """Level 1: the leads of the stage owner and of the delegator, and the delegator herself; level 2: who stands
    above those leads (the lead's lead or the floor managers; HR when nobody is set up), and the delegator."""
    told = []
    for person in _accountable(stage):
        if level == 1:
            lead = selectors.lead_of(person)
            told += [lead] if lead is not None else selectors.above_lead(person)
        else:
            told += selectors.above_lead(person)
    rows = [row for person in told if person.pk != stage.owner_id for row in notify.person(person)]
    if stage.delegated_by is not None:
        rows += notify.person(stage.delegated_by)
    return rows or selectors.hr_recipients()


def _escalate(stage, levels, now):
    """Move the stage to the last due level, compare-and-set: another worker that moved it first wins."""
    moved = Stage.objects.filter(pk=stage.pk, escalation_level=stage.escalation_level).update(
        escalation_level=levels[-1]
    )
    if not moved:
        return False
    TaskEvent.objects.bulk_create(
        [
            TaskEvent(
                task=stage.task,
                stage=stage,
                kind=TaskEventKind.ESCALATED,
                at=now,
                key=task_rules.StageEvent(task_rules.ESCALATED, n).key(stage.pk),
                text=str(n),
            )
            for n in levels
        ],
        ignore_conflicts=True,
    )
    for n in levels:
        notify.stage_escalated(stage, n, _level_recipients(stage, n))
    stage.escalation_level = levels[-1]
    return True
