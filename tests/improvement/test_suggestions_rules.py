"""The pure rules of suggestions (issue 14 §1), exhaustively over every pair of statuses."""

import datetime
import itertools

import pytest

from improvement import suggestion_rules as rules
from improvement.models import SuggestionStatus

ALLOWED = {
    ("new", "under_review"),
    ("new", "declined"),
    ("under_review", "accepted"),
    ("under_review", "declined"),
    ("accepted", "implemented"),
    ("accepted", "declined"),
    ("declined", "under_review"),
}


def test_the_rules_know_every_model_status():
    assert set(rules.STATUSES) == set(SuggestionStatus.values)


@pytest.mark.parametrize(("from_status", "to_status"), list(itertools.product(rules.STATUSES, repeat=2)))
def test_every_move_with_a_reason(from_status, to_status):
    decision = rules.can_move(from_status, to_status, reason="Because")
    assert bool(decision) is ((from_status, to_status) in ALLOWED)
    assert bool(decision.reasons) is not decision.allowed


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_declining_and_reopening_need_a_reason(from_status, to_status):
    needs = to_status == "declined" or from_status == "declined"
    for blank in ("", "   ", None):
        assert bool(rules.can_move(from_status, to_status, reason=blank)) is not needs


STATUSES = rules.STATUSES


@pytest.mark.parametrize(
    ("status", "target_status"), list(itertools.product(STATUSES, STATUSES)) + [(s, None) for s in STATUSES]
)
def test_merge_every_pair(status, target_status):
    target_id = None if target_status is None else 2
    decision = rules.can_merge(status=status, suggestion_id=1, target_id=target_id, target_status=target_status)
    expected = status in ("new", "under_review", "accepted") and target_status not in (None, "merged", "declined")
    assert bool(decision) is expected


def test_not_merged_into_itself():
    decision = rules.can_merge(status="new", suggestion_id=1, target_id=1, target_status="new")
    assert not decision and decision.reasons


@pytest.mark.parametrize(
    ("today", "open_"),
    [
        (datetime.date(2026, 2, 28), False),
        (datetime.date(2026, 3, 1), True),
        (datetime.date(2026, 3, 15), True),
        (datetime.date(2026, 3, 31), True),
        (datetime.date(2026, 4, 1), False),
    ],
)
def test_campaign_window_includes_both_ends(today, open_):
    kwargs = {"opens_on": datetime.date(2026, 3, 1), "closes_on": datetime.date(2026, 3, 31), "today": today}
    assert rules.campaign_open(**kwargs) is open_
    assert bool(rules.can_submit_to_campaign(**kwargs)) is open_


def test_rates():
    assert rules.adoption_rate(accepted=1, implemented=2, declined=1) == 0.75
    assert rules.adoption_rate(accepted=0, implemented=0, declined=0) is None
    assert rules.participation_rate(authors=3, headcount=12) == 0.25
    assert rules.participation_rate(authors=0, headcount=0) is None
