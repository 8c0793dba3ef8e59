"""The honour API (issue 15 §3, §7): programmes read-only; nominations listed as the caller may see them and
created as the caller, once per Idempotency-Key; bad input answers 400 with the reason and writes nothing."""

import pytest
from django.urls import reverse

from incentives.models import Nomination
from tests.incentives.honours_factories import ProgrammeFactory, decide, nominate

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, world):
    world.programme = ProgrammeFactory(team=world.team)
    return client, world


def test_programmes_are_read_only_and_scoped(api):
    client, world = api
    client.force_login(world.trainee.user)
    rows = client.get(reverse("incentives-award-programme-list")).json()["results"]
    assert [row["id"] for row in rows] == [world.programme.pk]
    client.force_login(world.other_trainee.user)
    assert client.get(reverse("incentives-award-programme-list")).json()["results"] == []
    assert client.post(reverse("incentives-award-programme-list"), {}).status_code == 405


def test_nominating_through_the_api_once_per_key(api):
    client, world = api
    client.force_login(world.mentor.user)
    body = {"programme": world.programme.pk, "nominee": world.trainee.pk, "reason": "Calm on every hard call."}
    url = reverse("incentives-nomination-list")
    first = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "n-1"})
    again = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "n-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Nomination.objects.count() == 1


def test_a_self_nomination_answers_400(api):
    client, world = api
    client.force_login(world.trainee.user)
    body = {"programme": world.programme.pk, "nominee": world.trainee.pk, "reason": "Me!"}
    response = client.post(reverse("incentives-nomination-list"), body, content_type="application/json")
    assert response.status_code == 400 and "cannot nominate yourself" in response.content.decode()
    assert not Nomination.objects.exists()


def test_nominations_are_seen_by_the_people_involved_and_winners_by_everyone_who_sees_the_programme(api):
    client, world = api
    pending = nominate(world.mentor.user, world.programme, world.trainee)
    won = decide(world.hr, nominate(world.supervisor.user, world.programme, world.mentor))
    url = reverse("incentives-nomination-list")
    client.force_login(world.trainee.user)
    assert {row["id"] for row in client.get(url).json()["results"]} == {pending.pk, won.pk}
    client.force_login(world.inactive.user)
    assert client.get(url).status_code in (401, 403)
    client.force_login(world.other_trainee.user)
    assert client.get(url).json()["results"] == []
    client.force_login(world.hr)
    assert client.get(url, {"status": "won"}).json()["results"][0]["id"] == won.pk
