"""The pure rules of a recognition (issue 15 §1): motivators, allowance, self-recognition, the daily limit."""

import datetime

import pytest

from incentives import recognition_rules as rules

BASE = {
    "giver_id": 1,
    "recipient_ids": [2],
    "motivator": "achievement",
    "points": 10,
    "allowance": 50,
    "spent_this_month": 0,
    "given_today": {},
    "daily_limit": 20,
}


def decide(**changes):
    return rules.check(**{**BASE, **changes})


def test_the_motivators_are_herzbergs_six():
    assert rules.MOTIVATORS == (
        "achievement",
        "recognition",
        "work_itself",
        "responsibility",
        "advancement",
        "growth",
    )


def test_a_valid_recognition_is_allowed():
    assert decide()


@pytest.mark.parametrize("motivator", ["pay", "supervision", "", "ACHIEVEMENT"])
def test_a_hygiene_factor_or_unknown_tag_is_refused(motivator):
    assert not decide(motivator=motivator)


def test_nobody_recognises_herself():
    decision = decide(recipient_ids=[1, 2])
    assert not decision and any("yourself" in r for r in decision.reasons)


def test_no_recipient_is_refused():
    assert not decide(recipient_ids=[])


def test_points_cost_each_recipient_from_the_allowance():
    assert decide(recipient_ids=[2, 3], points=25, daily_limit=30)
    assert not decide(recipient_ids=[2, 3, 4], points=20, daily_limit=30)


def test_what_was_spent_this_month_counts():
    assert decide(spent_this_month=40, points=10)
    assert not decide(spent_this_month=41, points=10)


def test_without_points_the_allowance_and_limit_do_not_apply():
    assert decide(points=0, spent_this_month=50, given_today={2: 20})


def test_the_daily_limit_per_recipient():
    assert decide(given_today={2: 10}, points=10)
    assert not decide(given_today={2: 11}, points=10)
    assert not decide(points=21, allowance=100)


def test_negative_points_are_refused():
    assert not decide(points=-1)


def test_a_leader_gets_the_larger_allowance():
    assert rules.allowance_for(is_leader=True, default=50, leader=200) == 200
    assert rules.allowance_for(is_leader=False, default=50, leader=200) == 50


@pytest.mark.parametrize(
    ("day", "first", "following"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)),
        (datetime.date(2026, 2, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)),
        (datetime.date(2026, 12, 15), datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)),
    ],
)
def test_the_allowance_month(day, first, following):
    assert rules.month_of(day) == (first, following)
