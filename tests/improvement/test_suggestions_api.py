"""The suggestions API (issue 14 §5): submit, support, move with the answer (400 without), merge; scoped reads."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from improvement.models import Suggestion
from tests.improvement.suggestions_factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_submit_support_decline_and_merge(world):
    created = api(world.trainee.user).post(
        reverse("improvement-suggestion-list"),
        {"category": "system", "title": "One screen", "what": "Merge the two order screens."},
        format="json",
    )
    assert created.status_code == 201 and created.data["status"] == "new"
    pk = created.data["id"]
    supported = api(world.mentor.user).post(reverse("improvement-suggestion-support", args=[pk]))
    assert supported.status_code == 200 and supported.data["support_count"] == 1
    assert api(world.trainee.user).post(reverse("improvement-suggestion-support", args=[pk])).status_code == 403
    move = reverse("improvement-suggestion-move", args=[pk])
    assert api(world.supervisor.user).post(move, {"to_status": "declined"}, format="json").status_code == 400
    assert api(world.trainee.user).post(move, {"to_status": "under_review"}, format="json").status_code == 403
    declined = api(world.supervisor.user).post(move, {"to_status": "declined", "answer": "Vendor"}, format="json")
    assert declined.status_code == 200 and declined.data["answer"] == "Vendor"
    reopened = api(world.hr).post(move, {"to_status": "under_review", "answer": "New budget"}, format="json")
    assert reopened.data["status"] == "under_review"
    target = SuggestionFactory(author=world.mentor)
    merged = api(world.hr).post(reverse("improvement-suggestion-merge", args=[pk]), {"target": target.pk})
    assert merged.status_code == 200 and merged.data["merged_into"] == target.pk
    assert Suggestion.objects.get(pk=target.pk).support_count == 0  # the mentor authored the target


def test_private_ones_are_hidden_from_colleagues(world):
    private = SuggestionFactory(author=world.trainee, is_public=False)
    public = SuggestionFactory(author=world.trainee)
    ids = {row["id"] for row in api(world.mentor.user).get(reverse("improvement-suggestion-list")).data["results"]}
    assert public.pk in ids and private.pk not in ids
    assert api(world.mentor.user).get(reverse("improvement-suggestion-detail", args=[private.pk])).status_code == 404
