"""The honour system's rules (issue 15 §3), pure: the window, self-nomination, the nominee who would decide, at
most N winners, one move per nomination."""

import datetime

import pytest

from incentives import honours_rules as rules

DAY = datetime.date(2026, 11, 20)
OPENS, CLOSES = datetime.date(2026, 11, 18), datetime.date(2026, 11, 25)


def nominate(**changes):
    arguments = {
        "nominator_user_id": 1,
        "nominee_user_id": 2,
        "reason": "Solved every call.",
        "today": DAY,
        "opens_on": OPENS,
        "closes_on": CLOSES,
        "may_nominate": True,
        "in_scope": True,
        "already": False,
    }
    return rules.check_nomination(**(arguments | changes))


def decide(**changes):
    arguments = {
        "status": rules.NOMINATED,
        "target": rules.WON,
        "may_decide": True,
        "decider_user_id": 9,
        "nominee_user_id": 2,
        "winners_so_far": 0,
        "winners_allowed": 1,
    }
    return rules.check_decision(**(arguments | changes))


def test_a_valid_nomination_is_allowed():
    assert nominate() and nominate().reasons == ()


@pytest.mark.parametrize("day", [OPENS, CLOSES, DAY])
def test_the_window_includes_both_ends(day):
    assert nominate(today=day)


@pytest.mark.parametrize(
    ("day", "says"),
    [(OPENS - datetime.timedelta(days=1), "open on 2026-11-18"), (CLOSES + datetime.timedelta(days=1), "closed")],
)
def test_a_nomination_outside_the_window_is_refused(day, says):
    decision = nominate(today=day)
    assert not decision and says in decision.reasons[0]


def test_self_nomination_is_refused():
    decision = nominate(nominee_user_id=1)
    assert not decision and decision.reasons == ("You cannot nominate yourself.",)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"reason": "  "}, "Give the reason for the nomination."),
        ({"in_scope": False}, "Choose a colleague this programme covers."),
        ({"may_nominate": False}, "This programme does not take nominations from you."),
        ({"already": True}, "You already nominated this colleague in this programme."),
    ],
)
def test_each_refusal_says_why(changes, reason):
    assert nominate(**changes).reasons == (reason,)


def test_a_decision_within_the_winners_is_allowed():
    assert decide()


def test_the_nominee_cannot_decide_on_herself():
    decision = decide(decider_user_id=2)
    assert not decision and "your own nomination" in decision.reasons[0]


def test_at_most_n_winners():
    assert not decide(winners_so_far=2, winners_allowed=2)
    assert decide(winners_so_far=1, winners_allowed=2)
    assert decide(winners_so_far=2, winners_allowed=2, target=rules.NOT_CHOSEN)


@pytest.mark.parametrize("status", [rules.WON, rules.NOT_CHOSEN])
@pytest.mark.parametrize("target", [rules.WON, rules.NOT_CHOSEN, rules.NOMINATED])
def test_a_decided_nomination_never_moves_again(status, target):
    assert not decide(status=status, target=target)


def test_the_window_helpers():
    assert rules.window_open(opens_on=OPENS, closes_on=CLOSES, today=CLOSES)
    assert not rules.window_closed(closes_on=CLOSES, today=CLOSES)
    assert rules.window_closed(closes_on=CLOSES, today=CLOSES + datetime.timedelta(days=1))
