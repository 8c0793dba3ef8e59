"""The inbox, marking notifications read, and the unread badge the navbar renders with every page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.context_processors import unread as unread_context
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
    assert {n.pk for n in response.context["page"]} == {
        inbox["mine_unread"].pk,
        inbox["mine_too"].pk,
        inbox["mine_read"].pk,
    }
    assert '<span class="badge rounded-pill text-bg-danger fs-6">2</span>' in body
    assert "Coaching tomorrow" not in body
    assert 'href="/training/onboarding/me/"' in body


def test_the_unread_filter_keeps_only_the_unread(client, world, inbox):
    response = login(client, world.trainee.user).get(reverse("notifications:inbox"), {"show": "unread"})
    assert [n.pk for n in response.context["page"]] == [inbox["mine_too"].pk, inbox["mine_unread"].pk]


def test_a_long_inbox_is_paged_with_the_same_queries_on_every_page(client, world, django_assert_num_queries):
    user = world.trainee.user
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="test", key=f"bulk:{n}", title=f"Reminder {n}") for n in range(120)
    )
    login(client, user)
    client.get(reverse("notifications:inbox"))  # the session and the language are read once
    counts = []
    for page in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("notifications:inbox"), {"page": page})
        counts.append(len(queries))
        assert response.status_code == 200
    first, last = client.get(reverse("notifications:inbox")).context["page"], response.context["page"]
    assert (len(first), len(last), last.paginator.num_pages) == (50, 20, 3)
    assert first[0].title == "Reminder 119" and last[-1].title == "Reminder 0"
    assert counts[0] == counts[1]


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


def notification_queries(ctx):
    return [q for q in ctx.captured_queries if "notifications_notification" in q["sql"]]


def test_a_page_shows_the_unread_count_next_to_the_bell(client, world, inbox):
    """The badge is rendered with the page (no second request): one COUNT query for it."""
    login(client, world.trainee.user)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("staff:my-profile")).content.decode()
    assert len(notification_queries(ctx)) == 1
    bell = body[body.index('id="nav-inbox"') :].split("</a>", 1)[0]
    assert f'href="{reverse("notifications:inbox")}"' in bell
    assert ">2<" in bell and "unread notifications" in bell


def test_the_bell_has_no_badge_without_unread(client, world):
    body = login(client, world.mentor.user).get(reverse("staff:my-profile")).content.decode()
    bell = body[body.index('id="nav-inbox"') :].split("</a>", 1)[0]
    assert "badge" not in bell and "unread notification" not in bell


def test_the_count_is_read_only_when_a_template_uses_it(rf, world, inbox, django_assert_num_queries):
    request = rf.get("/")
    request.user = world.trainee.user
    with django_assert_num_queries(0):
        context = unread_context(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"]() == 2
        assert context["unread_notifications"]() == 2


def test_an_anonymous_page_counts_nothing(client, world):
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("login")).content.decode()
    assert notification_queries(ctx) == [] and 'id="nav-inbox"' not in body
