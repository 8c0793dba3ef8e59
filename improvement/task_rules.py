"""The rules of a task (issue 14 §3, seed 002 execution), pure: no database, so they are tested fast and exhaustively.

- Statuses: draft → assigned → in_progress → done; cancelled from any open state.
- Comprehension check: a task starts only when every question is answered and the owner marked it understood.
- A task is done when every stage is done.
- Stages remind and escalate like cases (linkage.case_rules): a stage is due at the end of its due day; its owner
  (and the delegator, who stays accountable) is reminded ``REMIND_BEFORE`` ahead; after the due moment level 1
  tells the stage owner's lead at once and level 2 the lead's lead (the floor manager) two days later — each level
  once and in order, never one skipped.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from linkage.case_rules import Level, due_levels

DRAFT, ASSIGNED, IN_PROGRESS, DONE, CANCELLED = "draft", "assigned", "in_progress", "done", "cancelled"
OPEN = (DRAFT, ASSIGNED, IN_PROGRESS)

# The transition table: status → the statuses it may move to.
MOVES = {
    DRAFT: {ASSIGNED, CANCELLED},
    ASSIGNED: {IN_PROGRESS, CANCELLED},
    IN_PROGRESS: {DONE, CANCELLED},
    DONE: set(),
    CANCELLED: set(),
}

REMIND_BEFORE = datetime.timedelta(days=1)
LEVELS = (Level(1, 0), Level(2, 2 * 24 * 60))  # level 1 at the due moment, level 2 two days after it
REMINDED = "reminded"
ESCALATED = "escalated"


def can_move(current, target):
    return target in MOVES.get(current, set())


def start_problems(*, status, questions, answered, is_understood):
    """Why the task may not start (translated; empty when it may): it must be assigned, every question answered and
    the owner must have marked it understood."""
    problems = []
    if status != ASSIGNED:
        problems.append(_("Only an assigned task starts."))
    if answered < questions:
        problems.append(_("Answer every comprehension question first."))
    if not is_understood:
        problems.append(_("Waiting for the owner to mark the task understood."))
    return problems


def understood_problems(*, status, questions, answered):
    """Why the owner may not mark the task understood yet (translated; empty when she may)."""
    problems = []
    if status != ASSIGNED:
        problems.append(_("Only an assigned task is marked understood."))
    if answered < questions:
        problems.append(_("The assignee has not answered every question yet."))
    return problems


def done_problems(*, status, stages, stages_done):
    problems = []
    if status != IN_PROGRESS:
        problems.append(_("Only a task in progress is done."))
    if stages_done < stages:
        problems.append(_("Every stage must be done first."))
    return problems


def due_at(due_on, tz):
    """The moment a stage due on ``due_on`` is late: the end of that day (local midnight after it)."""
    return datetime.datetime.combine(due_on + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)


def is_overdue(due_on, today):
    return due_on < today


@dataclass(frozen=True)
class StageEvent:
    kind: str  # REMINDED or ESCALATED
    level: int = 0

    def key(self, stage_id):
        """The TaskEvent key (unique per task), so each event happens once."""
        if self.kind == REMINDED:
            return f"{REMINDED}:{stage_id}"
        return f"{ESCALATED}:{stage_id}:{self.level}"


def due_events(*, due_on, now, tz, is_done, is_reminded, current_level, levels=LEVELS):
    """The events of a stage due at ``now``: the reminder once, then the escalation levels above ``current_level``
    whose time has come, in order. A done stage has none."""
    if is_done:
        return []
    deadline = due_at(due_on, tz)
    events = []
    if not is_reminded and now >= deadline - REMIND_BEFORE:
        events.append(StageEvent(REMINDED))
    events += [
        StageEvent(ESCALATED, n) for n in due_levels(breach_at=deadline, levels=levels, current=current_level, now=now)
    ]
    return events


def sweep_due_on_until(now, tz):
    """Stages due on or before this day may have something due at ``now`` (a cheap superset for the sweep)."""
    return (now + REMIND_BEFORE).astimezone(tz).date()
