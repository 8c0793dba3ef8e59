"""The honour system's services (issue 15 §3): nominations only within the window, never oneself, once per
nominator × nominee × programme; a decider who is the nominee is refused; at most N winners; a winner's points
are credited once even when the decision is retried; reminders keyed per programme, window and person."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incentives.models import Deciders, EntryKind, Nomination, NominationStatus, Nominators, PointsEntry
from incentives.selectors import honours as selectors
from incentives.selectors import ledger as ledger_selectors
from incentives.services import honours as services
from notifications.models import Notification
from staff.models import Stage
from tests.incentives.factories import give
from tests.incentives.honours_factories import ProgrammeFactory, closed_nomination, decide, nominate
from tests.staff.factories import EmployeeFactory, make_hr_user

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def nov(world, time_machine):
    """A programme of Team A whose window runs 10–20 November 2026; it is 15 November."""
    time_machine.move_to(at(datetime.date(2026, 11, 15)), tick=False)
    world.programme = ProgrammeFactory(
        team=world.team,
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 11, 30),
        opens_on=datetime.date(2026, 11, 10),
        closes_on=datetime.date(2026, 11, 20),
        points=30,
    )
    return world


def test_a_colleague_nominates_within_the_window(nov):
    nomination = nominate(nov.mentor.user, nov.programme, nov.trainee, evidence="Six thank-you calls.")
    assert (nomination.nominee, nomination.status, nomination.evidence) == (
        nov.trainee,
        "nominated",
        "Six thank-you calls.",
    )


@pytest.mark.parametrize("day", [datetime.date(2026, 11, 9), datetime.date(2026, 11, 21)])
def test_the_window_is_enforced(nov, time_machine, day):
    time_machine.move_to(at(day), tick=False)
    with pytest.raises(ValidationError, match="Nominations (open|closed)"):
        nominate(nov.mentor.user, nov.programme, nov.trainee)
    assert not Nomination.objects.exists()


def test_the_window_includes_its_last_day_until_midnight(nov, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 23, 59, tzinfo=SHANGHAI), tick=False)
    assert nominate(nov.mentor.user, nov.programme, nov.trainee)


def test_self_nomination_is_refused(nov):
    with pytest.raises(ValidationError, match="cannot nominate yourself"):
        nominate(nov.trainee.user, nov.programme, nov.trainee)
    assert not Nomination.objects.exists()


def test_someone_outside_the_programme_is_refused(nov):
    with pytest.raises(ValidationError, match="Choose a colleague this programme covers"):
        nominate(nov.supervisor.user, nov.programme, nov.other_trainee)
    with pytest.raises(PermissionDenied):  # Team B does not even see Team A's programme
        nominate(nov.other_supervisor.user, nov.programme, nov.other_trainee)


def test_one_nomination_per_nominator_nominee_and_programme(nov):
    nominate(nov.mentor.user, nov.programme, nov.trainee)
    with pytest.raises(ValidationError, match="already nominated"):
        nominate(nov.mentor.user, nov.programme, nov.trainee, reason="Again.")
    nominate(nov.supervisor.user, nov.programme, nov.trainee)  # another nominator may
    assert Nomination.objects.count() == 2


def test_a_retry_with_the_same_key_returns_the_first_nomination(nov):
    first = nominate(nov.mentor.user, nov.programme, nov.trainee, idempotency_key="k1")
    assert nominate(nov.mentor.user, nov.programme, nov.trainee, idempotency_key="k1") == first


def test_the_nominee_is_told_once_who_put_her_forward_and_why(nov):
    nomination = nominate(nov.mentor.user, nov.programme, nov.trainee, idempotency_key="k1")
    nominate(
        nov.mentor.user, nov.programme, nov.trainee, idempotency_key="k1"
    )  # a retry: the same nomination, no second note
    told = Notification.objects.filter(recipient=nov.trainee.user, kind=services.NOMINATED)
    assert [(n.key, n.body) for n in told] == [(f"{services.NOMINATED}:{nomination.pk}", nomination.reason)]


def test_supervisors_only_programme_refuses_an_agent(nov):
    nov.programme.nominators = Nominators.SUPERVISORS
    nov.programme.save()
    with pytest.raises(ValidationError, match="does not take nominations from you"):
        nominate(nov.mentor.user, nov.programme, nov.trainee)
    assert nominate(nov.supervisor.user, nov.programme, nov.trainee)


def test_evidence_may_cite_a_recognition_the_nominator_sees(nov):
    recognition = give(nov.supervisor, nov.trainee)
    nomination = nominate(nov.mentor.user, nov.programme, nov.trainee, recognition_id=recognition.pk)
    assert nomination.recognition == recognition
    hidden = give(nov.other_supervisor, nov.other_trainee)
    with pytest.raises(ValidationError):
        nominate(nov.supervisor.user, nov.programme, nov.trainee, recognition_id=hidden.pk)


def test_hr_decides_a_winner_who_gets_the_points_and_is_told(nov):
    nomination = nominate(nov.mentor.user, nov.programme, nov.trainee)
    decide(nov.hr, nomination, note="Well deserved.")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decided_by, nomination.decision_note) == ("won", nov.hr, "Well deserved.")
    entry = PointsEntry.objects.get(source_ref=f"award:{nomination.pk}")
    assert (entry.kind, entry.employee, entry.points) == (EntryKind.AWARD, nov.trainee, 30)
    assert Notification.objects.filter(recipient=nov.trainee.user, kind=services.WON_HONOUR).count() == 1
    assert list(selectors.honours_of(nov.trainee)) == [nomination]


def test_points_are_awarded_once_on_a_retried_decision(nov):
    nomination = nominate(nov.mentor.user, nov.programme, nov.trainee)
    decide(nov.hr, nomination)
    decide(nov.hr, nomination)
    services.decide(user=nov.hr, nomination_id=nomination.pk, won=True)
    assert PointsEntry.objects.filter(kind=EntryKind.AWARD).count() == 1
    assert ledger_selectors.balance(nov.trainee) == 30


def test_a_decided_nomination_never_changes(nov):
    nomination = nominate(nov.mentor.user, nov.programme, nov.trainee)
    decide(nov.hr, nomination, won=False)
    with pytest.raises(ValidationError, match="already decided"):
        decide(nov.hr, nomination, won=True)
    assert Nomination.objects.get().status == NominationStatus.NOT_CHOSEN
    assert not PointsEntry.objects.exists()


def test_at_most_n_winners(nov):
    nov.programme.winners = 2
    nov.programme.save()
    people = [nov.trainee, nov.mentor, EmployeeFactory(team=nov.team)]
    rows = [nominate(nov.supervisor.user, nov.programme, person) for person in people]
    decide(nov.hr, rows[0])
    decide(nov.hr, rows[1])
    with pytest.raises(ValidationError, match="already has its 2 winners"):
        decide(nov.hr, rows[2])
    decide(nov.hr, rows[2], won=False)  # not chosen is always possible
    assert Nomination.objects.filter(status="won").count() == 2


def test_the_nominee_cannot_decide_on_herself(nov):
    nov.programme.decided_by, nov.programme.decider = Deciders.NAMED, nov.supervisor
    nov.programme.save()
    nomination = nominate(nov.mentor.user, nov.programme, nov.supervisor)
    with pytest.raises(ValidationError, match="your own nomination"):
        decide(nov.supervisor.user, nomination)
    assert Nomination.objects.get().status == "nominated"


def test_an_hr_member_nominated_cannot_decide_on_herself(nov):
    hr_employee = EmployeeFactory(team=nov.team, stage=Stage.BACK_OFFICE, user=make_hr_user(username="hr_emp"))
    nomination = nominate(nov.supervisor.user, nov.programme, hr_employee)
    with pytest.raises(ValidationError, match="your own nomination"):
        decide(hr_employee.user, nomination)
    decide(nov.hr, nomination)  # another HR member may


def test_only_the_decider_decides(nov):
    nomination = nominate(nov.mentor.user, nov.programme, nov.trainee)
    with pytest.raises(PermissionDenied):
        decide(nov.supervisor.user, nomination)  # HR decides this programme
    with pytest.raises(PermissionDenied):
        decide(nov.other_supervisor.user, nomination)  # does not even see it
    assert not PointsEntry.objects.exists()


def test_a_named_decider_decides_her_programme(nov):
    nov.programme.decided_by, nov.programme.decider = Deciders.NAMED, nov.other_supervisor
    nov.programme.save()
    nomination = nominate(nov.mentor.user, nov.programme, nov.trainee)
    with pytest.raises(PermissionDenied):
        decide(nov.hr, nomination)
    assert decide(nov.other_supervisor.user, nomination).status == "won"


# Reminders ------------------------------------------------------------------------------------------


def _reminded(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_nominators_are_reminded_once_per_window(nov, time_machine):
    assert services.send_reminders() == 3  # Team A: the supervisor, the mentor, the trainee (not the inactive)
    assert _reminded(services.NOMINATE_REMINDER) == ["mentor_a", "sup_a", "trainee_a"]
    assert services.send_reminders() == 0
    time_machine.move_to(at(datetime.date(2026, 11, 16)), tick=False)
    assert services.send_reminders() == 0
    assert Notification.objects.filter(kind=services.NOMINATE_REMINDER).count() == 3


def test_a_supervisors_only_window_reminds_the_supervisors(nov):
    nov.programme.nominators = Nominators.SUPERVISORS
    nov.programme.save()
    services.send_reminders()
    assert _reminded(services.NOMINATE_REMINDER) == ["sup_a"]


def test_the_decider_is_reminded_once_after_the_window_closed_with_undecided_nominations(nov, time_machine):
    nomination = nominate(nov.mentor.user, nov.programme, nov.trainee)
    time_machine.move_to(at(datetime.date(2026, 11, 20)), tick=False)
    services.send_reminders()
    assert _reminded(services.DECIDE_REMINDER) == []  # still open today
    time_machine.move_to(at(datetime.date(2026, 11, 21)), tick=False)
    services.send_reminders()
    services.send_reminders()
    assert _reminded(services.DECIDE_REMINDER) == ["hr_user"]
    decide(nov.hr, nomination)
    time_machine.move_to(at(datetime.date(2026, 11, 23)), tick=False)
    assert services.send_reminders() == 0


def test_a_named_decider_is_reminded(nov, time_machine):
    nov.programme.decided_by, nov.programme.decider = Deciders.NAMED, nov.other_supervisor
    nov.programme.save()
    closed_nomination(nov.programme, nov.mentor.user, nov.trainee)
    time_machine.move_to(at(datetime.date(2026, 11, 22)), tick=False)
    services.send_reminders()
    assert _reminded(services.DECIDE_REMINDER) == ["sup_b"]


def test_the_task_runs_the_reminders(nov):
    from incentives.tasks import send_honour_reminders

    assert send_honour_reminders.delay().get() == 3
