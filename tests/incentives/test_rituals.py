"""Joining and leaving rituals (issue 15 §1, seed 001: 入职、离职激励文化): the daily task posts a welcome card on a
newcomer's first day and a farewell card in the week before a last day, asks the team and its lead to sign once,
and a second run posts and sends nothing; the team signs (once, words changeable), the person reads it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from incentives import tasks
from incentives.models import CardSignature, TeamCard
from incentives.services import rituals
from notifications.models import Notification
from tests.staff.factories import EmployeeFactory

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def newcomer(world):
    return EmployeeFactory(name="Newcomer", team=world.team, hire_date=TODAY, user__username="newcomer")


def _asked(user):
    return Notification.objects.filter(recipient=user, kind=rituals.SIGN_ASKED).count()


@pytest.mark.django_db
def test_a_welcome_card_goes_up_once_and_the_team_is_asked_once(world, newcomer):
    assert rituals.post_cards(today=TODAY)["posted"] == 1
    card = TeamCard.objects.get()
    assert (card.kind, card.employee_id, card.team_id, card.on) == ("welcome", newcomer.pk, world.team.pk, TODAY)
    assert _asked(world.trainee.user) == 1 and _asked(world.supervisor.user) == 1
    assert _asked(newcomer.user) == 0 and _asked(world.other_trainee.user) == 0
    assert rituals.post_cards(today=TODAY) == {"posted": 0, "asked": 0}
    assert rituals.post_cards(today=TODAY + datetime.timedelta(days=1)) == {"posted": 0, "asked": 0}
    assert rituals.post_cards(today=TODAY + datetime.timedelta(days=5)) == {"posted": 0, "asked": 0}


@pytest.mark.django_db
def test_a_farewell_card_goes_up_in_the_week_before_the_last_day(world):
    world.mentor.left_on = TODAY + datetime.timedelta(days=10)
    world.mentor.save()
    assert rituals.post_cards(today=TODAY)["posted"] == 0
    assert rituals.post_cards(today=TODAY + datetime.timedelta(days=4))["posted"] == 1
    card = TeamCard.objects.get()
    assert (card.kind, card.on) == ("farewell", world.mentor.left_on)
    assert _asked(world.trainee.user) == 1 and _asked(world.mentor.user) == 0


@pytest.mark.django_db
def test_the_team_signs_once_and_the_person_reads_it(client, world, newcomer):
    rituals.post_cards(today=TODAY)
    card = TeamCard.objects.get()
    rituals.sign(user=world.trainee.user, card_id=card.pk, message="Welcome aboard!")
    rituals.sign(user=world.trainee.user, card_id=card.pk, message="Welcome aboard, ask me anything")
    rituals.sign(user=world.supervisor.user, card_id=card.pk, message="Glad you are here")
    assert CardSignature.objects.count() == 2
    for user in (newcomer.user, world.other_trainee.user):
        with pytest.raises(PermissionDenied):
            rituals.sign(user=user, card_id=card.pk, message="x")
    with pytest.raises(ValidationError):
        rituals.sign(user=world.mentor.user, card_id=card.pk, message="  ")
    client.force_login(newcomer.user)
    page = client.get(reverse("incentives:card", args=[card.pk]))
    assert "ask me anything" in page.text and 'id="sign-form"' not in page.text
    client.force_login(world.other_trainee.user)
    assert client.get(reverse("incentives:card", args=[card.pk])).status_code == 404


@pytest.mark.django_db
def test_the_daily_task_posts_the_cards(world, newcomer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 8, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    assert tasks.post_ritual_cards.apply().get()["posted"] == 1
