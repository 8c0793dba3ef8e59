"""The pure rules of the pulse surveys (issue 15 §5): the rule of five with no subtraction leak, alerts and their
owners, and the check of a set of answers."""

from decimal import Decimal

import pytest

from incentives import pulse_rules as rules


@pytest.mark.parametrize(
    ("children", "total", "shown"),
    [
        ({"a": 6, "b": 6}, 12, {"a", "b"}),
        ({"a": 6, "b": 4}, 10, set()),  # showing a would let parent − a reveal b (4 people)
        ({"a": 6, "b": 6, "c": 3}, 15, {"b"}),  # the smaller shown child is merged until the rest is ≥ 5
        ({"a": 10, "b": 2, "c": 3}, 15, {"a"}),  # the rest (b and c) is 5
        ({"a": 5}, 5, {"a"}),
        ({"a": 4}, 4, set()),
        ({"a": 7, "b": 1}, 8, set()),
    ],
)
def test_published_children_never_leave_a_rest_under_five(children, total, shown):
    got = rules.published_children(children, total)
    assert got == shown
    rest = total - sum(children[key] for key in got)
    assert not got or rest == 0 or rest >= rules.MIN_GROUP  # nothing shown: the parent alone, itself ≥ 5 or hidden
    assert all(children[key] >= rules.MIN_GROUP for key in got)


@pytest.mark.parametrize(("children", "shown"), [({1: 6, 2: 6, 3: 3}, {1}), ({9: 6, 10: 6, 3: 3}, {9})])
def test_of_two_teams_the_same_size_the_newer_is_held_back(children, shown):
    # ids compare as numbers (10 is newer than 9), not as text
    assert rules.published_children(children, sum(children.values())) == shown


def test_published_children_hold_for_every_small_split():
    for a in range(0, 12):
        for b in range(0, 12):
            for c in range(0, 8):
                children = {"a": a, "b": b, "c": c}
                got = rules.published_children(children, a + b + c)
                rest = a + b + c - sum(children[k] for k in got)
                assert not got or rest == 0 or rest >= rules.MIN_GROUP, children


def test_alert_reason_below_and_drop():
    three, half = Decimal("3.00"), Decimal("0.50")
    assert rules.alert_reason(current=Decimal("2.90"), previous=None, threshold=three, drop=half).below
    dropped = rules.alert_reason(current=Decimal("3.50"), previous=Decimal("4.00"), threshold=three, drop=half)
    assert dropped.dropped and not dropped.below
    assert not rules.alert_reason(current=Decimal("3.60"), previous=Decimal("4.00"), threshold=three, drop=half)
    assert not rules.alert_reason(current=None, previous=Decimal("4.00"), threshold=three, drop=half)


def test_owners_hr_for_pay_and_policy_supervisor_for_supervision_and_relations():
    assert rules.owner_of("pay", level="team") == rules.Owner.HR
    assert rules.owner_of("policy", level="team") == rules.Owner.HR
    for factor in ("supervision", "relations", "working_conditions"):
        assert rules.owner_of(factor, level="team") == rules.Owner.SUPERVISOR
        assert rules.owner_of(factor, level="site") == rules.Owner.HR  # no one supervisor above a team


def test_the_message_says_recognition_does_not_fix_hygiene():
    reason = rules.AlertReason(True, False)
    text = rules.alert_text(factor="supervision", current=Decimal("2.50"), previous=None, reason=reason)
    assert "recognition does not fix it" in text
    assert "recognition does not fix" not in rules.alert_text(
        factor="growth", current=Decimal("2.50"), previous=None, reason=reason
    )


def test_check_scores_wants_every_question_once_on_the_scale():
    assert rules.check_scores([1, 2], {1: 5, 2: 1}) == []
    assert rules.check_scores([1, 2], {1: 5})
    assert rules.check_scores([1, 2], {1: 5, 2: 6})
    assert rules.check_scores([1, 2], {1: 5, 2: 3, 3: 3})


def test_average_rounds_to_two_places():
    assert rules.average({4: 2, 5: 1}) == Decimal("4.33")
    assert rules.average({}) is None
