"""The authority decision on a grid: grade × scenario × amount × what was already used today and this month (issue
13 §3). Pure: no database."""

from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from linkage import authority_rules as rules


@dataclass(frozen=True)
class Limit:
    per_use: D
    per_day: D
    per_month: D


def limit(use, day, month):
    return Limit(D(use), D(day), D(month))


# Scenario "fee charged in error" (standard up to ¥50) and "cleaning" (¥10–30); grades 1–4.
SCENARIOS = {"fee": (D("0"), D("50")), "cleaning": (D("10"), D("30"))}
MATRIX = {
    "fee": {1: limit(30, 90, 900), 2: limit(50, 200, 2000), 3: limit(50, 500, 5000), 4: limit(50, 1500, 30000)},
    "cleaning": {1: None, 2: limit(20, 60, 600), 3: limit(30, 300, 3000), 4: limit(30, 900, 18000)},
}


def decide(grade, scenario, amount, today=0, month=0, *, active=True):
    low, high = SCENARIOS[scenario]
    cells = MATRIX[scenario]
    return rules.decide(
        grade_rank=grade,
        limit=cells.get(grade),
        amount=D(amount),
        used_today=D(today),
        used_month=D(month),
        scenario_active=active,
        standard_min=low,
        standard_max=high,
        higher=[rules.Tier(rank, cell, f"G{rank}") for rank, cell in cells.items() if rank > grade],
    )


# (grade, scenario, amount, used today, used this month) → (outcome, approver rank)
GRID = [
    (1, "fee", 30, 0, 0, "allowed", None),
    (1, "fee", 30, 60, 60, "allowed", None),  # uses the day up exactly
    (1, "fee", 31, 0, 0, "needs_approval", 2),  # per use
    (1, "fee", 30, 61, 61, "needs_approval", 2),  # the day: ¥29 left
    (1, "fee", 10, 0, 895, "needs_approval", 2),  # the month: ¥5 left
    (1, "fee", 50, 160, 160, "needs_approval", 3),  # G2's day has ¥40 left: G3 is the lowest that allows
    (1, "fee", 50, 1450, 1450, "needs_approval", 4),
    (1, "fee", 50, 1450, 29960, "refused", None),  # nobody's month has room
    (1, "fee", 51, 0, 0, "refused", None),  # above the standard, for everyone
    (4, "fee", 51, 0, 0, "refused", None),
    (1, "fee", 0, 0, 0, "refused", None),
    (1, "fee", -5, 0, 0, "refused", None),
    (2, "fee", 50, 150, 150, "allowed", None),
    (2, "fee", 50, 151, 151, "needs_approval", 3),
    (1, "cleaning", 10, 0, 0, "needs_approval", 2),  # G1 has no limit here
    (1, "cleaning", 25, 0, 0, "needs_approval", 3),
    (2, "cleaning", 20, 40, 40, "allowed", None),
    (2, "cleaning", 20, 41, 41, "needs_approval", 3),
    (3, "cleaning", 30, 270, 270, "allowed", None),
    (3, "cleaning", 30, 271, 271, "needs_approval", 4),
    (4, "cleaning", 30, 871, 871, "refused", None),  # the top grade above her day: nobody higher
    (2, "cleaning", 5, 0, 0, "refused", None),  # below the standard
    (0, "fee", 10, 0, 0, "needs_approval", 1),  # no grade at all: the lowest grade allows it
]


@pytest.mark.parametrize(("grade", "scenario", "amount", "today", "month", "outcome", "approver"), GRID)
def test_the_decision_on_the_grid(grade, scenario, amount, today, month, outcome, approver):
    decision = decide(grade, scenario, amount, today, month)
    assert (decision.outcome, decision.approver_rank) == (outcome, approver)
    assert bool(decision) == (outcome == "allowed")
    assert (decision.reasons == ()) == (outcome == "allowed")


def test_an_inactive_scenario_is_refused_for_everyone():
    decision = decide(4, "fee", 10, active=False)
    assert decision.refused and "no longer in use" in decision.reasons[0]


def test_the_reasons_name_each_limit_passed():
    decision = decide(1, "fee", 40, 60, 880)
    text = " ".join(decision.reasons)
    assert "per use" in text and "¥30.00 left today" in text and "¥20.00 left this month" in text
    assert "G2 or above" in decision.reasons[-1]


def test_an_amount_using_the_limit_up_exactly_is_at_the_limit():
    assert decide(1, "fee", 30).at_limit
    assert decide(1, "fee", 20, 70, 70).at_limit  # the day's ¥90
    assert not decide(1, "fee", 20, 10, 10).at_limit


def test_remaining_is_what_is_left_today_within_the_month():
    assert rules.remaining(limit(30, 90, 900), D(50), D(880)) == (D(20), D(20))
    assert rules.remaining(limit(30, 90, 900), D(100), D(100)) == (D(0), D(800))
    assert rules.remaining(None, D(0), D(0)) is None
