"""A suggestion implemented earns its author recognition (issue 15 §1): one spiritual "achievement" recognition on
the wall, cited to the suggestion, from the implementer (or the author's lead when the implementer has no employee
record), once whatever the number of signals; never to oneself, never to a leaver."""

import pytest

from improvement.services import suggestions as suggestion_services
from incentives.models import EarnedBy, Kind, PointsEntry, Recognition
from incentives.services import recognition as recognition_services
from incentives.services.suggestions import recognise_implemented_suggestion
from notifications.models import Notification
from staff.models import Stage
from tests.improvement.suggestions_factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def implement(user, suggestion, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_services.move(user=user, suggestion_id=suggestion.pk, to_status="implemented")


def test_hr_implements_and_the_authors_lead_recognises_her_for_achievement(world, django_capture_on_commit_callbacks):
    suggestion = SuggestionFactory(author=world.trainee, status="accepted", title="Order history first")
    implement(world.hr, suggestion, django_capture_on_commit_callbacks)
    recognition = Recognition.objects.get()
    assert (recognition.giver, list(recognition.recipients.all())) == (world.supervisor, [world.trainee])
    assert (recognition.motivator, recognition.kind, recognition.points) == ("achievement", Kind.SPIRITUAL, 0)
    assert (recognition.earned_by_kind, recognition.earned_by_id) == (EarnedBy.SUGGESTION, suggestion.pk)
    assert "Order history first" in recognition.message
    assert recognition.created_by == world.hr
    assert Notification.objects.filter(recipient=world.trainee.user, kind=recognition_services.RECOGNISED).count() == 1
    assert not PointsEntry.objects.exists()


def test_a_lead_who_implements_gives_it_herself(world, django_capture_on_commit_callbacks):
    suggestion = SuggestionFactory(author=world.mentor, status="accepted")
    implement(world.supervisor.user, suggestion, django_capture_on_commit_callbacks)
    assert Recognition.objects.get().giver == world.supervisor


def test_a_second_signal_writes_nothing(world, django_capture_on_commit_callbacks):
    suggestion = SuggestionFactory(author=world.trainee, status="accepted")
    implement(world.hr, suggestion, django_capture_on_commit_callbacks)
    again = recognise_implemented_suggestion(suggestion_id=suggestion.pk, actor_id=world.hr.pk)
    assert again == Recognition.objects.get()
    assert Notification.objects.filter(kind=recognition_services.RECOGNISED).count() == 1


def test_nobody_recognises_herself(world):
    # the lead's own suggestion, implemented by herself: she leads her own team, so nobody else is there to give it
    suggestion = SuggestionFactory(author=world.supervisor, status="implemented")
    assert recognise_implemented_suggestion(suggestion_id=suggestion.pk, actor_id=world.supervisor.user_id) is None
    assert not Recognition.objects.exists()


def test_a_leaver_is_not_recognised(world):
    suggestion = SuggestionFactory(author=world.trainee, status="implemented")
    world.trainee.stage = Stage.LEFT
    world.trainee.save(update_fields=["stage"])
    assert recognise_implemented_suggestion(suggestion_id=suggestion.pk, actor_id=world.supervisor.user_id) is None
    assert not Recognition.objects.exists()


def test_a_suggestion_not_implemented_earns_nothing(world):
    suggestion = SuggestionFactory(author=world.trainee, status="accepted")
    assert recognise_implemented_suggestion(suggestion_id=suggestion.pk, actor_id=world.supervisor.user_id) is None
    assert not Recognition.objects.exists()
