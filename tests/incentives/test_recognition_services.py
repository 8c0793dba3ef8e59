"""Giving recognition (issue 15 §1): allowance limits, no self-recognition, no roll-over across a month end, the
daily limit per recipient, the scope of recipients, what earned it, one notification per recipient, and the
idempotency key."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incentives.models import EntryKind, IncentiveSettings, PointsEntry, Reaction, Recognition
from incentives.selectors import ledger as selectors
from incentives.services import recognition as services
from notifications.models import Notification
from staff.models import Stage
from tests.improvement.suggestions_factories import SuggestionFactory
from tests.incentives.factories import give
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_a_recognition_grants_points_to_each_recipient(world):
    recognition = give(world.mentor, world.trainee, world.supervisor, points=5, motivator="growth")
    entries = PointsEntry.objects.filter(recognition=recognition).order_by("employee_id")
    assert [(e.kind, e.points, e.source_ref) for e in entries] == [
        (EntryKind.GRANT, 5, f"recognition:{recognition.pk}:{pk}")
        for pk in sorted([world.trainee.pk, world.supervisor.pk])
    ]
    assert selectors.balance(world.trainee) == 5
    assert selectors.allowance_left(world.mentor) == 40


def test_nobody_recognises_herself(world):
    with pytest.raises(ValidationError, match="yourself"):
        give(world.trainee, world.trainee)
    assert not Recognition.objects.exists()


def test_the_monthly_allowance_cannot_be_exceeded(world):
    colleague = EmployeeFactory(team=world.team)
    give(world.mentor, world.trainee, points=20)
    give(world.mentor, world.supervisor, points=20)
    with pytest.raises(ValidationError, match="left of your allowance"):
        give(world.mentor, colleague, points=11, message="Again")
    give(world.mentor, colleague, points=10, message="Exactly the rest")
    assert selectors.allowance_left(world.mentor) == 0


def test_a_supervisor_has_the_larger_allowance(world):
    settings = IncentiveSettings.current()
    assert selectors.allowance(world.supervisor) == settings.leader_monthly_allowance
    assert selectors.allowance(world.trainee) == settings.monthly_allowance


def test_hr_sets_the_allowance_and_limit(world):
    IncentiveSettings.objects.create(
        pk=1, monthly_allowance=8, leader_monthly_allowance=300, daily_limit_per_recipient=5
    )
    with pytest.raises(ValidationError):
        give(world.mentor, world.trainee, points=6)
    give(world.mentor, world.trainee, points=5)
    assert selectors.allowance_left(world.mentor) == 3


def test_the_allowance_does_not_roll_over_into_next_month(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 23, 50, tzinfo=SHANGHAI), tick=False)
    give(world.mentor, world.trainee, points=10)
    assert selectors.allowance_left(world.mentor) == 40
    time_machine.move_to(datetime.datetime(2026, 12, 1, 0, 10, tzinfo=SHANGHAI), tick=False)
    # a new month: the full allowance again, not 50 + the 40 left over
    assert selectors.allowance_left(world.mentor) == 50
    with pytest.raises(ValidationError, match="left of your allowance"):
        give(world.mentor, world.supervisor, world.trainee, points=26)
    give(world.mentor, world.supervisor, world.mentor.mentees.first(), points=20, message="December")
    assert selectors.allowance_left(world.mentor) == 10


def test_the_daily_limit_per_recipient_resets_the_next_day(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI), tick=False)
    give(world.supervisor, world.trainee, points=15)
    with pytest.raises(ValidationError, match="a day to one colleague"):
        give(world.supervisor, world.trainee, points=6, message="More")
    give(world.supervisor, world.mentor, points=20, message="Someone else")
    give(world.mentor, world.trainee, points=20, message="Another giver")
    time_machine.move_to(datetime.datetime(2026, 11, 11, 9, 0, tzinfo=SHANGHAI), tick=False)
    give(world.supervisor, world.trainee, points=20, message="Next day")
    assert selectors.balance(world.trainee) == 55


def test_a_refused_recognition_writes_nothing(world):
    with pytest.raises(ValidationError):
        give(world.mentor, world.trainee, points=60)
    assert not Recognition.objects.exists()
    assert not PointsEntry.objects.exists()
    assert not Notification.objects.filter(kind=services.RECOGNISED).exists()


def test_only_colleagues_in_scope_are_recognised(world):
    with pytest.raises(ValidationError, match="colleagues of your team"):
        give(world.trainee, world.other_trainee)
    give(world.other_supervisor, world.other_trainee)  # she leads Team B


def test_someone_who_left_is_not_recognised(world):
    gone = EmployeeFactory(team=world.team, stage=Stage.LEFT)
    with pytest.raises(ValidationError):
        give(world.supervisor, gone)


def test_an_account_without_an_employee_cannot_give(world):
    with pytest.raises(PermissionDenied):
        services.give_recognition(user=world.hr, recipients=[world.trainee], message="Hi", motivator="achievement")


def test_the_recipients_are_notified_once(world):
    recognition = give(world.mentor, world.trainee, world.supervisor, points=1)
    rows = Notification.objects.filter(kind=services.RECOGNISED)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(
        [world.trainee.user_id, world.supervisor.user_id]
    )
    assert services.notify_recipients(recognition, [world.trainee], world.mentor) == 0  # a retry notifies nobody twice
    assert rows.count() == 2


def test_the_same_idempotency_key_makes_one_recognition(world):
    first = give(world.mentor, world.trainee, points=5, idempotency_key="tap-1")
    again = give(world.mentor, world.trainee, points=5, idempotency_key="tap-1")
    assert first.pk == again.pk
    assert selectors.balance(world.trainee) == 5


def test_what_earned_it_must_exist(world):
    done = SuggestionFactory(author=world.trainee, status="implemented")
    give(world.mentor, world.trainee, earned_by_kind="suggestion", earned_by_id=done.pk)
    pending = SuggestionFactory(author=world.trainee)
    with pytest.raises(ValidationError, match="not found"):
        give(world.mentor, world.trainee, earned_by_kind="suggestion", earned_by_id=pending.pk)
    with pytest.raises(ValidationError, match="Name both"):
        give(world.mentor, world.trainee, earned_by_kind="drill")
    give(world.mentor, world.trainee, earned_by_kind="kpi_band", earned_by_id=7)


def test_one_reaction_per_person(world):
    recognition = give(world.mentor, world.trainee)
    assert services.react(user=world.supervisor.user, recognition=recognition, label="applause") == "applause"
    assert services.react(user=world.supervisor.user, recognition=recognition, label="thanks") == "thanks"
    assert list(Reaction.objects.values_list("label", flat=True)) == ["thanks"]
    assert services.react(user=world.supervisor.user, recognition=recognition, label="thanks") == ""
    assert not Reaction.objects.exists()


def test_outsiders_cannot_react(world):
    recognition = give(world.mentor, world.trainee)
    with pytest.raises(PermissionDenied):
        services.react(user=world.other_trainee.user, recognition=recognition, label="applause")
