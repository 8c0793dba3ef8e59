"""The inbox, marking notifications read, and the unread badge fragment the navbar fetches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def notify(user, title, *, read=False, url=""):
    return Notification.objects.create(
        recipient=user,
        kind="test",
        key=f"test:{user.pk}:{title}",
        title=title,
        url=url,
        read_at=timezone.now() if read else None,
    )


@pytest.fixture
def inbox(world):
    trainee = world.trainee.user
    return {
        "mine_unread": notify(trainee, "Due tomorrow: read the guide", url="/training/onboarding/me/"),
        "mine_too": notify(trainee, "Gate check passed"),
        "mine_read": notify(trainee, "Welcome", read=True),
        "theirs": notify(world.mentor.user, "Coaching tomorrow"),
    }


def unread(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_the_inbox_lists_only_my_notifications(client, world, inbox):
    response = login(client, world.trainee.user).get(reverse("notifications:inbox"))
    body = response.content.decode()
    assert {n.pk for n in response.context["notifications"]} == {
        inbox["mine_unread"].pk,
        inbox["mine_too"].pk,
        inbox["mine_read"].pk,
    }
    assert response.context["unread"] == 2
    assert "Coaching tomorrow" not in body
    assert 'href="/training/onboarding/me/"' in body


def test_an_outside_link_is_not_made_clickable(client, world):
    notify(world.trainee.user, "Odd", url="//evil.example/")
    body = login(client, world.trainee.user).get(reverse("notifications:inbox")).content.decode()
    assert "evil.example" not in body


def test_mark_one_read(client, world, inbox):
    response = login(client, world.trainee.user).post(reverse("notifications:mark-read"), {"id": inbox["mine_too"].pk})
    assert response.status_code == 302
    inbox["mine_too"].refresh_from_db()
    assert inbox["mine_too"].read_at is not None
    assert unread(world.trainee.user) == 1


def test_mark_all_read(client, world, inbox):
    login(client, world.trainee.user).post(reverse("notifications:mark-read"), {"all": "1"})
    assert unread(world.trainee.user) == 0
    assert unread(world.mentor.user) == 1


def test_nobody_marks_someone_elses_notification_read(client, world, inbox):
    login(client, world.trainee.user).post(reverse("notifications:mark-read"), {"id": inbox["theirs"].pk})
    assert unread(world.mentor.user) == 1


def test_mark_read_without_ids_changes_nothing(client, world, inbox):
    login(client, world.trainee.user).post(reverse("notifications:mark-read"))
    assert unread(world.trainee.user) == 2


def test_mark_read_answers_405_to_get(client, world):
    assert login(client, world.trainee.user).get(reverse("notifications:mark-read")).status_code == 405


def test_the_unread_fragment_shows_the_count(client, world, inbox):
    response = login(client, world.trainee.user).get(reverse("notifications:unread-count"))
    body = response.content.decode()
    assert response.status_code == 200
    assert ">2<" in body and "unread notifications" in body
    assert "<html" not in body
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_unread_fragment_is_empty_without_unread(client, world):
    response = login(client, world.mentor.user).get(reverse("notifications:unread-count"))
    assert response.content.decode().strip() == ""


def test_the_unread_fragment_needs_a_login(client, world):
    response = client.get(reverse("notifications:unread-count"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_pages_do_not_count_notifications_while_rendering(client, world, inbox):
    """The badge is fetched after page load, so an ordinary page issues no notification query."""
    login(client, world.trainee.user)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("staff:my-profile")).content.decode()
    assert not [q for q in ctx.captured_queries if "notifications_notification" in q["sql"]]
    assert reverse("notifications:unread-count") in body and reverse("notifications:inbox") in body
