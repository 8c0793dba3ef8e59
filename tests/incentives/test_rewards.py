"""The reward catalogue (issue 15 §2): redeeming holds the points and a unit of stock, never past the balance or
the stock; HR approves, or rejects and both come back; the pages per persona."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from incentives.models import EntryKind, PointsEntry, Redemption, Reward
from incentives.selectors import ledger as selectors
from incentives.services import ledger
from incentives.services import rewards as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat(world):
    ledger.record(kind=EntryKind.AWARD, employee=world.trainee, points=100, source_ref="award:test:1")
    return Reward.objects.create(name="Training seat: advanced complaints", kind="training_seat", cost=60, stock=2)


def test_redeeming_holds_the_points_and_a_unit_of_stock(world, seat):
    redemption = services.redeem(user=world.trainee.user, reward_id=seat.pk)
    assert (redemption.status, redemption.points) == ("pending", 60)
    assert selectors.balance(world.trainee) == 40
    assert Reward.objects.get(pk=seat.pk).stock == 1
    entry = PointsEntry.objects.get(source_ref=f"redemption:{redemption.pk}")
    assert (entry.kind, entry.points) == (EntryKind.REDEMPTION, -60)


def test_a_balance_too_small_is_refused(world, seat):
    services.redeem(user=world.trainee.user, reward_id=seat.pk)
    with pytest.raises(ValidationError, match="your balance is 40"):
        services.redeem(user=world.trainee.user, reward_id=seat.pk)
    assert Redemption.objects.count() == 1


def test_out_of_stock_is_refused(world, seat):
    Reward.objects.filter(pk=seat.pk).update(stock=0)
    with pytest.raises(ValidationError, match="out of stock"):
        services.redeem(user=world.trainee.user, reward_id=seat.pk)


def test_a_rejection_gives_back_the_points_and_the_stock(world, seat):
    redemption = services.redeem(user=world.trainee.user, reward_id=seat.pk)
    services.decide(user=world.hr, redemption_id=redemption.pk, approve=False, note="Course cancelled")
    services.decide(user=world.hr, redemption_id=redemption.pk, approve=False)  # twice: nothing more
    assert selectors.balance(world.trainee) == 100
    assert Reward.objects.get(pk=seat.pk).stock == 2
    assert PointsEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
    with pytest.raises(ValidationError):
        services.decide(user=world.hr, redemption_id=redemption.pk, approve=True)


def test_an_approval_keeps_the_points_spent(world, seat):
    redemption = services.redeem(user=world.trainee.user, reward_id=seat.pk)
    services.decide(user=world.hr, redemption_id=redemption.pk, approve=True)
    assert Redemption.objects.get().status == "approved"
    assert selectors.balance(world.trainee) == 40


def test_only_hr_decides(world, seat):
    redemption = services.redeem(user=world.trainee.user, reward_id=seat.pk)
    with pytest.raises(PermissionDenied):
        services.decide(user=world.supervisor.user, redemption_id=redemption.pk, approve=True)


def test_redeeming_and_deciding_on_the_pages(client, world, seat):
    client.force_login(world.trainee.user)
    assert seat.name in client.get(reverse("incentives:rewards")).content.decode()
    client.post(reverse("incentives:reward-redeem", args=[seat.pk]))
    redemption = Redemption.objects.get()
    assert client.get(reverse("incentives:redemptions")).status_code == 403
    client.force_login(world.hr)
    assert f'data-redemption="{redemption.pk}"' in client.get(reverse("incentives:redemptions")).content.decode()
    client.post(reverse("incentives:redemption-decide", args=[redemption.pk]), {"decision": "approve"})
    assert Redemption.objects.get().status == "approved"


def test_an_inactive_reward_answers_404(client, world, seat):
    Reward.objects.filter(pk=seat.pk).update(is_active=False)
    client.force_login(world.trainee.user)
    assert client.post(reverse("incentives:reward-redeem", args=[seat.pk])).status_code == 404
