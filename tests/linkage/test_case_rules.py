"""The pure rules of a case (linkage.case_rules): masking, targets, reminders, escalation levels, closing."""

import datetime

import pytest

from linkage import case_rules
from linkage.case_rules import Level

T0 = datetime.datetime(2026, 12, 4, 2, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("138****5678", "138****5678"),  # masking a masked reference changes nothing
        ("6222020200112233445", "622************3445"),
        ("12345678", "1***5678"),
        ("1234", "**34"),
        ("A1", "*1"),
        ("7", "*"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_mask_customer_ref(given, stored):
    assert case_rules.mask_customer_ref(given) == stored


@pytest.mark.parametrize("n", range(1, 60))
def test_a_masked_reference_hides_at_least_a_third_and_shows_at_most_seven(n):
    text = "".join(str(i % 10) for i in range(1, n + 1))
    masked = case_rules.mask_customer_ref(text)
    shown = [c for c in masked if c != "*"]
    assert len(shown) <= 7
    assert masked.count("*") >= min(-(-n // 3), 40 - len(shown))
    assert len(masked) <= case_rules.MAX_REF_LENGTH
    assert case_rules.mask_customer_ref(masked) == masked


def test_targets_come_from_the_category():
    assert case_rules.first_response_due(T0, 30) == T0 + datetime.timedelta(minutes=30)
    assert case_rules.resolution_due(T0, 48) == T0 + datetime.timedelta(hours=48)
    assert case_rules.reminder_at(T0, 60) == T0 - datetime.timedelta(hours=1)


def test_the_reminder_is_due_from_its_time_on():
    due = T0
    assert not case_rules.is_reminder_due(
        resolution_due_at=due, remind_before_minutes=60, now=T0 - datetime.timedelta(minutes=61)
    )
    assert case_rules.is_reminder_due(
        resolution_due_at=due, remind_before_minutes=60, now=T0 - datetime.timedelta(minutes=60)
    )
    assert case_rules.is_reminder_due(
        resolution_due_at=due, remind_before_minutes=60, now=T0 + datetime.timedelta(hours=5)
    )


LEVELS = [Level(1, 0), Level(2, 120), Level(3, 60)]  # level 3's time comes before level 2's: still after it


@pytest.mark.parametrize(
    ("minutes_after_breach", "current", "due"),
    [
        (-1, 0, []),
        (0, 0, [1]),
        (90, 0, [1]),  # level 2 not yet, so level 3 waits although its own time has come
        (90, 1, []),
        (120, 0, [1, 2, 3]),
        (120, 1, [2, 3]),
        (120, 3, []),
        (600, 2, [3]),
    ],
)
def test_escalation_levels_come_once_each_in_order(minutes_after_breach, current, due):
    now = T0 + datetime.timedelta(minutes=minutes_after_breach)
    assert case_rules.due_levels(breach_at=T0, levels=LEVELS, current=current, now=now) == due


def test_no_levels_no_escalation():
    assert case_rules.due_levels(breach_at=T0, levels=[], current=0, now=T0 + datetime.timedelta(days=9)) == []


def test_breach_state_and_minutes_left():
    assert case_rules.breach_state(T0, T0) == "breached"
    assert case_rules.breach_state(T0, T0 - datetime.timedelta(minutes=59)) == "soon"
    assert case_rules.breach_state(T0, T0 - datetime.timedelta(minutes=61)) == "ok"
    assert case_rules.minutes_left(T0, T0 - datetime.timedelta(minutes=30)) == 30
    assert case_rules.minutes_left(T0, T0 + datetime.timedelta(minutes=30)) == -30


def test_close_needs_an_outcome_and_every_step_back():
    assert case_rules.close_problems(outcome="later", was_handed_off=True, open_handoffs=0, reopen_count=0) == []
    assert len(case_rules.close_problems(outcome="", was_handed_off=False, open_handoffs=0, reopen_count=0)) == 1
    assert len(case_rules.close_problems(outcome="later", was_handed_off=True, open_handoffs=1, reopen_count=0)) == 1


@pytest.mark.parametrize(("handed", "reopened", "ok"), [(False, 0, True), (True, 0, False), (False, 1, False)])
def test_first_contact_only_when_never_handed_off_or_reopened(handed, reopened, ok):
    problems = case_rules.close_problems(
        outcome="first_contact", was_handed_off=handed, open_handoffs=0, reopen_count=reopened
    )
    assert (problems == []) is ok
