"""Suggestions through their services (issue 14 §1): declining needs a reason the author reads and is told of,
every status change notifies the author and followers once, merging moves supporters without duplicates,
campaign windows are enforced at their edges, private suggestions stay private."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from improvement import permissions
from improvement.models import Follow, Origin, Suggestion, SuggestionEvent, Support
from improvement.services import suggestions as services
from improvement.signals import suggestion_implemented
from notifications.models import Notification
from tests.improvement.suggestions_factories import CampaignFactory, SuggestionFactory
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def submit(world, **kwargs):
    data = {"category": "system", "title": "Order history first", "what": "Show it on the first screen."}
    return services.submit(user=kwargs.pop("user", world.trainee.user), **{**data, **kwargs})


def notes(user, kind=services.STATUS_CHANGED):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_submit_and_audit(world):
    s = submit(world)
    assert (s.author, s.status, s.origin) == (world.trainee, "new", Origin.BOX)
    assert list(s.events.values_list("from_status", "to_status")) == [("", "new")]


def test_an_inactive_user_cannot_submit(world):
    with pytest.raises(PermissionDenied):
        submit(world, user=world.inactive.user)


def test_supervisor_raises_one_for_her_agent_from_a_one_to_one(world):
    s = submit(world, user=world.supervisor.user, author=world.trainee, origin=Origin.ONE_TO_ONE)
    assert s.author == world.trainee and s.origin == Origin.ONE_TO_ONE
    assert Follow.objects.filter(suggestion=s, user=world.supervisor.user).exists()
    with pytest.raises(ValidationError):
        submit(world, user=world.supervisor.user, author=world.trainee)  # from the box: not on behalf
    with pytest.raises(PermissionDenied):
        submit(world, user=world.other_supervisor.user, author=world.trainee, origin=Origin.ONE_TO_ONE)


def test_decline_needs_a_reason_and_notifies_the_author(world):
    s = submit(world)
    with pytest.raises(ValidationError):
        services.move(user=world.supervisor.user, suggestion_id=s.pk, to_status="declined", answer="  ")
    assert not notes(world.trainee.user).exists()
    services.move(user=world.supervisor.user, suggestion_id=s.pk, to_status="declined", answer="The CRM vendor")
    s.refresh_from_db()
    assert (s.status, s.answer, s.reviewer) == ("declined", "The CRM vendor", world.supervisor.user)
    note = notes(world.trainee.user).get()
    assert "The CRM vendor" in note.body
    assert SuggestionEvent.objects.filter(suggestion=s, to_status="declined", reason="The CRM vendor").exists()


def test_every_status_change_notifies_author_and_followers_once_each(world):
    s = submit(world)
    services.follow(user=world.mentor.user, suggestion=s)
    services.follow(user=world.trainee.user, suggestion=s)  # the author following too: still one note
    for status in ("under_review", "accepted", "implemented"):
        services.move(user=world.hr, suggestion_id=s.pk, to_status=status)
    assert notes(world.trainee.user).count() == 3
    assert notes(world.mentor.user).count() == 3
    s.refresh_from_db()
    assert s.implemented_at is not None


def test_implemented_sends_the_signal_on_commit(world, django_capture_on_commit_callbacks):
    s = SuggestionFactory(author=world.trainee, status="accepted")
    received = []
    suggestion_implemented.connect(lambda **kw: received.append(kw["suggestion"].pk), weak=False, dispatch_uid="t2")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.move(user=world.hr, suggestion_id=s.pk, to_status="implemented")
    finally:
        suggestion_implemented.disconnect(dispatch_uid="t2")
    assert received == [s.pk]


def test_a_reviewer_out_of_scope_cannot_move(world):
    s = submit(world)
    with pytest.raises(PermissionDenied):
        services.move(user=world.other_supervisor.user, suggestion_id=s.pk, to_status="under_review")
    with pytest.raises(PermissionDenied):
        services.move(user=world.mentor.user, suggestion_id=s.pk, to_status="under_review")


def test_support_once_not_own_and_count(world):
    s = submit(world)
    assert services.support(user=world.mentor.user, suggestion=s)
    assert not services.support(user=world.mentor.user, suggestion=s)
    assert services.support(user=world.other_trainee.user, suggestion=s)
    with pytest.raises(PermissionDenied):
        services.support(user=world.trainee.user, suggestion=s)
    s.refresh_from_db()
    assert s.support_count == 2
    assert services.unsupport(user=world.mentor.user, suggestion=s)
    assert not services.unsupport(user=world.mentor.user, suggestion=s)
    s.refresh_from_db()
    assert s.support_count == 1


def test_merge_moves_supporters_without_duplicates(world):
    source = submit(world, title="A")
    target = SuggestionFactory(author=world.mentor)
    both, only_source, only_target = (EmployeeFactory(team=world.team) for _ in range(3))
    for who in (both, only_source):
        services.support(user=who.user, suggestion=source)
    for who in (both, only_target):
        services.support(user=who.user, suggestion=target)
    services.support(user=world.mentor.user, suggestion=source)  # the target's author: not her own +1
    services.follow(user=world.other_trainee.user, suggestion=source)
    services.merge(user=world.supervisor.user, suggestion_id=source.pk, target_id=target.pk)
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.status, source.merged_into, source.support_count) == ("merged", target, 0)
    assert set(Support.objects.filter(suggestion=target).values_list("employee_id", flat=True)) == {
        both.pk,
        only_source.pk,
        only_target.pk,
    }
    assert target.support_count == 3
    assert Follow.objects.filter(suggestion=target, user=world.other_trainee.user).exists()
    assert notes(world.trainee.user, services.MERGED_NOTICE).count() == 1


def test_merge_refuses_itself_and_declined_targets(world):
    s = submit(world)
    declined = SuggestionFactory(author=world.trainee, status="declined", answer="No")
    with pytest.raises(ValidationError):
        services.merge(user=world.hr, suggestion_id=s.pk, target_id=s.pk)
    with pytest.raises(ValidationError):
        services.merge(user=world.hr, suggestion_id=s.pk, target_id=declined.pk)
    assert Suggestion.objects.get(pk=s.pk).status == "new"


@pytest.mark.parametrize(
    ("now", "ok"),
    [
        ("2026-02-28 23:59", False),
        ("2026-03-01 00:01", True),
        ("2026-03-31 23:59", True),
        ("2026-04-01 00:01", False),
    ],
)
def test_campaign_window_enforced_at_the_edges(world, now, ok, settings):
    campaign = CampaignFactory(opens_on=datetime.date(2026, 3, 1), closes_on=datetime.date(2026, 3, 31))
    tz = datetime.datetime.strptime(now, "%Y-%m-%d %H:%M")
    from zoneinfo import ZoneInfo

    with time_machine.travel(tz.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=False):
        if ok:
            assert submit(world, campaign=campaign).campaign == campaign
        else:
            with pytest.raises(ValidationError):
                submit(world, campaign=campaign)


def test_private_suggestions_are_seen_by_author_and_reviewers_in_scope(world):
    private = submit(world, is_public=False)
    public = submit(world, user=world.other_trainee.user)
    seen = {
        name: set(permissions.visible_suggestions(user).values_list("pk", flat=True))
        for name, user in {
            "trainee": world.trainee.user,
            "mentor": world.mentor.user,
            "supervisor": world.supervisor.user,
            "other_supervisor": world.other_supervisor.user,
            "hr": world.hr,
            "inactive": world.inactive.user,
        }.items()
    }
    assert seen["trainee"] == {private.pk, public.pk}
    assert seen["mentor"] == {public.pk}
    assert seen["supervisor"] == {private.pk, public.pk}
    assert seen["other_supervisor"] == {public.pk}
    assert seen["hr"] == {private.pk, public.pk}
    assert seen["inactive"] == set()
    assert not permissions.can_see_suggestion(world.mentor.user, private)
    with pytest.raises(PermissionDenied):
        services.comment(user=world.mentor.user, suggestion=private, text="hi")
    assert services.comment(user=world.mentor.user, suggestion=public, text="Yes!").text == "Yes!"


def test_campaign_create(world):
    today = datetime.date(2026, 3, 1)
    c = services.create_campaign(user=world.supervisor.user, title="Spring", opens_on=today, closes_on=today)
    assert c.created_by == world.supervisor.user
    with pytest.raises(PermissionDenied):
        services.create_campaign(user=world.trainee.user, title="x", opens_on=today, closes_on=today)
    with pytest.raises(ValidationError):
        services.create_campaign(user=world.hr, title="x", opens_on=today, closes_on=today - datetime.timedelta(days=1))
