"""The tasks API (issue 14 §3, §5): create with stages and questions, the comprehension check blocks the start
(400 with the reason) until the owner marks the task understood, stage actions, scoping."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from improvement.models import Task, TaskStatus

pytestmark = pytest.mark.django_db


def _api(employee):
    client = APIClient()
    client.force_authenticate(employee.user)
    return client


def _create(world):
    due = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    response = _api(world.supervisor).post(
        reverse("improvement-task-list"),
        {
            "title": "Shorten the greeting",
            "assignee": world.trainee.pk,
            "stages": [
                {"title": "Try it", "owner": world.trainee.pk, "due_on": due},
                {"title": "Coach it", "owner": world.mentor.pk, "due_on": due},
            ],
            "questions": ["What do you drop?"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_start_is_refused_until_understood(world):
    task = _create(world)
    assert task["status"] == "assigned" and task["start_problems"]
    trainee = _api(world.trainee)
    url = reverse("improvement-task-start", args=[task["id"]])
    assert trainee.post(url).status_code == 400
    question = task["questions"][0]["id"]
    answered = trainee.post(
        reverse("improvement-task-answer", args=[task["id"]]),
        {"answers": {str(question): "The slogan."}},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["questions"][0]["answer"] == "The slogan."
    refused = trainee.post(url)
    assert refused.status_code == 400
    assert Task.objects.get(pk=task["id"]).status == TaskStatus.ASSIGNED
    assert trainee.post(reverse("improvement-task-understood", args=[task["id"]])).status_code == 403
    understood = _api(world.supervisor).post(reverse("improvement-task-understood", args=[task["id"]]))
    assert understood.status_code == 200 and understood.json()["start_problems"] == []
    assert trainee.post(url).json()["status"] == "in_progress"


def test_stage_complete_and_delegate(world):
    task = _create(world)
    Task.objects.filter(pk=task["id"]).update(status=TaskStatus.IN_PROGRESS, understood_at=timezone.now())
    first, second = task["stages"]
    mentor = _api(world.mentor)
    delegated = mentor.post(
        reverse("improvement-task-delegate", args=[task["id"]]),
        {"stage": second["id"], "to": world.trainee.pk},
        format="json",
    )
    assert delegated.status_code == 200
    assert delegated.json()["stages"][1]["delegated_by"] == world.mentor.pk
    done = mentor.post(reverse("improvement-task-complete-stage", args=[task["id"]]), {"stage": second["id"]})
    assert done.status_code == 200 and done.json()["stages"][1]["done_at"]
    other = mentor.post(reverse("improvement-task-complete-stage", args=[task["id"]]), {"stage": first["id"]})
    assert other.status_code == 403


def test_raise_needs_a_text(world):
    task = _create(world)
    url = reverse("improvement-task-raise", args=[task["id"]])
    assert _api(world.trainee).post(url, {"text": ""}).status_code == 400


def test_an_agent_may_not_create_and_another_team_does_not_see(world):
    task = _create(world)
    due = timezone.localdate().isoformat()
    body = {
        "title": "Mine",
        "assignee": world.trainee.pk,
        "stages": [{"title": "s", "owner": world.trainee.pk, "due_on": due}],
    }
    assert _api(world.trainee).post(reverse("improvement-task-list"), body, format="json").status_code == 403
    assert _api(world.other_supervisor).get(reverse("improvement-task-detail", args=[task["id"]])).status_code == 404
    listed = _api(world.other_trainee).get(reverse("improvement-task-list")).json()
    assert listed["count"] == 0 if isinstance(listed, dict) else listed == []


def test_a_retry_with_the_same_idempotency_key_returns_the_first_task(world):
    client = _api(world.supervisor)
    body = {
        "title": "Once",
        "assignee": world.trainee.pk,
        "stages": [{"title": "s", "owner": world.trainee.pk, "due_on": timezone.localdate().isoformat()}],
    }
    url = reverse("improvement-task-list")
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    second = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] and Task.objects.filter(title="Once").count() == 1


def test_a_key_longer_than_80_characters_is_refused_not_cut(world):
    body = {
        "title": "Long key",
        "assignee": world.trainee.pk,
        "stages": [{"title": "s", "owner": world.trainee.pk, "due_on": timezone.localdate().isoformat()}],
    }
    response = _api(world.supervisor).post(
        reverse("improvement-task-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 81
    )
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert not Task.objects.filter(title="Long key").exists()
