"""The pure rules of drills and levels (issue 12 §6–7): when a step passes, the KASH level of a share of checks,
and a person's level for a playbook."""

import datetime

import pytest

from linkage.drill_rules import level_for, level_of, step_passed

TODAY = datetime.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("action_ok", "handoff_ok", "signal_ok", "has_signal", "passed"),
    [
        (True, True, None, False, True),
        (True, True, True, True, True),
        (True, True, False, True, False),
        (True, True, None, True, False),  # a signal the examiner did not mark is not used
        (False, True, None, False, False),
        (True, False, True, True, False),
    ],
)
def test_a_step_passes_on_action_hand_off_and_its_signal(action_ok, handoff_ok, signal_ok, has_signal, passed):
    assert step_passed(action_ok=action_ok, handoff_ok=handoff_ok, signal_ok=signal_ok, has_signal=has_signal) is passed


@pytest.mark.parametrize(
    ("met", "checks", "level"), [(0, 4, 1), (1, 4, 2), (2, 4, 3), (3, 4, 4), (4, 4, 5), (2, 3, 4), (1, 3, 2), (0, 0, 1)]
)
def test_the_kash_level_follows_the_share_of_checks_met(met, checks, level):
    assert level_for(met, checks) == level


@pytest.mark.parametrize(
    ("acknowledged", "drilled", "certified_until", "level"),
    [
        (False, False, None, 0),
        (True, False, None, 1),
        (True, True, None, 2),
        (False, True, None, 2),
        (True, True, TODAY, 3),  # valid through its last day
        (True, True, TODAY - datetime.timedelta(days=1), 2),  # expired: back to drilled
        (True, False, TODAY - datetime.timedelta(days=1), 1),
    ],
)
def test_the_level_of_a_person_for_a_playbook(acknowledged, drilled, certified_until, level):
    assert level_of(acknowledged=acknowledged, drilled=drilled, certified_until=certified_until, today=TODAY) == level
