"""The API of redemptions and reactions (issue 15 §7): redeeming as the caller with an Idempotency-Key (a retry
spends nothing twice), the list scoped (hers; HR all), HR's decision; a reaction held with PUT (again: no change)
and taken back with DELETE."""

import pytest
from django.urls import reverse

from incentives.models import EntryKind, PointsEntry, Reaction, Redemption, Reward
from incentives.selectors import ledger as selectors
from incentives.services import ledger
from tests.api.conftest import api_client
from tests.incentives.factories import give

pytestmark = pytest.mark.django_db
URL = "/api/incentives/redemptions/"


@pytest.fixture
def seat(world):
    ledger.record(kind=EntryKind.AWARD, employee=world.trainee, points=100, source_ref="award:test:1")
    return Reward.objects.create(name="Training seat: advanced complaints", kind="training_seat", cost=60, stock=2)


def test_an_employee_redeems_and_a_retry_with_the_same_key_spends_nothing_twice(world, seat):
    client = api_client(world, "trainee")
    first = client.post(URL, {"reward": seat.pk}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = client.post(URL, {"reward": seat.pk}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert (first.json()["status"], first.json()["points"]) == ("pending", 60)
    assert selectors.balance(world.trainee) == 40
    seat.refresh_from_db()
    assert seat.stock == 1


def test_a_balance_too_small_answers_400_and_nothing_is_held(world, seat):
    client = api_client(world, "trainee")
    assert client.post(URL, {"reward": seat.pk}, format="json").status_code == 201
    response = client.post(URL, {"reward": seat.pk}, format="json")
    assert response.status_code == 400
    assert "balance is 40" in str(response.json())
    assert Redemption.objects.count() == 1


def test_an_unknown_reward_answers_400(world):
    response = api_client(world, "trainee").post(URL, {"reward": 999999}, format="json")
    assert response.status_code == 400


def test_hr_without_an_employee_record_cannot_redeem(world, seat):
    assert api_client(world, "hr").post(URL, {"reward": seat.pk}, format="json").status_code == 403


def test_the_list_is_hers_and_hr_sees_all(world, seat):
    api_client(world, "trainee").post(URL, {"reward": seat.pk}, format="json")
    assert len(api_client(world, "trainee").get(URL).json()["results"]) == 1
    assert api_client(world, "mentor").get(URL).json()["results"] == []
    assert len(api_client(world, "hr").get(URL).json()["results"]) == 1


def test_hr_rejects_and_the_points_and_stock_come_back(world, seat):
    made = api_client(world, "trainee").post(URL, {"reward": seat.pk}, format="json").json()
    decide = reverse("incentives-redemption-decide", args=[made["id"]])
    assert api_client(world, "trainee").post(decide, {"approve": True}, format="json").status_code == 403
    response = api_client(world, "hr").post(decide, {"approve": False, "note": "Seats are gone"}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "rejected")
    assert selectors.balance(world.trainee) == 100
    assert PointsEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
    seat.refresh_from_db()
    assert seat.stock == 2


def test_a_reaction_is_held_with_put_and_taken_back_with_delete(world):
    recognition = give(world.mentor, world.trainee)
    url = reverse("incentives-recognition-reaction", args=[recognition.pk])
    client = api_client(world, "trainee")
    for _ in range(2):  # PUT again changes nothing (no toggle)
        response = client.put(url, {"label": "thanks"}, format="json")
        assert (response.status_code, response.json()) == (200, {"label": "thanks"})
    assert list(Reaction.objects.values_list("employee", "label")) == [(world.trainee.pk, "thanks")]
    assert client.put(url, {"label": "nope"}, format="json").status_code == 400
    assert client.delete(url).status_code == 204
    assert client.delete(url).status_code == 204
    assert not Reaction.objects.exists()


def test_a_recognition_out_of_sight_answers_404(world):
    recognition = give(world.mentor, world.trainee)
    url = reverse("incentives-recognition-reaction", args=[recognition.pk])
    assert api_client(world, "other_trainee").put(url, {"label": "thanks"}, format="json").status_code == 404
