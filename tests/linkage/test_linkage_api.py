"""The linkage API (issue 12 §10): playbooks with the version that applies to the caller, versions (read only),
acknowledgements, consultation comments; scoped like the pages (404 outside), writes through the services."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from linkage.models import Acknowledgement, Comment
from tests.linkage.factories import CommentFactory, PlaybookFactory, version_in


@pytest.fixture
def books(world):
    world.wealth = version_in("published", playbook=PlaybookFactory(code="wealth"))
    world.queue = version_in("pilot", playbook=PlaybookFactory(code="queue"), pilot_teams=[world.other_team])
    world.wealth_v2 = version_in("consultation", playbook=world.wealth.playbook, number=2, reason="Clearer.")
    return world


def client_of(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def codes(response):
    assert response.status_code == 200, response.content
    return {item["code"] for item in response.json()["results"]} & {"wealth", "queue"}


def test_an_agent_lists_the_playbooks_that_apply_to_her(books):
    assert codes(client_of(books.trainee.user).get(reverse("linkage-playbook-list"))) == {"wealth"}


def test_another_teams_agent_lists_her_pilot(books):
    assert codes(client_of(books.other_trainee.user).get(reverse("linkage-playbook-list"))) == {"wealth", "queue"}


def test_a_playbook_carries_the_published_version_with_its_steps(books):
    body = client_of(books.trainee.user).get(reverse("linkage-playbook-detail", args=["wealth"])).json()
    assert body["version"]["number"] == 1
    assert len(body["version"]["steps"]) == 1


def test_a_playbook_out_of_scope_answers_404(books):
    response = client_of(books.trainee.user).get(reverse("linkage-playbook-detail", args=["queue"]))
    assert response.status_code == 404


def test_versions_are_read_only(books):
    url = reverse("linkage-version-detail", args=[books.wealth.pk])
    response = client_of(books.hr).patch(url, {"topic_en": "Changed"}, format="json")
    assert response.status_code == 405
    books.wealth.refresh_from_db()
    assert books.wealth.topic_en == "Topic"


def test_acknowledging_through_the_api_twice_makes_one_row(books):
    url = reverse("linkage-version-acknowledge", args=[books.wealth.pk])
    client = client_of(books.trainee.user)
    assert client.post(url).status_code == 201
    assert client.post(url).status_code == 200
    assert Acknowledgement.objects.filter(version=books.wealth, employee=books.trainee).count() == 1


def test_acknowledging_another_teams_pilot_answers_404(books):
    url = reverse("linkage-version-acknowledge", args=[books.queue.pk])
    assert client_of(books.trainee.user).post(url).status_code == 404


def test_an_agent_comments_during_consultation(books):
    response = client_of(books.trainee.user).post(
        reverse("linkage-comment-list"), {"version": books.wealth_v2.pk, "body": "Earlier signal."}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Comment.objects.get().author == books.trainee


def test_a_comment_on_a_published_version_is_refused(books):
    response = client_of(books.trainee.user).post(
        reverse("linkage-comment-list"), {"version": books.wealth.pk, "body": "Too late."}, format="json"
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_only_hr_answers_a_comment_through_the_api(books):
    comment = CommentFactory(version=books.wealth_v2, author=books.trainee)
    url = reverse("linkage-comment-answer", args=[comment.pk])
    assert client_of(books.supervisor.user).post(url, {"answer": "Mine."}, format="json").status_code == 404
    assert client_of(books.hr).post(url, {"answer": "Done."}, format="json").status_code == 200
    comment.refresh_from_db()
    assert comment.answer == "Done."


def test_a_supervisor_lists_her_teams_acknowledgements_only(books):
    client_of(books.trainee.user).post(reverse("linkage-version-acknowledge", args=[books.wealth.pk]))
    client_of(books.other_trainee.user).post(reverse("linkage-version-acknowledge", args=[books.wealth.pk]))
    body = client_of(books.supervisor.user).get(reverse("linkage-acknowledgement-list")).json()
    assert {row["employee"] for row in body["results"]} == {books.trainee.pk}
