"""The recognition API (issue 15 §7): create as the giver (rules as on the page, 400 with the reason), the list
scoped like the wall, and an Idempotency-Key retry answered 200 with the first one."""

import pytest
from django.urls import reverse

from incentives.models import PointsEntry, Recognition
from tests.api.conftest import api_client
from tests.incentives.factories import give

pytestmark = pytest.mark.django_db
URL = "/api/incentives/recognitions/"


def body(world, **changes):
    return {"recipients": [world.trainee.pk], "message": "Calm on a hard call", "motivator": "achievement", **changes}


def test_the_giver_creates_a_recognition_with_points(world):
    response = api_client(world, "mentor").post(URL, body(world, points=4), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["giver"], data["recipients"], data["points"]) == (world.mentor.pk, [world.trainee.pk], 4)
    assert PointsEntry.objects.get().employee == world.trainee


def test_self_recognition_answers_400(world):
    response = api_client(world, "trainee").post(URL, body(world), format="json")
    assert response.status_code == 400
    assert "yourself" in str(response.json())


def test_over_the_allowance_answers_400(world):
    response = api_client(world, "mentor").post(URL, body(world, points=51), format="json")
    assert response.status_code == 400
    assert not Recognition.objects.exists()


def test_hr_without_an_employee_record_answers_403(world):
    assert api_client(world, "hr").post(URL, body(world), format="json").status_code == 403


def test_a_retry_with_the_same_key_answers_200_with_the_first(world):
    client = api_client(world, "mentor")
    first = client.post(URL, body(world, points=2), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, body(world, points=2), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert PointsEntry.objects.count() == 1


def test_the_list_is_scoped_like_the_wall(world):
    mine = give(world.mentor, world.trainee)
    give(world.other_supervisor, world.other_trainee)
    ids = [row["id"] for row in api_client(world, "trainee").get(URL).json()["results"]]
    assert ids == [mine.pk]
    assert len(api_client(world, "hr").get(URL).json()["results"]) == 2
    detail = reverse("incentives-recognition-detail", args=[mine.pk])
    assert api_client(world, "other_trainee").get(detail).status_code == 404
