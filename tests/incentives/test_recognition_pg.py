"""Concurrency on PostgreSQL (issue 15 §1, §2): two recognitions by the same giver at the same moment never spend
more than her monthly allowance (her row is locked); two redemptions overdraw neither a balance nor a stock."""

import pytest
from django.core.exceptions import ValidationError

from incentives.models import EntryKind, PointsEntry, Recognition, Reward
from incentives.selectors import ledger as selectors
from incentives.services import ledger, rewards
from staff.models import Stage
from tests.incentives.factories import give
from tests.staff.factories import EmployeeFactory, TeamFactory
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres(reason="two recognitions at the same moment need real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def team(transactional_db):
    team = TeamFactory(name="Team P")
    giver = EmployeeFactory(name="Giver", team=team, stage=Stage.GROWTH, user__username="giver_p")
    people = [EmployeeFactory(name=f"Colleague {i}", team=team, user__username=f"colleague_{i}") for i in range(4)]
    return giver, people


def test_two_recognitions_at_once_cannot_together_exceed_the_allowance(team):
    giver, people = team
    # 2 × 15 = 30 each; the allowance is 50: one of them must be refused.
    results = at_once(
        lambda: give(giver, people[0], people[1], points=15, message="One").pk,
        lambda: give(giver, people[2], people[3], points=15, message="Two").pk,
    )
    made = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(made), len(refused)) == (1, 1), results
    assert Recognition.objects.count() == 1
    assert PointsEntry.objects.count() == 2
    assert selectors.allowance_left(giver) == 20


def test_many_small_recognitions_at_once_stop_at_the_allowance(team):
    giver, people = team
    results = at_once(*[lambda p=p: give(giver, p, points=20, message="Small").pk for p in people])
    assert sum(isinstance(r, int) for r in results) == 2, results
    assert sum(e.points for e in PointsEntry.objects.all()) == 40


def test_two_redemptions_at_once_overdraw_neither_the_balance_nor_the_stock(team):
    giver, people = team
    ledger.record(kind=EntryKind.AWARD, employee=giver, points=100, source_ref="award:pg:1")
    ledger.record(kind=EntryKind.AWARD, employee=people[0], points=100, source_ref="award:pg:2")
    seat = Reward.objects.create(name="Seat", cost=60, stock=5)
    last = Reward.objects.create(name="Last one", cost=10, stock=1)
    # the same person twice: 2 × 60 > 100
    results = at_once(*[lambda: rewards.redeem(user=giver.user, reward_id=seat.pk).pk for _ in range(2)])
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert selectors.balance(giver) == 40
    # two people, one unit of stock
    results = at_once(*[lambda p=p: rewards.redeem(user=p.user, reward_id=last.pk).pk for p in (giver, people[0])])
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert Reward.objects.get(pk=last.pk).stock == 0
