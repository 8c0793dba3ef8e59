"""Publicity and acknowledgement (issue 12 §5): publishing tells each member once, each acknowledges once, the
supervisor sees who has not (her team only, in a fixed number of queries), and a reminder goes out at most once
a day until they do."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from linkage import notify, tasks
from linkage.models import Acknowledgement
from linkage.selectors import playbooks as selectors
from linkage.services.acknowledgements import acknowledge
from notifications.models import Notification
from staff import today as staff_today
from staff.models import Stage
from tests.linkage.factories import AcknowledgementFactory, version_in
from tests.staff.factories import EmployeeFactory

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def rollout(world):
    world.published = version_in("published")
    world.pilot_b = version_in("pilot", pilot_teams=[world.other_team])
    return world


def notified(version, kind):
    return set(
        Notification.objects.filter(kind=kind, key__contains=f":{version.pk}:").values_list("recipient_id", flat=True)
    )


# Acknowledging --------------------------------------------------------------------------------------------


def test_acknowledging_twice_makes_one_row(rollout):
    _first, created = acknowledge(user=rollout.trainee.user, version=rollout.published)
    _again, created_again = acknowledge(user=rollout.trainee.user, version=rollout.published)
    assert (created, created_again) == (True, False)
    assert Acknowledgement.objects.filter(version=rollout.published, employee=rollout.trainee).count() == 1


def test_acknowledging_a_version_that_does_not_apply_is_refused(rollout):
    with pytest.raises(PermissionDenied):
        acknowledge(user=rollout.trainee.user, version=rollout.pilot_b)
    assert not Acknowledgement.objects.exists()


# Notifications --------------------------------------------------------------------------------------------


def test_publishing_notifies_each_active_member_once(rollout):
    assert notify.version_published(rollout.published.pk) > 0
    assert notify.version_published(rollout.published.pk) == 0
    recipients = notified(rollout.published, notify.PUBLISHED)
    assert rollout.trainee.user_id in recipients
    assert rollout.other_trainee.user_id in recipients
    assert rollout.inactive.user_id not in recipients
    assert Notification.objects.filter(kind=notify.PUBLISHED, recipient=rollout.trainee.user).count() == 1


def test_a_pilot_notifies_only_its_pilot_teams_members(rollout):
    notify.version_piloted(rollout.pilot_b.pk)
    recipients = notified(rollout.pilot_b, notify.PILOTED)
    assert rollout.other_trainee.user_id in recipients
    assert rollout.trainee.user_id not in recipients


def test_the_notification_is_written_in_the_readers_language(rollout):
    rollout.trainee.language = "zh-hans"
    rollout.trainee.save(update_fields=["language"])
    notify.version_published(rollout.published.pk)
    title = Notification.objects.get(kind=notify.PUBLISHED, recipient=rollout.trainee.user).title
    assert rollout.published.playbook.name_zh in title


def test_the_reminder_goes_out_once_a_day_to_whoever_has_not_acknowledged(rollout):
    AcknowledgementFactory(version=rollout.published, employee=rollout.mentor)
    tasks.send_acknowledgement_reminders()
    tasks.send_acknowledgement_reminders()
    reminded = notified(rollout.published, notify.REMINDER)
    assert rollout.trainee.user_id in reminded
    assert rollout.mentor.user_id not in reminded
    once = Notification.objects.filter(
        kind=notify.REMINDER, recipient=rollout.trainee.user, key__contains=f":{rollout.published.pk}:"
    )
    assert once.count() == 1


def test_the_reminder_comes_again_the_next_day(rollout):
    notify.send_reminders(today=TODAY)
    notify.send_reminders(today=TODAY + datetime.timedelta(days=1))
    assert (
        Notification.objects.filter(
            kind=notify.REMINDER, recipient=rollout.trainee.user, key__contains=f":{rollout.published.pk}:"
        ).count()
        == 2
    )


# The team's acknowledgements ------------------------------------------------------------------------------


def get(client, user, **params):
    client.force_login(user, backend=MODEL_BACKEND)
    return client.get(reverse("linkage:team-acknowledgements"), params)


def pending_of(response):
    assert response.status_code == 200
    return {member.pk: {v.pk for v in member.pending} for member in response.context["data"].page}


def test_the_supervisor_sees_who_has_not_acknowledged_in_her_team(client, rollout):
    AcknowledgementFactory(version=rollout.published, employee=rollout.mentor)
    pending = pending_of(get(client, rollout.supervisor.user))
    assert rollout.published.pk in pending[rollout.trainee.pk]
    assert rollout.published.pk not in pending[rollout.mentor.pk]
    assert rollout.other_trainee.pk not in pending


def test_the_team_page_lists_the_teams_pilot_for_its_members(client, rollout):
    pending = pending_of(get(client, rollout.other_supervisor.user))
    assert rollout.pilot_b.pk in pending[rollout.other_trainee.pk]


def test_a_supervisor_gets_404_for_another_team(client, rollout):
    assert get(client, rollout.supervisor.user, team=rollout.other_team.pk).status_code == 404


def test_an_agent_gets_404_on_the_team_page(client, rollout):
    assert get(client, rollout.trainee.user).status_code == 404


def test_only_pending_hides_who_has_read_everything(client, rollout):
    for version in selectors.team_versions(rollout.team):  # the shipped playbooks too
        AcknowledgementFactory(version=version, employee=rollout.mentor)
    pending = pending_of(get(client, rollout.supervisor.user, pending="1"))
    assert rollout.mentor.pk not in pending
    assert rollout.trainee.pk in pending


def _grow(world, n):
    for _ in range(n):
        member = EmployeeFactory(team=world.team, stage=Stage.GROWTH)
        version = version_in("published")
        AcknowledgementFactory(version=version, employee=member)


def test_the_team_page_answers_in_a_fixed_number_of_queries(client, rollout, django_assert_max_num_queries):
    _grow(rollout, 3)
    client.force_login(rollout.supervisor.user, backend=MODEL_BACKEND)
    url = reverse("linkage:team-acknowledgements")
    client.get(url)
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    _grow(rollout, 6)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["data"].page) >= 12


# "Today" --------------------------------------------------------------------------------------------------


def test_today_shows_the_supervisor_her_members_who_have_not_acknowledged(rollout):
    AcknowledgementFactory(version=rollout.published, employee=rollout.mentor)
    keys = {item.key for section in staff_today.sections(rollout.supervisor.user) for item in section.items}
    assert f"linkage-unacknowledged:{rollout.trainee.pk}" in keys
    assert f"linkage-unacknowledged:{rollout.other_trainee.pk}" not in keys
