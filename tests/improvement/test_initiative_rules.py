"""The pure rules of an initiative: the status moves (every pair) and the guardrail breach test."""

from decimal import Decimal

import pytest

from improvement import initiative_rules as rules

STATUSES = [rules.PLAN, rules.DO, rules.CHECK, rules.ACT, rules.CLOSED]
ALLOWED = {
    (rules.PLAN, rules.DO),
    (rules.DO, rules.PLAN),
    (rules.DO, rules.CHECK),
    (rules.CHECK, rules.DO),
    (rules.CHECK, rules.ACT),
    (rules.ACT, rules.CLOSED),
    (rules.ACT, rules.PLAN),
    (rules.ACT, rules.DO),
}


@pytest.mark.parametrize("from_status", STATUSES)
@pytest.mark.parametrize("to_status", STATUSES)
def test_only_the_table_moves_are_allowed_given_a_fitting_decision(from_status, to_status):
    decision = rules.ADJUST if to_status in (rules.PLAN, rules.DO) else rules.STANDARDISE
    verdict = rules.can_move(from_status, to_status, decision=decision, note="Why")
    assert verdict.allowed == ((from_status, to_status) in ALLOWED)


@pytest.mark.parametrize(("decision", "note"), [("", "Why"), ("keep", "Why"), (rules.STANDARDISE, "  ")])
def test_act_needs_a_decision_and_a_note(decision, note):
    verdict = rules.can_move(rules.CHECK, rules.ACT, decision=decision, note=note)
    assert not verdict.allowed and len(verdict.reasons) == 1


@pytest.mark.parametrize("decision", rules.DECISIONS)
def test_only_an_adjusted_initiative_runs_again_and_it_does_not_close(decision):
    for again in (rules.PLAN, rules.DO):
        assert rules.can_move(rules.ACT, again, decision=decision).allowed == (decision == rules.ADJUST)
    assert rules.can_move(rules.ACT, rules.CLOSED, decision=decision).allowed == (decision != rules.ADJUST)


def test_next_statuses_offered():
    assert rules.next_statuses(rules.PLAN) == [rules.DO]
    assert rules.next_statuses(rules.CHECK) == [rules.DO]  # act is the decision form
    assert rules.next_statuses(rules.ACT, rules.ADJUST) == [rules.PLAN, rules.DO]
    assert rules.next_statuses(rules.ACT, rules.ABANDON) == [rules.CLOSED]
    assert rules.next_statuses(rules.CLOSED) == []


@pytest.mark.parametrize(
    ("direction", "value", "breached"),
    [
        ("higher", "0.88", True),
        ("higher", "0.89", False),  # at the threshold is within
        ("higher", "0.95", False),
        ("lower", "41", True),
        ("lower", "40", False),
        ("lower", "12", False),
    ],
)
def test_a_guardrail_is_breached_past_its_threshold_in_the_bad_direction(direction, value, breached):
    threshold = Decimal("0.89") if direction == "higher" else Decimal("40")
    assert rules.is_breach(direction, Decimal(value), threshold) is breached


def test_no_value_is_no_breach():
    assert rules.is_breach("higher", None, Decimal("0.89")) is False
    assert rules.is_watched(rules.DO) and rules.is_watched(rules.CHECK) and not rules.is_watched(rules.PLAN)
