"""The pure rules of tasks (issue 14 §3): the transition table, the comprehension check before the start, and the
stage escalation ladder (reminder a day before the end of the due day, level 1 at it, level 2 two days later)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest

from improvement import task_rules as rules
from improvement.models import TaskStatus

TZ = ZoneInfo("Asia/Shanghai")
DUE_ON = datetime.date(2026, 12, 10)
DEADLINE = datetime.datetime(2026, 12, 11, tzinfo=TZ)  # the end of the due day


def test_the_table_names_every_status_and_only_known_ones():
    assert set(rules.MOVES) == set(TaskStatus.values)
    assert all(targets <= set(TaskStatus.values) for targets in rules.MOVES.values())


@pytest.mark.parametrize(("current", "target"), list(itertools.product(TaskStatus.values, repeat=2)))
def test_moves_follow_the_lifecycle(current, target):
    allowed = {
        ("draft", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "done"),
        ("draft", "cancelled"),
        ("assigned", "cancelled"),
        ("in_progress", "cancelled"),
    }
    assert rules.can_move(current, target) is ((current, target) in allowed)


@pytest.mark.parametrize(
    ("status", "questions", "answered", "understood", "can_start"),
    [
        ("assigned", 2, 2, True, True),
        ("assigned", 0, 0, True, True),
        ("assigned", 2, 1, True, False),  # one question unanswered
        ("assigned", 2, 2, False, False),  # all answered, but the owner has not marked it understood
        ("assigned", 0, 0, False, False),  # no question: the owner still confirms it is understood
        ("draft", 2, 2, True, False),
        ("in_progress", 2, 2, True, False),
    ],
)
def test_start_needs_every_answer_and_the_owners_understood(status, questions, answered, understood, can_start):
    problems = rules.start_problems(status=status, questions=questions, answered=answered, is_understood=understood)
    assert (problems == []) is can_start


def test_understood_needs_every_answer():
    assert rules.understood_problems(status="assigned", questions=3, answered=3) == []
    assert rules.understood_problems(status="assigned", questions=3, answered=2) != []
    assert rules.understood_problems(status="in_progress", questions=3, answered=3) != []


def test_done_needs_every_stage_done():
    assert rules.done_problems(status="in_progress", stages=2, stages_done=2) == []
    assert rules.done_problems(status="in_progress", stages=2, stages_done=1) != []
    assert rules.done_problems(status="assigned", stages=2, stages_done=2) != []


def _events(now, *, reminded=False, level=0, done=False):
    events = rules.due_events(due_on=DUE_ON, now=now, tz=TZ, is_done=done, is_reminded=reminded, current_level=level)
    return [(event.kind, event.level) for event in events]


def test_nothing_is_due_before_the_reminder():
    assert _events(DEADLINE - datetime.timedelta(days=1, seconds=1)) == []


def test_the_reminder_comes_a_day_before_the_end_of_the_due_day_once():
    assert _events(DEADLINE - datetime.timedelta(days=1)) == [("reminded", 0)]
    assert _events(DEADLINE - datetime.timedelta(hours=1), reminded=True) == []


def test_level_one_at_the_end_of_the_due_day_and_level_two_two_days_later():
    assert _events(DEADLINE, reminded=True) == [("escalated", 1)]
    assert _events(DEADLINE + datetime.timedelta(days=2, seconds=-1), reminded=True, level=1) == []
    assert _events(DEADLINE + datetime.timedelta(days=2), reminded=True, level=1) == [("escalated", 2)]
    assert _events(DEADLINE + datetime.timedelta(days=30), reminded=True, level=2) == []


def test_a_late_look_reaches_every_due_step_in_order():
    assert _events(DEADLINE + datetime.timedelta(days=5)) == [("reminded", 0), ("escalated", 1), ("escalated", 2)]


def test_a_done_stage_has_nothing_due():
    assert _events(DEADLINE + datetime.timedelta(days=5), done=True) == []


def test_keys_name_the_stage_and_the_level():
    assert rules.StageEvent(rules.REMINDED).key(7) == "reminded:7"
    assert rules.StageEvent(rules.ESCALATED, 2).key(7) == "escalated:7:2"


def test_the_sweep_superset_reaches_every_stage_with_something_due():
    now = DEADLINE - datetime.timedelta(days=1)  # the reminder of DUE_ON is due
    assert rules.sweep_due_on_until(now, TZ) >= DUE_ON
    assert rules.is_overdue(DUE_ON, DUE_ON + datetime.timedelta(days=1))
    assert not rules.is_overdue(DUE_ON, DUE_ON)
